package io.vendorlink.sandbox.certna;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.certna.CertnaChecksum;
import io.vendorlink.certna.CertnaClient.PathTemplate;
import io.vendorlink.certna.CertnaPasswordHasher;
import io.vendorlink.certna.PayloadFilter;
import io.vendorlink.core.Settings;
import io.vendorlink.core.sandbox.FaultSwitches;
import io.vendorlink.core.sandbox.SandboxExchange;
import io.vendorlink.core.sandbox.SandboxServer;
import io.vendorlink.core.security.SafeXml;
import io.vendorlink.core.security.Secret;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A faithful CeRTNA simulator (protocol note §11) on the core {@link SandboxServer}: login verified through the same
 * {@link CertnaPasswordHasher} with a per-user salt fixture, the {@code access_token} header on every other call,
 * StoreChecksum / ValidateChecksum (current and 2018 forms), Transaction, and the Remote Folder with repositories as
 * folders on disk (so the repository survives a crash of the runtime, like the real one), locks, {@code .tmp} sends,
 * finalize, and the documented filter grammar. Errors are always HTTP 500 with the {@code Exception} JSON, or the
 * lower-case {@code {code,message}} form when {@code errors.lowercase} is on.
 *
 * <p>Fault switches ({@code POST /__admin/faults?name=value}; counted values fire that many times):
 * {@code token.expire} (every issued token becomes invalid), {@code login.error} (DatabaseError back-end fault on login),
 * {@code payloads.lockError} (lock answers PayloadFileLockError), {@code checksum.malformedGuid} (StoreChecksum hands
 * out a key that is not a GUID), {@code http.500} (a DatabaseError back-end fault on any call),
 * {@code errors.lowercase}, {@code payloads.finalizeError}, {@code payloads.sendLostAnswer} (stored, then the connection drops),
 * {@code payloads.deleteHangMillis} (delete waits before acting), plus the core's
 * {@code http.html500}, {@code http.slowMillis} (timeouts) and {@code http.reset}.
 */
