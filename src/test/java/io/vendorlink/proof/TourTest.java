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
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyWorkflowOfTheTourSucceedsIncludingItsInjectedFaults() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        // tee: the progress lines still reach the console (surefire report) and are kept for the assertions
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            // Sentinel and Cisco Spaces have no tour steps yet: their connectors stay off so the tour needs only its own.
            exit = Tour.run(Map.of());
        } finally {
            System.setOut(original);
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
