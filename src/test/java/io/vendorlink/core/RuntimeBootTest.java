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
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + rt.managementPort() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("camel_");
        }
    }
}