public final class CertnaSandbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final ZoneId VENDOR_ZONE = ZoneId.of("America/Los_Angeles");
    private static final long MAX_HANG_MILLIS = 120_000;
    private static final String LOCKS = ".locks";

    private record User(String name, Secret password, String salt) {
    }

    private final SandboxServer server;
    private final FaultSwitches faults;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final CertnaPasswordHasher vendorRule;
    private final Duration tokenLifetime;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> checksums = new ConcurrentHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final String svcPath;
    private final PathTemplate lockPath;
    private final PathTemplate finalizePath;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> finalized = new java.util.concurrent.ConcurrentHashMap<>();
    private final PathTemplate unlockPath;
    private final Path root;
    private final List<String> repositories;
    private final boolean saltEndpoint;

    /**
     * @param sandbox {@code vendorlink.sandbox.certna.*}: fixture users, the vendor's password rule, token lifetime,
     *                repositories, storage folder
     * @param certna  {@code vendorlink.certna.*}: the service path and the lock/finalize/unlock templates, shared
     *                with the client (§11.7)
     */
    public CertnaSandbox(SandboxServer server, Settings sandbox, Settings certna) {
        this.server = server;
        this.faults = server.faults();
        for (String entry : sandbox.list("users")) {
            String[] p = entry.split(":", 3);
            if (p.length != 3) {
                throw new IllegalStateException(sandbox.key("users") + ": '" + entry + "' is not user:password:salt");
            }
            users.put(p[0], new User(p[0], Secret.of(p[1]), p[2]));
        }
        this.vendorRule = CertnaPasswordHasher.from(sandbox.child("password"));
        this.tokenLifetime = sandbox.duration("token.lifetime");
        this.svcPath = certna.string("svcPath");
        this.lockPath = PathTemplate.parse(certna.key("payloads.lockPath"), certna.string("payloads.lockPath"));
        this.finalizePath = PathTemplate.parse(certna.key("payloads.finalizePath"), certna.string("payloads.finalizePath"));
        this.unlockPath = PathTemplate.parse(certna.key("payloads.unlockPath"), certna.string("payloads.unlockPath"));
        this.root = Path.of(sandbox.string("dir"));
        this.repositories = sandbox.list("repositories");
        this.saltEndpoint = sandbox.bool("saltEndpoint");
        try {
            for (String r : repositories) {
                Files.createDirectories(root.resolve(r));
                Files.createDirectories(root.resolve(LOCKS).resolve(r));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the CeRTNA sandbox folder " + root, e);
        }
        server.handle("/user/", this::user);
        server.handle("/storechecksum", this::storeChecksum);
        server.handle("/ValidateBase64DocumentChecksum", this::validateLegacy);
        server.handle(svcPath + "/", this::service);
    }

    /** The folder holding a repository's files (tests drop inbound documents here, as the county would). */
    public Path repository(String name) {
        return root.resolve(name);
    }

    /** How many times a payload name was finalized in a repository (tests: "submitted once, even across a crash"). */
    public int finalizations(String repository, String name) {
        var n = finalized.get(repository + "/" + name);
        return n == null ? 0 : n.get();
    }

    public int logins() {
        return logins.get();
    }

    public SandboxServer server() {
        return server;
    }

    // ---- §11.1-2 login and salt ---------------------------------------------------------------------------------

    private void user(SandboxExchange ex) throws IOException {
        if (ex.rawPath().equals("/user/salt") && saltEndpoint && ex.method().equals("GET")) {
            User u = users.get(ex.query().get("user_name"));
            if (u == null) {
                error(ex, "DatabaseError", "The user name or/and password are invalid.", "salt for an unknown user");
                return;
            }
            ok(ex, Map.of("salt", u.salt), "salt handed out for " + u.name);
            return;
        }
        if (!ex.rawPath().equals("/user/login") || !ex.method().equals("POST")) {
            notFound(ex);
            return;
        }
        logins.incrementAndGet();
        if (faults.fire("login.error") || faults.fire("http.500")) {
            error(ex, "DatabaseError", "Timeout expired. The timeout period elapsed prior to completion of the operation.",
                    "fault: back-end error on login");
            return;
        }
        JsonNode body = parse(ex);
        String userName = body == null ? null : text(body, "user_name");
        String password = body == null ? null : text(body, "password");
        if (userName == null) {
            error(ex, "DatabaseError", "Procedure or function 'spLogin_New' expects parameter '@USER_NAME', which was not supplied.",
                    "login without user_name");
            return;
        }
        if (password == null) {
            error(ex, "DatabaseError", "Procedure or function 'spLogin_New' expects parameter '@PASSWORD', which was not supplied.",
                    "login without password");
            return;
        }
        User u = users.get(userName);
        String expected = u == null ? null : vendorRule.passwordField(u.name, u.password, u.salt);
        if (expected == null || !java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8))) {
            error(ex, "DatabaseError", "The user name or/and password are invalid.",
                    "login refused: password does not match " + vendorRule.describe() + " with the user's salt");
            return;
        }
        String token = UUID.randomUUID().toString();
        tokens.put(token, Instant.now());
        ok(ex, Map.of("access_token", token), "login ok: password verified with " + vendorRule.describe());
    }

    // ---- §11.3 the access_token header --------------------------------------------------------------------------

    /** True if the call may proceed; otherwise the error has been answered. */
    private boolean authorised(SandboxExchange ex) throws IOException {
        if (faults.fire("token.expire")) {
            tokens.clear();
        }
        String token = ex.header("access_token");
        Instant issued = token == null ? null : tokens.get(token);
        if (issued == null || Instant.now().isAfter(issued.plus(tokenLifetime))) {
            if (token != null) {
                tokens.remove(token);
            }
            error(ex, "InvalidUserCredentials", "Invalid Session Id",
                    token == null ? "no access_token header" : "unknown or expired access_token");
            return false;
        }
        if (faults.fire("http.500")) {
            error(ex, "DatabaseError", "Timeout expired. The timeout period elapsed prior to completion of the operation.",
                    "fault: back-end error");
            return false;
        }
        return true;
    }

    // ---- §11.4-5 checksums ---------------------------------------------------------------------------------------

    private void storeChecksum(SandboxExchange ex) throws IOException {
        if (!ex.method().equals("POST") || !ex.rawPath().equals("/storechecksum")) {
            notFound(ex);
            return;
        }
        if (!authorised(ex)) {
            return;
        }
        JsonNode body = parse(ex);
        String checksum = body == null ? null : text(body, "checksum");
        if (checksum == null) {
            error(ex, "DatabaseError", "Procedure or function 'spStoreChecksum' expects parameter '@CHECKSUM', which was not supplied.",
                    "storechecksum without checksum");
            return;
        }
        String key = faults.fire("checksum.malformedGuid") ? "not-a-guid-" + UUID.randomUUID().toString().substring(0, 8)
                : UUID.randomUUID().toString();
        checksums.put(key, checksum);
        ok(ex, Map.of("checksum_key", key), "checksum stored");
    }

    private void validateCurrent(SandboxExchange ex) throws IOException {
        JsonNode body = parse(ex);
        String key = body == null ? null : text(body, "checksum_key");
        String checksum = body == null ? null : text(body, "checksum");
        if (key == null || !GUID.matcher(key).matches()) {
            error(ex, "DatabaseError", "Conversion failed when converting from a character string to uniqueidentifier.",
                    "malformed checksum_key");
            return;
        }
        boolean valid = checksum != null && checksum.equals(checksums.get(key));
        ok(ex, Map.of("is_valid", String.valueOf(valid)), "checksum " + (valid ? "valid" : "not valid"));
    }

    /** The 2018 form (§6). Simplified: valid when the checksum was stored by StoreChecksum at all. */
    private void validateLegacy(SandboxExchange ex) throws IOException {
        if (!ex.method().equals("POST")) {
            notFound(ex);
            return;
        }
        if (!authorised(ex)) {
            return;
        }
        JsonNode body = parse(ex);
        String value = body == null ? null : text(body, "checksum_value");
        boolean valid = value != null && checksums.containsValue(value)
                && CertnaChecksum.ALGORITHM.equals(text(body, "checksum_algorithm"));
        ok(ex, Map.of("result", String.valueOf(valid)), "legacy checksum " + (valid ? "valid" : "not valid"));
    }

    // ---- the service: validatechecksum, transaction, payloads ----------------------------------------------------

    private void service(SandboxExchange ex) throws Exception {
        if (!authorised(ex)) {
            return;
        }
        String sub = ex.rawPath().substring(svcPath.length());
        String method = ex.method();
        if (sub.equals("/validatechecksum") && method.equals("POST")) {
            validateCurrent(ex);
            return;
        }
        if (sub.equals("/transaction") && method.equals("GET")) {
            transaction(ex);
            return;
        }
        String[] target;
        if ((target = lockPath.match(method, sub)) != null) {
            lock(ex, target[0], target[1], true);
            return;
        }
        if ((target = unlockPath.match(method, sub)) != null) {
            lock(ex, target[0], target[1], false);
            return;
        }
        if ((target = finalizePath.match(method, sub)) != null) {
            finalizePayload(ex, target[0], target[1]);
            return;
        }
        if (sub.equals("/payloads") && method.equals("GET")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String r : repositories) {
                try (Stream<Path> s = Files.list(repository(r))) {
                    out.add(Map.of("Count", s.count(), "RepositoryName", r));
                }
            }
            ok(ex, out, "repositories listed");
            return;
        }
        String[] parts = sub.split("/");
        if (parts.length == 3 && parts[1].equals("payloads") && method.equals("GET")) {
            list(ex, io.vendorlink.certna.CertnaClient.decodeSegment(parts[2]));
            return;
        }
        if (parts.length == 4 && parts[1].equals("payloads")) {
            String repo = io.vendorlink.certna.CertnaClient.decodeSegment(parts[2]);
            String name = io.vendorlink.certna.CertnaClient.decodeSegment(parts[3]);
            switch (method) {
                case "POST" -> send(ex, repo, name);
                case "GET" -> retrieve(ex, repo, name);
                case "DELETE" -> delete(ex, repo, name);
                default -> notFound(ex);
            }
            return;
        }
        notFound(ex);
    }

    private void transaction(SandboxExchange ex) throws IOException {
        Map<String, String> q = ex.query();
        String submitter = q.get("submitter_id");
        String reference = q.get("primary_reference");
        if (submitter == null || reference == null) {
            error(ex, "DatabaseError", "Procedure or function 'spGetTransaction' expects parameter '@SUBMITTER_ID', which was not supplied.",
                    "transaction without submitter_id or primary_reference");
            return;
        }
        String now = LocalDateTime.now(VENDOR_ZONE).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("TRANSACTION_ID", Math.abs((submitter + reference).hashCode()));
        result.put("PRIMARY_REFERENCE", reference);
        result.put("SECONDARY_REFERENCE", null);
        result.put("COUNTY_NAME", "Sandbox County");
        result.put("SUBMITTER_ID", submitter);
        result.put("AGENT_ID", submitter);
        result.put("CREATOR_USER_NAME", users.keySet().stream().findFirst().orElse("sample1"));
        result.put("CREATED", now);
        result.put("LAST_MODIFIED", now);
        result.put("TRANSACTION_STATUS_ID", 3);
        result.put("SANDBOX_EXTRA_FIELD", "ignored by clients (§12.11)");
        if ("true".equalsIgnoreCase(q.get("include_history"))) {
            result.put("HISTORY", List.of(Map.of("TRANSACTION_STATUS_ID", 1, "CREATED", now),
                    Map.of("TRANSACTION_STATUS_ID", 3, "CREATED", now)));
        }
        ok(ex, Map.of("result", result), "transaction answered");
    }

    // ---- §11.7 payloads -----------------------------------------------------------------------------------------

    private boolean knownRepository(SandboxExchange ex, String repo) throws IOException {
        if (!repositories.contains(repo)) {
            error(ex, "DatabaseError", "Repository '" + repo + "' does not exist.", "unknown repository " + repo);
            return false;
        }
        return true;
    }

    private void list(SandboxExchange ex, String repo) throws IOException {
        if (!knownRepository(ex, repo)) {
            return;
        }
        Map<String, String> q = ex.query();
        List<PayloadFilter> filters;
        try {
            filters = PayloadFilter.parseAll(q.getOrDefault("filter", ""));
        } catch (IllegalArgumentException e) {
            error(ex, "DatabaseError", "Invalid filter: " + e.getMessage(), "malformed filter");
            return;
        }
        List<Map<String, Object>> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(repository(repo))) {
            for (Path p : s.toList()) {
                Map<String, Object> f = describe(repo, p);
                if (filters.stream().allMatch(x -> x.test(f))) {
                    files.add(f);
                }
            }
        }
        String order = q.getOrDefault("order", "file_name");
        String[] o = order.split(":");
        String column = switch (o[0].toLowerCase()) {
            case "date_created" -> "DateCreated";
            case "date_modified" -> "DateModified";
            default -> "FileName";
        };
        Comparator<Map<String, Object>> cmp = Comparator.comparing(f -> String.valueOf(f.get(column)));
        files.sort(o.length > 1 && o[1].equalsIgnoreCase("desc") ? cmp.reversed() : cmp);
        int pageSize = Math.max(1, Integer.parseInt(q.getOrDefault("page_size", "100")));
        int page = Math.max(1, Integer.parseInt(q.getOrDefault("page", "1")));
        int from = Math.min(files.size(), (page - 1) * pageSize);
        List<Map<String, Object>> out = files.subList(from, Math.min(files.size(), from + pageSize));
        ok(ex, out, "listed " + out.size() + " of " + files.size() + " in " + repo);
    }

    private Map<String, Object> describe(String repo, Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("FileName", p.getFileName().toString());
        f.put("LockStatus", Files.exists(lockFile(repo, p.getFileName().toString())) ? "Locked" : "Unlocked");
        f.put("DateCreated", LocalDateTime.ofInstant(a.creationTime().toInstant(), VENDOR_ZONE).truncatedTo(ChronoUnit.SECONDS).toString());
        f.put("DateModified", LocalDateTime.ofInstant(a.lastModifiedTime().toInstant(), VENDOR_ZONE).truncatedTo(ChronoUnit.SECONDS).toString());
        return f;
    }

    private synchronized void send(SandboxExchange ex, String repo, String name) throws IOException {
        if (!knownRepository(ex, repo)) {
            return;
        }
        String base = name.endsWith(".xml") ? name.substring(0, name.length() - 4) : name;
        String tmp = base + ".tmp";
        for (int n = 2; Files.exists(repository(repo).resolve(tmp)) || Files.exists(repository(repo).resolve(base + ".xml")); n++) {
            tmp = base + "_" + n + ".tmp"; // a second send of the same name lands beside the first: a visible duplicate
        }
        Files.write(repository(repo).resolve(tmp), ex.body());
        if (faults.fire("payloads.sendLostAnswer")) {
            ex.verdict("fault: payload stored as " + tmp + ", answer lost");
            ex.dropConnection();
            return;
        }
        ok(ex, Map.of("result", tmp), "payload stored as " + tmp + "; " + checksumVerdict(ex.body()));
    }

    /** What the sandbox thinks of the checksum keys inside a sent PRIA document (§5), for the request log. */
    private String checksumVerdict(byte[] xml) {
        try {
            NodeList docs = SafeXml.parse(xml).getElementsByTagName("PRIA_DOCUMENT");
            int good = 0;
            int bad = 0;
            for (int i = 0; i < docs.getLength(); i++) {
                Element d = (Element) docs.item(i);
                NodeList embedded = d.getElementsByTagName("DOCUMENT");
                String key = d.getAttribute("RequestChecksumValue");
                if (embedded.getLength() == 0 || key.isEmpty()) {
                    continue;
                }
                if (CertnaChecksum.of(embedded.item(0).getTextContent()).equals(checksums.get(key))) {
                    good++;
                } else {
                    bad++;
                }
            }
            return "checksums ok=" + good + " wrong=" + bad;
        } catch (Exception e) {
            return "not parsable XML";
        }
    }

    private synchronized void finalizePayload(SandboxExchange ex, String repo, String tmp) throws IOException {
        if (!knownRepository(ex, repo)) {
            return;
        }
        if (faults.fire("payloads.finalizeError")) {
            error(ex, "DatabaseError", "Timeout expired. The timeout period elapsed prior to completion of the operation.",
                    "fault: finalize error");
            return;
        }
        Path from = repository(repo).resolve(tmp);
        if (!tmp.endsWith(".tmp") || !Files.exists(from)) {
            error(ex, "DatabaseError", "The payload '" + tmp + "' does not exist.", "finalize of a missing .tmp");
            return;
        }
        String xml = tmp.substring(0, tmp.length() - 4) + ".xml";
        Files.move(from, repository(repo).resolve(xml));
        finalized.computeIfAbsent(repo + "/" + xml, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        ok(ex, Map.of("result", xml), "finalized " + tmp + " -> " + xml);
    }

    private void lock(SandboxExchange ex, String repo, String name, boolean lock) throws IOException {
        if (!knownRepository(ex, repo)) {
            return;
        }
        if (!Files.exists(repository(repo).resolve(name))) {
            error(ex, "DatabaseError", "The payload '" + name + "' does not exist.", (lock ? "lock" : "unlock") + " of a missing payload");
            return;
        }
        if (lock && faults.fire("payloads.lockError")) {
            error(ex, "PayloadFileLockError", "The payload " + name + " could not be locked.", "fault: lock error");
            return;
        }
        Path l = lockFile(repo, name);
        if (lock) {
            Files.writeString(l, Instant.now().toString());
        } else {
            Files.deleteIfExists(l);
        }
        ok(ex, Map.of("result", "true"), (lock ? "locked " : "unlocked ") + repo + "/" + name);
    }

    private void retrieve(SandboxExchange ex, String repo, String name) throws IOException {
        if (!knownRepository(ex, repo) || !exists(ex, repo, name) || !locked(ex, repo, name)) {
            return;
        }
        ex.verdict("retrieved locked payload " + repo + "/" + name);
        ex.respond(200, "application/xml", Files.readAllBytes(repository(repo).resolve(name)));
    }

    private void delete(SandboxExchange ex, String repo, String name) throws Exception {
        String hang = faults.value("payloads.deleteHangMillis", null);
        if (hang != null && faults.fire("payloads.deleteHangMillis")) {
            Thread.sleep(Math.min(Long.parseLong(hang), MAX_HANG_MILLIS));
        }
        if (!knownRepository(ex, repo) || !exists(ex, repo, name) || !locked(ex, repo, name)) {
            return;
        }
        Files.delete(repository(repo).resolve(name));
        Files.deleteIfExists(lockFile(repo, name));
        ok(ex, Map.of("result", "true"), "deleted locked payload " + repo + "/" + name);
    }

    private boolean exists(SandboxExchange ex, String repo, String name) throws IOException {
        if (!Files.exists(repository(repo).resolve(name))) {
            error(ex, "DatabaseError", "The payload '" + name + "' does not exist.", "missing payload " + name);
            return false;
        }
        return true;
    }

    private boolean locked(SandboxExchange ex, String repo, String name) throws IOException {
        if (!Files.exists(lockFile(repo, name))) {
            error(ex, "PayloadFileLockError", "The payload " + name + " is not locked.", "payload not locked");
            return false;
        }
        return true;
    }

    private Path lockFile(String repo, String name) {
        return root.resolve(LOCKS).resolve(repo).resolve(name);
    }

    // ---- §11.8 answers ------------------------------------------------------------------------------------------

    private void ok(SandboxExchange ex, Object body, String verdict) throws IOException {
        ex.verdict(verdict);
        ex.respond(200, "application/json", JSON.writeValueAsBytes(body));
    }

    /** Always HTTP 500 with the Exception JSON, or the seed table's lower-case form when switched on (§9.2). */
    private void error(SandboxExchange ex, String code, String message, String verdict) throws IOException {
        ex.verdict(verdict);
        Object body = faults.isOn("errors.lowercase") ? Map.of("code", code, "message", message)
                : Map.of("Exception", Map.of("Code", code, "Message", message));
        ex.respond(500, "application/json", JSON.writeValueAsBytes(body));
    }

    private void notFound(SandboxExchange ex) throws IOException {
        ex.verdict("no such CeRTNA operation: " + ex.method() + " " + ex.rawPath());
        ex.respond(404, "text/html", "<html><body>404 - File or directory not found.</body></html>");
    }

    private static JsonNode parse(SandboxExchange ex) {
        try {
            JsonNode n = JSON.readTree(ex.body());
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
