package io.vendorlink.bench;

import io.vendorlink.core.http.TlsContexts;
import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import io.vendorlink.sentinel.SentinelClient;
import io.vendorlink.sentinel.SentinelConfiguration;
import io.vendorlink.sentinel.SentinelLicensing;
import io.vendorlink.sentinel.SentinelSigner;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sentinel figures (bench/sentinel.sh), loopback HTTPS simulator in the same JVM:
 * <ol>
 *   <li>a signed GET licenses through {@code direct:sentinel-licenses} (route, error policy, client, XML parsing,
 *       XPath fields) against a plain JDK HttpClient making the same signed call, measured alternately in the same
 *       run: median latency ratio (target <= 1.3) and throughput ratio with 4 callers (target >= 0.75);</li>
 *   <li>heartbeat scale: N sessions opened, heap growth per session (target <= 2 KB; runtime and simulator share the
 *       heap, so this is an upper bound), and the time of one heartbeat round PATCHing all of them.</li>
 * </ol>
 * Prints figures; never fails.
 */
public final class SentinelBench {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        System.out.printf("method: JDK %s, %d cores; real runtime (TestRuntime) with the Sentinel simulator over HTTPS on "
                + "loopback; %d calls per series after a warm-up, series alternated; %d sessions for the heartbeat%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), calls, sessions);
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.sentinel.heartbeat.parallelism", "16").start()) {
            SentinelSandbox sandbox = rt.context().getRegistry().lookupByNameAndType(SentinelConfiguration.SANDBOX_BEAN,
                    SentinelSandbox.class);
            SentinelClient client = rt.context().getRegistry().lookupByNameAndType(SentinelConfiguration.CLIENT_BEAN,
                    SentinelClient.class);
            String base = cloudConnectUrl(client);
            HttpClient plain = HttpClient.newBuilder().sslContext(TlsContexts.trusting(
                    List.of(rt.dataDir().resolve("sandbox-tls/ca.pem")), "bench")).build();
            ProducerTemplate producer = rt.producer();
            Map<String, Object> params = Map.of("customer", "c1", "featureName", "fname1");
            // The connector's own HTTP client setup (TLS, timeouts, metrics), a separate instance configured the same.
            VendorHttp vendorHttp = rt.core().http("sentinel");
            Duration timeout = vendorHttp.requestTimeout();
            // The endpoint resolved once, as a workflow's `to: direct:sentinel-licenses` does (a String URI would be
            // normalised and looked up again on every call, which is the template's cost, not the connector's).
            Endpoint licensesEndpoint = rt.context().getEndpoint("direct:sentinel-licenses");
            Endpoint attemptEndpoint = rt.context().getEndpoint("direct:sentinel-licenses-attempt");
            Runnable route = () -> producer.requestBody(licensesEndpoint, params);
            Runnable direct = () -> plainCall(plain, base, null);
            // Per-stage breakdown, each stage adding one layer on top of the previous one.
            Map<String, Runnable> stages = new LinkedHashMap<>();
            stages.put("plain JDK client (baseline)", direct);
            stages.put("plain JDK client + request timeout", () -> plainCall(plain, base, timeout));
            // The same plain client built with the connector's executor choice (vendorlink.http.executor = io-thread):
            // what the connector's HTTP layer gains over the JDK default, shown apart from what the rest costs.
            HttpClient plainIoThread = HttpClient.newBuilder().executor(Runnable::run).sslContext(TlsContexts.trusting(
                    List.of(rt.dataDir().resolve("sandbox-tls/ca.pem")), "bench")).build();
            stages.put("plain JDK client, executor io-thread like the connector's", () -> plainCall(plainIoThread, base, null));
            stages.put("VendorHttp.send (vendor client: TLS, timeout, metrics)", () -> vendorCall(vendorHttp, base));
            stages.put("SentinelClient.licenses (+ query, SCC URL, sign, parse, classify, fields, health)",
                    () -> client.licenses(Map.of("customer", "c1", "featureName", "fname1")));
            stages.put("route direct:sentinel-licenses-attempt (+ Camel, error policy)",
                    () -> producer.requestBody(attemptEndpoint, params));
            stages.put("route direct:sentinel-licenses (+ dead-letter bridge; the product path)", route);
            // Warm-up long enough for the JIT to compile every stage's path (C2 needs ~10k invocations of hot methods).
            for (int i = 0; i < 2000; i++) {
                stages.values().forEach(Runnable::run);
            }
            Map<String, List<Long>> lat = new LinkedHashMap<>();
            stages.keySet().forEach(k -> lat.put(k, new ArrayList<>()));
            for (int block = 0; block < 10; block++) {
                for (Map.Entry<String, Runnable> st : stages.entrySet()) {
                    for (int i = 0; i < calls / 10; i++) {
                        lat.get(st.getKey()).add(time(st.getValue()));
                    }
                }
            }
            List<Long> routeLat = lat.get("route direct:sentinel-licenses (+ dead-letter bridge; the product path)");
            List<Long> plainLat = lat.get("plain JDK client (baseline)");
            double mr = median(routeLat) / 1e6;
            double mp = median(plainLat) / 1e6;
            System.out.printf("GET licenses latency, median: connector route %.2f ms, plain JDK client %.2f ms -> ratio %.2f (target <= 1.3)%n",
                    mr, mp, mr / mp);
            // The same ratio block by block (each block: calls/10 of every stage in turn), to show how much the
            // machine's state moves it within one run.
            List<Double> blockRatios = new ArrayList<>();
            int per = calls / 10;
            for (int block = 0; block < 10; block++) {
                blockRatios.add(median(routeLat.subList(block * per, (block + 1) * per))
                        / median(plainLat.subList(block * per, (block + 1) * per)));
            }
            Collections.sort(blockRatios);
            System.out.printf("  per block of %d calls: latency ratio median %.2f, range %.2f .. %.2f%n", per,
                    (blockRatios.get(4) + blockRatios.get(5)) / 2, blockRatios.get(0), blockRatios.get(9));
            System.out.printf("  (the client alone, without the Camel route: %.2f ms)%n",
                    median(lat.get("SentinelClient.licenses (+ query, SCC URL, sign, parse, classify, fields, health)")) / 1e6);
            // Alternated 1 s windows (route, plain, route, ...): the machine is shared, so one long window each would
            // compare two different loads.
            throughput(route, 4, 2);
            throughput(direct, 4, 2);
            double tr = 0;
            double tp = 0;
            List<Double> windowRatios = new ArrayList<>();
            for (int w = 0; w < 5; w++) {
                double r = throughput(route, 4, 1);
                double p = throughput(direct, 4, 1);
                tr += r / 5;
                tp += p / 5;
                windowRatios.add(r / p);
            }
            Collections.sort(windowRatios);
            System.out.printf("GET licenses throughput, 4 callers x 5 s: connector route %.0f/s, plain JDK client %.0f/s -> ratio %.2f (target >= 0.75)%n",
                    tr, tp, tr / tp);
            System.out.printf("  per pair of 1 s windows: throughput ratio range %.2f .. %.2f%n", windowRatios.get(0),
                    windowRatios.get(4));
            System.out.println("per-stage breakdown: median and 5th-percentile latency of the alternated series (the 5th "
                    + "percentile: calls that met no thread wake-up delay, closest to each layer's own cost); throughput "
                    + "with 4 callers x 3 s and the whole process's CPU time per call during it (client + simulator; other "
                    + "processes on the machine do not count):");
            for (Map.Entry<String, Runnable> st : stages.entrySet()) {
                long cpu0 = processCpuNanos();
                long n0 = lastCalls.get();
                double t = throughput(st.getValue(), 4, 3);
                double cpuPerCall = (processCpuNanos() - cpu0) / 1e3 / Math.max(1, lastCalls.get() - n0);
                System.out.printf("  %-84s %.3f ms  p5 %.3f ms  %5.0f/s  %4.0f us CPU/call%n", st.getKey(),
                        median(lat.get(st.getKey())) / 1e6, percentile(lat.get(st.getKey()), 5) / 1e6, t, cpuPerCall);
            }

            // The same comparison where the answer takes 5 ms, as over a network to a cloud service (the sandbox's
            // http.slowMillis switch): not the targets' condition (loopback), shown for what the overhead amounts to.
            io.vendorlink.testing.Sandboxes.fault(rt, "sentinel", "http.slowMillis", "5:1000000");
            List<Long> slowRoute = new ArrayList<>();
            List<Long> slowPlain = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                slowRoute.add(time(route));
                slowPlain.add(time(direct));
            }
            double sr = median(slowRoute) / 1e6;
            double sp = median(slowPlain) / 1e6;
            double str = throughput(route, 4, 2);
            double stp = throughput(direct, 4, 2);
            System.out.printf("with a 5 ms answer delay (network-like, not the target's condition): latency route %.2f ms, "
                    + "plain %.2f ms -> ratio %.3f; throughput 4 callers route %.0f/s, plain %.0f/s -> ratio %.2f%n",
                    sr, sp, sr / sp, str, stp, str / stp);
            io.vendorlink.testing.Sandboxes.fault(rt, "sentinel", "http.slowMillis", "false");

