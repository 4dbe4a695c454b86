package io.vendorlink.secutix;

import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 300 queued calls against a time-compressed limit (1200/min per endpoint instead of 60/min): with the client-side
 * limiter the sandbox never answers 509; without it every call still succeeds through delayed redelivery.
 */
class SecutixRateLimitTest {
    static final int CALLS = 300;

    private static TestRuntime start(boolean limiter) {
        return TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.rateLimit.enabled", String.valueOf(limiter))
                .property("vendorlink.secutix.rateLimit.perEndpointPerMinute", "1200")
                .property("vendorlink.secutix.rateLimit.perInstancePerMinute", "3600")
                .property("vendorlink.sandbox.secutix.rateLimit.perEndpointPerMinute", "1200")
                .property("vendorlink.sandbox.secutix.rateLimit.perInstancePerMinute", "3600")
                .property("vendorlink.sandbox.secutix.rateLimit.burst", "5")
                .property("vendorlink.sandbox.secutix.rateLimit.retryAfter", "false")
                .property("vendorlink.secutix.calls.concurrentConsumers", limiter ? "4" : "16")
                .property("vendorlink.secutix.retry.rateLimited.initialDelay", "PT0.2S")
                .property("vendorlink.secutix.retry.rateLimited.maxDelay", "PT2S")
                .property("vendorlink.secutix.retry.rateLimited.maxRedeliveries", "200")
                .property("vendorlink.secutix.alive.services", "")
                .start();
    }

    private static long run(TestRuntime rt) {
        SecutixSandbox sandbox = rt.context().getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
        sandbox.clearCalls();
        var producer = rt.producer();
        for (int i = 0; i < CALLS; i++) {
            producer.sendBody("jms:queue:vendorlink.secutix.calls", "{\"id\": \"call-" + i
                    + "\", \"service\": \"order\", \"operation\": \"getOrderDetails\", \"payload\": {\"orderId\": " + (1000 + i) + "}}");
        }
        var ledger = rt.core().outcomeLedger();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> ledger.count("secutix-calls") >= CALLS);
        assertThat(ledger.count("secutix-calls")).isEqualTo(CALLS);
        long accepted = sandbox.calls().stream().filter(c -> c.operation().equals("getOrderDetails") && c.status() == 200).count();
        assertThat(accepted).as("every call reached SecuTix and succeeded exactly once").isEqualTo(CALLS);
        assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.dead-letter", 200, String.class)).isNull();
        return sandbox.count(509);
    }

    @Test
    void withTheClientLimiterTheSandboxSeesNoRejection() {
        try (TestRuntime rt = start(true)) {
            assertThat(run(rt)).as("509 answers seen by the sandbox").isZero();
            double waits = rt.core().metrics().registry().find("vendorlink.throttle.waits").timers().stream()
                    .mapToLong(t -> t.count()).sum();
            assertThat(waits).as("throttle waits are counted").isGreaterThan(0);
        }
    }

    @Test
    void withoutTheLimiterEveryCallStillSucceedsThroughDelayedRedelivery() {
        try (TestRuntime rt = start(false)) {
            long rejected = run(rt);
            assertThat(rejected).as("the sandbox did push back").isGreaterThan(0);
            double retries = rt.core().metrics().registry().find("vendorlink.retries").tag("outcome", "rate_limited")
                    .counters().stream().mapToDouble(c -> c.count()).sum();
            assertThat(retries).isGreaterThanOrEqualTo(rejected);
        }
    }
}
