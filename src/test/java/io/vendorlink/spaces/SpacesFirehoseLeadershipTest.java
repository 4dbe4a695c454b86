package io.vendorlink.spaces;

import io.vendorlink.testing.TestRuntime;
import org.apache.camel.cluster.CamelClusterMember;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Firehose consumer is leader-only (issue 8: scheduled and streaming work runs once, not once per replica): it
 * runs while this runtime leads {@value SpacesFirehoseLeadership#NAMESPACE} and stops when another member does.
 */
class SpacesFirehoseLeadershipTest {

    private static CamelClusterMember member(boolean local) {
        return new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public boolean isLocal() {
                return local;
            }

            @Override
            public String getId() {
                return local ? "me" : "another-replica";
            }
        };
    }

    @Test
    void theConsumerRunsOnlyWhileThisRuntimeLeads() {
        try (TestRuntime rt = SpacesTestSupport.runtime().start()) {
            SpacesFirehose firehose = SpacesTestSupport.bean(rt, "spacesFirehose", SpacesFirehose.class);
            SpacesFirehoseLeadership gate = rt.context().hasService(SpacesFirehoseLeadership.class);
            assertThat(gate).as("the Firehose is started through its leadership gate").isNotNull();
            await().atMost(Duration.ofSeconds(20)).until(firehose::isStarted); // the file lock made this runtime leader
            gate.leadershipChanged(null, member(false));
            assertThat(firehose.isStarted()).as("running while another replica leads").isFalse();
            gate.leadershipChanged(null, member(true));
            assertThat(firehose.isStarted()).as("taken over").isTrue();
        }
    }

    @Test
    void withTwoReplicasOneReadsTheStreamAndTheOtherTakesOverWhenItStops(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
        TestRuntime a = replica("replica-a", root, true);
        TestRuntime b = replica("replica-b", root, false);
        try {
            SpacesFirehose fa = SpacesTestSupport.bean(a, "spacesFirehose", SpacesFirehose.class);
            SpacesFirehose fb = SpacesTestSupport.bean(b, "spacesFirehose", SpacesFirehose.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> fa.isStarted() || fb.isStarted());
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(fa.isStarted() && fb.isStarted()).as("both replicas read the stream").isFalse();
            TestRuntime leader = fa.isStarted() ? a : b;
            SpacesFirehose follower = fa.isStarted() ? fb : fa;
            leader.close();
            await("the other replica takes over").atMost(Duration.ofSeconds(20)).until(follower::isStarted);
        } finally {
            for (TestRuntime rt : new TestRuntime[]{b, a}) {
                if (rt.context().getStatus().isStarted()) {
                    rt.close();
                }
            }
        }
    }

    /** A second runtime uses the first one's broker: the embedded broker's in-VM acceptor is JVM-wide. */
    private static TestRuntime replica(String name, java.nio.file.Path root, boolean ownBroker) {
        return SpacesTestSupport.runtime()
                .property("camel.main.name", name)
                .property("vendorlink.broker.embedded.enabled", String.valueOf(ownBroker))
                .property("vendorlink.cluster.mode", "file")
                .property("vendorlink.cluster.memberId", name)
                .property("vendorlink.cluster.file.root", root.toString())
                .property("vendorlink.cluster.file.acquireLockInterval", "PT0.3S")
                .start();
    }
}
