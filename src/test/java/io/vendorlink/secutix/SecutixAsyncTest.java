package io.vendorlink.secutix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** in_progress (protocol note §5): polled with the requestId, up to a deadline, surviving a restart. */
class SecutixAsyncTest {
    static final ObjectMapper JSON = new ObjectMapper();

    private static TestRuntime.Builder runtime() {
        return TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.async.pollInterval", "PT0.3S")
                .property("vendorlink.secutix.async.scanInterval", "200")
                .property("vendorlink.secutix.alive.services", "");
    }

    private static SecutixSandbox sandbox(TestRuntime rt) {
        return rt.context().getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
    }

    private static void startCatalogCall(TestRuntime rt, String replyTo) {
        rt.producer().requestBodyAndHeaders("direct:secutix-call-async", "{\"seasonCode\": \"S2026\"}",
                Map.of("SecutixService", "catalog", "SecutixOperation", "getCatalogDetailed", "SecutixReplyTo", replyTo));
    }

    private static List<SecutixSandbox.Call> catalogCalls(TestRuntime rt) {
        return sandbox(rt).calls().stream().filter(c -> c.operation().equals("getCatalogDetailed")).toList();
    }

    @Test
    void inProgressTwiceThenSuccessIsPolledWithTheRequestIdAndPublished() throws Exception {
        try (TestRuntime rt = runtime().start()) {
            startCatalogCall(rt, "test.catalog");
            String body = rt.consumer().receiveBody("jms:queue:test.catalog", 30_000, String.class);
            assertThat(body).isNotNull();
            JsonNode catalog = JSON.readTree(body);
            assertThat(catalog.path("statusCode").asText()).isEqualTo("success");
            assertThat(catalog.path("catalogData").path("seasons").get(0).path("code").asText()).isEqualTo("S2026");
            List<SecutixSandbox.Call> calls = catalogCalls(rt);
            assertThat(calls).hasSize(3);
            assertThat(calls.get(0).requestId()).isNull();
            assertThat(calls.get(1).requestId()).isNotNull().isEqualTo(calls.get(2).requestId());
            SecutixPendingCalls pending = new SecutixPendingCalls(rt.core().database().dataSource());
            await().atMost(Duration.ofSeconds(10)).until(() -> pending.all().isEmpty());
            assertThat(rt.core().metrics().registry().find("vendorlink.polls").tag("result", "in_progress").counter().count())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void inProgressWithoutRequestIdRepeatsTheCallAndStillCompletes() throws Exception {
        // A repeat without requestId looks like a new getCatalogDetailed to the server, so its 1/10 min limit would
        // (rightly) defer it by 10 minutes here: the test lifts the sandbox's per-method limit.
        try (TestRuntime rt = runtime().property("vendorlink.sandbox.secutix.faults.async.noRequestId", "1")
                .property("vendorlink.sandbox.secutix.rateLimit.method.getCatalogDetailed", "100/PT1M").start()) {
            startCatalogCall(rt, "test.catalog.quirk");
            assertThat(rt.consumer().receiveBody("jms:queue:test.catalog.quirk", 30_000, String.class)).contains("success");
            // the first answer had no requestId: the repeat carried the previous one (none), as §5 says
            assertThat(catalogCalls(rt).get(1).requestId()).isNull();
        }
    }

    @Test
    void deadlineExceededGoesToTheDeadLetterQueueWithTheReason() {
        try (TestRuntime rt = runtime().property("vendorlink.secutix.async.maxAttempts", "3")
                .property("vendorlink.sandbox.secutix.async.inProgressCalls", "100").start()) {
            startCatalogCall(rt, "test.catalog.never");
            Exchange dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 30_000);
            assertThat(dead).isNotNull();
            String reason = dead.getMessage().getHeader("VendorlinkDeadLetterReason", String.class);
            assertThat(reason).contains("in_progress").contains("3 attempt").contains("requestId");
            assertThat(dead.getMessage().getHeader("VendorlinkVendor", String.class)).isEqualTo("secutix");
            assertThat(rt.consumer().receiveBody("jms:queue:test.catalog.never", 500, String.class)).isNull();
        }
    }

    @Test
    void restartWhilePollingResumesWithThePersistedRequestId() {
        Map<String, String> props;
        Integer requestId;
        try (TestRuntime rt = runtime().property("vendorlink.sandbox.secutix.async.inProgressCalls", "1000")
                .property("vendorlink.secutix.async.pollInterval", "PT1S").start()) {
            props = rt.properties();
            startCatalogCall(rt, "test.catalog.restart");
            SecutixPendingCalls pending = new SecutixPendingCalls(rt.core().database().dataSource());
            await().atMost(Duration.ofSeconds(30)).until(() -> !pending.all().isEmpty() && pending.all().get(0).attempts() >= 2);
            requestId = pending.all().get(0).requestId();
            assertThat(requestId).isNotNull();
        }
        // Same data directory; the new sandbox answers success for a requestId it did not issue itself.
        Map<String, String> again = new java.util.HashMap<>(props);
        again.put("vendorlink.sandbox.secutix.async.inProgressCalls", "2");
        try (TestRuntime rt = TestRuntime.builder().properties(again).start()) {
            String body = rt.consumer().receiveBody("jms:queue:test.catalog.restart", 30_000, String.class);
            assertThat(body).contains("\"statusCode\":\"success\"");
            List<SecutixSandbox.Call> calls = catalogCalls(rt);
            assertThat(calls).isNotEmpty();
            assertThat(calls.get(0).requestId()).as("polling resumed with the persisted requestId").isEqualTo(requestId);
        }
    }
}
