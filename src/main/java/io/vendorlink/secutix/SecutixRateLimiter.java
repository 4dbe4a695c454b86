package io.vendorlink.secutix;

import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.state.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The client-side load limiter (protocol note §6), enforcing both readings at once:
 * <ul>
 *   <li>{@code perEndpointPerMinute} (seed: 60) per endpoint, where all versions of a service are one endpoint;</li>
 *   <li>{@code perInstancePerMinute} ([RATE]: 180) summed over every endpoint of the instance;</li>
 *   <li>per-method limits {@code rateLimit.method.<operation> = N/<duration>} ({@code getCatalogDetailed = 1/PT10M}).</li>
 * </ul>
 * It is a GCRA ("virtual scheduling") token bucket kept in the <b>state database</b>, so that every replica sharing the
 * database (PostgreSQL in production) draws from the same buckets: a caller reserves its send slot in one transaction
 * that locks the rows of all its buckets, then waits for the slot locally. Leader-only consumption was rejected: the
 * inbound call queue is consumed by every replica, and a shared bucket keeps the limit without funnelling all work
 * through one pod. A slot further away than {@code maxWait} is not reserved: the call fails with
 * {@link RateLimitedException} carrying the wait, so the error policy redelivers it later (no thread parked for
 * 10 minutes, no tight loop). Every wait is counted ({@code vendorlink_throttle_waits}).
 */
public final class SecutixRateLimiter {
    private record Bucket(String key, long intervalMillis, long toleranceMillis) {
    }

    private final DataSource dataSource;
    private final VendorMetrics metrics;
    private final boolean enabled;
    private final long endpointInterval;
    private final long instanceInterval;
    private final int burst;
    private final Map<String, long[]> methodLimits = new TreeMap<>();
    private final boolean methodLimitsCountPolls;
    private final Duration maxWait;
    private final String instance;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    public SecutixRateLimiter(DataSource dataSource, VendorMetrics metrics, Settings rateLimit,
                              Map<String, String> methodLimitSpecs, String instance) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.enabled = rateLimit.bool("enabled");
        this.endpointInterval = perMinute(rateLimit, "perEndpointPerMinute");
        this.instanceInterval = perMinute(rateLimit, "perInstancePerMinute");
        this.burst = rateLimit.integer("burst");
        this.methodLimitsCountPolls = rateLimit.bool("methodLimitsCountPolls");
        this.maxWait = rateLimit.duration("maxWait");
        this.instance = instance;
        methodLimitSpecs.forEach((op, spec) -> methodLimits.put(op, parse(rateLimit.key("method." + op), spec)));
        if (burst < 1) {
            throw new IllegalStateException("Setting " + rateLimit.key("burst") + " must be at least 1");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Blocks until this call may be sent under every bucket it belongs to, or throws {@link RateLimitedException}
     * when the wait would exceed {@code maxWait}.
     *
     * @param endpoint the service name (all versions one endpoint)
     * @param poll     whether this is an in_progress poll carrying a requestId (§5: per-method limits may not count it)
     * @return the reserved send slot (epoch millis), or 0 when nothing limits this call
     */
    public long acquire(String endpoint, String operation, boolean poll) {
        if (!enabled) {
            return 0;
        }
        List<Bucket> buckets = new ArrayList<>();
        long tolerance = (burst - 1L);
        if (instanceInterval > 0) {
            buckets.add(new Bucket("instance:" + instance, instanceInterval, tolerance * instanceInterval));
        }
        if (endpointInterval > 0) {
            buckets.add(new Bucket("endpoint:" + instance + ":" + endpoint, endpointInterval, tolerance * endpointInterval));
        }
        long[] method = methodLimits.get(operation);
        String bucketName = "endpoint";
        if (method != null && (!poll || methodLimitsCountPolls)) {
            buckets.add(new Bucket("method:" + instance + ":" + operation, method[0], 0));
            bucketName = "method";
        }
        if (buckets.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        long slot = reserve(buckets, now, maxWait.toMillis(), operation);
        long waitMillis = slot - now;
        if (waitMillis > 0) {
            metrics.throttleWait(SecutixFailures.VENDOR, bucketName, Duration.ofMillis(waitMillis));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            for (long left = waitMillis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
                if (Thread.currentThread().isInterrupted()) {
                    throw new RateLimitedException(SecutixFailures.VENDOR, operation, "client-limiter",
                            "interrupted while waiting for a send slot", Duration.ofMillis(Math.max(left, 1)));
                }
            }
        }
        return slot;
    }

    /** Reserves the earliest slot allowed by all buckets (GCRA), atomically across replicas. */
    private long reserve(List<Bucket> buckets, long now, long maxWaitMillis, String operation) {
        buckets.sort((a, b) -> a.key.compareTo(b.key)); // one lock order for every caller: no deadlock
        for (Bucket b : buckets) {
            ensureRow(b.key);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long[] tat = new long[buckets.size()];
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT tat_millis FROM secutix_rate_bucket WHERE bucket_key = ? FOR UPDATE")) {
                    for (int i = 0; i < buckets.size(); i++) {
                        ps.setString(1, buckets.get(i).key);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            tat[i] = rs.getLong(1);
                        }
                    }
                }
                long slot = now;
                for (int i = 0; i < buckets.size(); i++) {
                    slot = Math.max(slot, tat[i] - buckets.get(i).toleranceMillis);
                }
                if (slot - now > maxWaitMillis) {
                    c.rollback();
                    throw new RateLimitedException(SecutixFailures.VENDOR, operation, "client-limiter",
                            "client-side limit: next send slot in " + (slot - now) + " ms", Duration.ofMillis(slot - now));
                }
                try (PreparedStatement up = c.prepareStatement(
                        "UPDATE secutix_rate_bucket SET tat_millis = ? WHERE bucket_key = ?")) {
                    for (int i = 0; i < buckets.size(); i++) {
                        up.setLong(1, Math.max(tat[i], slot) + buckets.get(i).intervalMillis);
                        up.setString(2, buckets.get(i).key);
                        up.addBatch();
                    }
                    up.executeBatch();
                }
                c.commit();
                return slot;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("secutix rate limiter: cannot reserve a slot", e);
        }
    }

    private void ensureRow(String key) {
        if (ensured.contains(key)) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO secutix_rate_bucket (bucket_key, tat_millis) VALUES (?, 0)")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Database.isUniqueViolation(e)) {
                throw new IllegalStateException("secutix rate limiter: cannot create bucket " + key, e);
            }
        }
        ensured.add(key);
    }

    private static long perMinute(Settings s, String name) {
        int n = s.integer(name);
        // Rounded up: 180/min must never become 180.2/min.
        return n <= 0 ? 0 : (60_000L + n - 1) / n;
    }

    /** {@code N/<duration>}, e.g. {@code 1/PT10M}: one slot every duration/N. */
    static long[] parse(String key, String spec) {
        String[] parts = spec.split("/");
        if (parts.length != 2) {
            throw new IllegalStateException("Setting " + key + " = '" + spec + "' is not N/<duration> (e.g. 1/PT10M)");
        }
        int n = Integer.parseInt(parts[0].trim());
        Duration d = Settings.parseDuration(key, parts[1]);
        long count = Math.max(1, n);
        return new long[]{Math.max(1, (d.toMillis() + count - 1) / count)};
    }
}
