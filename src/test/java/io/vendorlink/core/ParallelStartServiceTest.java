package io.vendorlink.core;

import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded broker and the SecuTix sandbox start on their own threads, and routes still wait for them (issue 9). */
class ParallelStartServiceTest {

    /** Starts only once {@code release} is counted down, then reports up. */
    static final class Gated extends ParallelStartService {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean up = new AtomicBoolean();
        final AtomicBoolean stopped = new AtomicBoolean();
        final RuntimeException failure;

        Gated(RuntimeException failure) {
            super("test-parallel-start");
            this.failure = failure;
        }

        @Override
        protected void startInParallel() throws Exception {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            if (failure != null) {
                throw failure;
            }
            up.set(true);
        }

        @Override
        protected void stopStarted() {
            stopped.set(true);
        }
    }

    @Test
    void startsAlongsideTheNextServiceAndRoutesWaitForIt() throws Exception {
        Gated gated = new Gated(null);
        AtomicReference<Boolean> upWhenRouteStarted = new AtomicReference<>();
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            ParallelStartService.addTo(ctx, gated);
            // The next service's start (on the main thread) is what lets the first one finish: if the first one's start
            // ran on the main thread, the context start would wait for 30 s and then fail.
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStart() {
                    gated.release.countDown();
                }
            }, true, true);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:a").routeId("a").routePolicy(new RoutePolicySupport() {
                        @Override
                        public void onStart(Route route) {
                            upWhenRouteStarted.set(gated.up.get());
                        }
                    }).log("a");
                }
            });
            ctx.start();
            assertThat(upWhenRouteStarted.get()).as("the service was up when the route started").isTrue();
            ctx.stop();
            assertThat(gated.stopped).isTrue();
        }
    }

    @Test
    void aFailedStartFailsTheContextStart() throws Exception {
        Gated gated = new Gated(new IllegalStateException("journal locked"));
        gated.release.countDown();
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            ParallelStartService.addTo(ctx, gated);
            assertThatThrownBy(ctx::start).hasStackTraceContaining("journal locked");
            assertThat(gated.up).isFalse();
        }
    }
}
