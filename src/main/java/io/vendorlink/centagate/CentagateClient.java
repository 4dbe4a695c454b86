package io.vendorlink.centagate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.core.http.VendorHttp.Idempotency;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.retry.SharedCredential;
import io.vendorlink.core.security.Secret;
import io.vendorlink.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The CentaGate connector, in the order of the protocol: authenticate the admin with {@code auth/authBasic} (signed
 * with the App Secret Key, §5.1) into a shared session, then call the server APIs with a cenToken (§6.1) computed from
 * that session. The session is single-flight ({@link SharedCredential}), renewed proactively at a fraction of
 * {@code sessionTimeout} and once reactively when the server answers a session-invalid code (§10).
 */
public final class CentagateClient {
    public static final String VENDOR = "centagate";
    private static final Logger LOG = LoggerFactory.getLogger(CentagateClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_NAMESPACE = "centagate";

    /** tokenType of registerActiveToken (§6.2). */
    public enum TokenType {
        SMS("1"), OTP("2");

        private final String wire;

        TokenType(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final Settings settings;
    private final VendorHttp http;
    private final VendorMetrics metrics;
    private final VendorHealthCheck health;
    private final StateStore state;
    private final Clock clock;
    private final String host;
    private final String authBase;
    private final String serverBase;
    private final String integrationKey;
    private final Secret secretKey;
    private final String adminUsername;
    private final Secret adminPassword;
    private final List<String> hmacFields;
    private final List<String> logoutHmacFields;
    private final double renewAtFraction;
    private final Duration fallbackTimeout;
    private final boolean replayRegistrations;
    private final boolean persistSession;
    private final String sessionCheckVariant;
    private final CentagateReturnCodes codes;
    private final Set<String> alreadyRegisteredCodes;
    private final SharedCredential<CentagateSession> session;

    public CentagateClient(Settings s, VendorHttp http, VendorMetrics metrics, VendorHealthCheck health, StateStore state,
                           Clock clock) {
        this.settings = s;
        this.http = http;
        this.metrics = metrics;
        this.health = health;
        this.state = state;
        this.clock = clock;
        this.host = s.string("host");
        this.authBase = trimSlash(s.string("authBase"));
        this.serverBase = trimSlash(s.string("serverBase"));
        this.integrationKey = s.string("integrationKey");
        this.secretKey = s.secret("secretKey");
        this.adminUsername = s.string("adminUsername");
        this.adminPassword = s.secret("adminPassword");
        this.hmacFields = s.list("auth.hmacFields");
        this.logoutHmacFields = s.list("logout.hmacFields");
        this.renewAtFraction = s.decimal("session.renewAtFraction");
        if (renewAtFraction <= 0 || renewAtFraction > 1) {
            throw new IllegalStateException("Setting " + s.key("session.renewAtFraction") + " must be in (0, 1]");
        }
        if (s.bool("auth.passwordEncrypted")) {
            throw new IllegalStateException("Setting " + s.key("auth.passwordEncrypted")
                    + " = true is not supported: the AES scheme of isPasswordEncrypted is UNKNOWN (protocol note §5.1); "
                    + "the password travels in plain text over verified TLS");
        }
        this.fallbackTimeout = s.duration("session.fallbackTimeout");
        this.replayRegistrations = s.bool("session.replayRegistrations");
        this.persistSession = s.bool("session.persist");
        this.sessionCheckVariant = s.string("sessionCheck.variant");
        if (!sessionCheckVariant.equals("put") && !sessionCheckVariant.equals("get")) {
            throw new IllegalStateException("Setting " + s.key("sessionCheck.variant") + " must be put or get");
        }
        this.codes = new CentagateReturnCodes(new HashSet<>(s.list("session.invalidCodes")));
        this.alreadyRegisteredCodes = new HashSet<>(s.list("register.alreadyRegisteredCodes"));
        this.session = SharedCredential.<CentagateSession>builder(VENDOR, "session", metrics)
                .obtain(this::authenticate)
                .minInterval(s.duration("session.minInterval"))
                .lockTimeout(s.duration("session.lockTimeout"))
                .onChange(this::remember)
                .initial(restore())
                .clock(clock)
                .build();
    }

    public String adminUsername() {
        return adminUsername;
    }

    // ---- §5.1 authentication ---------------------------------------------------------------------------------------

    /**
     * {@code POST {authBase}/auth/authBasic}: the admin's username and password with the App's integrationKey, the
     * current {@code unixTimestamp} in seconds and the {@code hmac} over the configured field order. An empty
     * {@code secretCode} in the answer means "authenticate again" (§11): one more attempt, then a clear failure.
     */
    CentagateSession authenticate() {
        for (int attempt = 1; ; attempt++) {
            CentagateSession s = authenticateOnce();
            if (s != null) {
                health.up("authenticated as " + adminUsername + "; session renews at " + s.renewAt());
                health.detail("sessionRenewAt", s.renewAt().toString());
                return s;
            }
            if (attempt >= 2) {
                RejectedException e = new RejectedException(VENDOR, "authBasic", "0", "empty secretCode",
                        "CentaGate authBasic succeeded twice with an empty secretCode: the session cannot sign server "
                                + "calls (a cenToken is never computed with an empty key). Check the admin account", null);
                health.down(e.getMessage());
                throw e;
            }
            LOG.warn("vendor=centagate authBasic returned an empty secretCode: authenticating again once (§11)");
        }
    }

    private CentagateSession authenticateOnce() {
        Instant now = clock.instant();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", adminUsername);
        fields.put("password", adminPassword.reveal());
        fields.put("integrationKey", integrationKey);
        fields.put("unixTimestamp", CentagateSigner.unixTimestamp(now));
        // Optional fields travel as empty strings unless configured, so that the field order cannot matter (§5.1).
        fields.put("supportFido", settings.string("auth.supportFido", ""));
        fields.put("ipAddress", settings.string("auth.ipAddress", ""));
        fields.put("userAgent", settings.string("auth.userAgent", ""));
        fields.put("browserFp", settings.string("auth.browserFp", ""));
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("hmac", CentagateSigner.authHmac(secretKey.reveal(), hmacFields, fields));
        LOG.debug("vendor=centagate authBasic canonical string (password masked) over {}: {}", hmacFields,
                canonicalMasked(fields));
        CentagateEnvelope env = exchange("authBasic", "POST", uri("authBasic", authBase, "auth/authBasic"), body,
                Idempotency.IDEMPOTENT);
        if (!env.success()) {
            String hint = switch (env.code()) {
                case "23022" -> "field order used " + hmacFields + ", canonical string (password masked) "
                        + canonicalMasked(fields);
                case "23023" -> "local clock " + now + ", unixTimestamp sent " + fields.get("unixTimestamp") + " s";
                default -> null;
            };
            VendorException e = codes.failure("authBasic", env, false, hint);
            metrics.outcome(VENDOR, "authBasic", e.outcome());
            if (!(e instanceof TransientException)) {
                health.down(e.getMessage());
            }
            LOG.warn("vendor=centagate authBasic failed: {}", e.getMessage());
            throw e;
        }
        metrics.outcome(VENDOR, "authBasic", Outcome.SUCCESS);
        if ("true".equalsIgnoreCase(env.field("passwordExpired"))) {
            RejectedException e = new RejectedException(VENDOR, "authBasic", "0", "passwordExpired",
                    "the CentaGate password of " + adminUsername + " has expired: change it, then update "
                            + settings.key("adminPassword"), null);
            health.down(e.getMessage());
            throw e;
        }
        String secretCode = env.field("secretCode");
        String authToken = env.field("authToken");
        if (secretCode.isEmpty() || authToken.isEmpty()) {
            return null;
        }
        Duration timeout = fallbackTimeout;
        try {
            long ms = Long.parseLong(env.field("sessionTimeout").trim());
            if (ms > 0) {
                timeout = Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            LOG.warn("vendor=centagate authBasic gave no usable sessionTimeout; assuming {} ({})", timeout,
                    settings.key("session.fallbackTimeout"));
        }
        Instant obtained = clock.instant();
        Instant renewAt = obtained.plusMillis((long) (timeout.toMillis() * renewAtFraction));
        return new CentagateSession(Secret.of(authToken), Secret.of(secretCode), timeout, obtained, renewAt,
                env.field("userId"), env.field("role"));
    }

    /** The current session, renewed first when it is due (proactive renewal, §8). */
    public CentagateSession session() {
        CentagateSession s = session.get();
        if (s.dueForRenewal(clock.instant())) {
            s = session.refresh(s, "proactive");
        }
        return s;
    }

    /**
     * {@code POST {authBase}/auth/logout} (§5.3): ends the current session, if any. The hmac is over
     * {@code username + integrationKey + unixTimestamp + authToken}.
     */
    public void logout() {
        CentagateSession s = session.peek();
        if (s == null) {
            return;
        }
        session.invalidate();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", adminUsername);
        fields.put("integrationKey", integrationKey);
        fields.put("unixTimestamp", CentagateSigner.unixTimestamp(clock.instant()));
        fields.put("authToken", s.authToken().reveal());
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("hmac", CentagateSigner.authHmac(secretKey.reveal(), logoutHmacFields, fields));
        CentagateEnvelope env = exchange("logout", "POST", uri("logout", authBase, "auth/logout"), body, Idempotency.IDEMPOTENT);
        if (!env.success()) {
            throw codes.failure("logout", env, false, null);
        }
        if (persistSession) {
            state.delete(STATE_NAMESPACE, "session");
        }
    }

    // ---- §6 server APIs --------------------------------------------------------------------------------------------

    /**
     * {@code PUT {serverBase}/token/registerActiveToken/{admin}} (§6.2): binds an SMS number or an OTP token serial
     * to a user. Returns the success object (boundUser, boundUserFirtName [sic], ...) plus code and message.
     */
    public Map<String, Object> registerActiveToken(String username, String tokenSn, TokenType type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("tokenSn", tokenSn);
        body.put("tokenType", type.wire()); // numeric-looking fields travel as strings (§4)
        try {
            return result(serverCall("registerActiveToken", "token/registerActiveToken/", body, replayRegistrations));
        } catch (RejectedException e) {
            if (e.vendorCode() != null && alreadyRegisteredCodes.contains(e.vendorCode())) {
                // §13.9: configured "already registered" codes count as an idempotent success.
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("code", e.vendorCode());
                out.put("message", e.vendorMessage());
                out.put("alreadyRegistered", true);
                return out;
            }
            throw e;
        }
    }

    /** {@code PUT {serverBase}/token/unregisterActiveToken/{admin}}: type 1 Mobile, 2 SMS, 3 CR/CH token, 4 PKI (§6.3). */
    public Map<String, Object> unregisterActiveToken(String username, int type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("type", Integer.toString(type));
        return result(serverCall("unregisterActiveToken", "token/unregisterActiveToken/", body, replayRegistrations));
    }

    /**
     * {@code PUT {serverBase}/user/registerUserActivate/{admin}} (§6.3): creates an active user. {@code user} holds
     * firstName, lastName, username, userEmail and optionally userApp, userUniqueId, userClientId, roles, userGroup,
     * userAdditionalData1..5. The result's {@code userId} is the new user's id.
     */
    public Map<String, Object> registerUserActivate(Map<String, Object> user) {
        Map<String, Object> body = new LinkedHashMap<>();
        user.forEach((k, v) -> body.put(k, v == null ? "" : v.toString()));
        body.putIfAbsent("roles", "3");
        body.putIfAbsent("userGroup", "default");
        CentagateEnvelope env = serverCall("registerUserActivate", "user/registerUserActivate/", body, replayRegistrations);
        Map<String, Object> out = result(env);
        out.put("userId", env.object().isMissingNode() ? "" : env.object().asText());
        return out;
    }

    /**
     * The session check (§6.3), variant by {@code sessionCheck.variant}: {@code put} = PUT
     * {@code session/check/{username}/{cenToken}} [CGD], {@code get} = GET {@code auth/sessioncheck/...} [PDF 2018].
     * The cenToken travels in the path and is built from the session owner's name (the admin here).
     */
    public boolean checkSession() {
        CentagateSession s = session();
        String cen = s.cenToken(adminUsername);
        String path = (sessionCheckVariant.equals("put") ? "session/check/" : "auth/sessioncheck/")
                + encode(adminUsername) + "/" + cen;
        CentagateEnvelope env = exchange("sessionCheck", sessionCheckVariant.equals("put") ? "PUT" : "GET",
                uri("sessionCheck", serverBase, path), sessionCheckVariant.equals("put") ? Map.of() : null,
                Idempotency.IDEMPOTENT);
        return env.success();
    }

    /**
     * One server API call with the session's cenToken. On a session-invalid code: re-authenticate once, recompute the
     * cenToken and replay once (§10); a second failure is a rejection. {@code replay=false} reports the first one.
     */
    private CentagateEnvelope serverCall(String operation, String pathPrefix, Map<String, Object> body, boolean replay) {
        URI uri = uri(operation, serverBase, pathPrefix + encode(adminUsername));
        Function<CentagateSession, CentagateEnvelope> call = s -> {
            Map<String, Object> signed = new LinkedHashMap<>(body);
            signed.put("cenToken", s.cenToken(adminUsername));
            CentagateEnvelope env = exchange(operation, "PUT", uri, signed, Idempotency.NON_IDEMPOTENT);
            if (!env.success()) {
                VendorException e = codes.failure(operation, env, true, null);
                metrics.outcome(VENDOR, operation, e.outcome());
                throw e;
            }
            metrics.outcome(VENDOR, operation, Outcome.SUCCESS);
            return env;
        };
        CentagateSession current = session();
        if (replay) {
            return session.callWithReplay(call);
        }
        try {
            return call.apply(current);
        } catch (CredentialsExpiredException e) {
            session.refresh(current, "expired");
            throw new RejectedException(VENDOR, operation, e.vendorCode(), e.vendorMessage(), e.getMessage()
                    + "; the session was renewed but the call is not replayed (" + settings.key("session.replayRegistrations")
                    + " = false)", e);
        }
    }

    private static Map<String, Object> result(CentagateEnvelope env) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", env.code());
        out.put("message", env.message());
        if (env.object().isObject()) {
            env.object().fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().isValueNode()
                    ? f.getValue().asText() : f.getValue().toString()));
        }
        return out;
    }

    // ---- transport and envelope ----------------------------------------------------------------------------------

    /**
     * Sends JSON and parses the envelope on any HTTP status (§4: business errors may come with any status). No
     * envelope: a transport failure, transient for idempotent calls and of unknown outcome otherwise (a registration
     * may have happened: check before resending, §13.10).
     */
    private CentagateEnvelope exchange(String operation, String method, URI uri, Map<String, Object> body,
                                       Idempotency idempotency) {
        HttpRequest.Builder rb = http.request(uri).header("Accept", "application/json");
        if (body != null) {
            try {
                rb.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r = http.send(operation, rb.build(), idempotency);
        Optional<CentagateEnvelope> env = CentagateEnvelope.parse(r.body());
        if (env.isPresent()) {
            return env.get();
        }
        String what = "CentaGate " + operation + " answered HTTP " + r.statusCode() + " without a CentaGate envelope ("
                + describe(r.body()) + ")";
        if (idempotency == Idempotency.IDEMPOTENT) {
            metrics.outcome(VENDOR, operation, Outcome.TRANSIENT);
            throw new TransientException(VENDOR, operation, "http-" + r.statusCode(), null, what, null);
        }
        metrics.outcome(VENDOR, operation, Outcome.UNKNOWN_OUTCOME);
        throw new UnknownOutcomeException(VENDOR, operation, "http-" + r.statusCode(), null, what
                + ": the call may have taken effect; check the token/user state before sending it again", null);
    }

    private static String describe(byte[] body) {
        if (body == null || body.length == 0) {
            return "empty body";
        }
        String s = new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return body.length + " bytes starting '" + s + "'";
    }

    /** {@code operation.<name>.base} overrides the group base for one operation (§3). */
    private URI uri(String operation, String groupBase, String path) {
        String base = settings.optional("operation." + operation + ".base").map(CentagateClient::trimSlash).orElse(groupBase);
        return URI.create(base + "/" + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private String canonicalMasked(Map<String, String> fields) {
        Map<String, String> masked = new LinkedHashMap<>(fields);
        masked.put("password", "<password>");
        return CentagateSigner.canonicalString(hmacFields, masked);
    }

    // ---- session persistence (encrypted at rest, DESIGN "State that must survive a restart") ----------------------

    private void remember(CentagateSession s) {
        if (!persistSession) {
            return;
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("authToken", s.authToken().reveal());
        m.put("secretCode", s.secretCode().reveal());
        m.put("sessionTimeoutMs", Long.toString(s.sessionTimeout().toMillis()));
        m.put("obtainedAt", s.obtainedAt().toString());
        m.put("renewAt", s.renewAt().toString());
        m.put("userId", s.userId());
        m.put("role", s.role());
        m.put("host", host);
        try {
            state.putSecret(STATE_NAMESPACE, "session", JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CentagateSession restore() {
        if (!persistSession) {
            return null;
        }
        try {
            Optional<String> stored = state.getSecret(STATE_NAMESPACE, "session");
            if (stored.isEmpty()) {
                return null;
            }
            JsonNode m = JSON.readTree(stored.get());
            Instant renewAt = Instant.parse(m.get("renewAt").asText());
            if (!host.equals(m.path("host").asText()) || !renewAt.isAfter(clock.instant())
                    || m.get("secretCode").asText().isEmpty()) {
                return null;
            }
            LOG.info("vendor=centagate restored the session obtained at {} (renews at {})", m.get("obtainedAt").asText(), renewAt);
            return new CentagateSession(Secret.of(m.get("authToken").asText()), Secret.of(m.get("secretCode").asText()),
                    Duration.ofMillis(m.get("sessionTimeoutMs").asLong()), Instant.parse(m.get("obtainedAt").asText()),
                    renewAt, m.path("userId").asText(), m.path("role").asText());
        } catch (Exception e) {
            LOG.warn("vendor=centagate stored session unreadable ({}); authenticating afresh", e.toString());
            return null;
        }
    }
}
