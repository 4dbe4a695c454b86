package io.vendorlink.bench;

import io.vendorlink.centagate.CentagateSigner;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * CentaGate figures on loopback (bench/centagate.sh): signing cost, registration latency and throughput through
 * {@code direct:centagate-register-active-token} against the HTTPS sandbox (sequential and 4 callers sharing one
 * session), and the workflow's drain rate (queue in, outcome out). Prints figures; never fails.
 */
public final class CentagateBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        System.out.println("method: JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores; real runtime (TestRuntime) with the CentaGate sandbox over HTTPS on loopback; " + n
                + " registrations per series, after a warm-up of 50");
        signing();
        try (TestRuntime rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.sandbox.centagate.fixtureUsers", Integer.toString(4 * n + 200)).start()) {
            ProducerTemplate p = rt.producer();
            int[] next = {1};
            series("warm-up", rt, p, 50, 1, next, false);
            series("sequential", rt, p, n, 1, next, true);
            series("4 callers", rt, p, n, 4, next, true);
            workflow(rt, n, next);
        }
        System.exit(0);
    }

    private static void signing() {
        int iterations = 200_000;
        for (int i = 0; i < 50_000; i++) {
            CentagateSigner.cenToken("secret-code-" + (i & 7), "vendorlink-admin", "auth-token-0123456789abcdef");
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            CentagateSigner.cenToken("secret-code-" + (i & 7), "vendorlink-admin", "auth-token-0123456789abcdef");
        }
        double us = (System.nanoTime() - t0) / 1000.0 / iterations;
        System.out.printf("cenToken (HMAC-SHA256 + hex): %.2f us per signature, %.0f per second%n", us, 1_000_000 / us);
    }

    private static void series(String label, TestRuntime rt, ProducerTemplate p, int n, int threads, int[] next,
                               boolean print) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int first = next[0];
        next[0] += n;
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int user = first + i;
            futures.add(pool.submit(() -> {
                long s = System.nanoTime();
                p.requestBody("direct:centagate-register-active-token", Map.of("username", "user" + user,
                        "tokenSn", "+6019" + String.format("%07d", user), "tokenType", "1"), Map.class);
                latencies.add(System.nanoTime() - s);
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        if (print) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("registerActiveToken, %s: %.0f per second; latency p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                    label, n / seconds, sorted.get(n / 2) / 1e6, sorted.get((int) (n * 0.95)) / 1e6,
                    sorted.get(n - 1) / 1e6);
        }
    }

    private static void workflow(TestRuntime rt, int n, int[] next) throws Exception {
        BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        rt.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:vendorlink.centagate.outcomes").routeId("bench-outcomes")
                        .process(e -> outcomes.add(e.getMessage().getBody(String.class)));
            }
        });
        if (!rt.context().getRouteController().getRouteStatus("bench-outcomes").isStarted()) {
            rt.context().getRouteController().startRoute("bench-outcomes");
        }
        ProducerTemplate p = rt.producer();
        int first = next[0];
        next[0] += n;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int user = first + i;
            p.sendBody("jms:queue:vendorlink.centagate.registrations", "{\"username\":\"user" + user
                    + "\",\"tokenSn\":\"+6019" + String.format("%07d", user) + "\",\"tokenType\":1}");
        }
        int got = 0;
        while (got < n && outcomes.poll(60, TimeUnit.SECONDS) != null) {
            got++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("workflow (queue -> validate -> ledger -> register -> outcome queue, transacted, 1 consumer): "
                + "%d of %d outcomes in %.1f s, %.0f per second%n", got, n, seconds, got / seconds);
    }
}
