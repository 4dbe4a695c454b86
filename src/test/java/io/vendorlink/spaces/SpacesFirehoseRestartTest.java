package io.vendorlink.spaces;

import io.vendorlink.testing.TestDirs;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox.TokenKind;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart in the middle of 10,000 events (issue 6 item 5): the second runtime resumes from the persisted checkpoint
 * minus the overlap and de-duplicates the replay with the persisted recordUid window. Runs the jms-batch publish mode
 * (transacted batches), with mid-line drops and duplicate lines before the restart.
 */
class SpacesFirehoseRestartTest {
    private static final long BASE = Instant.now().toEpochMilli() + 60_000;

    private static TestRuntime start(Path dir, int sandboxPort) {
        return SpacesTestSupport.runtime().dataDir(dir)
                .property("vendorlink.sandbox.spaces.port", String.valueOf(sandboxPort))
                .property("vendorlink.spaces.firehose.startFromTimestamp", String.valueOf(BASE - 1))
                .property("vendorlink.spaces.firehose.overlap", "PT0.5S")
                .property("vendorlink.spaces.firehose.publishMode", "jms-batch") // the route mode: SpacesFirehoseTest
                .start();
    }

    @Test
    void aRestartInTheMiddleNeitherLosesNorDoublesAnEvent() throws Exception {
        Path dir = TestDirs.create("spaces-restart-");
        int port = TestRuntime.freePort();
        SpacesFirehoseSupport out = new SpacesFirehoseSupport();
        TestRuntime first = start(dir, port);
        long publishedBefore;
        try {
            SpacesSandbox sandbox = SpacesTestSupport.sandbox(first);
            sandbox.server().faults().set("firehose.dropMidLine", "2");
            sandbox.server().faults().set("firehose.faultAfterEvents", "1500");
            sandbox.server().faults().set("firehose.duplicates", "true");
            out.collect(first);
            SpacesActivation activation = SpacesTestSupport.bean(first, "spacesActivation", SpacesActivation.class);
            assertThat(activation.activate(sandbox.mint(TokenKind.GOOD), null).kind()).isEqualTo(SpacesActivation.Result.Kind.ACTIVATED);
            sandbox.generate(10_000, BASE, "m");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> out.count("m") >= 4_000);
            publishedBefore = SpacesTestSupport.bean(first, "spacesFirehose", SpacesFirehose.class).published();
        } finally {
            out.close();
            first.close();
        }
        assertThat(publishedBefore).isLessThan(10_000);
        TestRuntime second = start(dir, port);
        try {
            out.collect(second);
            SpacesSandbox sandbox = SpacesTestSupport.sandbox(second);
            sandbox.generate(10_000, BASE, "m"); // the vendor's retained log, the same events again
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> out.count("m") >= 10_000);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> out.count("m") == 10_000);
            SpacesFirehoseSupport.assertExactlyOnceInOrder(new ArrayList<>(out.received), "m", 10_000);
            SpacesFirehose firehose = SpacesTestSupport.bean(second, "spacesFirehose", SpacesFirehose.class);
            assertThat(firehose.duplicates()).as("the replayed overlap was recognised after the restart").isPositive();
            assertThat(firehose.published()).isLessThan(10_000);
            String query = sandbox.firehoseQueries().get(0);
            assertThat(query).as("resumed from the checkpoint, not from the start").doesNotContain("fromTimestamp=" + (BASE - 1));
        } finally {
            out.close();
            second.close();
        }
    }
}
