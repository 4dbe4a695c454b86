package io.vendorlink.core.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Camel's per-route timers: kept for workflow routes, left out for the connector-internal routes (route group
 * vendorlink-connector) unless vendorlink.metrics.connectorRouteTimers is true; the vendor call metric counts the calls
 * either way.
 */
class ConnectorRouteTimersTest {

    @Test
    void connectorRoutesHaveNoRouteTimersByDefaultWhileWorkflowRoutesDo() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel").start()) {
            callLicensesBothWays(rt);
            Set<String> timed = routesWithTimers(rt);
            assertThat(timed).contains("sentinel-licenses-http")
                    .doesNotContain("sentinel-licenses", "sentinel-licenses-attempt", "sentinel-request",
                            "sentinel-request-attempt");
            assertThat(rt.context().getRoute("sentinel-licenses-attempt").getGroup()).isEqualTo(ConnectorRouteTimers.GROUP);
            // the calls themselves are measured by Vendorlink's own metric
            assertThat(registry(rt).find("vendorlink.vendor.calls").tags("vendor", "sentinel", "operation", "licenses")
                    .timer().count()).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * Run after a default runtime in the same JVM (the order that once failed: the exclusion had been written into
     * Micrometer's shared default configuration, so it outlived its runtime).
     */
    @Test
    void theSettingBringsThemBackEvenAfterADefaultRuntimeInTheSameJvm() throws Exception {
        try (TestRuntime first = TestRuntime.builder().enable("sentinel").start()) {
            callLicensesBothWays(first);
            assertThat(routesWithTimers(first)).doesNotContain("sentinel-licenses-attempt");
        }
        assertThat(org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration.DEFAULT
                .isRouteEnabled()).isTrue();
        try (TestRuntime rt = TestRuntime.builder().enable("sentinel")
                .property("vendorlink.metrics.connectorRouteTimers", "true").start()) {
            callLicensesBothWays(rt);
            assertThat(routesWithTimers(rt)).contains("sentinel-licenses-http", "sentinel-licenses",
                    "sentinel-licenses-attempt");
        }
    }

    private static void callLicensesBothWays(TestRuntime rt) throws Exception {
        // direct call, once the start-up registration with Directory Services is done
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                rt.producer().requestBody("direct:sentinel-licenses", Map.of("customer", "c1")) != null);
        HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + rt.ingressPort() + "/sentinel/licenses?customer=c1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(200);
    }

    private static Set<String> routesWithTimers(TestRuntime rt) {
        return registry(rt).getMeters().stream().map(Meter::getId).filter(id -> id.getName().equals("camel.route.policy"))
                .map(id -> id.getTag("routeId")).collect(Collectors.toSet());
    }

    private static MeterRegistry registry(TestRuntime rt) {
        return rt.core().metrics().registry();
    }
}
