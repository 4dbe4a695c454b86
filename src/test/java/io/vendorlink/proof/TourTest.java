package io.vendorlink.proof;

import io.vendorlink.tour.Tour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The guided tour runs in-process on embedded defaults: every contributed step succeeds and the exit code is 0. */
class TourTest {

    @Test
    // A separate thread: a step blocked on something that ignores interrupts cannot hold the build past the timeout.
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyWorkflowOfTheTourSucceedsIncludingItsInjectedFaults() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        // tee: the progress lines still reach the console (surefire report) and are kept for the assertions
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            // the tour runs on the embedded defaults except for its ports: free ones, so that nothing else on the
            // machine (another build, a runtime started by hand) can answer in its place
            Map<String, String> ports = new java.util.HashMap<>();
            ports.put("camel.server.port", String.valueOf(io.vendorlink.testing.TestRuntime.freePort()));
            ports.put("camel.management.port", String.valueOf(io.vendorlink.testing.TestRuntime.freePort()));
            ports.put("vendorlink.broker.embedded.acceptor", "tcp://127.0.0.1:" + io.vendorlink.testing.TestRuntime.freePort());
            for (String v : io.vendorlink.testing.TestRuntime.VENDORS) {
                ports.put("vendorlink.sandbox." + v + ".port", String.valueOf(io.vendorlink.testing.TestRuntime.freePort()));
            }
            exit = withCapturedLogs(logs, () -> Tour.run(ports));
        } finally {
            System.setOut(original);
        }
        // the log scan over the whole run (issue 9): no configured secret value in any log line
        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).as("captured runtime logs").contains("vendor=");
        for (String secret : ConfiguredSecrets.values()) {
            assertThat(logText).as("a configured secret value in the logs").doesNotContain(secret);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        var progress = Pattern.compile("(?m)^\\[(\\d+)/(\\d+)] ").matcher(out);
        int started = 0;
        int total = -1;
        while (progress.find()) {
            started++;
            total = Integer.parseInt(progress.group(2));
        }
        long ok = out.lines().filter(l -> l.startsWith("      ok ")).count();
        assertThat(out).doesNotContain("FAILED");
        assertThat(total).as("steps announced").isGreaterThanOrEqualTo(20);
        assertThat(started).as("every step started").isEqualTo(total);
        assertThat(ok).as("every step succeeded").isEqualTo(total);
        for (String vendor : new String[]{"sentinel", "secutix", "certna", "spaces", "centagate"}) {
            assertThat(out).as("the table has rows for " + vendor).containsPattern("(?m)^" + vendor + " +\\| .*\\| ok ");
        }
        assertThat(out).contains("(fault: 509 rate limit)", "(fault: in_progress x2)", "(fault: expired token)",
                "(fault: transient 10004 x2)", "(fault: URL rotation 401/2027)", "(fault: stream dropped mid-line x2)",
                "Tour: every workflow succeeded.");
        assertThat(exit).isZero();
    }

    private static int withCapturedLogs(ByteArrayOutputStream sink, java.util.concurrent.Callable<Integer> run) throws Exception {
        var lc = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        var enc = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        enc.setContext(lc);
        enc.setPattern("%level %logger - %msg%n%rex"); // the same redacting converters as logback.xml
        enc.start();
        var app = new ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        app.setContext(lc);
        app.setEncoder(enc);
        app.setOutputStream(sink);
        app.start();
        ch.qos.logback.classic.Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(app);
        try {
            return run.call();
        } finally {
            root.detachAppender(app);
        }
    }

    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
