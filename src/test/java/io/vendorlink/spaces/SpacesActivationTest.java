package io.vendorlink.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox.TokenKind;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Activation (issue 6 items 1 and 3; protocol note §A4): the page, the JSON API, reuse and ambiguity. */
class SpacesActivationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestRuntime rt;
    private static SpacesSandbox sandbox;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void boot() {
        rt = SpacesTestSupport.runtime().property("vendorlink.spaces.firehose.enabled", "false").start();
        sandbox = SpacesTestSupport.sandbox(rt);
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void clean() {
        sandbox.server().faults().clearAll();
        sandbox.server().clearRequests();
    }

    private static List<RecordedRequest> activations() {
        return sandbox.server().requests(r -> r.rawPath().equals(SpacesSandbox.ACTIVATE_PATH));
    }

    static JsonNode api(String token) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.ingressPort()
                        + "/spaces/api/activate")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("token", token)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String page(String token) throws Exception {
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&appDashboardUrl="
                + URLEncoder.encode("https://partner.example/dashboard", StandardCharsets.UTF_8);
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.ingressPort()
                        + "/spaces/activate")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aGoodTokenActivatesAndTheApiKeyIsStoredEncryptedAndNeverShown() throws Exception {
        JsonNode out = api(sandbox.mint(TokenKind.GOOD, "v2", null));
        assertThat(out.get("outcome").asText()).isEqualTo("ACTIVATED");
        assertThat(out.get("claims").get("customer").asText()).isEqualTo("Trigue");
        String apiKey = rt.core().stateStore().getSecret("spaces", "apiKey").orElseThrow();
        assertThat(sandbox.liveApiKeys()).contains(apiKey);
        assertThat(out.toString()).doesNotContain(apiKey);
        try (Connection c = rt.core().database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT state_value, encrypted FROM vl_state WHERE namespace = 'spaces' AND state_key = 'apiKey'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.getString(1)).doesNotContain(apiKey);
        }
        RecordedRequest sent = activations().get(0);
        assertThat(sent.headers().get("Authorization").get(0)).startsWith("Bearer ey");
        JsonNode body = JSON.readTree(sent.body());
        assertThat(body.get("appId").asText()).isEqualTo(out.get("claims").get("appId").asText());
        assertThat(body.get("activationRefId").asText()).hasSize(32);
        assertThat(body.get("appDashboardUrl").asText()).isEqualTo("https://partner.example/dashboard");
        assertThat(sent.verdict()).startsWith("activated");
    }

    @Test
    void aTokenAlreadyUsedShowsTheDocumentedFailureAndIsNeverSentTwiceFromHere() throws Exception {
        String token = sandbox.mint(TokenKind.GOOD);
        // used once elsewhere (another installation, or a person with curl)
        HttpResponse<String> first = Sandboxes.client(rt).send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + SpacesSandbox.ACTIVATE_PATH)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "appId", SpacesTokenVerifier.decodeUnverified(token).appId(),
                        "activationRefId", SpacesTokenVerifier.decodeUnverified(token).activationRefId(),
                        "appDashboardUrl", "https://elsewhere.example"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.body()).contains("\"status\":true");
        sandbox.server().faults().set("activate.failureStatus", "500"); // the client decides on status, not on HTTP
        String html = page(token);
        assertThat(html).contains("data-outcome=\"TOKEN_REUSED_APP_DEACTIVATED\"", "Already used", "is deactivated due to reactivation");
        assertThat(html).contains("<dd id=\"claim-customer\">Trigue</dd>");
        assertThat(sandbox.liveApiKeys()).isEmpty(); // Cisco revoked the key of the first activation
        int calls = activations().size();
        JsonNode again = api(token);
        assertThat(again.get("outcome").asText()).isEqualTo("ALREADY_USED_HERE");
        assertThat(again.get("title").asText()).isEqualTo("Already used");
        assertThat(activations()).hasSize(calls);
    }

    @Test
    void anAmbiguousFailureIsReportedAndNotRetried() throws Exception {
        sandbox.server().faults().set("activate.hangAfterMillis", "5000");
        String token = sandbox.mint(TokenKind.GOOD);
        JsonNode out = api(token);
        assertThat(out.get("outcome").asText()).isEqualTo("UNKNOWN_OUTCOME");
        assertThat(out.get("message").asText()).contains("NOT retried", "new activation token");
        await().atMost(Duration.ofSeconds(15)).until(() -> activations().size() == 1);
        assertThat(activations().get(0).verdict()).contains("answer withheld");
        // pasting it again does not send it again (it would deactivate the app)
        assertThat(api(token).get("outcome").asText()).isEqualTo("ALREADY_USED_HERE");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> activations().size() == 1);
    }

    @Test
    void anExpiredTokenShowsTheExpiryMessageWithoutAnyActivationCall() throws Exception {
        String html = page(sandbox.mint(TokenKind.EXPIRED));
        assertThat(html).contains("data-outcome=\"TOKEN_EXPIRED\"", "Expired token", "new activation token",
                "<dd id=\"claim-customer\">Trigue</dd>");
        assertThat(activations()).isEmpty();
    }

    @Test
    void theFormIsServedAndAnInvalidTokenIsShownAsInvalid() throws Exception {
        HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.ingressPort()
                + "/spaces/activate")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.body()).contains("<textarea id=\"token\"", "Activate").doesNotContain("outcome-title");
        assertThat(page(sandbox.mint(TokenKind.TAMPERED))).contains("data-outcome=\"TOKEN_INVALID\"", "Invalid token");
        assertThat(activations()).isEmpty();
    }

    @Test
    void failureMessagesAreClassifiedBySubstringsNotByHttpStatus() {
        SpacesActivation a = SpacesTestSupport.bean(rt, "spacesActivation", SpacesActivation.class);
        assertThat(a.classify("Activation Token Expired.")).isEqualTo(SpacesActivation.Result.Kind.TOKEN_EXPIRED);
        assertThat(a.classify("Activation Token Invalid")).isEqualTo(SpacesActivation.Result.Kind.TOKEN_INVALID);
        assertThat(a.classify("The on premise application (app-1) is deactivated due to reactivation is processed."))
                .isEqualTo(SpacesActivation.Result.Kind.TOKEN_REUSED_APP_DEACTIVATED);
        assertThat(a.classify("Something else")).isEqualTo(SpacesActivation.Result.Kind.ACTIVATION_FAILED);
    }
}
