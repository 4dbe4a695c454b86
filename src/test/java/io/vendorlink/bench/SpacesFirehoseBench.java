package io.vendorlink.bench;

import io.vendorlink.spaces.SpacesFirehose;
import io.vendorlink.testing.TestRuntime;

import java.util.ArrayList;
import java.util.List;

/**
 * Firehose events per second through parse → de-duplicate (persisted recordUid window) → publish to the queue of the
 * event type, for non-persistent ("in-memory") and persistent JMS delivery on the embedded Artemis broker. Lines are
 * pre-built NDJSON events of the sandbox's shape, 5 % of them duplicates; they are fed straight to the consumer's line
 * handler (no network), one thread, like the stream reader. Usage: {@code SpacesFirehoseBench [inMemoryEvents=50000]
 * [persistentEvents=10000]}. Prints figures; never fails a build.
 */
public final class SpacesFirehoseBench {
    private static final int WARM_UP = Integer.getInteger("bench.warmUp", 100_000);
    /** firehose.publishBatch, or null for the shipped setting. */
    private static String publishBatch;

    public static void main(String[] args) throws Exception {
        publishBatch = args.length > 3 ? args[3] : null;
        int inMemory = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int persistent = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        System.out.println("method: one thread feeds pre-built NDJSON lines (5% duplicates) to SpacesFirehose.onLine: Jackson"
                + " streaming read of recordUid/eventType/recordTimestamp (line published as is), recordUid window (memory;"
                + " one H2 row per checkpoint, checkpointEvery=1000), then publishMode=route (ProducerTemplate ->"
                + " direct:spaces-firehose-event -> toD jms:queue:vendorlink.spaces.events.<type>, one JMS send each) or"
                + " publishMode=jms-batch (transacted JMS session, one producer per type, commit per publishBatch="
                + (publishBatch == null ? "200" : publishBatch) + "); embedded Artemis, H2 file DB, -Xmx512m; warm-up "
                + WARM_UP + " events (at most 10 s) not counted (the JIT compiles the broker's send path too); queues purged (no consumer) and GC"
                + " before each timed run; 3 timed runs in memory (median), 1 persistent; CPU ="
                + " feeding thread / whole JVM; then the same count again with per-stage timers (breakdown)");
        String[] modes = (args.length > 2 ? args[2] : "route,jms-batch").split(",");
        for (String mode : modes) {
            run(mode, "in-memory queue (deliveryPersistent=false)", "false", inMemory);
            run(mode, "persistent queue (deliveryPersistent=true)", "true", persistent);
        }
    }

    private static void run(String mode, String title, String persistent, int n) throws Exception {
        title = "publishMode=" + mode + ", " + title;
        TestRuntime.Builder builder = TestRuntime.builder().enable("spaces");
        if (publishBatch != null) {
            builder.property("vendorlink.spaces.firehose.publishBatch", publishBatch);
        }
        try (TestRuntime rt = builder
                .property("vendorlink.spaces.firehose.publishMode", mode)
                .property("vendorlink.spaces.queue.deliveryPersistent", persistent)
                .property("vendorlink.spaces.firehose.checkpointEvery", "1000")
                .start()) {
            SpacesFirehose firehose = rt.context().getRegistry().lookupByNameAndType("spacesFirehose", SpacesFirehose.class);
            long deadline = System.nanoTime() + 30_000_000_000L; // leader-only: started once this runtime leads
            while (!firehose.isStarted() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // Warm-up: WARM_UP events or 10 s, whichever comes first (route mode with persistent delivery does ~300/s).
            List<String> warm = lines(WARM_UP, "warm");
            long warmEnd = System.nanoTime() + 10_000_000_000L;
            for (int from = 0; from < warm.size() && System.nanoTime() < warmEnd; from += 1000) {
                feed(firehose, warm.subList(from, Math.min(warm.size(), from + 1000)));
                if (from % 20_000 == 19_000) {
                    purge(rt); // no consumer here: keep the backlog (broker memory) small
                }
            }
            warm = null;
            purge(rt);
            // Timed runs on fresh ids, each after a purge: 3 for the in-memory queue (a run takes about a second, so one
            // alone is at the mercy of a GC or of another process), 1 for the slower persistent one; the median counts.
            int runs = persistent.equals("false") ? 3 : 1;
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                List<String> lines = lines(n, "b" + r);
                purge(rt);
                long published0 = firehose.published();
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long proc0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                feed(firehose, lines);
                long wall = System.nanoTime() - t0;
                double s = wall / 1e9;
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                double proc = (os.getProcessCpuTime() - proc0) / 1e9;
                rates.add(lines.size() / s);
                System.out.printf("%s: %d lines (%d published, %d duplicates dropped) in %.2f s = %.0f events/s"
                                + " (feeding thread CPU %.2f s = %.1f µs/line, whole JVM CPU %.2f s = %.1f µs/line incl. broker and GC)%n",
                        title, lines.size(), firehose.published() - published0, lines.size() - (firehose.published() - published0),
                        s, lines.size() / s, cpu, cpu * 1e6 / lines.size(), proc, proc * 1e6 / lines.size());
            }
            if (runs > 1) {
                java.util.Collections.sort(rates);
                System.out.printf("%s: median of %d runs %.0f events/s%n", title, runs, rates.get(runs / 2));
            }
            // Breakdown: the same again on fresh ids with the consumer's stage timers on (a few clock reads per event).
            long[] stages = new long[5];
            List<String> again = lines(n, "c");
            purge(rt);
            firehose.measureStages(stages);
            long t1 = System.nanoTime();
            feed(firehose, again);
            long total = System.nanoTime() - t1;
            firehose.measureStages(null);
            long other = total - java.util.Arrays.stream(stages).sum();
            System.out.printf("  breakdown, µs per line (timed run %.0f events/s): parse %.2f, de-duplicate %.2f, publish %.2f,"
                            + " commit %.2f, checkpoint (window + checkpoint to H2) %.2f, other %.2f%n", again.size() / (total / 1e9),
                    us(stages[0], n), us(stages[1], n), us(stages[2], n), us(stages[3], n), us(stages[4], n), us(other, n));
        }
    }

