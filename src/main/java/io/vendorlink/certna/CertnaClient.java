package io.vendorlink.certna;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.CoreServices;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CeRTNA web services, top to bottom as the vendor documents them (protocol note): log in for a soft-token (§3),
 * send it as the {@code access_token} header on every other call (§4), StoreChecksum and ValidateChecksum (§5, §6),
 * Transaction (§7) and the Remote Folder payloads (§8). Every answer goes through {@link CertnaFailures}.
 *
 * <p>The token is a {@link SharedCredential}: one login for all concurrent callers, refreshed proactively after
 * {@code vendorlink.certna.token.idleRefresh} without use and reactively, once, on {@code InvalidUserCredentials}
 * ("Invalid Session Id"). A refused login is never retried: it is held for {@code token.rejectedLoginHold} so that a
 * queue of callers cannot lock the account (§12.1).
 */
public final class CertnaClient {
    private static final Logger LOG = LoggerFactory.getLogger(CertnaClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VENDOR = CertnaFailures.VENDOR;
    private static final String STATE_TOKEN = "accessToken";

    private final Settings settings;
    private final VendorHttp http;
    private final VendorMetrics metrics;
    private final VendorHealthCheck health;
    private final StateStore state;
    private final Clock clock;
    private final String baseUrl;
    private final String svcPath;
    private final String userName;
    private final Secret password;
    private final CertnaPasswordHasher hasher;
    private final Duration idleRefresh;
    private final Duration rejectedLoginHold;
    private final PathTemplate lockPath;
    private final PathTemplate finalizePath;
    private final PathTemplate unlockPath;
    private final ZoneId timeZone;
    private final SharedCredential<String> token;
    private volatile Instant lastUsed;
    private volatile RejectedException refusedLogin;
    private volatile Instant refusedUntil = Instant.EPOCH;

    public CertnaClient(CoreServices core, VendorHealthCheck health, Clock clock) {
        this.settings = core.settings(VENDOR);
        if (!core.sandboxEnabled()) {
            refuseSandboxValue("password", settings.secret("password").reveal());
            if (settings.string("password.saltSource").equals("config")) {
                refuseSandboxValue("password.salt", settings.secret("password.salt").reveal());
            }
        }
        this.http = core.http(VENDOR);
        this.metrics = core.metrics();
        this.health = health;
        this.state = core.stateStore();
        this.clock = clock;
        this.baseUrl = stripSlash(settings.string("baseUrl"));
        this.svcPath = stripSlash(settings.string("svcPath"));
        this.userName = settings.string("userName");
        this.password = settings.secret("password");
        Settings pw = settings.child("password");
        this.hasher = CertnaPasswordHasher.from(pw);
        this.idleRefresh = settings.duration("token.idleRefresh");
        this.rejectedLoginHold = settings.duration("token.rejectedLoginHold");
        Settings payloads = settings.child("payloads");
        this.lockPath = PathTemplate.parse(payloads.key("lockPath"), payloads.string("lockPath"));
        this.finalizePath = PathTemplate.parse(payloads.key("finalizePath"), payloads.string("finalizePath"));
        this.unlockPath = PathTemplate.parse(payloads.key("unlockPath"), payloads.string("unlockPath"));
        this.timeZone = ZoneId.of(settings.string("timeZone"));
        String restored = state.getSecret(VENDOR, STATE_TOKEN).orElse(null);
        this.lastUsed = restored == null ? null : state.updatedAt(VENDOR, STATE_TOKEN).orElse(clock.instant());
        this.token = SharedCredential.<String>builder(VENDOR, "access_token", metrics)
                .obtain(this::login)
                .initial(restored)
                .lockTimeout(settings.duration("token.loginLockTimeout"))
                .onChange(t -> state.putSecret(VENDOR, STATE_TOKEN, t))
                .clock(clock)
                .build();
    }

    // ---- §3 Login -------------------------------------------------------------------------------------------------

    /**
     * {@code POST /user/login {"user_name","password"}} → {@code {"access_token":"<guid>"}}. Called only through the
     * shared credential (single-flight). A refusal is a {@link RejectedException} naming the settings to check.
     */
    String login() {
        Instant now = clock.instant();
        if (refusedLogin != null && now.isBefore(refusedUntil)) {
            throw new RejectedException(VENDOR, "login", refusedLogin.vendorCode(), refusedLogin.vendorMessage(),
                    refusedLogin.getMessage() + " [not attempted again until " + refusedUntil + ": repeated failed "
                            + "logins could lock the account]", null);
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("user_name", userName);
        body.put("password", hasher.passwordField(userName, password, salt()));
        HttpResponse<byte[]> r = http.send("login", loginRequest(URI.create(baseUrl + "/user/login"), body),
                Idempotency.IDEMPOTENT);
        try {
            CertnaFailures.check("login", true, r.statusCode(), r.body());
        } catch (RejectedException e) {
            refusedLogin = new RejectedException(VENDOR, "login", e.vendorCode(), e.vendorMessage(),
                    "CeRTNA login failed for user '" + userName + "': " + e.getMessage() + ". Not retried. Check "
                            + "vendorlink.certna.userName and vendorlink.certna.password, the hash strategy "
                            + "vendorlink.certna.password.strategy (now " + hasher.describe() + "), "
                            + "vendorlink.certna.password.digest, vendorlink.certna.password.template and the salt "
                            + "(vendorlink.certna.password.saltSource = " + settings.string("password.saltSource") + ")",
                    null);
            refusedUntil = clock.instant().plus(rejectedLoginHold);
            health.down("login refused: " + e.getMessage());
            throw refusedLogin;
        } catch (VendorException e) {
            health.down("login failed: " + e.reason());
            throw e;
        }
        String accessToken = field(r.body(), "access_token", "login");
        Secret.of(accessToken); // registered for log redaction
        refusedLogin = null;
        lastUsed = clock.instant();
        health.up("logged in as " + userName);
        health.detail("loggedInAt", lastUsed.toString());
        return accessToken;
    }

    /** The salt (§3.1 salt source): a configured secret, or fetched from a URL template with a JSON pointer. */
    private String salt() {
        Settings pw = settings.child("password");
        String source = pw.string("saltSource");
        switch (source) {
            case "config":
                return pw.optional("salt").map(s -> pw.secret("salt").reveal()).orElse("");
            case "endpoint": {
                String path = pw.string("saltEndpoint.path")
                        .replace("{user}", URLEncoder.encode(userName, StandardCharsets.UTF_8));
                HttpResponse<byte[]> r = http.send("salt", http.request(URI.create(baseUrl + path)).GET().build(),
                        Idempotency.IDEMPOTENT);
                CertnaFailures.check("salt", true, r.statusCode(), r.body());
                JsonNode node = CertnaFailures.json(r.body());
                JsonNode salt = node == null ? null : node.at(pw.string("saltEndpoint.pointer"));
                if (salt == null || salt.isMissingNode() || salt.isNull()) {
                    throw new RejectedException(VENDOR, "salt", null, null, "the salt endpoint answered without "
                            + pw.string("saltEndpoint.pointer") + "; check vendorlink.certna.password.saltEndpoint.*", null);
                }
                return salt.asText();
            }
            default:
                throw new IllegalStateException(pw.key("saltSource") + " = '" + source + "' is not config or endpoint");
        }
    }

    // ---- §4 Using the token ---------------------------------------------------------------------------------------

    /**
     * One call with the {@code access_token} header: proactive refresh after the idle time, then the call, with one
     * re-login and one replay on an expired session.
     */
    private byte[] call(String operation, String method, URI uri, Object jsonBody, byte[] rawBody, String contentType,
                        Idempotency idempotency) {
        String current = token.peek();
        if (current != null && lastUsed != null && clock.instant().isAfter(lastUsed.plus(idleRefresh))) {
            LOG.info("vendor=certna access_token unused for more than {}: logging in again proactively", idleRefresh);
            token.refresh(current, "proactive");
        }
        byte[] answer = token.callWithReplay(t -> {
            HttpRequest.Builder b = http.request(uri).header("access_token", t);
            byte[] body = rawBody;
            if (jsonBody != null) {
                body = writeJson(jsonBody);
                b.header("Content-Type", "application/json");
            } else if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r = http.send(operation, b.build(), idempotency);
            try {
                CertnaFailures.check(operation, idempotency == Idempotency.IDEMPOTENT, r.statusCode(), r.body());
            } catch (VendorException e) {
                metrics.outcome(VENDOR, operation, e.outcome());
                throw e;
            }
            metrics.outcome(VENDOR, operation, Outcome.SUCCESS);
            return r.body();
        });
        lastUsed = clock.instant();
        return answer;
    }

    // ---- §5 StoreChecksum -----------------------------------------------------------------------------------------

    /** {@code POST /storechecksum {"checksum"}} (at the host root, §5) → the {@code checksum_key} GUID. */
    public String storeChecksum(String checksum) {
        byte[] r = call("storeChecksum", "POST", URI.create(baseUrl + "/storechecksum"), Map.of("checksum", checksum),
                null, null, Idempotency.IDEMPOTENT);
        return field(r, "checksum_key", "storeChecksum");
    }

    // ---- §6 ValidateChecksum --------------------------------------------------------------------------------------

    /** Current form: {@code POST {svc}/validatechecksum {checksum_key, checksum}} → {@code {"is_valid":"true"}}. */
    public boolean validateChecksum(String checksumKey, String checksum) {
        byte[] r = call("validateChecksum", "POST", svc("/validatechecksum"),
                Map.of("checksum_key", checksumKey, "checksum", checksum), null, null, Idempotency.IDEMPOTENT);
        return bool(r, "is_valid", "validateChecksum");
    }

    /** 2018 form: {@code POST /ValidateBase64DocumentChecksum} with the document's coordinates → {@code result}. */
    public boolean validateChecksumLegacy(String transactionType, String submitterId, String primaryReference,
                                          int documentOrderIndex, String checksum) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transaction_type", transactionType);
        body.put("submitter_id", submitterId);
        body.put("primary_reference", primaryReference);
        body.put("document_order_index", documentOrderIndex);
        body.put("checksum_algorithm", CertnaChecksum.ALGORITHM);
        body.put("checksum_value", checksum);
        byte[] r = call("validateChecksum", "POST", URI.create(baseUrl + "/ValidateBase64DocumentChecksum"), body,
                null, null, Idempotency.IDEMPOTENT);
        return bool(r, "result", "validateChecksum");
    }

    // ---- §7 Transaction -------------------------------------------------------------------------------------------

    /**
     * {@code GET {svc}/transaction?submitter_id&primary_reference&include_history} → the {@code result} object. Known
     * timestamp fields are parsed as local date-times in {@code vendorlink.certna.timeZone}; other fields are kept as
     * they come (§7, §12.11).
     */
    public Map<String, Object> transaction(String submitterId, String primaryReference, boolean includeHistory) {
        URI uri = svc("/transaction?submitter_id=" + q(submitterId) + "&primary_reference=" + q(primaryReference)
                + "&include_history=" + includeHistory);
        byte[] r = call("transaction", "GET", uri, null, null, null, Idempotency.IDEMPOTENT);
        JsonNode result = node(r, "transaction").get("result");
        if (result == null || !result.isObject()) {
            throw new TransientException(VENDOR, "transaction", "answer without a result object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = JSON.convertValue(result, LinkedHashMap.class);
        for (String f : List.of("CREATED", "LAST_MODIFIED")) {
            if (out.get(f) instanceof String s) {
                out.put(f + "_INSTANT", instant(s));
            }
        }
        return out;
    }

    /** A CeRTNA timestamp ({@code 2020-07-23T14:23:56}, no zone) in the configured zone (§7). */
    public String instant(String local) {
        try {
            return LocalDateTime.parse(local).atZone(timeZone).toInstant().toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- §8 Payloads (Remote Folder) ------------------------------------------------------------------------------

    public record Repository(String name, int count) {
    }

    /** {@code GET {svc}/payloads} → {@code [{"Count":n,"RepositoryName":"…"}]}. */
    public List<Repository> listRepositories() {
        byte[] r = call("listRepositories", "GET", svc("/payloads"), null, null, null, Idempotency.IDEMPOTENT);
        List<Repository> out = new ArrayList<>();
        for (JsonNode n : array(node(r, "listRepositories"), "listRepositories")) {
            out.add(new Repository(n.path("RepositoryName").asText(), n.path("Count").asInt()));
        }
        health.detail("repositories", out.stream().map(Repository::name).toList().toString());
        return out;
    }

    /**
     * {@code GET {svc}/payloads/{repository}?filter&page_size&page&order}. The answer's shape is UNKNOWN (§8): an array
     * of names, or of objects with a file-name field, bare or under {@code result}, are all accepted.
     */
    public List<String> listPayloads(String repository, String filter, Integer page, Integer pageSize, String order) {
        StringBuilder query = new StringBuilder();
        if (filter != null && !filter.isBlank()) {
            try {
                PayloadFilter.parseAll(filter);
            } catch (IllegalArgumentException e) {
                throw new io.vendorlink.core.failure.InvalidInputException(VENDOR, "listPayloads",
                        "filter '" + filter + "' does not follow the CeRTNA grammar: " + e.getMessage());
            }
            query.append("&filter=").append(q(filter));
        }
        if (pageSize != null) {
            query.append("&page_size=").append(pageSize);
        }
        if (page != null) {
            query.append("&page=").append(page);
        }
        if (order != null && !order.isBlank()) {
            query.append("&order=").append(q(order));
        }
        String qs = query.length() == 0 ? "" : "?" + query.substring(1);
        byte[] r = call("listPayloads", "GET", svc("/payloads/" + seg(repository) + qs), null, null, null,
                Idempotency.IDEMPOTENT);
        List<String> names = new ArrayList<>();
        for (JsonNode n : array(node(r, "listPayloads"), "listPayloads")) {
            if (n.isTextual()) {
                names.add(n.asText());
            } else {
                for (String f : List.of("FileName", "file_name", "Name", "PayloadName", "payload_name")) {
                    if (n.hasNonNull(f)) {
                        names.add(n.get(f).asText());
                        break;
                    }
                }
            }
        }
        return names;
    }

    /** {@code POST {svc}/payloads/{repository}/{payload_name}}, body = the XML → the {@code .tmp} name it landed as. */
    public String sendPayload(String repository, String payloadName, byte[] xml) {
        byte[] r = call("sendPayload", "POST", svc("/payloads/" + seg(repository) + "/" + seg(payloadName)), null, xml,
                "application/xml", Idempotency.NON_IDEMPOTENT);
        return field(r, "result", "sendPayload");
    }

    /** Finalize (§8, path a project placeholder): renames the {@code .tmp} file to {@code .xml}; returns the new name. */
    public String finalizePayload(String repository, String tmpName) {
        byte[] r = call("finalizePayload", finalizePath.method(), svc(finalizePath.expand(repository, tmpName)), null,
                null, null, Idempotency.IDEMPOTENT);
        JsonNode n = CertnaFailures.json(r);
        if (n != null && n.hasNonNull("result") && n.get("result").asText().endsWith(".xml")) {
            return n.get("result").asText();
        }
        return tmpName.endsWith(".tmp") ? tmpName.substring(0, tmpName.length() - 4) + ".xml" : tmpName;
    }

    /** Lock (§8, path a project placeholder): required before retrieve and delete. */
    public void lockPayload(String repository, String payloadName) {
        call("lockPayload", lockPath.method(), svc(lockPath.expand(repository, payloadName)), null, null, null,
                Idempotency.IDEMPOTENT);
    }

    /** Unlock (§8: whether it exists is UNKNOWN; path a project placeholder). */
    public void unlockPayload(String repository, String payloadName) {
        call("unlockPayload", unlockPath.method(), svc(unlockPath.expand(repository, payloadName)), null, null, null,
                Idempotency.IDEMPOTENT);
    }

    /** {@code GET {svc}/payloads/{repository}/{payload_name}} → the PRIA XML; locks first if CeRTNA says it is not. */
    public byte[] retrievePayload(String repository, String payloadName) {
        return lockedIfNeeded(repository, payloadName, () -> call("retrievePayload", "GET",
                svc("/payloads/" + seg(repository) + "/" + seg(payloadName)), null, null, null, Idempotency.IDEMPOTENT));
    }

    /** {@code DELETE {svc}/payloads/{repository}/{payload_name}} → {@code {"result":"true"}}; locks first if needed. */
    public void deletePayload(String repository, String payloadName) {
        byte[] r = lockedIfNeeded(repository, payloadName, () -> call("deletePayload", "DELETE",
                svc("/payloads/" + seg(repository) + "/" + seg(payloadName)), null, null, null, Idempotency.IDEMPOTENT));
        if (!bool(r, "result", "deletePayload")) {
            throw new RejectedException(VENDOR, "deletePayload", null, null,
                    "CeRTNA answered result=false when deleting " + repository + "/" + payloadName, null);
        }
    }

    /** §12.5: on {@code PayloadFileLockError}, lock, then retry once; a second lock error is reported. */
    private byte[] lockedIfNeeded(String repository, String payloadName, java.util.function.Supplier<byte[]> call) {
        try {
            return call.get();
        } catch (RejectedException e) {
            if (!"PayloadFileLockError".equalsIgnoreCase(e.vendorCode())) {
                throw e;
            }
            LOG.info("vendor=certna {} {}/{} is not locked: locking and retrying once", e.operation(), repository, payloadName);
            metrics.retry(VENDOR, Outcome.REJECTED);
            lockPayload(repository, payloadName);
            return call.get();
        }
    }

    /**
     * §8 / §12.10: the configured repository names must exist, as {@code GET /payloads} shows them (the two wiki
     * revisions name them differently). Returns the discovered names, or fails with a configuration error.
     */
    public List<String> checkRepositories(Map<String, String> roles) {
        List<String> found = listRepositories().stream().map(Repository::name).toList();
        for (var role : roles.entrySet()) {
            if (!found.contains(role.getValue())) {
                throw new RejectedException(VENDOR, "listRepositories", null, null, "repository '" + role.getValue()
                        + "' (vendorlink.certna.repository." + role.getKey() + ") is not one of CeRTNA's repositories "
                        + found + "; set vendorlink.certna.repository." + role.getKey() + " to one of them", null);
            }
        }
        return found;
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    public Instant lastUsed() {
        return lastUsed;
    }

    /** The current token without obtaining one (tests, health). */
    public String currentToken() {
        return token.peek();
    }

    /** Forgets the token and any held login refusal (tests; an operator's "log in again"). */
    public void forgetToken() {
        token.invalidate();
        refusedLogin = null;
        lastUsed = null;
    }

    /** Logs in now if there is no token yet; used by the health check. */
    public void ensureLoggedIn() {
        token.get();
    }

    private URI svc(String pathAndQuery) {
        return URI.create(baseUrl + svcPath + pathAndQuery);
    }

    private HttpRequest loginRequest(URI uri, Object body) {
        return http.request(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(writeJson(body))).build();
    }

    private static byte[] writeJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode node(byte[] body, String operation) {
        JsonNode n = CertnaFailures.json(body);
        if (n == null) {
            throw new TransientException(VENDOR, operation, "CeRTNA answered " + operation + " with 2xx but the body is "
                    + CertnaFailures.notJson(body));
        }
        return n;
    }

    private static Iterable<JsonNode> array(JsonNode n, String operation) {
        JsonNode a = n.isArray() ? n : n.get("result");
        if (a == null || !a.isArray()) {
            throw new TransientException(VENDOR, operation, "CeRTNA answered without the expected list");
        }
        return a::elements;
    }

    private static String field(byte[] body, String name, String operation) {
        JsonNode v = node(body, operation).get(name);
        if (v != null && !v.isNull() && !v.isValueNode()) {
            throw new TransientException(VENDOR, operation, "CeRTNA answered " + operation + " with '" + name
                    + "' that is not text but " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new TransientException(VENDOR, operation, "CeRTNA answered " + operation + " without '" + name + "'");
        }
        return v.asText();
    }

    /** Booleans come as strings ({@code "true"}) or JSON booleans (§6, §10). */
    private static boolean bool(byte[] body, String name, String operation) {
        JsonNode v = node(body, operation).get(name);
        if (v == null || v.isNull()) {
            throw new TransientException(VENDOR, operation, "CeRTNA answered without '" + name + "'");
        }
        return v.isBoolean() ? v.asBoolean() : "true".equalsIgnoreCase(v.asText().trim());
    }

    static String q(String v) {
        return URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A path segment: percent-encoded, so a {@code /} inside a name stays inside its segment (§8). */
    static String seg(String v) {
        return q(v);
    }

    /** Decodes one raw path segment ({@code +} is literal in a path, unlike in a form). */
    public static String decodeSegment(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static void refuseSandboxValue(String name, String value) {
        if (value.contains("not-for-production")) {
            throw new IllegalStateException("vendorlink.certna." + name + " still has its sandbox-only default while "
                    + "vendorlink.sandbox.enabled=false; give the real value through "
                    + Settings.envName("vendorlink.certna." + name));
        }
    }

    /**
     * A configurable {@code METHOD /path/{repository}/{payload_name}} template for the operations whose endpoint is
     * UNKNOWN (§8: lock, finalize, unlock); placeholders are encoded as path segments.
     */
    public record PathTemplate(String method, String path) {
        public static PathTemplate parse(String key, String value) {
            String[] parts = value.trim().split("\\s+", 2);
            if (parts.length != 2 || !parts[1].startsWith("/") || !parts[0].matches("GET|POST|PUT|PATCH|DELETE")) {
                throw new IllegalStateException(key + " = '" + value + "' is not 'METHOD /path' (e.g. POST /payloads/"
                        + "{repository}/{payload_name}/lock)");
            }
            return new PathTemplate(parts[0], parts[1]);
        }

        public String expand(String repository, String payloadName) {
            return path.replace("{repository}", seg(repository)).replace("{payload_name}", seg(payloadName));
        }

        /** The inverse, for the sandbox: the repository and payload name if a raw path matches, else null. */
        public String[] match(String method, String rawPath) {
            if (!this.method.equals(method)) {
                return null;
            }
            String regex = java.util.regex.Pattern.quote(path).replace("{repository}", "\\E([^/]+)\\Q")
                    .replace("{payload_name}", "\\E([^/]+)\\Q");
            var m = java.util.regex.Pattern.compile(regex).matcher(rawPath);
            if (!m.matches()) {
                return null;
            }
            int r = path.indexOf("{repository}");
            int p = path.indexOf("{payload_name}");
            String g1 = decodeSegment(m.group(1));
            String g2 = decodeSegment(m.group(2));
            return r < p ? new String[]{g1, g2} : new String[]{g2, g1};
        }
    }

}
