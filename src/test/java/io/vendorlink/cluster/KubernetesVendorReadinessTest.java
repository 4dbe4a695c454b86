package io.vendorlink.cluster;

import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On Kubernetes only Ready pods can hold a leader Lease, so a vendor outage must not unready the pods
 * ({@code vendorlink.cluster.vendorChecksInReadiness = false}, set by k8s/base); it stays visible in /observe/health.
 * On one host (the default) a DOWN vendor still makes the runtime not ready.
 */
class KubernetesVendorReadinessTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aVendorOutageKeepsThePodReadyWhenVendorChecksAreOutOfReadiness() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().property("vendorlink.cluster.vendorChecksInReadiness", "false").start()) {
            rt.core().healthCheck("outage", "not registered yet");
            await().atMost(Duration.ofSeconds(30)).until(() -> get(rt, "/observe/health/ready").statusCode() == 200);
            HttpResponse<String> all = get(rt, "/observe/health?exposureLevel=full");
            assertThat(all.body()).contains("vendor-outage").contains("not registered yet");
            assertThat(all.statusCode()).isEqualTo(503);
        }
    }

    @Test
    void byDefaultAVendorOutageMakesTheRuntimeNotReady() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> get(rt, "/observe/health/ready").statusCode() == 200);
            rt.core().healthCheck("outage", "not registered yet");
            assertThat(get(rt, "/observe/health/ready").statusCode()).isEqualTo(503);
        }
    }

    private HttpResponse<String> get(TestRuntime rt, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.managementPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
