package io.vendorlink.spaces;

import io.vendorlink.testing.TestDirs;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox.TokenKind;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer that was away longer than Cisco keeps the stream (note §E11, {@code firehose.replayWindow}) resumes from
 * now, not from a timestamp the vendor no longer serves, and says there may be a gap: health detail, error log, metric.
 */
class SpacesFirehoseDataGapTest {

    private static TestRuntime start(Path dir, int sandboxPort) {
        return SpacesTestSupport.runtime().dataDir(dir)
                .property("vendorlink.sandbox.spaces.port", String.valueOf(sandboxPort))
                .property("vendorlink.spaces.firehose.replayWindow", "PT1H")
                .start();
    }

    @Test
    void aCheckpointOlderThanTheReplayWindowResumesFromNowAndReportsAPossibleGap() throws Exception {
        Path dir = TestDirs.create("spaces-gap-");
        int port = TestRuntime.freePort();
        long stale = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        try (TestRuntime first = start(dir, port)) { // activates (the apiKey is kept), then is away for "two hours"
            SpacesSandbox sandbox = SpacesTestSupport.sandbox(first);
            SpacesActivation activation = SpacesTestSupport.bean(first, "spacesActivation", SpacesActivation.class);
            assertThat(activation.activate(sandbox.mint(TokenKind.GOOD), null).kind()).isEqualTo(SpacesActivation.Result.Kind.ACTIVATED);
            await().atMost(Duration.ofSeconds(20)).until(() -> !sandbox.firehoseQueries().isEmpty());
        }
        try (TestRuntime seed = start(dir, port)) {
            // nothing streamed, so nothing overwrites it: the last processed event two hours ago
            seed.core().stateStore().put(SpacesActivation.NS, SpacesFirehose.CHECKPOINT, String.valueOf(stale));
        }
        long restarted = Instant.now().toEpochMilli();
        try (TestRuntime second = start(dir, port)) {
            SpacesSandbox sandbox = SpacesTestSupport.sandbox(second);
            await().atMost(Duration.ofSeconds(20)).until(() -> !sandbox.firehoseQueries().isEmpty());
            String query = sandbox.firehoseQueries().get(0);
            Matcher m = Pattern.compile("fromTimestamp=(\\d+)").matcher(query);
            assertThat(m.find()).as("resumes with a fromTimestamp: %s", query).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("from now, not from the stale checkpoint").isGreaterThanOrEqualTo(restarted);
            var health = SpacesTestSupport.bean(second, "health-vendor-spaces", io.vendorlink.core.observe.VendorHealthCheck.class);
            assertThat(health.call().getDetails().get("firehose.dataGap")).asString()
                    .contains("possible data gap after " + Instant.ofEpochMilli(stale));
            assertThat(second.core().metrics().registry().find("vendorlink.events").tag("result", "data_gap").counter())
                    .as("data_gap counted").isNotNull()
                    .satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1));
        }
    }
}
