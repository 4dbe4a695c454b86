package io.vendorlink.core;

import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RuntimeBootTest {

    @Test
    void realApplicationBootsWithRealRoutesAndReportsHealthUp() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().start()) {
            // the demo workflow from routes/ is loaded
            assertThat(rt.context().getRoute("demo-echo")).isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + rt.managementPort() + "/observe/health");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"status\":\"UP\"");
            });
            // Vendorlink's own counters are served on the same page as Camel's
            rt.core().metrics().retry("sentinel", io.vendorlink.core.failure.Outcome.ENDPOINT_MOVED);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + rt.managementPort() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("camel_")
                    .contains("vendorlink_retries_total{outcome=\"endpoint_moved\",vendor=\"sentinel\"} 1.0");
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + rt.managementPort() + "/observe/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.body()).contains("vendorlink");
        }
    }
}
