package io.vendorlink.core;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A slow service that needs no other service started (the embedded broker, the SecuTix sandbox's CXF/Jetty server):
 * Camel starts context services one after the other on the main thread, so this one starts on its own thread and its
 * start overlaps the others' (issue 9, start-up time on 2 cores). Routes still start only once it is up: add it with
 * {@link #addTo}, which also registers a start-up listener that waits for it after every other service has started
 * and before any route starts. A failed start fails the context start, as a failing {@code doStart} would.
 */
public abstract class ParallelStartService extends ServiceSupport {
    /** Bound of the wait before routes start; a start that takes longer fails the context start. */
    private static final long MAX_START_SECONDS = 120;

    private final String threadName;
    private volatile CompletableFuture<Void> started;

    protected ParallelStartService(String threadName) {
        this.threadName = threadName;
    }

    /** Adds the service to the context and makes the context wait for it before starting routes. */
    public static <S extends ParallelStartService> S addTo(CamelContext context, S service) throws Exception {
        context.addService(service, true, true);
        context.addStartupListener(new AwaitBeforeRoutes(service));
        return service;
    }

    /** The work of {@code doStart}, run on the service's own thread. */
    protected abstract void startInParallel() throws Exception;

    /** The work of {@code doStop}; runs after the start has finished (or failed). */
    protected abstract void stopStarted() throws Exception;

    @Override
    protected final void doStart() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        started = f;
        Thread t = new Thread(() -> {
            try {
                startInParallel();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    /** Waits (bounded) until the start has finished; rethrows its failure. */
    public void awaitStarted() throws Exception {
        CompletableFuture<Void> f = started;
        if (f == null) {
            throw new IllegalStateException(threadName + ": not started");
        }
        try {
            f.get(MAX_START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(threadName + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(threadName + ": not started within " + MAX_START_SECONDS + " s", e);
        }
    }

    @Override
    protected final void doStop() throws Exception {
        CompletableFuture<Void> f = started;
        if (f != null) {
            try {
                f.get(MAX_START_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // stop what did start
            }
        }
        stopStarted();
    }

    /**
     * Runs after Camel's own listener that starts the deferred context services (ordered last), before routes start.
     */
    private record AwaitBeforeRoutes(ParallelStartService service) implements StartupListener, Ordered {
        @Override
        public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
            service.awaitStarted();
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
            service.awaitStarted();
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }
}
