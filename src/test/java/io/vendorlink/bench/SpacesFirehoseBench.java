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
    public static void main(String[] args) throws Exception {
        int inMemory = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int persistent = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        System.out.println("method: one thread feeds pre-built NDJSON lines (5% duplicates) to SpacesFirehose.onLine: Jackson parse,"
                + " recordUid window (memory; H2 batch insert per checkpoint), then publishMode=route (ProducerTemplate ->"
                + " direct:spaces-firehose-event -> toD jms:queue:vendorlink.spaces.events.<type>, one JMS send each) or"
                + " publishMode=jms-batch (transacted JMS session, commit per 200); embedded Artemis, H2 file DB;"
                + " warm-up 2000 events not counted");
        for (String mode : new String[]{"route", "jms-batch"}) {
            run(mode, "in-memory queue (deliveryPersistent=false)", "false", inMemory);
            run(mode, "persistent queue (deliveryPersistent=true)", "true", persistent);
        }
    }

    private static void run(String mode, String title, String persistent, int n) throws Exception {
        title = "publishMode=" + mode + ", " + title;
        try (TestRuntime rt = TestRuntime.builder().enable("spaces")
                .property("vendorlink.spaces.firehose.publishMode", mode)
                .property("vendorlink.spaces.queue.deliveryPersistent", persistent)
                .property("vendorlink.spaces.firehose.checkpointEvery", "1000")
                .start()) {
            SpacesFirehose firehose = rt.context().getRegistry().lookupByNameAndType("spacesFirehose", SpacesFirehose.class);
            long deadline = System.nanoTime() + 30_000_000_000L; // leader-only: started once this runtime leads
            while (!firehose.isStarted() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            feed(firehose, lines(2_000, "warm"));
            List<String> lines = lines(n, "b");
            long published0 = firehose.published();
            long t0 = System.nanoTime();
            feed(firehose, lines);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %d lines (%d published, %d duplicates dropped) in %.2f s = %.0f events/s%n", title,
                    lines.size(), firehose.published() - published0, lines.size() - (firehose.published() - published0), s,
                    lines.size() / s);
        }
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
