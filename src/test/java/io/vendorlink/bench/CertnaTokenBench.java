package io.vendorlink.bench;

import io.vendorlink.core.sandbox.SandboxServer;
import io.vendorlink.sandbox.certna.CertnaSandbox;
import io.vendorlink.testing.TestRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * CeRTNA token sharing under load, on loopback: T threads make N calls each ({@code direct:certna-list-repositories},
 * i.e. one HTTPS GET with the access_token header) against the sandbox, while the sandbox forgets every token E times
 * during the run. Prints throughput, latency percentiles and how many logins the whole run cost. Never fails.
 * Usage: {@code bench/certna.sh [threads] [callsPerThread] [expiries]}.
 */
public final class CertnaTokenBench {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int expiries = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (TestRuntime rt = TestRuntime.builder().enable("certna")
                .property("vendorlink.certna.collect.enabled", "false").start()) {
            SandboxServer server = rt.context().getRegistry().lookupByNameAndType("certnaSandbox", CertnaSandbox.class).server();
            // warm-up: TLS, JIT, first login
            for (int i = 0; i < 50; i++) {
                rt.producer().requestBody("direct:certna-list-repositories", (Object) null);
            }
            server.clearRequests();
            long[] latencies = new long[threads * calls];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int base = t * calls;
                futures.add(pool.submit(() -> {
                    var producer = rt.producer();
                    for (int i = 0; i < calls; i++) {
                        long t0 = System.nanoTime();
                        producer.requestBody("direct:certna-list-repositories", (Object) null);
                        latencies[base + i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            int total = threads * calls;
            for (int e = 1; e <= expiries; e++) {
                int target = total * e / (expiries + 1);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (server.requests(r -> r.rawPath().endsWith("/payloads")).size() < target && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                server.faults().set("token.expire", "1");
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            long elapsed = System.nanoTime() - start;
            pool.shutdownNow();
            Arrays.sort(latencies);
            long logins = server.requests(r -> r.rawPath().equals("/user/login")).size();
            long expired = server.requests(r -> r.verdict().contains("expired access_token")).size();
            System.out.println("method: " + threads + " threads x " + calls + " calls of direct:certna-list-repositories "
                    + "(HTTPS GET to the loopback sandbox), " + expiries + " forced token expiries during the run");
            System.out.printf("calls: %d in %.2f s = %.0f calls/s%n", total, elapsed / 1e9, total / (elapsed / 1e9));
            System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", ms(latencies, 0.50),
                    ms(latencies, 0.90), ms(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
            System.out.println("logins during the run: " + logins + " (forced expiries: " + expiries
                    + "); calls answered 'Invalid Session Id' and replayed: " + expired);
        }
        System.exit(0);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
}
