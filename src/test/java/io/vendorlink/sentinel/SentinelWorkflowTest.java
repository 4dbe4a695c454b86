package io.vendorlink.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** routes/sentinel.camel.yaml as users trigger it: the request queue, the Quartz heartbeat, the outcome queue. */
class SentinelWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode next(TestRuntime rt, String queue) throws Exception {
        String body = rt.consumer().receiveBody("jms:queue:" + queue, 30_000, String.class);
        assertThat(body).as("a message on " + queue).isNotNull();
        return JSON.readTree(body);
    }

    @Test
    void openAndCloseThroughTheQueuesOnceEachEvenWhenDeliveredTwice() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
            String open = "{\"action\":\"open\",\"reference\":\"wf-1\",\"customer\":\"c1\",\"user\":\"u1\",\"feature\":\"fname1\","
                    + "\"version\":\"1.0\",\"units\":2}";
            rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests", open);
            assertThat(next(rt, "vendorlink.sentinel.outcomes").path("event").asText()).isEqualTo("opened");
            rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests", open); // redelivered by the application
            JsonNode again = next(rt, "vendorlink.sentinel.outcomes");
            assertThat(again.path("event").asText()).isEqualTo("opened");
            assertThat(again.path("reference").asText()).isEqualTo("wf-1");
            assertThat(sandbox.sessions()).hasSize(1);

            rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests", "{\"action\":\"close\",\"reference\":\"wf-1\"}");
            assertThat(next(rt, "vendorlink.sentinel.outcomes").path("event").asText()).isEqualTo("closed");
            assertThat(sandbox.openSessions()).isZero();
        }
    }

    @Test
    void badRequestsAndRefusalsAreDeadLetteredWithTheReason() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
            rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests", "{\"action\":\"borrow\",\"reference\":\"x\"}");
            Exchange dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 30_000);
            assertThat(dead.getMessage().getHeader(DeadLetter.REASON, String.class)).contains("action must be open or close");
            rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests",
                    "{\"action\":\"open\",\"reference\":\"wf-2\",\"customer\":\"c1\",\"user\":\"u1\",\"feature\":\"nope\"}");
            dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 30_000);
            assertThat(dead.getMessage().getHeader(DeadLetter.REASON, String.class)).contains("2008");
            assertThat(dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class)).isEqualTo("INVALID_INPUT");
            assertThat(sandbox.sessions()).isEmpty();
        }
    }

    @Test
    void theScheduledHeartbeatRefreshesSessionsAndReportsATerminatedOneAsLost() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.sentinel.heartbeat.cron", "0/1 * * * * ?").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
            for (String ref : new String[]{"hb-1", "hb-2"}) {
                rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests", "{\"action\":\"open\",\"reference\":\"" + ref
                        + "\",\"customer\":\"c1\",\"user\":\"u1\",\"feature\":\"fname2\"}");
                assertThat(next(rt, "vendorlink.sentinel.outcomes").path("event").asText()).isEqualTo("opened");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.sessions().values().stream()
                    .allMatch(s -> s.refreshes() >= 2));
            String id = SentinelConnectorTest.licensing(rt).sessions().find("hb-2").orElseThrow().sessionId();
            sandbox.terminate(id);
            JsonNode lost = next(rt, "vendorlink.sentinel.outcomes");
            assertThat(lost.path("event").asText()).isEqualTo("lost");
            assertThat(lost.path("reference").asText()).isEqualTo("hb-2");
            assertThat(SentinelConnectorTest.licensing(rt).sessions().find("hb-1").orElseThrow().state())
                    .isEqualTo(SentinelSessions.State.OPEN);
        }
    }

    @Test
    void aGracefulShutdownReleasesTheSessionsThisRuntimeOpened() {
        TestRuntime rt = TestRuntime.builder().enable("sentinel").start();
        SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
        SentinelConnectorTest.open(rt, "down-1", "fname1");
        SentinelConnectorTest.open(rt, "down-2", "fname1");
        assertThat(sandbox.openSessions()).isEqualTo(2);
        var simulated = sandbox.sessions();
        rt.close();
        assertThat(simulated.values()).allSatisfy(s -> assertThat(s.isClosed()).isTrue());
    }

    @Test
    void theRecoveryAtStartLeavesAloneTheSessionsThisRunHasAlreadyOpened() {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.sentinel.startDelay", "1500").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(rt);
            SentinelConnectorTest.open(rt, "early-1", "fname1"); // before the start-up recovery runs
            await().atMost(Duration.ofSeconds(20)).until(() -> rt.context().getRouteController()
                    .getRouteStatus("sentinel-start") != null && rt.context().getRoute("sentinel-start").getUptimeMillis() > 2500);
            assertThat(sandbox.openSessions()).as("sessions open at Sentinel after the recovery ran").isEqualTo(1);
            assertThat(SentinelConnectorTest.licensing(rt).sessions().find("early-1").orElseThrow().state())
                    .isEqualTo(SentinelSessions.State.OPEN);
        }
    }
}
