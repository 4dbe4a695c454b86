package io.vendorlink.bench;

import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.testing.TestRuntime;

import java.time.Duration;
import java.util.List;

/**
 * SecuTix quota utilisation under a backlog (bench/secutix.sh). Method: the real runtime with the sandbox, the
 * client-side limiter and the sandbox limiter both set to {@code LIMIT} calls per minute per endpoint (time-compressed
 * from the seed's 60/min); a backlog larger than the window can drain is queued on {@code vendorlink.secutix.calls};
 * after a warm-up, calls completed by the sandbox (HTTP 200) in a {@code WINDOW} are counted.
 * Utilisation = completed per minute / configured limit. Rejections = 509 answers seen by the sandbox.
 * Prints figures; never fails. Loopback only, bounded in time.
 */
public final class SecutixBench {
    public static void main(String[] args) throws Exception {
        int limit = Integer.parseInt(System.getProperty("limit", "1200"));
        Duration window = Duration.parse(System.getProperty("window", "PT30S"));
        Duration warmup = Duration.parse(System.getProperty("warmup", "PT5S"));
        int consumers = Integer.parseInt(System.getProperty("consumers", "4"));
        int backlog = (int) (limit * (window.plus(warmup).toMillis() / 60_000.0) * 1.5) + 50;
        try (TestRuntime rt = TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.rateLimit.perEndpointPerMinute", String.valueOf(limit))
                .property("vendorlink.secutix.rateLimit.perInstancePerMinute", String.valueOf(limit * 3))
                .property("vendorlink.sandbox.secutix.rateLimit.perEndpointPerMinute", String.valueOf(limit))
                .property("vendorlink.sandbox.secutix.rateLimit.perInstancePerMinute", String.valueOf(limit * 3))
                .property("vendorlink.secutix.calls.concurrentConsumers", String.valueOf(consumers))
                .property("vendorlink.secutix.alive.services", "")
                .start()) {
            SecutixSandbox sandbox = rt.context().getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
            var producer = rt.producer();
            for (int i = 0; i < backlog; i++) {
                producer.sendBody("jms:queue:vendorlink.secutix.calls", "{\"id\": \"bench-" + i
                        + "\", \"service\": \"order\", \"operation\": \"getOrderDetails\", \"payload\": {\"orderId\": " + (i + 1) + "}}");
            }
            Thread.sleep(warmup.toMillis());
            long from = System.currentTimeMillis();
            Thread.sleep(window.toMillis());
            long to = System.currentTimeMillis();
            List<SecutixSandbox.Call> calls = sandbox.calls();
            long completed = calls.stream().filter(c -> c.status() == 200 && c.operation().equals("getOrderDetails")
                    && c.at().toEpochMilli() >= from && c.at().toEpochMilli() < to).count();
            long rejected = sandbox.count(509) + sandbox.count(429);
            double perMinute = completed * 60_000.0 / (to - from);
            System.out.printf("SecuTix quota utilisation bench%n");
            System.out.printf("  method: %d calls queued (backlog), %d consumers, client and sandbox limit %d/min per endpoint,%n"
                    + "          sandbox burst 5, warm-up %ds, window %ds, counted at the sandbox (HTTP 200)%n",
                    backlog, consumers, limit, warmup.toSeconds(), window.toSeconds());
            System.out.printf("  completed in window : %d%n", completed);
            System.out.printf("  completed per minute: %.1f%n", perMinute);
            System.out.printf("  utilisation         : %.1f %% of the configured limit (target >= 98 %%)%n", 100.0 * perMinute / limit);
            System.out.printf("  rejections (509/429): %d (target 0)%n", rejected);
        }
        System.exit(0);
    }
}
