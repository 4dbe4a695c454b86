package io.vendorlink.tour;

import io.micrometer.core.instrument.MeterRegistry;
import io.vendorlink.Vendorlink;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guided tour: starts the runtime on embedded defaults (a fresh data directory, every sandbox on loopback), runs
 * every workflow of every vendor once, injecting one documented fault per vendor, prints a progress line per step
 * and a final table (vendor, workflow, outcome, calls, retries, time), and exits non-zero if any workflow failed.
 */
public final class Tour {
    /** Vendors contribute their steps here, in the order the table shows them. */
    static List<TourSteps> contributions() {
        return List.of(new DemoTour(), new SentinelTour(), new SecutixTour(), new CertnaTour(), new SpacesTour(), new CentagateTour());
    }

    private record Row(TourStep step, boolean ok, String outcome, long calls, long retries, Duration time) {
    }

    public static void main(String[] args) throws Exception {
        if (!java.util.Arrays.asList(args).contains("--verbose") && !java.util.Arrays.asList(args).contains("verbose")) {
            // The tour's own progress lines are the output; the runtime's logs (INFO, and the WARN stack traces of the
            // faults the tour injects on purpose) would drown them. --verbose (or verbose) shows everything.
            var logging = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
            for (var logger : logging.getLoggerList()) {
                if (logger.getLevel() != null) {
                    logger.setLevel(ch.qos.logback.classic.Level.ERROR);
                }
            }
            // Camel logs a business rejection the workflow turns into an outcome (CentaGate 29008) as an exhausted
            // delivery; the tour's row says what happened.
            logging.getLogger("org.apache.camel.processor.errorhandler").setLevel(ch.qos.logback.classic.Level.OFF);
        }
        System.exit(run());
    }

    public static int run() throws Exception {
        return run(Map.of());
    }

    /** Runs the tour with {@code extraProperties} on top of the embedded defaults and the contributions' properties. */
    public static int run(Map<String, String> extraProperties) throws Exception {
        Path data = Files.createTempDirectory("vendorlink-tour-");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vendorlink.data.dir", data.toString());
        props.put("vendorlink.state.url", "jdbc:h2:file:" + data.resolve("state/vendorlink") + ";WRITE_DELAY=0");
        List<TourSteps> parts = contributions();
        parts.forEach(p -> props.putAll(p.properties()));
        props.putAll(extraProperties);
        Main main = Vendorlink.create(props);
        main.start();
        List<Row> rows = new ArrayList<>();
        try {
            CamelContext ctx = main.getCamelContext();
            MeterRegistry metrics = ctx.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            List<TourStep> steps = parts.stream().flatMap(p -> p.steps().stream()).toList();
            int n = 0;
            for (TourStep step : steps) {
                n++;
                System.out.printf("[%d/%d] %s: %s%s ...%n", n, steps.size(), step.vendor(), step.workflow(),
                        step.fault() == null ? "" : " (fault: " + step.fault() + ")");
                long calls0 = count(metrics, "vendorlink.vendor.calls", step.vendor());
                long retries0 = count(metrics, "vendorlink.retries", step.vendor())
                        + count(metrics, "vendorlink.reauthentications", step.vendor());
                long t0 = System.nanoTime();
                boolean ok;
                String outcome;
                try {
                    outcome = step.action().run(ctx);
                    ok = true;
                } catch (Exception e) {
                    outcome = "FAILED: " + e.getMessage();
                    ok = false;
                }
                Duration time = Duration.ofNanos(System.nanoTime() - t0);
                long calls = count(metrics, "vendorlink.vendor.calls", step.vendor()) - calls0;
                long retries = count(metrics, "vendorlink.retries", step.vendor())
                        + count(metrics, "vendorlink.reauthentications", step.vendor()) - retries0;
                rows.add(new Row(step, ok, outcome, calls, retries, time));
                System.out.printf("      %s %s (%d ms)%n", ok ? "ok" : "FAILED", outcome, time.toMillis());
            }
        } finally {
            main.stop();
            // The tour leaves nothing behind: its database, broker journal (~100 MB) and sandbox keys are throw-away.
            parts.forEach(TourSteps::cleanUp);
            io.vendorlink.core.FileTrees.delete(data);
        }
        printTable(rows);
        long failed = rows.stream().filter(r -> !r.ok).count();
        System.out.println(failed == 0 ? "Tour: every workflow succeeded." : "Tour: " + failed + " workflow(s) FAILED.");
        return failed == 0 ? 0 : 1;
    }

    private static long count(MeterRegistry registry, String name, String vendor) {
        double total = 0;
        for (var meter : registry.find(name).tag("vendor", vendor).meters()) {
            for (var m : meter.measure()) {
                if (m.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT) {
                    total += m.getValue();
                }
            }
        }
        return Math.round(total);
    }

    private static void printTable(List<Row> rows) {
        String fmt = "%-10s | %-56s | %-7s | %5s | %7s | %8s | %s%n";
        System.out.println();
        System.out.printf(fmt, "vendor", "workflow", "outcome", "calls", "retries", "time", "detail");
        System.out.println("-".repeat(146));
        for (Row r : rows) {
            String wf = r.step.workflow() + (r.step.fault() == null ? "" : " [" + r.step.fault() + "]");
            String detail = r.outcome.length() > 60 ? r.outcome.substring(0, 57) + "..." : r.outcome;
            System.out.printf(fmt, r.step.vendor(), wf.length() > 56 ? wf.substring(0, 56) : wf, r.ok ? "ok" : "FAILED",
                    r.calls, r.retries, r.time.toMillis() + " ms", detail);
        }
    }
}
