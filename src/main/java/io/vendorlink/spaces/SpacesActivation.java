package io.vendorlink.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Activation of a single-tenant cloud app (protocol note §A1, §A4): verify the token locally
 * ({@link SpacesTokenVerifier}), then {@code POST <baseUrl>/client/v1/partner/activateSingleTenantCloudApp} with the
 * token as Bearer and {@code {appId, activationRefId, appDashboardUrl}}; the returned apiKey is stored encrypted in the
 * state store and never logged.
 *
 * <p>A token is sent at most once from this runtime: a second use deactivates the app at Cisco (§A4), so the hash of
 * every token sent is remembered and a repeat is refused locally. A transport failure after sending is
 * {@link Result.Kind#UNKNOWN_OUTCOME}: never retried, reported for a person to decide (ask for a fresh token).
 * The outcome is decided on the JSON {@code status}, never on the HTTP code (§A4 "Project decision").
 */
public final class SpacesActivation {
    private static final Logger LOG = LoggerFactory.getLogger(SpacesActivation.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String NS = "spaces";
    public static final String API_KEY = "apiKey";
    public static final String BASE_URL = "activation.baseUrl";

    /** What happened, in the page's plain words. */
    public record Result(Kind kind, String message, Map<String, Object> claims) {
        public enum Kind {
            ACTIVATED("Activated"), TOKEN_INVALID("Invalid token"), TOKEN_EXPIRED("Expired token"),
            TOKEN_REUSED_APP_DEACTIVATED("Already used: Cisco deactivated the app"),
            ALREADY_USED_HERE("Already used"), ACTIVATION_FAILED("Activation failed"),
            UNKNOWN_OUTCOME("Outcome unknown");
            public final String words;

            Kind(String words) {
                this.words = words;
            }
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("outcome", kind.name());
            m.put("title", kind.words);
            m.put("message", message);
            m.put("claims", claims);
            return m;
        }
    }

    private final SpacesTokenVerifier verifier;
    private final VendorHttp http;
    private final StateStore state;
    private final VendorMetrics metrics;
    private final VendorHealthCheck health;
    private final Settings settings;
    private final Clock clock;
    private volatile Runnable onActivated = () -> { };

    public SpacesActivation(SpacesTokenVerifier verifier, VendorHttp http, StateStore state, VendorMetrics metrics,
                            VendorHealthCheck health, Settings settings, Clock clock) {
        this.verifier = verifier;
        this.http = http;
        this.state = state;
        this.metrics = metrics;
        this.health = health;
        this.settings = settings;
        this.clock = clock;
    }

    public void onActivated(Runnable r) {
        this.onActivated = r;
    }

    public Optional<String> apiKey() {
        return state.getSecret(NS, API_KEY);
    }

    public Optional<String> activatedBaseUrl() {
        return state.get(NS, BASE_URL);
    }

    /** Verifies and activates; never throws for a vendor or token problem: the result says what happened. */
    public synchronized Result activate(String token, String appDashboardUrl) {
        SpacesActivationToken claims;
        try {
            claims = verifier.verify(token);
        } catch (SpacesTokenRejectedException e) {
            metrics.event("spaces", "activation", "rejected_" + e.rejection().name().toLowerCase(Locale.ROOT));
            Map<String, Object> shown = e.unverifiedClaims() == null ? null : e.unverifiedClaims().display();
            return new Result(e.rejection() == SpacesTokenRejectedException.Reason.EXPIRED ? Result.Kind.TOKEN_EXPIRED
                    : Result.Kind.TOKEN_INVALID, e.getMessage(), shown);
        } catch (TransientException e) {
            return new Result(Result.Kind.ACTIVATION_FAILED, "the Cisco Spaces partner keys could not be fetched ("
                    + e.getMessage() + "); try again later", SpacesTokenVerifier.decodeUnverified(token) == null ? null
                    : SpacesTokenVerifier.decodeUnverified(token).display());
        }
        String dashboard = settings.optional("activation.appDashboardUrl").orElse(appDashboardUrl == null ? "" : appDashboardUrl.trim());
        if (!dashboard.toLowerCase(Locale.ROOT).startsWith("https://")) {
            return new Result(Result.Kind.ACTIVATION_FAILED, "the app dashboard URL must be an https:// address", claims.display());
        }
        String marker = "activation.sent." + sha256(token.trim());
        Optional<String> before = state.get(NS, marker);
        if (before.isPresent()) {
            // Sending it again would deactivate the app at Cisco (§A4): refuse here.
            return new Result(Result.Kind.ALREADY_USED_HERE, "this token was already used here (" + before.get()
                    + "); a token works only once - ask the customer for a new activation token", claims.display());
        }
        state.put(NS, marker, "sent at " + clock.instant());
        Result r = call(token.trim(), claims, dashboard);
        state.put(NS, marker, r.kind().name() + " at " + clock.instant());
        metrics.event("spaces", "activation", r.kind().name().toLowerCase(Locale.ROOT));
        LOG.info("Cisco Spaces activation of {} for customer {}: {}", claims.appId(), claims.customer(), r.kind());
        return r;
    }

    private Result call(String token, SpacesActivationToken claims, String dashboard) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("appId", claims.appId());
        body.put("activationRefId", claims.activationRefId());
        body.put("appDashboardUrl", dashboard);
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = http.request(URI.create(claims.baseUrl().replaceAll("/+$", "")
                            + "/client/v1/partner/activateSingleTenantCloudApp"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            response = http.send("activateSingleTenantCloudApp", request, VendorHttp.Idempotency.NON_IDEMPOTENT);
        } catch (UnknownOutcomeException e) {
            metrics.outcome("spaces", "activateSingleTenantCloudApp", Outcome.UNKNOWN_OUTCOME);
            health.detail("activation", "outcome unknown for " + claims.appId() + ": needs a person");
            return unknown(claims, e.getMessage());
        } catch (TransientException e) {
            // Not sent at all (connect failure): the token is unused, the customer may paste it again.
            return new Result(Result.Kind.ACTIVATION_FAILED, "Cisco Spaces could not be reached (" + e.getMessage()
                    + "); the token was not used, try again", claims.display());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode answer;
        String invalid = null;
        try {
            answer = JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            answer = null;
            invalid = "the body is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage().lines().findFirst().orElse("") + (j.getLocation() == null ? ""
                    : " at line " + j.getLocation().getLineNr() + " column " + j.getLocation().getColumnNr())
                    : e.getMessage());
        }
        if (invalid == null && (answer == null || answer.isMissingNode() || !answer.isObject())) {
            invalid = response.body() == null || response.body().length == 0 ? "the body is empty" : "the body is not a JSON object";
        } else if (invalid == null && !answer.has("status")) {
            invalid = "the answer has no 'status' field";
        } else if (invalid == null && !answer.get("status").isBoolean()) {
            invalid = "'status' is not true or false but " + answer.get("status").getNodeType().name().toLowerCase(Locale.ROOT);
        }
        if (invalid != null) {
            // An HTML error page, a cut or garbled body: reached Cisco or a proxy, effect unknown (§A4).
            metrics.outcome("spaces", "activateSingleTenantCloudApp", Outcome.UNKNOWN_OUTCOME);
            return unknown(claims, "invalid answer from Cisco Spaces, HTTP " + response.statusCode() + ": " + invalid);
        }
        String message = answer.path("message").asText("");
        if (answer.path("status").asBoolean(false)) {
            String apiKey = answer.path("data").path("apiKey").asText(null);
            if (apiKey == null || apiKey.isBlank()) {
                return unknown(claims, "Cisco Spaces said activated but gave no apiKey");
            }
            state.putSecret(NS, API_KEY, apiKey);
            state.put(NS, BASE_URL, claims.baseUrl());
            state.put(NS, "activation.appId", claims.appId());
            state.put(NS, "activation.customer", String.valueOf(claims.customer()));
            state.put(NS, "activation.at", clock.instant().toString());
            health.up("activated " + claims.appId() + " for " + claims.customer());
            onActivated.run();
            return new Result(Result.Kind.ACTIVATED, "the app is activated for " + claims.customer()
                    + "; the API key is stored encrypted", claims.display());
        }
        metrics.outcome("spaces", "activateSingleTenantCloudApp", Outcome.REJECTED);
        return new Result(classify(message), "Cisco Spaces answered: " + message, claims.display());
    }

    /** §A4 "Project decision": configurable substrings of the message, expired before reused before invalid. */
    Result.Kind classify(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (anyOf(m, settings.list("activation.expiredMarkers"))) {
            return Result.Kind.TOKEN_EXPIRED;
        }
        if (anyOf(m, settings.list("activation.reusedMarkers"))) {
            return Result.Kind.TOKEN_REUSED_APP_DEACTIVATED;
        }
        if (anyOf(m, settings.list("activation.invalidMarkers"))) {
            return Result.Kind.TOKEN_INVALID;
        }
        return Result.Kind.ACTIVATION_FAILED;
    }

    private static boolean anyOf(String m, List<String> markers) {
        return markers.stream().anyMatch(k -> m.contains(k.toLowerCase(Locale.ROOT)));
    }

    private Result unknown(SpacesActivationToken claims, String why) {
        return new Result(Result.Kind.UNKNOWN_OUTCOME, "the activation may or may not have happened (" + why + "). It is "
                + "NOT retried: a second use of the token deactivates the app. Check the app in the Cisco Spaces "
                + "dashboard and, if needed, ask the customer for a new activation token", claims.display());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
