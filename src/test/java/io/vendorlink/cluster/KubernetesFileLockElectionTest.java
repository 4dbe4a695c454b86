package io.vendorlink.cluster;

import io.vendorlink.testing.TestRuntime;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code file} leader election (the default, and the sandbox overlay's mode): two runtimes sharing one
 * {@code vendorlink.cluster.file.root} run a {@code master:} schedule on one of them only; when it stops, the other
 * takes the lock and fires.
 */
class KubernetesFileLockElectionTest {

    @Test
    void onlyTheLockHolderFiresAndTheOtherRuntimeTakesOverWhenItStops(@TempDir Path clusterRoot) {
        AtomicInteger firedOnA = new AtomicInteger();
        AtomicInteger firedOnB = new AtomicInteger();
        TestRuntime a = runtime("file-a", clusterRoot, firedOnA, true);
        TestRuntime b = runtime("file-b", clusterRoot, firedOnB, false);
        try {
            // whichever takes the lock first leads (the first attempt is delayed at random)
            await("one runtime takes the lock and fires").atMost(Duration.ofSeconds(20))
                    .until(() -> firedOnA.get() + firedOnB.get() > 0);
            boolean aLeads = firedOnA.get() > 0;
            TestRuntime leader = aLeads ? a : b;
            AtomicInteger firedOnLeader = aLeads ? firedOnA : firedOnB;
            AtomicInteger firedOnFollower = aLeads ? firedOnB : firedOnA;
            await("the other stays idle").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> firedOnFollower.get() == 0);
            int beforeStop = firedOnLeader.get();
            assertThat(beforeStop).isGreaterThan(1);

            leader.close();

            await("the other takes the lock over").atMost(Duration.ofSeconds(15)).until(() -> firedOnFollower.get() > 0);
            assertThat(firedOnLeader.get()).isEqualTo(beforeStop);
        } finally {
            for (TestRuntime rt : new TestRuntime[] {b, a}) {
                if (rt.context().getStatus().isStarted()) {
                    rt.close();
                }
            }
        }
    }

    /** A second runtime uses the first one's broker: the embedded broker's in-VM acceptor is JVM-wide. */
    private static TestRuntime runtime(String name, Path clusterRoot, AtomicInteger fired, boolean ownBroker) {
        TestRuntime rt = TestRuntime.builder()
                .property("camel.main.name", name)
                .property("vendorlink.broker.embedded.enabled", String.valueOf(ownBroker))
                .property("vendorlink.cluster.mode", "file")
                .property("vendorlink.cluster.memberId", name)
                .property("vendorlink.cluster.file.root", clusterRoot.toString())
                .property("vendorlink.cluster.file.acquireLockInterval", "PT0.3S")
                .start();
        try {
            rt.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("master:vendorlink-filetest-tick:quartz:filetest-tick?cron=* * * * * ?").routeId("filetest-tick")
                            .process(e -> fired.incrementAndGet());
                }
            });
            // routes added after start-up are left to the supervising route controller; start this one now
            rt.context().getRouteController().startRoute("filetest-tick");
        } catch (Exception e) {
            rt.close();
            throw new IllegalStateException(e);
        }
        return rt;
    }
}
