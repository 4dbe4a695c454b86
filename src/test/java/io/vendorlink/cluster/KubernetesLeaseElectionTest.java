package io.vendorlink.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real runtimes in {@code vendorlink.cluster.mode = kubernetes} against an in-memory Kubernetes API (fabric8's
 * mock server in CRUD mode) compete for the Lease of one {@code master:} schedule: only the holder fires it, and when
 * the holder stops and its pod goes away, the other takes the Lease over and fires. Timings are compressed
 * (lease 2 s, renew deadline 1.5 s, retry 0.3 s).
 */
class KubernetesLeaseElectionTest {
    private static final String NAMESPACE = "vendorlink-test";
    private static final String GROUP = "vendorlink-k8stest-tick";
    private static final Duration LEASE = Duration.ofSeconds(2);

    private KubernetesMockServer server;
    private KubernetesClient api;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        api = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        api.close();
        server.destroy();
    }

    @Test
    void onlyTheLeaseHolderFiresTheScheduleAndTheOtherReplicaTakesOverWhenItStops() throws Exception {
        runningReadyPod("vendorlink-a");
        runningReadyPod("vendorlink-b");
        AtomicInteger firedOnA = new AtomicInteger();
        AtomicInteger firedOnB = new AtomicInteger();

        TestRuntime a = replica("vendorlink-a", firedOnA, true);
        try (TestRuntime b = replica("vendorlink-b", firedOnB, false)) {
            await("the first replica leads and fires").atMost(Duration.ofSeconds(20)).until(() -> firedOnA.get() > 0);
            assertThat(a.context().hasService(KubernetesClusterService.class)).isNotNull();
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("vendorlink-a");
            assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(2);

            // several lease periods: the follower never fires while the leader's pod is a member
            await("the follower stays idle").during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                    .until(() -> firedOnB.get() == 0);
            int beforeStop = firedOnA.get();
            assertThat(beforeStop).isGreaterThan(1);
            // a follower must report ready: only Ready pods are members, so a follower that waits for leadership to
            // become ready could never lead
            assertThat(ready(a)).isEqualTo(200);
            assertThat(ready(b)).isEqualTo(200);
            // queue consumers are not leader-only: the demo workflow consumes on both replicas
            assertThat(a.context().getRouteController().getRouteStatus("demo-echo").isStarted()).isTrue();
            assertThat(b.context().getRouteController().getRouteStatus("demo-echo").isStarted()).isTrue();

            // the leader's pod terminates: its runtime stops and Kubernetes removes the pod
            a.close();
            api.pods().inNamespace(NAMESPACE).withName("vendorlink-a").delete();
            long podGone = System.nanoTime();

            await("the other replica takes the Lease").atMost(LEASE.multipliedBy(4))
                    .until(() -> "vendorlink-b".equals(lease().getSpec().getHolderIdentity()));
            await("and fires within a lease period of holding it").atMost(LEASE.multipliedBy(3))
                    .until(() -> firedOnB.get() > 0);
            // a figure for the README, not an assertion: pod gone -> first leader-only tick on the other replica
            System.out.printf("Lease takeover: first tick on the new leader %d ms after the old pod went away"
                    + " (lease 2 s, retry 0.3 s, 1 s cron)%n", (System.nanoTime() - podGone) / 1_000_000);
            assertThat(firedOnA.get()).isEqualTo(beforeStop);
            assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
        } finally {
            if (a.context().getStatus().isStarted()) {
                a.close();
            }
        }
    }

    @Test
    void aReplicaWhosePodIsNotReadyNeverLeads() {
        runningReadyPod("vendorlink-a");
        // b exists but is not ready (e.g. still starting): Camel does not count it as a member
        api.pods().inNamespace(NAMESPACE).resource(pod("vendorlink-b", "False")).create();
        AtomicInteger firedOnB = new AtomicInteger();
        try (TestRuntime b = replica("vendorlink-b", firedOnB, true)) {
            await("no Lease is ever taken by a non-member").during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                    .until(() -> firedOnB.get() == 0 && lease() == null);
            CamelClusterService service = b.context().hasService(KubernetesClusterService.class);
            assertThat(service).isNotNull();
        }
    }

    /**
     * One replica. Two runtimes in one JVM cannot both run the embedded broker (its in-VM acceptor is JVM-wide), so a
     * second replica uses the first one's broker, as replicas share an external broker in production.
     */
    private TestRuntime replica(String podName, AtomicInteger fired, boolean ownBroker) {
        TestRuntime rt = TestRuntime.builder()
                .property("vendorlink.broker.embedded.enabled", String.valueOf(ownBroker))
                .property("camel.main.name", podName)
                .property("vendorlink.cluster.mode", "kubernetes")
                .property("vendorlink.cluster.memberId", podName)
                .property("vendorlink.cluster.kubernetes.masterUrl", server.url("/"))
                .property("vendorlink.cluster.kubernetes.namespace", NAMESPACE)
                .property("vendorlink.cluster.kubernetes.leaseDuration", "PT2S")
                .property("vendorlink.cluster.kubernetes.renewDeadline", "PT1.5S")
                .property("vendorlink.cluster.kubernetes.retryPeriod", "PT0.3S")
                .start();
        try {
            rt.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the shape every connector's schedule has: master:<group>:quartz:<name>?cron=...
                    from("master:" + GROUP + ":quartz:k8stest-tick?cron=* * * * * ?").routeId("k8stest-tick")
                            .process(e -> fired.incrementAndGet());
                }
            });
            // routes added after start-up are left to the supervising route controller; start this one now
            rt.context().getRouteController().startRoute("k8stest-tick");
        } catch (Exception e) {
            rt.close();
            throw new IllegalStateException(e);
        }
        return rt;
    }

    /** The status of the readiness endpoint the Kubernetes readiness probe calls. */
    private static int ready(TestRuntime rt) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + rt.managementPort() + "/observe/health/ready")).build();
        return java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Lease lease() {
        return api.leases().inNamespace(NAMESPACE).withName("vendorlink-leader-" + GROUP).get();
    }

    private void runningReadyPod(String name) {
        api.pods().inNamespace(NAMESPACE).resource(pod(name, "True")).create();
    }

    private static Pod pod(String name, String ready) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/name", "vendorlink")).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .endStatus()
                .build();
    }
}
