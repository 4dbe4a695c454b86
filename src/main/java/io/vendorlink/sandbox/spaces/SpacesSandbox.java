package io.vendorlink.sandbox.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vendorlink.core.Settings;
import io.vendorlink.core.sandbox.FaultSwitches;
import io.vendorlink.core.sandbox.SandboxExchange;
import io.vendorlink.core.sandbox.SandboxServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Cisco Spaces simulator (protocol note §D) on the core {@link SandboxServer}:
 * <ul>
 *   <li>RSA key pairs {@code v1} and {@code v2} (1024 bits, like the keys Cisco serves, §A3) on
 *       {@code /client/v1/partner/partnerPublicKey}, {@code …/}, {@code …/<version>};</li>
 *   <li>RS256 activation tokens minted through {@link #mint} or {@code POST /__spaces/tokens?kind=good|expired|wrongKey|tampered&version=v2&baseUrl=…}
 *       (claims of §A2, {@code baseUrl} = this simulator);</li>
 *   <li>{@code activateSingleTenantCloudApp} and {@code activateOnPremiseApp} with the one-time rule: a second use of a
 *       token that succeeded deactivates the app and revokes its apiKey (§A4); failure status
 *       {@code vendorlink.sandbox.spaces.activation.failureStatus} (default 200);</li>
 *   <li>the Firehose {@code /api/partners/v1/firehose/events}: NDJSON over chunked HTTP/1.1, replay from
 *       {@code fromTimestamp} out of a retained log, {@code minPartition}/{@code maxPartition}, KEEP_ALIVE after
 *       {@code vendorlink.sandbox.spaces.firehose.keepAliveInterval} of silence. Events are appended by
 *       {@link #generate} (deterministic: the same call after a restart yields the same events) and on activation
 *       (APP_ACTIVATION).</li>
 * </ul>
 * Fault switches (counted values fire that many times, per connection or call): {@code firehose.dropMidLine} (after
 * {@code firehose.faultAfterEvents} events, half a line then the connection closes), {@code firehose.stall} (after
 * that many events, silence without keep-alives for {@code firehose.stallMillis}), {@code firehose.splitChunks} (every
 * line in two flushes), {@code firehose.duplicates} (every 50th event twice), {@code firehose.unknownTypes} (an unknown
 * event type and a blank line every 100 events), {@code firehose.401}, {@code firehose.403}, {@code firehose.429},
 * {@code firehose.500} (on connect), {@code firehose.corpus} (the core's malformed NDJSON lines, one 20 MiB long, on an open
 * stream), {@code activate.hangAfterMillis} (activation done, the answer withheld: the
 * client's timeout makes the outcome unknown), plus the core's {@code http.reset}, {@code http.html500},
 * {@code http.slowMillis}.
 */
public final class SpacesSandbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String KEYS_PATH = "/client/v1/partner/partnerPublicKey";
    public static final String ACTIVATE_PATH = "/client/v1/partner/activateSingleTenantCloudApp";
    public static final String ACTIVATE_ONPREM_PATH = "/client/v1/partner/activateOnPremiseApp";
    public static final String FIREHOSE_PATH = "/api/partners/v1/firehose/events";
    public static final int PARTITIONS = 12;
    private static final Duration MAX_CONNECTION = Duration.ofMinutes(10);

    /** What {@link #mint} produces. */
    public enum TokenKind { GOOD, EXPIRED, WRONG_KEY, TAMPERED }

    private final SandboxServer server;
    private final FaultSwitches faults;
    /** The served key pairs ({@code v1}, {@code v2}) and a foreign one, generated off the start-up path. */
    private record Keys(Map<String, KeyPair> served, KeyPair foreign) {
    }

    private final java.util.concurrent.CompletableFuture<Keys> keys;
    private final Duration lifetime;
    private final Duration keepAlive;
    private final int failureStatus;
    /** token → apiKey issued with it; a second use revokes it (§A4 reuse). */
    private final Map<String, String> usedTokens = new ConcurrentHashMap<>();
    private final Set<String> liveKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> revokedKeys = ConcurrentHashMap.newKeySet();
    private final List<ObjectNode> log = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger positionedCount = new AtomicInteger();
    private final List<String> queries = new ArrayList<>();

    private final java.nio.file.Path keyFile;

    public SpacesSandbox(SandboxServer server, Settings sandbox, java.nio.file.Path dataDir) {
        this.server = server;
        // Issued apiKeys survive a restart of the simulator, as they survive Cisco's.
        this.keyFile = dataDir.resolve("api-keys");
        try {
            java.nio.file.Files.createDirectories(dataDir);
            if (java.nio.file.Files.exists(keyFile)) {
                for (String l : java.nio.file.Files.readAllLines(keyFile)) {
                    if (l.startsWith("live:")) {
                        liveKeys.add(l.substring(5));
                    } else if (l.startsWith("revoked:")) {
                        liveKeys.remove(l.substring(8));
                        revokedKeys.add(l.substring(8));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("sandbox: cannot read " + keyFile, e);
        }
        this.faults = server.faults();
        this.lifetime = sandbox.duration("token.lifetime");
        this.keepAlive = sandbox.duration("firehose.keepAliveInterval");
        this.failureStatus = sandbox.integer("activation.failureStatus");
        // Three RSA key generations cost ~0.5 s of CPU while the JIT is still cold: they run on their own thread so
        // that they overlap the rest of the start-up; the first use waits for them.
        this.keys = new java.util.concurrent.CompletableFuture<>();
        Thread generator = new Thread(() -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(1024);
                Map<String, KeyPair> served = new LinkedHashMap<>();
                served.put("v1", g.generateKeyPair());
                served.put("v2", g.generateKeyPair());
                keys.complete(new Keys(java.util.Collections.unmodifiableMap(served), g.generateKeyPair()));
            } catch (Throwable e) {
                keys.completeExceptionally(new IllegalStateException("cannot create sandbox RSA keys", e));
            }
        }, "sandbox-spaces-keys");
        generator.setDaemon(true);
        generator.start();
        server.handle(KEYS_PATH, this::publicKeys);
        server.handle(ACTIVATE_PATH, ex -> activate(ex, true));
        server.handle(ACTIVATE_ONPREM_PATH, ex -> activate(ex, false));
        server.handle(FIREHOSE_PATH, this::firehose);
        server.handle("/api/partners/v1/locations/", ex -> {
            ex.verdict("location");
            ex.respond(apiKeyOk(ex) ? 200 : 403, "application/json", "{\"locationId\":\"" + ex.subPath() + "\"}");
        });
        server.handle("/__spaces/", this::admin);
    }

    public SandboxServer server() {
        return server;
    }

    public String baseUrl() {
        return server.baseUri().toString();
    }

    /** The public key a test can use to forge "HS256 signed with the public key as secret". */
    public RSAPublicKey publicKey(String version) {
        return (RSAPublicKey) keys().served().get(version).getPublic();
    }

    private Keys keys() {
        return keys.join();
    }

    // ---- tokens (§D2) -------------------------------------------------------------------------------------------

    public String mint(TokenKind kind) {
        return mint(kind, "v1", null);
    }

    /** A token of the given kind signed with key {@code version}; {@code baseUrl} null = this simulator. */
    public String mint(TokenKind kind, String version, String baseUrl) {
        Instant now = Instant.now();
        Instant iat = kind == TokenKind.EXPIRED ? now.minus(Duration.ofHours(2)) : now;
        Instant exp = kind == TokenKind.EXPIRED ? now.minus(Duration.ofHours(1)) : now.plus(lifetime);
        JWTClaimsSet claims = claims(version, baseUrl == null ? baseUrl() : baseUrl, iat, exp, "Trigue");
        KeyPair signer = kind == TokenKind.WRONG_KEY ? keys().foreign() : keys().served().get(version);
        String token = sign(claims, signer);
        if (kind == TokenKind.TAMPERED) {
            // The payload altered after signing (a different customer), the signature kept.
            String[] parts = token.split("\\.");
            JWTClaimsSet altered = claims(version, baseUrl == null ? baseUrl() : baseUrl, iat, exp, "Mallory");
            String appId = (String) claims.getClaim("appId");
            altered = new JWTClaimsSet.Builder(altered).claim("appId", appId)
                    .claim("activationRefId", claims.getClaim("activationRefId")).build();
            token = parts[0] + "." + Base64URL.encode(altered.toString()) + "." + parts[2];
        }
        return token;
    }

    private static JWTClaimsSet claims(String version, String baseUrl, Instant iat, Instant exp, String customer) {
        String hex = HexFormat.of().withUpperCase().formatHex(uuidBytes());
        return new JWTClaimsSet.Builder()
                .claim("appId", "app-" + HexFormat.of().withUpperCase().formatHex(uuidBytes()))
                .claim("version", version)
                .claim("activationRefId", hex)
                .claim("customer", customer)
                .claim("expiresIn", exp.toEpochMilli())
                .claim("tenantId", 420)
                .claim("baseUrl", baseUrl)
                .claim("partnerTenantId", HexFormat.of().withUpperCase().formatHex(uuidBytes()))
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .build();
    }

    private static byte[] uuidBytes() {
        UUID u = UUID.randomUUID();
        return java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    private static String sign(JWTClaimsSet claims, KeyPair key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key.getPrivate(), Set.of(AllowWeakRSAKey.getInstance())));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a sandbox token", e);
        }
    }

    // ---- partnerPublicKey (§D1) ---------------------------------------------------------------------------------

    private void publicKeys(SandboxExchange ex) throws IOException {
        String sub = ex.subPath();
        List<Map<String, String>> data = new ArrayList<>();
        keys().served().forEach((v, kp) -> {
            if (sub.isEmpty() || sub.equals("/") || sub.equals("/" + v)) {
                data.add(Map.of("version", v, "publicKey", Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())));
            }
        });
        ex.verdict("partner keys " + data.size());
        ex.respond(200, "application/json", JSON.writeValueAsBytes(Map.of("status", true,
                "message", "Successfully fetched partner keys.", "data", data)));
    }

    // ---- activation (§D3, §D4) ----------------------------------------------------------------------------------

    private void activate(SandboxExchange ex, boolean cloud) throws Exception {
        String auth = ex.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        JsonNode body;
        try {
            body = JSON.readTree(ex.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        SignedJWT jwt = null;
        JWTClaimsSet claims = null;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (Exception e) {
            // stays null: invalid
        }
        boolean signatureOk = false;
        if (jwt != null && JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            for (KeyPair kp : keys().served().values()) {
                signatureOk |= jwt.verify(new RSASSAVerifier((RSAPublicKey) kp.getPublic()));
            }
        }
        boolean matches = claims != null && body.path("appId").asText("").equals(claims.getClaim("appId"))
                && body.path("activationRefId").asText("").equals(claims.getClaim("activationRefId"))
                && (!cloud || body.path("appDashboardUrl").asText("").startsWith("https://"));
        int status = Integer.parseInt(faults.value("activate.failureStatus", String.valueOf(failureStatus)));
        if (!signatureOk || !matches) {
            ex.verdict("activation invalid: signature=" + signatureOk + " bodyMatchesClaims=" + matches);
            answer.put("status", false);
            answer.put("message", "Activation Token Invalid");
        } else if (claims.getExpirationTime().toInstant().isBefore(Instant.now())) {
            ex.verdict("activation expired");
            answer.put("status", false);
            answer.put("message", "Activation Token Expired.");
        } else if (usedTokens.containsKey(token)) {
            String revoked = usedTokens.get(token);
            liveKeys.remove(revoked);
            revokedKeys.add(revoked);
            keyLog("revoked:" + revoked);
            ex.verdict("activation reused: app deactivated, apiKey revoked");
            answer.put("status", false);
            answer.put("message", "The on premise application (" + claims.getClaim("appId")
                    + ") is deactivated due to reactivation is processed.");
            answer.put("suggestion", "Deactivated the on-premise application (" + claims.getClaim("appId")
                    + "). A token can only be used once for app activation.");
            answer.put("data", null);
        } else {
            String apiKey = "sbx-" + UUID.randomUUID().toString().replace("-", "");
            usedTokens.put(token, apiKey);
            liveKeys.add(apiKey);
            keyLog("live:" + apiKey);
            append(event("APP_ACTIVATION", "act-" + UUID.randomUUID(), Instant.now().toEpochMilli(), "app", Map.of(
                    "appId", claims.getClaim("appId"))));
            ex.verdict("activated " + claims.getClaim("appId"));
            answer.put("status", true);
            answer.put("message", "Successfully activated the on-premise application.");
            answer.put("data", Map.of("apiKey", apiKey));
            status = 200;
            String hang = faults.value("activate.hangAfterMillis", null);
            if (hang != null && faults.fire("activate.hangAfterMillis")) {
                // Done at the vendor, answer withheld: the client times out not knowing (§A4, §E5).
                ex.verdict("activated " + claims.getClaim("appId") + "; answer withheld (fault)");
                Thread.sleep(Math.min(Long.parseLong(hang), 60_000));
                ex.dropConnection();
                return;
            }
        }
        ex.respond(status, "application/json", JSON.writeValueAsBytes(answer));
    }

    private synchronized void keyLog(String line) {
        try {
            java.nio.file.Files.writeString(keyFile, line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("sandbox: cannot write " + keyFile, e);
        }
    }

    /** Revokes an apiKey as a reactivation elsewhere would (tests of §E6). */
    public void revoke(String apiKey) {
        liveKeys.remove(apiKey);
        revokedKeys.add(apiKey);
        keyLog("revoked:" + apiKey);
    }

    /** The apiKeys issued and not revoked (tests). */
    public Set<String> liveApiKeys() {
        return Set.copyOf(liveKeys);
    }

    private boolean apiKeyOk(SandboxExchange ex) {
        String key = ex.header("X-API-Key");
        return key != null && liveKeys.contains(key);
    }

    // ---- Firehose (§D5, §D7) ------------------------------------------------------------------------------------

    /** The partition (1-12) of an event, from a hash of its device id (§B3, deterministic). */
    public static int partitionOf(String deviceId) {
        return Math.floorMod(deviceId.hashCode(), PARTITIONS) + 1;
    }

    /**
     * Appends {@code count} events {@code <seed>-<i>} with {@code recordTimestamp = base + i} ms: mostly
     * DEVICE_LOCATION_UPDATE, every 10th DEVICE_PRESENCE, every 25th PROFILE_UPDATE, every 40th a legacy DEVICE_ENTRY,
     * over 97 devices. The same call gives the same events (restart tests).
     */
    public void generate(int count, long base, String seed) {
        for (int i = 0; i < count; i++) {
            String type = i % 40 == 39 ? "DEVICE_ENTRY" : i % 25 == 24 ? "PROFILE_UPDATE" : i % 10 == 9 ? "DEVICE_PRESENCE"
                    : "DEVICE_LOCATION_UPDATE";
            String device = "dev-" + (i % 97);
            append(event(type, seed + "-" + i, base + i, device, Map.of("seq", i)));
        }
    }

    /** The query of every Firehose stream opened, at the moment it opened (the request log records it only at its end). */
    public List<String> firehoseQueries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    public int connectionsOpened() {
        return connectionCount.get();
    }

    /**
     * Streams that have fixed their starting position in the event log. A stream without {@code fromTimestamp} starts
     * at the end of the log, as the real Firehose starts at "now": events generated before this count rises are not
     * sent to that stream, events generated after it are.
     */
    public int streamsPositioned() {
        return positionedCount.get();
    }

    private static ObjectNode event(String type, String uid, long ts, String device, Map<String, Object> extra) {
        ObjectNode e = JSON.createObjectNode();
        e.put("recordUid", uid);
        e.put("recordTimestamp", ts);
        e.put("spacesTenantId", "spaces-tenant-420");
        e.put("spacesTenantName", "Trigue");
        e.put("partnerTenantId", "0D85A144A34E4CCCAC1DF90C1E774943");
        e.put("eventType", type);
        String payloadName = camel(type);
        ObjectNode payload = e.putObject(payloadName);
        payload.putObject("device").put("deviceId", device).put("macAddress", "00:00:2a:01:" + Math.floorMod(device.hashCode(), 90) + ":01");
        extra.forEach((k, v) -> payload.putPOJO(k, v));
        e.put("partition", partitionOf(device)); // not in Cisco's envelope: lets tests check order per partition
        return e;
    }

    private static String camel(String type) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : type.toLowerCase().toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private void append(ObjectNode e) {
        synchronized (log) {
            log.add(e);
            log.notifyAll();
        }
    }

    private void firehose(SandboxExchange ex) throws Exception {
        Map<String, String> q = ex.query();
        int status = 0;
        String why = null;
        if (!apiKeyOk(ex)) {
            status = 401;
            why = ex.header("X-API-Key") == null ? "no X-API-Key" : revokedKeys.contains(ex.header("X-API-Key")) ? "revoked key" : "unknown key";
        } else if (q.containsKey("replicaId")) {
            status = 400;
            why = "replicaId on a cloud activation";
        } else if (faults.fire("firehose.401")) {
            status = 401;
            why = "fault 401";
        } else if (faults.fire("firehose.403")) {
            status = 403;
            why = "fault 403";
        } else if (faults.fire("firehose.429") || connections.get() >= PARTITIONS) {
            status = 429;
            why = "rate limited / more than 12 connections";
        } else if (faults.fire("firehose.500")) {
            status = 500;
            why = "fault 500";
        }
        if (status != 0) {
            ex.verdict("firehose refused: " + why);
            ex.respond(status, "application/json", "{\"error\":\"" + why + "\"}");
            return;
        }
        int min = Integer.parseInt(q.getOrDefault("minPartition", "1"));
        int max = Integer.parseInt(q.getOrDefault("maxPartition", String.valueOf(PARTITIONS)));
        Long from = q.containsKey("fromTimestamp") ? Long.parseLong(q.get("fromTimestamp")) : null;
        boolean drop = faults.fire("firehose.dropMidLine");
        boolean stall = !drop && faults.fire("firehose.stall");
        int faultAfter = Integer.parseInt(faults.value("firehose.faultAfterEvents", "1000"));
        ex.verdict("firehose from=" + from + " partitions=" + min + "-" + max + (drop ? " drop" : "") + (stall ? " stall" : ""));
        connections.incrementAndGet();
        connectionCount.incrementAndGet();
        synchronized (queries) {
            queries.add(ex.rawQuery());
        }
        try (OutputStream out = ex.respondStreaming(200, "application/x-ndjson")) {
            stream(out, ex.header("X-API-Key"), from, min, max, drop, stall, faultAfter);
        } catch (IOException e) {
            // the client went away (watchdog, stop): normal end of a stream
        } finally {
            connections.decrementAndGet();
        }
    }

    private void stream(OutputStream out, String apiKey, Long from, int min, int max, boolean drop, boolean stall, int faultAfter)
            throws IOException, InterruptedException {
        int next;
        synchronized (log) {
            next = log.size();
            if (from != null) {
                next = 0;
                while (next < log.size() && log.get(next).get("recordTimestamp").asLong() < from) {
                    next++;
                }
            }
        }
        positionedCount.incrementAndGet();
        int sent = 0;
        long lastWrite = System.nanoTime();
        long deadline = System.nanoTime() + MAX_CONNECTION.toNanos();
        int lineNo = 0;
        // a revoked key (reactivation elsewhere) loses its open streams too
        while (System.nanoTime() < deadline && server.isStarted() && liveKeys.contains(apiKey)) {
            List<ObjectNode> batch = new ArrayList<>();
            synchronized (log) {
                if (next >= log.size()) {
                    log.wait(Math.max(1, keepAlive.toMillis() / 4));
                }
                while (next < log.size() && batch.size() < 200) {
                    batch.add(log.get(next++));
                }
            }
            if (faults.fire("firehose.corpus")) {
                // issue 9: the core corpus of malformed NDJSON lines (cut, wrong types, invalid UTF-8, HTML, 20 MiB)
                io.vendorlink.core.sandbox.AnswerCorpus.writeNdjsonLines(out,
                        Long.parseLong(faults.value("answer.corpus.hugeBytes", String.valueOf(20L * 1024 * 1024))));
                out.flush();
            }
            for (ObjectNode e : batch) {
                int p = e.path("partition").asInt(1);
                if (p < min || p > max || (from != null && e.get("recordTimestamp").asLong() < from)) {
                    continue;
                }
                if (sent == faultAfter && (drop || stall)) {
                    if (drop) {
                        byte[] line = JSON.writeValueAsBytes(e);
                        out.write(line, 0, line.length / 2);
                        out.flush();
                        return; // the exchange closes: the client sees half a line, then the end
                    }
                    Thread.sleep(Math.min(Long.parseLong(faults.value("firehose.stallMillis", "60000")), 120_000));
                    return;
                }
                writeLine(out, JSON.writeValueAsBytes(e), lineNo++);
                sent++;
                if (faults.isOn("firehose.duplicates") && sent % 50 == 0) {
                    writeLine(out, JSON.writeValueAsBytes(e), lineNo++);
                }
                if (faults.isOn("firehose.unknownTypes") && sent % 100 == 0) {
                    writeLine(out, JSON.writeValueAsBytes(event("FUTURE_EVENT_TYPE", "unk-" + UUID.randomUUID(),
                            e.get("recordTimestamp").asLong(), "dev-x", Map.of())), lineNo++);
                    out.write('\n');
                }
            }
            if (!batch.isEmpty()) {
                out.flush();
                lastWrite = System.nanoTime();
            } else if (System.nanoTime() - lastWrite >= keepAlive.toNanos()) {
                writeLine(out, JSON.writeValueAsBytes(event("KEEP_ALIVE", "ka-" + UUID.randomUUID(),
                        Instant.now().toEpochMilli(), "none", Map.of())), lineNo++);
                out.flush();
                lastWrite = System.nanoTime();
            }
        }
    }

    private void writeLine(OutputStream out, byte[] line, int lineNo) throws IOException {
        if (faults.isOn("firehose.splitChunks")) {
            int cut = 1 + Math.floorMod(lineNo * 31, Math.max(1, line.length - 1));
            out.write(line, 0, cut);
            out.flush();
            out.write(line, cut, line.length - cut);
        } else {
            out.write(line);
        }
        out.write('\n');
    }

    // ---- admin: /__spaces/tokens, /__spaces/firehose/generate ---------------------------------------------------

    private void admin(SandboxExchange ex) throws IOException {
        Map<String, String> q = ex.query();
        if (ex.subPath().equals("tokens")) {
            TokenKind kind = TokenKind.valueOf(q.getOrDefault("kind", "good").replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
            ex.respond(200, "text/plain", mint(kind, q.getOrDefault("version", "v1"), q.get("baseUrl")));
        } else if (ex.subPath().equals("firehose/generate")) {
            generate(Integer.parseInt(q.getOrDefault("count", "100")),
                    Long.parseLong(q.getOrDefault("base", String.valueOf(Instant.now().toEpochMilli()))), q.getOrDefault("seed", "ev"));
            ex.respond(200, "text/plain", "ok");
        } else {
            ex.respond(404, "text/plain", "unknown sandbox admin path");
        }
    }
}
