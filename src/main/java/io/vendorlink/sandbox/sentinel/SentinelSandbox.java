package io.vendorlink.sandbox.sentinel;

import io.vendorlink.core.Settings;
import io.vendorlink.core.sandbox.FaultSwitches;
import io.vendorlink.core.sandbox.SandboxExchange;
import io.vendorlink.core.sandbox.SandboxServer;
import io.vendorlink.core.security.SafeXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback simulator of Sentinel Directory Services (YPS) and Cloud Connect (SCC), after the protocol note's
 * "A faithful simulator must" list (§12): {@code POST /YPServer/registrations}; {@code GET /scc/licenses};
 * {@code POST /scc/licenseSessions}; {@code PATCH|DELETE /scc/licenseSessions/{id}} matched on the raw,
 * percent-decoded segment. Every request is checked: Content-Length, Accept version, x-sfnt-date (milliseconds,
 * ±15 min), x-sfnt-vendor, and the HMAC-SHA256 signature, recomputed here by its own code (not the client's signer)
 * from the configured rule; the canonical string, expected and received signature are logged and kept as the verdict.
 * Handles contain {@code /}, {@code +}, {@code =} and CR LF (CR as {@code &#13;}, or raw with {@code session.rawCr}).
 *
 * <p>Fault switches ({@code vendorlink.sandbox.sentinel.faults.*} or {@code POST /__admin/faults}):
 * {@code scc.move=401:2027|401:2028|401|404} (the SCC URL moves once; the old base answers so),
 * {@code session.terminateAll} (every open session is terminated: PATCH answers 403 "Session terminated"),
 * {@code session.concurrencyLimit=n} (403/2021 beyond n sessions of a feature), {@code rateLimit=n} (n answers 429/2047),
 * {@code clock.skewMillis=ms} (the server clock runs ahead), {@code errorStatusMode=ALWAYS_200} (seed mode),
 * {@code session.rawCr}, and the core ones ({@code http.reset}, {@code http.html500}, {@code http.slowMillis}).
 */
public final class SentinelSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelSandbox.class);
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    /** A session as the simulated server sees it. */
    public static final class SimSession {
        final String id;
        final String customer;
        final String user;
        final String feature;
        volatile Instant lastRefresh;
        volatile boolean terminated;
        volatile boolean closed;
        final AtomicInteger refreshes = new AtomicInteger();

        SimSession(String id, String customer, String user, String feature, Instant now) {
            this.id = id;
            this.customer = customer;
            this.user = user;
            this.feature = feature;
            this.lastRefresh = now;
        }

        public String id() {
            return id;
        }

        public boolean isOpen() {
            return !terminated && !closed;
        }

        public boolean isClosed() {
            return closed;
        }

        public int refreshes() {
            return refreshes.get();
        }

        /** The user the session was opened for (tests: one session per application reference). */
        public String user() {
            return user;
        }
    }

    private final SandboxServer server;
    private final FaultSwitches faults;
    private final Clock clock;
    private final String vendorId;
    private final String secretKeyId;
    private final String secretKey;
    private final List<String> wsVersions;
    private final List<String> features;
    private final String stringToSign;
    private final String signatureEncoding;
    private final String headerTemplate;
    private final Duration reaperTimeout;
    private final Map<String, SimSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger registrations = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile int generation;
    private volatile String oldBaseAnswer = "401:2027";

    public SentinelSandbox(SandboxServer server, Settings s, Clock clock) {
        this.server = server;
        this.faults = server.faults();
        this.clock = clock;
        this.vendorId = s.string("vendorId");
        this.secretKeyId = s.string("secretKeyId");
        this.secretKey = s.string("secretKey");
        this.wsVersions = s.list("wsVersions");
        this.features = s.list("features");
        this.stringToSign = s.string("signing.stringToSign");
        this.signatureEncoding = s.string("signing.signatureEncoding");
        this.headerTemplate = s.string("signing.headerTemplate");
        this.reaperTimeout = s.duration("reaperTimeout");
        server.handle("/", this::dispatch);
    }

    public SandboxServer server() {
        return server;
    }

    /** Directory Services registrations answered so far. */
    public int registrations() {
        return registrations.get();
    }

    public Map<String, SimSession> sessions() {
        return sessions;
    }

    /**
     * Sessions still holding a seat. Sentinel's background cleaner (§6.4) terminates a session not refreshed within
     * the reaper timeout; it is applied here too, so that a session whose handle the client never learnt (a POST cut
     * by a crash or a timeout, §13.15) stops counting once Sentinel would have reaped it.
     */
    public long openSessions() {
        Instant now = now();
        sessions.values().forEach(s -> {
            if (!s.terminated && !s.closed && s.lastRefresh.plus(reaperTimeout).isBefore(now)) {
                s.terminated = true;
            }
        });
        return sessions.values().stream().filter(SimSession::isOpen).count();
    }

    /** The SCC URL moves now; calls on the old base answer {@code mode} (401:2027, 401:2028, 401 or 404). */
    public void moveScc(String mode) {
        oldBaseAnswer = mode;
        generation++;
        LOG.info("Sentinel sandbox: Cloud Connect moved to {} (old base answers {})", sccPath(generation), mode);
    }

    /** Terminates one session as a vendor administrator would (§12.6 admin hook). */
    public void terminate(String sessionId) {
        SimSession s = sessions.get(sessionId);
        if (s != null) {
            s.terminated = true;
        }
    }

    private static String sccPath(int gen) {
        return gen == 0 ? "/scc" : "/scc-" + gen;
    }

    private Instant now() {
        return clock.instant().plusMillis(Long.parseLong(faults.value("clock.skewMillis", "0")));
    }

    private void dispatch(SandboxExchange ex) throws Exception {
        String moveTo = faults.value("scc.move", null);
        if (moveTo != null) {
            faults.clear("scc.move");
            moveScc(moveTo);
        }
        if (faults.fire("session.terminateAll")) {
            sessions.values().forEach(s -> s.terminated = true);
        }
        if (!verify(ex)) {
            return;
        }
        String path = ex.rawPath();
        if (path.equals("/YPServer/registrations") && ex.method().equals("POST")) {
            registrations.incrementAndGet();
            String base = server.baseUri().toString().replaceAll("/$", "") + sccPath(generation);
            ex.verdict(ex.verdictText() + "; registration -> " + base);
            ok(ex, "<registration><url>" + base + "</url><registrationId>" + UUID.randomUUID() + "</registrationId></registration>");
            return;
        }
        String current = sccPath(generation);
        if (!path.startsWith(current + "/")) {
            if (path.startsWith("/scc")) {
                oldBase(ex);
            } else {
                ex.respond(404, "text/html", "<html><body>not found</body></html>");
            }
            return;
        }
        if (faults.fire("rateLimit")) {
            ex.setResponseHeader("Retry-After", "1");
            error(ex, 429, "2047", "too many requests from the same user, retry later");
            return;
        }
        String rest = path.substring(current.length());
        if (rest.equals("/licenses") && ex.method().equals("GET")) {
            licenses(ex);
        } else if (rest.equals("/licenseSessions") && ex.method().equals("POST")) {
            open(ex);
        } else if (rest.startsWith("/licenseSessions/") && !rest.substring("/licenseSessions/".length()).contains("/")) {
            String id = decode(rest.substring("/licenseSessions/".length()));
            switch (ex.method()) {
                case "PATCH" -> refresh(ex, id);
                case "DELETE" -> close(ex, id);
                default -> ex.respond(405, "text/plain", "method not allowed");
            }
        } else {
            ex.respond(404, "text/html", "<html><body>not found</body></html>");
        }
    }

    private void oldBase(SandboxExchange ex) throws Exception {
        ex.verdict(ex.verdictText() + "; old Cloud Connect base, answering " + oldBaseAnswer);
        switch (oldBaseAnswer) {
            case "404" -> ex.respond(404, "text/html", "<html><body>404 Not Found</body></html>");
            case "401" -> error(ex, 401, null, "Authentication failed");
            default -> error(ex, 401, oldBaseAnswer.substring(oldBaseAnswer.indexOf(':') + 1),
                    "get a new Cloud Connect URL from Directory Services");
        }
    }

    /** §12.3 and §12.4: the header checks and the signature, by this simulator's own code. */
    private boolean verify(SandboxExchange ex) throws Exception {
        String length = ex.header("Content-Length");
        if (length == null) {
            ex.verdict("no Content-Length");
            ex.respond(411, "text/plain", "Length Required");
            return false;
        }
        String auth = ex.header("Authorization");
        if (auth == null) {
            error(ex, 401, null, "Authorization header not found");
            return false;
        }
        String date = ex.header("x-sfnt-date");
        if (date == null) {
            error(ex, 401, null, "x-sfnt-date header not found");
            return false;
        }
        if (!date.matches("\\d{1,15}")) {
            error(ex, 401, null, "Invalid parameter: dateHeader");
            return false;
        }
        long skew = Math.abs(now().toEpochMilli() - Long.parseLong(date));
        if (skew > MAX_SKEW.toMillis()) {
            ex.verdict("date off by " + Duration.ofMillis(skew));
            error(ex, 401, null, "Authentication Failed due to time mismatch");
            return false;
        }
        String vendor = ex.header("x-sfnt-vendor");
        if (vendor == null || !vendor.equals(vendorId)) {
            error(ex, 401, "2009", "request from this vendorID is not supported");
            return false;
        }
        String accept = ex.header("Accept");
        String version = accept == null || !accept.contains("version=") ? null
                : accept.substring(accept.indexOf("version=") + 8).split("[;,\\s]")[0];
        if (version == null || !wsVersions.contains(version)) {
            error(ex, 406, "2001", "This web service version is not supported");
            return false;
        }
        String canonical = stringToSign.replace("\\n", "\n")
                .replace("{method}", ex.method())
                .replace("{contentType}", ex.header("Content-Type") == null ? "" : ex.header("Content-Type"))
                .replace("{contentLength}", length)
                .replace("{date}", date)
                .replace("{vendorId}", vendor)
                .replace("{path}", ex.rawPath())
                .replace("{query}", ex.rawQuery() == null ? "" : ex.rawQuery())
                .replace("{bodySha256Hex}", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ex.body())));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] sig = mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        String encoded = signatureEncoding.equals("hex") ? HexFormat.of().formatHex(sig) : Base64.getEncoder().encodeToString(sig);
        String expected = headerTemplate.replace("{keyId}", secretKeyId).replace("{signature}", encoded);
        String shown = canonical.replace("\n", "\\n");
        if (!expected.equals(auth)) {
            LOG.info("Sentinel sandbox: signature MISMATCH over [{}]: expected {}, received {}", shown, expected, auth);
            ex.verdict("signature mismatch over [" + shown + "]");
            error(ex, 401, null, "Authentication failed. Please check secret key, secret key id, vendor id, and hash computation");
            return false;
        }
        LOG.debug("Sentinel sandbox: signature ok over [{}]", shown);
        ex.verdict("signature ok over [" + shown + "]");
        return true;
    }

    private void licenses(SandboxExchange ex) throws Exception {
        Map<String, String> q = ex.query();
        String customer = q.getOrDefault("customer", "");
        String onlyFeature = q.get("featureName");
        int limit = Integer.parseInt(faults.value("session.concurrencyLimit", "100000"));
        StringBuilder out = new StringBuilder("<licenses>");
        for (String f : features) {
            if (onlyFeature != null && !onlyFeature.equals(f)) {
                continue;
            }
            long inUse = sessions.values().stream().filter(s -> s.isOpen() && s.feature.equals(f)).count();
            out.append("<license><customer>").append(customer).append("</customer><featureName>").append(f)
                    .append("</featureName><featureVersion>1.0</featureVersion><concurrencyLimit>").append(limit)
                    .append("</concurrencyLimit><sessionsInUse>").append(inUse).append("</sessionsInUse><available>")
                    .append(inUse < limit).append("</available></license>");
        }
        ok(ex, out.append("</licenses>").toString());
    }

    private void open(SandboxExchange ex) throws Exception {
        Document doc;
        try {
            doc = SafeXml.parse(ex.body());
        } catch (Exception e) {
            error(ex, 400, "2011", "request XML not well formed");
            return;
        }
        Element root = doc.getDocumentElement();
        String user = text(root, "user");
        String customer = text(root, "customer");
        String feature = text(root, "featureName");
        String units = text(root, "unitsRequired");
        if (user == null || user.isBlank()) {
            error(ex, 400, "2002", "user is invalid");
            return;
        }
        if (customer == null || customer.isBlank()) {
            error(ex, 400, "2003", "customer is invalid");
            return;
        }
        if (feature == null || !features.contains(feature)) {
            error(ex, 400, "2008", "invalid feature name");
            return;
        }
        long n;
        try {
            n = Long.parseLong(units == null ? "1" : units.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > Integer.MAX_VALUE) {
            error(ex, 400, "2014", "unitsRequired out of range 1..2147483647");
            return;
        }
        int limit = Integer.parseInt(faults.value("session.concurrencyLimit", "100000"));
        synchronized (sessions) {
            long inUse = sessions.values().stream().filter(s -> s.isOpen() && s.feature.equals(feature)).count();
            if (inUse >= limit) {
                error(ex, 403, "2021", "maximum concurrent user limit reached");
                return;
            }
            String id = newHandle();
            sessions.put(id, new SimSession(id, customer, user, feature, now()));
            String xmlId = faults.isOn("session.rawCr") ? id : id.replace("\r", "&#13;");
            ex.verdict(ex.verdictText() + "; session opened");
            ok(ex, "<licenseSession><licenseSessionId>" + xmlId + "</licenseSessionId><status>Ok</status></licenseSession>");
        }
    }

    private void refresh(SandboxExchange ex, String id) throws Exception {
        SimSession s = sessions.get(id);
        if (s == null || s.closed) {
            error(ex, 400, "2013", "license sessionId is invalid");
            return;
        }
        if (!s.terminated && s.lastRefresh.plus(reaperTimeout).isBefore(now())) {
            s.terminated = true; // the background cleaner (§6.4)
        }
        if (s.terminated) {
            error(ex, 403, null, "Session terminated");
            return;
        }
        s.lastRefresh = now();
        s.refreshes.incrementAndGet();
        ok(ex, "<licenseSession><status>Ok</status></licenseSession>");
    }

    private void close(SandboxExchange ex, String id) throws Exception {
        SimSession s = sessions.get(id);
        if (s == null || s.closed) {
            error(ex, 400, "2013", "license sessionId is invalid");
            return;
        }
        s.closed = true;
        ok(ex, "<licenseSession><status>Ok</status></licenseSession>");
    }

    /** A Base64 handle wrapped with CR LF, always holding {@code /}, {@code +} and {@code =} (§6.3, §12.5). */
    private String newHandle() {
        byte[] b = new byte[40];
        random.nextBytes(b);
        String base64 = Base64.getEncoder().encodeToString(b);
        return base64.substring(0, 20) + "/+" + base64.substring(20, 30) + "\r\n" + base64.substring(30, 50) + "==";
    }

    private void ok(SandboxExchange ex, String xml) throws Exception {
        ex.respond(200, "application/xml;charset=utf-8", xml);
    }

    private void error(SandboxExchange ex, int status, String code, String description) throws Exception {
        String body = "<error><status>Fail</status>" + (code == null ? "" : "<errorCode>" + code + "</errorCode>")
                + "<errorDescription>" + description + "</errorDescription></error>";
        ex.verdict((ex.verdictText().isEmpty() ? "" : ex.verdictText() + "; ") + "error " + status
                + (code == null ? "" : "/" + code) + " " + description);
        ex.respond("ALWAYS_200".equals(faults.value("errorStatusMode", "TABLE")) ? 200 : status,
                "application/xml;charset=utf-8", body);
    }

    private static String text(Element root, String name) {
        NodeList n = root.getElementsByTagName(name);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    /** Percent-decoding of one raw path segment; {@code +} stays {@code +} (never form decoding). */
    private static String decode(String raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
