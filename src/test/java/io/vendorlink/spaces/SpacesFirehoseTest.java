package io.vendorlink.spaces;

import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox.TokenKind;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Firehose consumer against the sandbox's faults (issue 6 items 4-6; protocol note Part B, §E6-E10). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpacesFirehoseTest {
    private static TestRuntime rt;
    private static SpacesSandbox sandbox;
    private static SpacesFirehose firehose;
    private static final SpacesFirehoseSupport out = new SpacesFirehoseSupport();
    private static final long BASE = Instant.now().toEpochMilli() + 60_000;

    @BeforeAll
    static void boot() throws Exception {
        rt = SpacesTestSupport.runtime()
                .property("vendorlink.spaces.firehose.startFromTimestamp", String.valueOf(BASE - 1))
                .property("vendorlink.spaces.firehose.overlap", "PT0.2S")
                .property("vendorlink.spaces.firehose.publishMode", "route") // jms-batch: SpacesFirehoseRestartTest
                .property("vendorlink.spaces.firehose.minPartition", "1")
                .property("vendorlink.spaces.firehose.maxPartition", "12")
                .start();
        sandbox = SpacesTestSupport.sandbox(rt);
        firehose = SpacesTestSupport.bean(rt, "spacesFirehose", SpacesFirehose.class);
        out.collect(rt);
    }

    @AfterAll
    static void stop() throws Exception {
        out.close();
        rt.close();
    }

    private static List<RecordedRequest> streams() {
        return sandbox.server().requests(r -> r.rawPath().equals(SpacesSandbox.FIREHOSE_PATH));
    }

    @Test
    @Order(1)
    void tenThousandEventsThroughDropsStallsAndRefusalsArriveExactlyOnceInOrderPerPartition() {
        var f = sandbox.server().faults();
        f.set("firehose.500", "2");
        f.set("firehose.429", "1");
        f.set("firehose.dropMidLine", "5");
        f.set("firehose.stall", "2");
        f.set("firehose.stallMillis", "3000");
        f.set("firehose.faultAfterEvents", "1300");
        f.set("firehose.splitChunks", "true");
        f.set("firehose.duplicates", "true");
        f.set("firehose.unknownTypes", "true");
        SpacesActivation activation = SpacesTestSupport.bean(rt, "spacesActivation", SpacesActivation.class);
        assertThat(activation.activate(sandbox.mint(TokenKind.GOOD), null).kind()).isEqualTo(SpacesActivation.Result.Kind.ACTIVATED);
        sandbox.generate(10_000, BASE, "k");
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> out.count("k") >= 10_000);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            java.util.Set<String> got = new java.util.HashSet<>();
            out.received.forEach(r -> got.add(r.uid()));
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < 10_000 && missing.size() < 20; i++) {
                if (!got.contains("k-" + i)) {
                    missing.add(i);
                }
            }
            throw new AssertionError("received " + out.count("k") + " published=" + firehose.published() + " dups="
                    + firehose.duplicates() + " unknown=" + firehose.unknownTypes() + " missing " + missing + " streams "
                    + streams().stream().map(r -> r.status() + " " + r.rawQuery() + " " + r.verdict()).toList(), e);
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> out.count("k") == 10_000);
        SpacesFirehoseSupport.assertExactlyOnceInOrder(new ArrayList<>(out.received), "k", 10_000);
        assertThat(f.isOn("firehose.dropMidLine")).as("all 5 drops happened").isFalse();
        assertThat(f.isOn("firehose.stall")).as("both stalls happened").isFalse();
        assertThat(streams().stream().filter(r -> r.verdict().contains("fault 500"))).hasSize(2);
        assertThat(streams().stream().filter(r -> r.verdict().contains("rate limited"))).hasSize(1);
        // the open stream is recorded only when it ends; the 7 faulted ones are
        assertThat(streams().stream().filter(r -> r.verdict().endsWith(" drop"))).hasSize(5);
        assertThat(streams().stream().filter(r -> r.verdict().endsWith(" stall"))).hasSize(2);
        // every reconnect resumes from the checkpoint minus the overlap, not from the start
        assertThat(streams().stream().filter(r -> r.status() == 200).skip(1))
                .allMatch(r -> r.rawQuery().contains("fromTimestamp=") && !r.rawQuery().contains("fromTimestamp=" + (BASE - 1)));
        assertThat(streams().get(0).rawQuery()).contains("minPartition=1", "maxPartition=12");
        assertThat(firehose.duplicates()).as("replayed overlap and duplicate lines dropped").isPositive();
        assertThat(firehose.unknownTypes()).isPositive();
        assertThat(firehose.keepAlives()).isPositive();
        assertThat(firehose.stoppedReason()).isNull();
    }

    @Test
    @Order(2)
    void aRevokedKeyStopsTheConsumerWithHealthDownAndNoHammering() {
        String key = rt.core().stateStore().getSecret("spaces", "apiKey").orElseThrow();
        sandbox.revoke(key);
        await().atMost(Duration.ofSeconds(20)).until(() -> firehose.stoppedReason() != null);
        assertThat(firehose.stoppedReason()).contains("401", "activate again");
        var health = SpacesTestSupport.bean(rt, "health-vendor-spaces", io.vendorlink.core.observe.VendorHealthCheck.class);
        assertThat(health.isUp()).isFalse();
        assertThat(health.reason()).contains("401");
        int attempts = streams().size();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> streams().size() == attempts);
    }

    /** 403 (the app deactivated or the key's permission withdrawn, §B4) stops the consumer like 401, after a new activation. */
    @Test
    @Order(3)
    void aForbiddenStreamStopsTheConsumerWithHealthDownUntilTheNextActivation() {
        sandbox.server().faults().set("firehose.403", "1");
        int before = streams().size();
        SpacesActivation activation = SpacesTestSupport.bean(rt, "spacesActivation", SpacesActivation.class);
        assertThat(activation.activate(sandbox.mint(TokenKind.GOOD), null).kind()).isEqualTo(SpacesActivation.Result.Kind.ACTIVATED);
        await().atMost(Duration.ofSeconds(20)).until(() -> firehose.stoppedReason() != null && firehose.stoppedReason().contains("403"));
        assertThat(streams().stream().skip(before).filter(r -> r.status() == 403)).hasSize(1);
        var health = SpacesTestSupport.bean(rt, "health-vendor-spaces", io.vendorlink.core.observe.VendorHealthCheck.class);
        assertThat(health.isUp()).isFalse();
        assertThat(health.reason()).contains("403");
        int attempts = streams().size();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> streams().size() == attempts);
    }
}
