package io.vendorlink.core.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request timeouts for {@link VendorHttp}, kept by one sweeper thread that looks at the calls in flight every
 * {@link #TICK_MILLIS} ms and ends each call past its deadline: on the JDK client it interrupts the caller (the JDK's
 * {@code send} answers an interrupt by cancelling the exchange and closing its connection); on the blocking transport
 * it runs the call's abort, which closes the socket the caller is reading. {@link VendorHttp} reports a timeout.
 * <p>
 * Why not {@code HttpRequest.timeout}: the JDK registers a timer with the client's selector and wakes the selector
 * thread on every request, which was the largest single cost of a loopback call in the Sentinel benchmark (a thread
 * wake-up and ~20 us of CPU per call). Here a call adds and removes itself in a concurrent set and signals no thread.
 * The price is precision: a call fails at most one tick after its deadline. The deadline also covers the whole answer
 * for byte-array bodies, where the JDK's timeout stops at the response headers (a vendor that sends the headers and
 * then trickles the body would hold a caller for ever); for streamed bodies it covers the headers.
 */
final class RequestDeadlines {
    static final long TICK_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);
    private static final int WATCHING = 0;
    private static final int DONE = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;
    private static final Set<Watch> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static volatile ScheduledExecutorService sweeper;

    private RequestDeadlines() {
    }

    /** One call being watched: its caller thread and deadline. */
    static final class Watch {
        private final Thread caller = Thread.currentThread();
        private final long deadline;
        /** What the sweeper does past the deadline; null: interrupt the caller. */
        private final Runnable abort;
        private final AtomicInteger state = new AtomicInteger(WATCHING);

        private Watch(long deadline, Runnable abort) {
            this.deadline = deadline;
            this.abort = abort;
        }
    }

    /** Starts watching a call the current thread is about to make; past the deadline the caller is interrupted. */
    static Watch watch(long timeoutNanos) {
        return watch(timeoutNanos, null);
    }

    /** Starts watching a call; past the deadline {@code abort} runs (on the sweeper thread), e.g. closing its socket. */
    static Watch watch(long timeoutNanos, Runnable abort) {
        start();
        Watch w = new Watch(System.nanoTime() + timeoutNanos, abort);
        IN_FLIGHT.add(w);
        return w;
    }

    /**
     * The call returned or failed: no longer watched. Answers whether its deadline fired; if it did, the interrupt the
     * sweeper gave the caller is cleared here, so it never outlives the call. (An interrupt that someone else sent the
     * same thread in those same microseconds is cleared with it.)
     */
    static boolean done(Watch w) {
        IN_FLIGHT.remove(w);
        if (w.state.compareAndSet(WATCHING, DONE)) {
            return false;
        }
        while (w.state.get() != FIRED) {
            Thread.onSpinWait(); // the sweeper is between its decision and the interrupt: nanoseconds
        }
        if (w.abort == null) {
            Thread.interrupted();
        }
        return true;
    }

    /** Calls being watched now (tests). */
    static int watched() {
        return IN_FLIGHT.size();
    }

    private static void start() {
        if (sweeper != null) {
            return;
        }
        synchronized (RequestDeadlines.class) {
            if (sweeper == null) {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "vendorlink-http-deadlines");
                    t.setDaemon(true);
                    return t;
                });
                s.scheduleWithFixedDelay(RequestDeadlines::sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
                sweeper = s;
            }
        }
    }

    static void sweep() {
        long now = System.nanoTime();
        try {
            for (Watch w : IN_FLIGHT) {
                if (now - w.deadline >= 0 && w.state.compareAndSet(WATCHING, FIRING)) {
                    IN_FLIGHT.remove(w);
                    try {
                        if (w.abort == null) {
                            w.caller.interrupt();
                        } else {
                            w.abort.run();
                        }
                    } finally {
                        w.state.set(FIRED);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("request deadline sweep failed (tried again at the next tick): {}", e.toString());
        }
    }
}