    /**
     * Empties the event queues (broker management operation removeAllMessages) and collects the garbage, outside the
     * timed part: no consumer drains them here, so without this each phase would also pay for the backlog the previous
     * phase left in broker memory (in production consumers keep up; a growing backlog is another scenario).
     */
    private static void purge(TestRuntime rt) throws Exception {
        var caching = rt.context().getRegistry().lookupByNameAndType("jmsConnectionFactory",
                org.springframework.jms.connection.CachingConnectionFactory.class);
        var cf = (org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory) caching.getTargetConnectionFactory();
        try (jakarta.jms.QueueConnection c = cf.createQueueConnection()) {
            c.start();
            jakarta.jms.QueueSession session = c.createQueueSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            var requestor = new jakarta.jms.QueueRequestor(session, session.createQueue("activemq.management"));
            for (String type : new String[]{"DEVICE_LOCATION_UPDATE", "DEVICE_PRESENCE"}) {
                jakarta.jms.Message m = session.createMessage();
                org.apache.activemq.artemis.api.jms.management.JMSManagementHelper.putOperationInvocation(m,
                        "queue.vendorlink.spaces.events." + type, "removeAllMessages");
                requestor.request(m);
            }
        }
        System.gc();
    }

    private static double us(long nanos, int lines) {
        return nanos / 1e3 / lines;
    }

    private static void feed(SpacesFirehose firehose, List<String> lines) {
        for (String l : lines) {
            firehose.onLine(l);
        }
        firehose.commitPending();
    }

    private static List<String> lines(int n, String seed) {
        List<String> out = new ArrayList<>(n);
        long base = System.currentTimeMillis();
        for (int i = 0; out.size() < n; i++) {
            String type = i % 10 == 9 ? "DEVICE_PRESENCE" : "DEVICE_LOCATION_UPDATE";
            String line = "{\"recordUid\":\"" + seed + "-" + i + "\",\"recordTimestamp\":" + (base + i)
                    + ",\"spacesTenantId\":\"spaces-tenant-420\",\"spacesTenantName\":\"Trigue\",\"partnerTenantId\":"
                    + "\"0D85A144A34E4CCCAC1DF90C1E774943\",\"eventType\":\"" + type + "\",\"deviceLocationUpdate\":{\"device\":"
                    + "{\"deviceId\":\"dev-" + (i % 97) + "\",\"macAddress\":\"00:00:2a:01:02:03\"},\"location\":{\"name\":\"Floor 1\"}}}";
            out.add(line);
            if (i % 20 == 19 && out.size() < n) {
                out.add(line); // a duplicate, as replays bring
            }
        }
        return out;
    }
}
