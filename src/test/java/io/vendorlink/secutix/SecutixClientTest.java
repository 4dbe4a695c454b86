package io.vendorlink.secutix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecutixClientTest {
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
        SecutixSandbox.Call seen = sandbox.calls().get(0);
        assertThat(seen.acceptEncoding()).isEqualTo("gzip,deflate");
        assertThat(seen.acceptLanguage()).isEqualTo("fr");
        assertThat(seen.passwordTypeSent()).as("howto form: Password Type=PasswordText").isTrue();
        assertThat(seen.mustUnderstandSent()).isTrue();
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
