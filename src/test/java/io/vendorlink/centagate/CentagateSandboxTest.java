package io.vendorlink.centagate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator itself, driven by a plain HTTPS client as a third-party CentaGate client would (§12). */
class CentagateSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_KEY = "sandbox-secret-key-not-for-production";
    private static final List<String> PDF = List.of("username", "password", "integrationKey", "unixTimestamp",
            "supportFido", "ipAddress", "userAgent", "browserFp");
    private static final List<String> CGD_PROSE = List.of("username", "password", "userAgent", "integrationKey",
            "supportFido", "browserFp", "unixTimestamp", "ipAddress");
    private static TestRuntime rt;
    private static CentagateSandbox sandbox;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() {
        rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false").start();
        sandbox = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.SANDBOX_BEAN, CentagateSandbox.class);
        http = Sandboxes.client(rt);
        base = "https://localhost:" + rt.property("vendorlink.sandbox.centagate.port");
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void reset() {
        sandbox.server().faults().clearAll();
    }

    private static JsonNode call(String method, String path, Map<String, ?> body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Map<String, String> authFields(String user, String password, String userAgent) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("username", user);
        f.put("password", password);
        f.put("integrationKey", "sandbox-integration-key");
        f.put("unixTimestamp", Long.toString(Instant.now().getEpochSecond()));
        f.put("supportFido", "");
        f.put("ipAddress", "");
        f.put("userAgent", userAgent);
        f.put("browserFp", "");
        return f;
    }

    private static JsonNode authBasic(Map<String, String> fields, List<String> order, String key) throws Exception {
        Map<String, String> body = new LinkedHashMap<>(fields);
        body.put("hmac", CentagateSigner.authHmac(key, order, fields));
        return call("POST", "/v2/CentagateWS/webresources/auth/authBasic", body);
    }

    private static Map<String, String> admin() {
        return authFields("vendorlink-admin", "sandbox-password-not-for-production", "");
    }

    @Test
    void successAnswersAStringCodeAndTheObjectAsAJsonEncodedString() throws Exception {
        JsonNode r = authBasic(admin(), PDF, SECRET_KEY);
        assertThat(r.get("code").isTextual()).isTrue();
        assertThat(r.get("code").asText()).isEqualTo("0");
        assertThat(r.get("object").isTextual()).isTrue();
        JsonNode o = JSON.readTree(r.get("object").asText());
        assertThat(o.get("authToken").asText()).isNotBlank();
        assertThat(o.get("secretCode").asText()).isNotBlank();
        assertThat(o.get("sessionTimeout").asLong()).isPositive();
    }

    @Test
    void toleratesTheOtherKnownFieldOrderUnlessStrict() throws Exception {
        Map<String, String> f = authFields("vendorlink-admin", "sandbox-password-not-for-production", "Vendorlink/1");
        sandbox.server().clearRequests();
        assertThat(authBasic(f, CGD_PROSE, SECRET_KEY).get("code").asText()).isEqualTo("0");
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests().size(), 1);
        assertThat(sandbox.server().requests().get(0).verdict())
                .contains("cgd-prose order").contains("<password>").doesNotContain("sandbox-password");
        sandbox.server().faults().set("auth.strictHmacOrder", "true");
        assertThat(authBasic(f, CGD_PROSE, SECRET_KEY).get("code").asText()).isEqualTo("23022");
        assertThat(authBasic(f, PDF, SECRET_KEY).get("code").asText()).isEqualTo("0");
    }

    @Test
    void everyAuthenticationRefusalIsReachable() throws Exception {
        assertThat(authBasic(admin(), PDF, "wrong-key").get("code").asText()).isEqualTo("23022");
        assertThat(authBasic(authFields("vendorlink-admin", "wrong", ""), PDF, SECRET_KEY).get("code").asText()).isEqualTo("23001");
        assertThat(authBasic(authFields("carol", "sandbox-user-password-not-for-production", ""), PDF, SECRET_KEY)
                .get("code").asText()).isEqualTo("22004");
        Map<String, String> unknownApp = admin();
        unknownApp.put("integrationKey", "nobody");
        assertThat(authBasic(unknownApp, PDF, SECRET_KEY).get("code").asText()).isEqualTo("23024");
        Map<String, String> millis = admin();
        millis.put("unixTimestamp", Long.toString(Instant.now().toEpochMilli())); // the classic ms pitfall (§11)
        assertThat(authBasic(millis, PDF, SECRET_KEY).get("code").asText()).isEqualTo("23023");
        sandbox.server().faults().set("auth.allowedIps", "10.1.1.1");
        assertThat(authBasic(admin(), PDF, SECRET_KEY).get("code").asText()).isEqualTo("23020");
    }

    @Test
    void thePostmanCenTokenFormIsToleratedButRefusedInStrictMode() throws Exception {
        JsonNode o = JSON.readTree(authBasic(admin(), PDF, SECRET_KEY).get("object").asText());
        String authToken = o.get("authToken").asText();
        String secretCode = o.get("secretCode").asText();
        String path = "/CentagateWS/webresources/token/registerActiveToken/vendorlink-admin";
        // the [CGD] Postman form: target username + authToken
        Map<String, Object> body = new LinkedHashMap<>(Map.of("username", "user150", "tokenSn", "OTP0095",
                "tokenType", 2, "cenToken", CentagateSigner.hmacSha256Hex(secretCode, "user150" + authToken)));
        sandbox.server().faults().set("cenToken.strict", "true");
        assertThat(call("PUT", path, body).get("code").asText()).isEqualTo("10001");
        sandbox.server().faults().clear("cenToken.strict");
        // numeric tokenType accepted too (§4)
        assertThat(call("PUT", path, body).get("code").asText()).isEqualTo("0");
        // the right form, under /v2 as well (§9.1)
        body.put("username", "user151");
        body.put("tokenSn", "OTP0096");
        body.put("cenToken", CentagateSigner.cenToken(secretCode, "vendorlink-admin", authToken));
        assertThat(call("PUT", "/v2" + path, body).get("code").asText()).isEqualTo("0");
        // a cenToken keyed with the wrong secret (e.g. the Secret Key) is refused
        body.put("cenToken", CentagateSigner.cenToken(SECRET_KEY, "vendorlink-admin", authToken));
        assertThat(call("PUT", path, body).get("code").asText()).isEqualTo("10001");
    }

    @Test
    void logoutVerifiesItsHmacAndEndsTheSession() throws Exception {
        JsonNode o = JSON.readTree(authBasic(admin(), PDF, SECRET_KEY).get("object").asText());
        String authToken = o.get("authToken").asText();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("username", "vendorlink-admin");
        f.put("integrationKey", "sandbox-integration-key");
        f.put("unixTimestamp", Long.toString(Instant.now().getEpochSecond()));
        f.put("authToken", authToken);
        Map<String, String> body = new LinkedHashMap<>(f);
        body.put("hmac", "00");
        assertThat(call("POST", "/v2/CentagateWS/webresources/auth/logout", body).get("code").asText()).isEqualTo("23022");
        body.put("hmac", CentagateSigner.authHmac(SECRET_KEY, List.copyOf(f.keySet()), f));
        assertThat(call("POST", "/v2/CentagateWS/webresources/auth/logout", body).get("code").asText()).isEqualTo("0");
        Map<String, Object> reg = Map.of("username", "user152", "tokenSn", "OTP0097", "tokenType", "2",
                "cenToken", CentagateSigner.cenToken(o.get("secretCode").asText(), "vendorlink-admin", authToken));
        assertThat(call("PUT", "/CentagateWS/webresources/token/registerActiveToken/vendorlink-admin", reg)
                .get("code").asText()).isEqualTo("10001");
    }
}
