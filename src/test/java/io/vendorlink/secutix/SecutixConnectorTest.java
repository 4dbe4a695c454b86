package io.vendorlink.secutix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vendorlink.core.observe.VendorHealthCheck;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SecutixConnectorTest {
    static TestRuntime rt;
    static SecutixSandbox sandbox;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        rt = TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.rateLimit.perEndpointPerMinute", "6000")
                .property("vendorlink.secutix.rateLimit.perInstancePerMinute", "6000")
                .property("vendorlink.sandbox.secutix.rateLimit.perEndpointPerMinute", "6000")
                .property("vendorlink.sandbox.secutix.rateLimit.perInstancePerMinute", "6000")
                .property("vendorlink.secutix.acceptLanguage", "fr")
                .property("vendorlink.secutix.soapAction.getOrderDetails", "urn:secutix:getOrderDetails")
                .property("vendorlink.secutix.accessControl.nbMaxResults", "10")
                .property("vendorlink.secutix.retry.transient.initialDelay", "PT0.1S")
                .property("vendorlink.secutix.alive.cron", "0/1 * * * * ?")
                .start();
        sandbox = rt.context().getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void reset() {
        sandbox.faults().clearAll();
        sandbox.clearCalls();
    }

    private VendorHealthCheck health(String name) {
        return rt.context().getRegistry().lookupByNameAndType("health-vendor-" + name, VendorHealthCheck.class);
    }

    private double aliveGauge(String service) {
        return rt.core().metrics().registry().find("vendorlink.secutix.alive").tag("service", service).gauge().value();
    }

    private JsonNode call(String service, String operation, String payload) throws Exception {
        return JSON.readTree(raw(service, operation, payload));
    }

    private String raw(String service, String operation, String payload) {
        return rt.producer().requestBodyAndHeaders("direct:secutix-call", payload,
                Map.of("SecutixService", service, "SecutixOperation", operation), String.class);
    }

    @Test
    void gzipAnswerIsDecodedAndAmountsInThousandthsBecomeExactDecimals() throws Exception {
        String raw = raw("order", "getOrderDetails", "{\"orderId\": 9000000000123}");
        JsonNode r = JSON.readTree(raw);
        assertThat(r.path("statusCode").asText()).isEqualTo("success");
        // 64-bit ids survive
        assertThat(r.path("order").path("orderId").asLong()).isEqualTo(9_000_000_000_123L);
        // 24690 thousandths = 24.690 exactly
        assertThat(r.path("order").path("totalAmount").decimalValue()).isEqualByComparingTo(new BigDecimal("24.690"));
        assertThat(raw).contains("\"amount\":24.690").contains("\"totalAmount\":24.690");
        SecutixSandbox.Call seen = sandbox.calls().stream().filter(c -> c.operation().equals("getOrderDetails")).findFirst().orElseThrow();
        assertThat(seen.acceptEncoding()).isEqualTo("gzip,deflate");
        assertThat(seen.acceptLanguage()).isEqualTo("fr");
        assertThat(seen.soapAction()).contains("urn:secutix:getOrderDetails");
        assertThat(seen.passwordTypeSent()).as("howto form: Password Type=PasswordText").isTrue();
        assertThat(seen.mustUnderstandSent()).isTrue();
    }

    @Test
    void aliveFailureTurnsHealthDownAndBackUp() throws Exception {
        VendorHealthCheck overall = health("secutix");
        VendorHealthCheck catalog = health("secutix-catalog");
        await().atMost(Duration.ofSeconds(30)).until(() -> overall.isUp() && catalog.isUp());
        sandbox.faults().set("alive.fail", "true");
        await().atMost(Duration.ofSeconds(30)).until(() -> !catalog.isUp() && !overall.isUp());
        assertThat(catalog.reason()).contains("isCatalogServiceAlive failed");
        assertThat(aliveGauge("catalog")).isEqualTo(0.0);
        sandbox.faults().clear("alive.fail");
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.isUp() && overall.isUp());
        assertThat(aliveGauge("catalog")).isEqualTo(1.0);
    }

    @Test
    void exportListPublishesEveryPageAndPersistsTheOpaqueCursor() throws Exception {
        rt.producer().requestBodyAndHeader("direct:secutix-export-list", null, "SecutixReplyTo", "test.ac.pages");
        List<JsonNode> pages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String body = rt.consumer().receiveBody("jms:queue:test.ac.pages", 2000, String.class);
            if (body == null) {
                break;
            }
            pages.add(JSON.readTree(body));
        }
        // 25 tickets, nbMaxResults 10, GREY: pages of 10, 10 and 5 counted tickets
        assertThat(pages).hasSize(3);
        int items = pages.stream().mapToInt(p -> p.path("accessControlListData").path("accessControlListItems").size()).sum();
        assertThat(items).isEqualTo(25 + 8); // every third ticket has an invalid counterpart in GREY
        assertThat(pages.get(0).path("accessControlListData").path("accessControlListItems").size())
                .as("a GREY page can hold more items than nbMaxResults").isGreaterThan(10);
        String lastEnd = pages.get(1).path("accessControlListData").path("paginationEnd").asText();
        assertThat(pages.get(2).path("accessControlListData").path("paginationEnd").isNull()).isTrue();
        SecutixOperations ops = rt.context().getRegistry().lookupByNameAndType("secutixOperations", SecutixOperations.class);
        assertThat(ops.cursor("GREY", "")).isEqualTo(lastEnd);
        assertThat(pages.get(0).path("accessControlListData").path("accessControlListItems").get(0).path("ticketId").asLong())
                .isGreaterThan(4_294_967_295L);
    }

    @Test
    void serverFaultsMalformedEnvelopesAnd500sAreRetriedAndAnUnknownStatusCodeIsARejection() throws Exception {
        // the counted switches fire on any operation: the every-second alive check must not take them first
        rt.context().getRouteController().stopRoute("secutix-alive");
        try {
            serverFaults();
        } finally {
            rt.context().getRouteController().startRoute("secutix-alive");
        }
    }

    private void serverFaults() {
        sandbox.faults().set("soap.fault500", "1");
        assertThat(raw("order", "getOrderDetails", "{\"orderId\": 5}")).contains("\"statusCode\":\"success\"");
        // a truncated envelope and a 500 without SOAP are transport failures: retried with back-off, then success
        sandbox.faults().set("soap.malformed", "1");
        assertThat(raw("order", "getOrderDetails", "{\"orderId\": 5}")).contains("\"statusCode\":\"success\"");
        sandbox.faults().set("soap.http500", "1");
        assertThat(raw("order", "getOrderDetails", "{\"orderId\": 5}")).contains("\"statusCode\":\"success\"");
        assertThat(sandbox.calls().stream().filter(c -> c.operation().equals("getOrderDetails")).map(c -> c.verdict()))
                .contains("fault: SOAP Server fault", "fault: malformed envelope", "fault: 500 without SOAP fault");
        assertThatThrownBy(() -> raw("order", "getOrderDetails", "{\"orderId\": -1}"))
                .rootCause().isInstanceOf(SecutixFailures.SecutixBusinessException.class)
                .hasMessageContaining("statusCode=order_not_found").hasMessageContaining("no order -1");
    }

    @Test
    void aRetiredServiceVersionIsReportedAsSuch() {
        SecutixClient client = rt.context().getRegistry().lookupByNameAndType("secutixClient", SecutixClient.class);
        SecutixService catalog = client.service("catalog");
        SecutixService retired = new SecutixService("catalog", catalog.name(), catalog.module(), catalog.javaPackage(),
                "1_16", catalog.namespace(), catalog.serviceClass(), catalog.aliveOperation());
        // the sandbox publishes 1_33 only: another version's path answers 404
        var f = new SecutixFailures(rt.core().settings("secutix"), "X");
        assertThat(f.httpStatus("getCatalog", 404, null, retired.path()).getMessage())
                .contains("service version not available").contains("v1_16");
    }

    @Test
    void catalogPricesKeepTheirExactValue() throws Exception {
        sandbox.faults().set("async.off", "true");
        String raw = raw("catalog", "getCatalog", "{\"seasonCode\": \"S2026\"}");
        JsonNode r = JSON.readTree(raw);
        JsonNode prices = r.path("catalogData").path("seasons").get(0).path("products").get(0).path("prices");
        assertThat(prices.get(0).path("amount").decimalValue()).isEqualByComparingTo("4");
        assertThat(raw).contains("\"amount\":4.000").contains("\"amount\":12.345").contains("\"amount\":0.001");
        assertThat(r.path("catalogData").path("seasons").get(0).path("id").asLong()).isEqualTo(9_000_000_000_001L);
    }
}
