package io.vendorlink.core.retry;

import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.EndpointMovedException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.observe.VendorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A credential or learned endpoint shared by every caller of a connector (a session token, an SCC base URL):
 * obtained once (single-flight: concurrent callers wait for the one call in progress), refreshed when a call says it is
 * stale, and used by {@link #callWithReplay} to implement "re-authenticate once and replay once".
 *
 * <p>Refreshes are throttled by {@code minInterval} (Sentinel: one registration per 60 s) and callers wait at most
 * {@code lockTimeout} for a refresh in progress before going on with what is current. A second failure of the same
 * kind right after a refresh is a configuration or authentication fault: it becomes a {@link RejectedException},
 * never a loop.
 */
public final class SharedCredential<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SharedCredential.class);

    private final String vendor;
    private final String name;
    private final Supplier<T> obtain;
    private final Duration minInterval;
    private final Duration lockTimeout;
    private final Consumer<T> onChange;
    private final VendorMetrics metrics;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile T current;
    private volatile Instant lastObtained = Instant.EPOCH;

    private SharedCredential(Builder<T> b) {
        this.vendor = b.vendor;
        this.name = b.name;
        this.obtain = Objects.requireNonNull(b.obtain, "obtain");
        this.minInterval = b.minInterval;
        this.lockTimeout = b.lockTimeout;
        this.onChange = b.onChange;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.current = b.initial;
    }

    public static <T> Builder<T> builder(String vendor, String name, VendorMetrics metrics) {
        return new Builder<>(vendor, name, metrics);
    }

    /** The current value, obtaining it first if there is none (single-flight). */
    public T get() {
        T c = current;
        return c != null ? c : refresh(null, "initial");
    }

    /** The current value without obtaining one; null if none. */
    public T peek() {
        return current;
    }

    /** Forgets the current value (e.g. after a logout); the next {@link #get} obtains a new one. */
    public void invalidate() {
        current = null;
    }

    /**
     * Replaces {@code stale} by a fresh value. Callers that saw the same stale value share one obtain call; a caller
     * whose stale value was already replaced gets the replacement without another call.
     */
    public T refresh(T stale, String reason) {
        boolean locked;
        try {
            locked = lock.tryLock(lockTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            T c = current;
            if (c != null) {
                LOG.debug("vendor={} {}: refresh in progress elsewhere, using the current value", vendor, name);
                return c;
            }
            throw new io.vendorlink.core.failure.TransientException(vendor, name,
                    "timed out waiting " + lockTimeout + " for the " + name + " to be obtained");
        }
        try {
            T c = current;
            if (c != null && c != stale) {
                return c;
            }
            Instant now = clock.instant();
            if (c != null && now.isBefore(lastObtained.plus(minInterval))) {
                LOG.info("vendor={} {}: refresh ({}) throttled; last one was {} ago (minimum interval {})", vendor, name,
                        reason, Duration.between(lastObtained, now), minInterval);
                return c;
            }
            LOG.info("vendor={} obtaining {} ({})", vendor, name, reason);
            T fresh = obtain.get();
            lastObtained = clock.instant();
            current = fresh;
            metrics.reauthentication(vendor, reason);
            if (onChange != null) {
                onChange.accept(fresh);
            }
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls with the current value; if the call fails with {@link EndpointMovedException} or
     * {@link CredentialsExpiredException}, refreshes once and replays once.
     */
    public <R> R callWithReplay(Function<T, R> call) {
        T used = get();
        try {
            return call.apply(used);
        } catch (EndpointMovedException | CredentialsExpiredException e) {
            metrics.retry(vendor, e.outcome());
            LOG.info("vendor={} {}: {} - refreshing {} and replaying once", vendor, e.operation(), e.outcome().label(), name);
            T fresh = refresh(used, e.outcome().label());
            if (fresh == used) {
                // Throttled (minInterval) or the refresh timed out on the lock: nothing new to replay with yet. A
                // transient failure, so the caller's redelivery tries again later instead of calling it a rejection.
                throw new io.vendorlink.core.failure.TransientException(vendor, e.operation(), e.vendorCode(),
                        e.vendorMessage(), e.outcome().label() + ": the " + name + " cannot be refreshed yet (at most "
                        + "one refresh per " + minInterval + "); try again later", e);
            }
            try {
                return call.apply(fresh);
            } catch (EndpointMovedException | CredentialsExpiredException again) {
                throw new RejectedException(vendor, again.operation(), again.vendorCode(), again.vendorMessage(),
                        "still failing after the " + name + " was refreshed: " + again.getMessage()
                                + ". Check the credentials, key id and clock; not retried again", again);
            }
        }
    }

    public static final class Builder<T> {
        private final String vendor;
        private final String name;
        private final VendorMetrics metrics;
        private Supplier<T> obtain;
        private Duration minInterval = Duration.ZERO;
        private Duration lockTimeout = Duration.ofSeconds(30);
        private Consumer<T> onChange;
        private T initial;
        private Clock clock = Clock.systemUTC();

        private Builder(String vendor, String name, VendorMetrics metrics) {
            this.vendor = vendor;
            this.name = name;
            this.metrics = metrics;
        }

        public Builder<T> obtain(Supplier<T> obtain) {
            this.obtain = obtain;
            return this;
        }

        public Builder<T> minInterval(Duration d) {
            this.minInterval = d;
            return this;
        }

        public Builder<T> lockTimeout(Duration d) {
            this.lockTimeout = d;
            return this;
        }

        /** Called after each successful obtain, e.g. to persist the value. */
        public Builder<T> onChange(Consumer<T> c) {
            this.onChange = c;
            return this;
        }

        /** A value restored from the state store at start-up. */
        public Builder<T> initial(T value) {
            this.initial = value;
            return this;
        }

        public Builder<T> clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public SharedCredential<T> build() {
            return new SharedCredential<>(this);
        }
    }

    /** Whether the exception is one {@link #callWithReplay} replays. */
    public static boolean triggersReplay(VendorException e) {
        return e instanceof EndpointMovedException || e instanceof CredentialsExpiredException;
    }
}
