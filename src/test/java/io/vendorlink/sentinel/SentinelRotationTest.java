package io.vendorlink.sentinel;

import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The Cloud Connect URL moves (§8, §13.1, §13.2) while sessions are open; an invalid vendor id never loops (§13.4). */
class SentinelRotationTest {

    @ParameterizedTest
    @ValueSource(strings = {"401:2027", "401:2028", "404", "401"})
    void urlRotationKeepsEveryOpenSessionAndRegistersOncePerThrottleWindow(String mode) throws Exception {
        int sessions = mode.equals("401:2027") ? 50 : 10;
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.sentinel.reregister.minInterval", "PT1S")
                .property("vendorlink.sentinel.heartbeat.parallelism", "16").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
            await().atMost(Duration.ofSeconds(20)).until(() -> SentinelConnectorTest.health(rt).isUp());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Object>> opens = new java.util.ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    String ref = "rot-" + i;
                    String feature = "fname" + (1 + i % 3);
                    opens.add(pool.submit(() -> SentinelConnectorTest.open(rt, ref, feature)));
                }
                for (Future<Object> f : opens) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(sandbox.openSessions()).isEqualTo(sessions);
            // the throttle window of the registration at start has passed: the next move may re-register (once)
            await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(5)).until(() -> true);
            int before = sandbox.registrations();
            sandbox.moveScc(mode);
            List<?> lost = (List<?>) rt.producer().requestBody("direct:sentinel-heartbeat", (Object) null);
            assertThat(lost).isEmpty();
            assertThat(sandbox.registrations()).as("Directory Services calls after the move").isEqualTo(before + 1);
            assertThat(sandbox.openSessions()).isEqualTo(sessions);
            assertThat(sandbox.sessions().values()).allSatisfy(s -> assertThat(s.refreshes()).isEqualTo(1));
            assertThat(new SentinelSessions(rt.core().database().dataSource()).inState(SentinelSessions.State.OPEN))
                    .hasSize(sessions);
            // a second beat on the new URL needs no registration
            rt.producer().requestBody("direct:sentinel-heartbeat", (Object) null);
            assertThat(sandbox.registrations()).isEqualTo(before + 1);
            assertThat(rt.core().metrics().registry().find("vendorlink.reauthentications").tag("vendor", "sentinel")
                    .counters()).isNotEmpty();
        }
    }

    @Test
    void anInvalidVendorIdIsAClearRejectionNamingTheSettingAndNeverALoop() {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.sentinel.vendorId", "99999").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
            await().atMost(Duration.ofSeconds(20)).until(() -> SentinelConnectorTest.health(rt).reason().contains("2009"));
            int before = sandbox.server().requests().size();
            Throwable t = catchThrowable(() -> rt.producer().requestBody("direct:sentinel-licenses", Map.of("customer", "c1")));
            assertThat(t).isInstanceOf(CamelExecutionException.class);
            assertThat(t.getCause()).isInstanceOf(RejectedException.class);
            assertThat(t.getCause().getMessage()).contains("vendorlink.sentinel.vendorId").contains("2009");
            assertThat(sandbox.server().requests().size() - before).as("requests for one call").isEqualTo(1);
            assertThat(SentinelConnectorTest.health(rt).isUp()).isFalse();
        }
    }
}