            SentinelLicensing licensing = rt.context().getRegistry().lookupByNameAndType(SentinelConfiguration.LICENSING_BEAN,
                    SentinelLicensing.class);
            long heap0 = usedHeapAfterGc();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                pool.submit(() -> licensing.open(Map.of("reference", "bench-" + n, "customer", "c1", "user", "u" + n,
                        "feature", "fname" + (1 + n % 3))));
            }
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.MINUTES);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            long heap1 = usedHeapAfterGc();
            System.out.printf("opened %d sessions in %.1f s (%.0f/s); heap growth %.2f MB = %.0f bytes per session "
                    + "(runtime + simulator, target <= 2048)%n", sandbox.openSessions(), openSeconds,
                    sessions / openSeconds, (heap1 - heap0) / 1048576.0, (heap1 - heap0) / (double) sessions);
            long h0 = System.nanoTime();
            List<?> lost = licensing.heartbeat();
            double beat = (System.nanoTime() - h0) / 1e9;
            long heap2 = usedHeapAfterGc();
            System.out.printf("one heartbeat round: %d sessions PATCHed in %.1f s (%.0f/s), %d lost; heap after the round "
                    + "%.0f bytes per session%n", sessions, beat, sessions / beat, lost.size(), (heap2 - heap0) / (double) sessions);
        }
        System.exit(0);
    }

    private static void plainCall(HttpClient http, String base, Duration timeout) {
        try {
            URI uri = URI.create(base + "/licenses?customer=c1&featureName=fname1");
            String date = Long.toString(System.currentTimeMillis());
            var canonical = new SentinelSigner.CanonicalRequest("GET", "text/xml;charset=utf-8", 0, date, "37515",
                    uri.getRawPath(), uri.getRawQuery(), new byte[0]);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri);
            if (timeout != null) {
                b.timeout(timeout);
            }
            HttpRequest r = b.method("GET", HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                    .header("Content-Type", "text/xml;charset=utf-8").header("Accept", "application/xml;version=1.0")
                    .header("x-sfnt-date", date).header("x-sfnt-vendor", "37515")
                    .header("Authorization", SentinelSigner.authorization(SentinelSigner.Rule.defaults(), "sandbox-key-1",
                            "sandbox-secret-not-for-production", canonical)).build();
            HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("plain call answered " + resp.statusCode());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same signed request as {@link #plainCall}, through the connector's {@link VendorHttp}. */
    private static void vendorCall(VendorHttp http, String base) {
        URI uri = URI.create(base + "/licenses?customer=c1&featureName=fname1");
        String date = Long.toString(System.currentTimeMillis());
        var canonical = new SentinelSigner.CanonicalRequest("GET", "text/xml;charset=utf-8", 0, date, "37515",
                uri.getRawPath(), uri.getRawQuery(), new byte[0]);
        HttpRequest r = http.request(uri).method("GET", HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                .header("Content-Type", "text/xml;charset=utf-8").header("Accept", "application/xml;version=1.0")
                .header("x-sfnt-date", date).header("x-sfnt-vendor", "37515")
                .header("Authorization", SentinelSigner.authorization(SentinelSigner.Rule.defaults(), "sandbox-key-1",
                        "sandbox-secret-not-for-production", canonical)).build();
        HttpResponse<byte[]> resp = http.send("licenses", r, VendorHttp.Idempotency.IDEMPOTENT);
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("vendor client call answered " + resp.statusCode());
        }
    }

    /** The registration at start may hold the SCC URL lock (1 s) on a loaded machine: wait for it, bounded. */
    private static String cloudConnectUrl(SentinelClient client) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.cloudConnectUrl();
            } catch (io.vendorlink.core.failure.TransientException e) {
                if (attempt == 30) {
                    throw e;
                }
            }
        }
    }

    private static long time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }

    private static double median(List<Long> values) {
        return percentile(values, 50);
    }

    private static double percentile(List<Long> values, int p) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() * p / 100);
    }

    /** Calls completed by all the throughput runs so far. */
    private static final AtomicLong lastCalls = new AtomicLong();

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double throughput(Runnable r, int threads, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    r.run();
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        lastCalls.addAndGet(done.get());
        return done.get() / (double) seconds;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
