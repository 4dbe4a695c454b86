package io.vendorlink.sentinel;

import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vendorlink.sentinel.SentinelConnectorTest.call;
import static io.vendorlink.sentinel.SentinelConnectorTest.health;
import static io.vendorlink.sentinel.SentinelConnectorTest.licensing;
import static io.vendorlink.sentinel.SentinelConnectorTest.open;
import static io.vendorlink.sentinel.SentinelConnectorTest.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentinel's background cleaner (§6.4) with the simulator's reaper timeout shortened to 3 s: the heartbeat's PATCHes
 * keep a session past that timeout, and a session left unrefreshed is ended by the vendor side and reported lost by
 * the next heartbeat (not only sessions an administrator terminates).
 */
class SentinelReaperTest {
    private static final Duration REAPER = Duration.ofSeconds(3);

    @Test
    void heartbeatsKeepASessionPastTheReaperTimeoutAndAnUnrefreshedOneIsReapedAndReportedLost() {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.sandbox.sentinel.reaperTimeout", REAPER.toString()).start()) {
            SentinelSandbox sandbox = sandbox(rt);
            await().atMost(Duration.ofSeconds(20)).until(() -> health(rt).isUp());
            open(rt, "reap-1", "fname1");
            String id = licensing(rt).sessions().find("reap-1").orElseThrow().sessionId();

            // A heartbeat round every 0.3 s for longer than the reaper timeout (bounded at 30 s): still open.
            long start = System.nanoTime();
            List<Object> reported = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300)).until(() -> {
                reported.addAll(call(rt, "direct:sentinel-heartbeat", null));
                return !reported.isEmpty() || System.nanoTime() - start > REAPER.plusSeconds(1).toNanos();
            });
            assertThat(reported).as("lost events while heartbeating").isEmpty();
            assertThat(System.nanoTime() - start).isGreaterThan(REAPER.toNanos());
            assertThat(sandbox.sessions().get(id).isOpen()).isTrue();
            assertThat(sandbox.sessions().get(id).refreshes()).isGreaterThanOrEqualTo(5);

            // No PATCH for longer than the timeout: the vendor side reaps it; the next heartbeat reports it lost.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> sandbox.openSessions() == 0);
            List<Map<String, Object>> lost = call(rt, "direct:sentinel-heartbeat", null);
            assertThat(lost).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("event", "lost").containsEntry("reference", "reap-1");
                assertThat(e.get("detail").toString()).contains("Session terminated");
            });
            assertThat(licensing(rt).sessions().find("reap-1").orElseThrow().state()).isEqualTo(SentinelSessions.State.LOST);
        }
    }
}
