package io.vendorlink.sentinel;

import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.core.http.VendorHttp.Idempotency;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.retry.SharedCredential;
import io.vendorlink.core.security.SafeXml;
import io.vendorlink.core.security.Secret;
import io.vendorlink.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sentinel Cloud Connect, read top to bottom as the protocol (note §3): register with Directory Services (YPS) for the
 * Cloud Connect (SCC) URL; GET licenses; POST licenseSessions for a handle; PATCH it periodically; DELETE it. Every
 * request carries the common headers of §4 and is signed by {@link SentinelSigner}. The SCC URL lives in one
 * {@link SharedCredential}: a moved URL (401 2027/2028, 404, §8) re-registers once, single-flight and throttled, and the
 * call is replayed once on the new URL; a second refusal is a clear rejection, never a loop.
 */
public final class SentinelClient {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelClient.class);
    static final String VENDOR = SentinelFailures.VENDOR;
    private static final String STATE = "sentinel";

    private final Settings settings;
    private final VendorHttp http;
    private final VendorMetrics metrics;
    private final VendorHealthCheck health;
    private final Clock clock;
    private final String ypsUrl;
    private final String vendorId;
    private final String secretKeyId;
    private final Secret secretKey;
    private final String accept;
    private final String contentType;
    private final SentinelSigner.Rule rule;
    private final SentinelFailures failures;
    private final SharedCredential<String> scc;
    private final Map<String, String> licenseXPaths;
    private final List<String> idXPaths;
    private final String userSpecificParamName;
    private final boolean crlfFallback;
    private final String patchPath;
    private final String patchBody;
    private final boolean retryOpenOnTransportError;

    public SentinelClient(Settings s, VendorHttp http, VendorMetrics metrics, VendorHealthCheck health, StateStore state,
                          Map<String, String> licenseXPaths, Clock clock) {
        this.settings = s;
        this.http = http;
        this.metrics = metrics;
        this.health = health;
        this.clock = clock;
        this.ypsUrl = stripSlash(s.string("ypsUrl"));
        this.vendorId = s.string("vendorId");
        this.secretKeyId = s.string("secretKeyId");
        this.secretKey = s.secret("secretKey");
        this.accept = "application/xml;version=" + s.string("wsVersion");
        this.contentType = s.string("contentType");
        this.rule = new SentinelSigner.Rule(s.string("signing.stringToSign"), s.string("signing.signatureEncoding"),
                s.string("signing.headerTemplate"), s.string("signing.keyEncoding"));
        SentinelSigner.keyBytes(secretKey.reveal(), rule.keyEncoding()); // fail at start on a bad key encoding
        this.failures = new SentinelFailures(s.list("reregister.on"), s.list("errors.terminatedPatterns"),
                s.list("errors.clockPatterns"));
        this.licenseXPaths = Map.copyOf(licenseXPaths);
        this.idXPaths = s.list("session.idXPaths");
        this.userSpecificParamName = s.string("licenses.userSpecificParamName");
        this.crlfFallback = s.bool("session.crlfFallback");
        this.patchPath = s.string("session.patchPath");
        this.patchBody = s.string("session.patchBody", "");
        this.retryOpenOnTransportError = s.bool("session.retryOpenOnTransportError");
        // The SCC URL survives restarts (state store); registration runs at start anyway (§3.1).
        String known = state.get(STATE, "sccUrl").orElse(null);
        this.scc = SharedCredential.<String>builder(VENDOR, "Cloud Connect URL", metrics)
                .obtain(this::register)
                .minInterval(s.duration("reregister.minInterval"))
                .lockTimeout(s.duration("reregister.lockTimeout"))
                .onChange(url -> state.put(STATE, "sccUrl", url))
                .initial(known)
                .clock(clock)
                .build();
    }

    /** The current Cloud Connect URL, registering first when there is none. */
    public String cloudConnectUrl() {
        return scc.get();
    }

    /** Registration at start (§3.1): always asks YPS, so a URL that moved while the runtime was down is learnt at once. */
    public String registerAtStart() {
        return scc.refresh(scc.peek(), "start");
    }

    // ---- §6.1 POST {yps}/registrations ---------------------------------------------------------------------------

    /** {@code POST <YPS>/registrations}, no body, signed (§6.1 project decision); answers the SCC base URL. */
    String register() {
        Answer a = send("register", "POST", URI.create(ypsUrl + "/registrations"), null, Idempotency.IDEMPOTENT);
        try {
            a.raiseIfFailed(failures, "register", clock);
        } catch (VendorException e) {
            health.down("registration with Directory Services failed: " + e.getMessage());
            throw e;
        }
        String url = a.text("/registration/url");
        if (url == null || url.isBlank()) {
            throw new TransientException(VENDOR, "register", "Directory Services answered without a <url>");
        }
        url = stripSlash(url.trim());
        LOG.info("vendor=sentinel registered with Directory Services: Cloud Connect at {} (registrationId {})", url,
                a.text("/registration/registrationId"));
        health.up("registered; Cloud Connect at " + url);
        health.detail("cloudConnectUrl", url);
        return url;
    }

    // ---- §6.2 GET licenses ----------------------------------------------------------------------------------------

    /**
     * {@code GET <SCC>/licenses?...}: parameters whose value is null are omitted (§6.2). Returns the raw XML and the
     * fields named by {@code vendorlink.sentinel.licenses.xpath.*}.
     */
    public Map<String, Object> licenses(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() == null || p.getValue().isBlank()) {
                continue;
            }
            String name = p.getKey().equals("userSpecificEntitlement") ? userSpecificParamName : p.getKey();
            q.append(q.length() == 0 ? "?" : "&").append(SentinelSigner.encodePathSegment(name)).append('=')
                    .append(SentinelSigner.encodePathSegment(p.getValue()));
        }
        Answer a = onScc("licenses", base -> send("licenses", "GET", URI.create(base + "/licenses" + q), null,
                Idempotency.IDEMPOTENT));
        Map<String, Object> fields = new LinkedHashMap<>();
        licenseXPaths.forEach((name, xpath) -> fields.put(name, a.texts(xpath)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("xml", a.bodyText());
        out.put("fields", fields);
        return out;
    }

    // ---- §6.3 POST licenseSessions --------------------------------------------------------------------------------

    /** {@code POST <SCC>/licenseSessions}: consumes a seat; answers the session handle, kept byte for byte. */
    public String openSession(String customer, String user, String feature, String version, int units) {
        if (units < 1) {
            throw new InvalidInputException(VENDOR, "openSession", "units must be 1..2147483647, got " + units);
        }
        String body = "<licenseSession><user>" + xml(user) + "</user><customer>" + xml(customer) + "</customer>"
                + "<featureNode>" + (version == null || version.isBlank() ? "" : "<featureVersion>" + xml(version)
                + "</featureVersion>") + "<featureName>" + xml(feature) + "</featureName></featureNode>"
                + "<unitsRequired>" + units + "</unitsRequired><usageCountMultiplier>1</usageCountMultiplier></licenseSession>";
        Idempotency idem = retryOpenOnTransportError ? Idempotency.IDEMPOTENT : Idempotency.NON_IDEMPOTENT;
        Answer a = onScc("openSession", base -> send("openSession", "POST", URI.create(base + "/licenseSessions"),
                body, idem));
        for (String xpath : idXPaths) {
            String id = a.text(xpath);
            if (id != null && !id.isEmpty()) {
                return id;
            }
        }
        String location = a.response.headers().firstValue("Location").orElse(null);
        if (location != null && location.contains("/")) {
            return SentinelSigner.decodePathSegment(location.substring(location.lastIndexOf('/') + 1));
        }
        // A seat may be consumed without a handle to release it: not retried, reported (§13.12).
        throw new UnknownOutcomeException(VENDOR, "openSession", null, null,
                "Sentinel answered the session request without a session handle (looked at "
                        + idXPaths + " and Location): check vendorlink.sentinel.session.idXPaths", null);
    }

    // ---- §6.4 PATCH / §6.5 DELETE licenseSessions/{id} -------------------------------------------------------------

    /** {@code PATCH <SCC>/licenseSessions/{id}}: keeps the session alive; {@link SentinelFailures.SessionGoneException} when terminated. */
    public void refreshSession(String sessionId) {
        withCrlfFallback("refreshSession", sessionId, id -> {
            Answer a = onScc("refreshSession", base -> send("refreshSession", "PATCH",
                    URI.create(base + patchPath.replace("{id}", SentinelSigner.encodePathSegment(id))),
                    patchBody.isEmpty() ? null : patchBody, Idempotency.IDEMPOTENT));
            String status = a.text("/licenseSession/status");
            if (status != null && !status.isBlank() && !status.equalsIgnoreCase("Ok")) {
                throw new SentinelFailures.SessionGoneException("refreshSession", null, "status " + status);
            }
            return null;
        });
    }

    /** {@code DELETE <SCC>/licenseSessions/{id}}; a session the server had already reaped counts as closed (§13.10). */
    public boolean releaseSession(String sessionId) {
        try {
            withCrlfFallback("releaseSession", sessionId, id -> onScc("releaseSession", base -> send("releaseSession",
                    "DELETE", URI.create(base + "/licenseSessions/" + SentinelSigner.encodePathSegment(id)), null,
                    Idempotency.IDEMPOTENT)));
            return true;
        } catch (SentinelFailures.SessionGoneException gone) {
            LOG.info("vendor=sentinel session already closed at Sentinel ({}): counted as released", gone.vendorMessage());
            return false;
        }
    }

    /** §6.3 decision: an id whose CR LF the XML parser turned into LF is retried once with CR LF on 2013. */
    private <R> R withCrlfFallback(String operation, String id, Function<String, R> call) {
        try {
            return call.apply(id);
        } catch (SentinelFailures.SessionGoneException e) {
            if (crlfFallback && "2013".equals(e.vendorCode()) && id.contains("\n") && !id.contains("\r\n")) {
                LOG.info("vendor=sentinel {}: 2013 for an id with LF only; retrying once with CR LF (§6.3)", operation);
                return call.apply(id.replace("\n", "\r\n"));
            }
            throw e;
        }
    }

    // ---- transport, signing, classification ----------------------------------------------------------------------

    private Answer onScc(String operation, Function<String, Answer> call) {
        return scc.callWithReplay(base -> {
            Answer a = call.apply(base);
            a.raiseIfFailed(failures, operation, clock);
            return a;
        });
    }

    private Answer send(String operation, String method, URI uri, String body, Idempotency idempotency) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String date = Long.toString(clock.millis());
        var canonical = new SentinelSigner.CanonicalRequest(method, contentType, bytes.length, date, vendorId,
                uri.getRawPath(), uri.getRawQuery(), bytes);
        HttpRequest request = http.request(uri)
                // Content-Length is always sent, 0 on empty bodies (§4): a byte-array publisher, never chunked.
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", contentType)
                .header("Accept", accept)
                .header("x-sfnt-date", date)
                .header("x-sfnt-vendor", vendorId)
                .header("Authorization", SentinelSigner.authorization(rule, secretKeyId, secretKey.reveal(), canonical))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(operation, request, idempotency);
        } catch (TransientException e) {
            health.down("transport failure on " + operation + ": " + e.getMessage());
            throw e;
        } catch (UnknownOutcomeException e) {
            health.down("transport failure on " + operation + ": " + e.getMessage());
            throw e;
        }
        Answer a = new Answer(response);
        if (a.root == null && response.statusCode() >= 500) {
            health.down("Sentinel answered HTTP " + response.statusCode() + " without XML on " + operation);
        } else if (!"register".equals(operation)) {
            markUp();
        }
        return a;
    }

    /** The reason shown while up, built once per Cloud Connect URL: [url, reason]. */
    private volatile String[] upReason = {null, null};

    /**
     * Health UP after an answer from Sentinel; written only when it changes (health was down, or the URL moved), so
     * the steady state costs a read instead of a new state object and a string per call.
     */
    private void markUp() {
        String url = scc.peek();
        if (url == null) {
            return;
        }
        String[] r = upReason;
        if (!url.equals(r[0])) {
            r = new String[] {url, "registered; Cloud Connect at " + url};
            upReason = r;
        }
        if (!health.isUp() || !r[1].equals(health.reason())) {
            health.up(r[1]);
        }
    }

    /** A parsed answer: status, root element, error code and text. */
    static final class Answer {
        final HttpResponse<byte[]> response;
        final Document doc;
        final String root;
        /** Why a non-empty body is not XML (null when it is XML or empty). */
        final String notXml;

        Answer(HttpResponse<byte[]> response) {
            this.response = response;
            Document d = null;
            String problem = null;
            byte[] b = response.body();
            if (b != null && b.length > 0) {
                try {
                    d = SafeXml.parse(b);
                } catch (Exception notXml) {
                    d = null;
                    problem = SafeXml.problem(notXml);
                }
            }
            this.doc = d;
            this.notXml = problem;
            this.root = d == null ? null : d.getDocumentElement().getLocalName() != null
                    ? d.getDocumentElement().getLocalName() : d.getDocumentElement().getTagName();
        }

        String bodyText() {
            return response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
        }

        String text(String xpath) {
            List<String> all = texts(xpath);
            return all.isEmpty() ? null : all.get(0);
        }

        List<String> texts(String xpath) {
            List<String> out = new ArrayList<>();
            if (doc == null) {
                return out;
            }
            String[] steps = SIMPLE_STEPS.computeIfAbsent(xpath, p -> SIMPLE_PATH.matcher(p).matches()
                    ? p.replaceFirst("^/+", "").split("/") : NOT_SIMPLE);
            if (steps != NOT_SIMPLE) {
                // Plain element paths (/a/b, //a/b) by walking the DOM: the JDK's XPath engine builds a DTM per
                // evaluation, which cost more than the HTTPS call itself in the benchmark.
                List<Element> level = new ArrayList<>();
                if (xpath.startsWith("//")) {
                    NodeList all = doc.getElementsByTagName(steps[0]);
                    for (int i = 0; i < all.getLength(); i++) {
                        level.add((Element) all.item(i));
                    }
                } else if (doc.getDocumentElement().getTagName().equals(steps[0])) {
                    level.add(doc.getDocumentElement());
                }
                for (int k = 1; k < steps.length; k++) {
                    List<Element> next = new ArrayList<>();
                    for (Element e : level) {
                        for (org.w3c.dom.Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                            if (c instanceof Element ce && ce.getTagName().equals(steps[k])) {
                                next.add(ce);
                            }
                        }
                    }
                    level = next;
                }
                level.forEach(e -> out.add(e.getTextContent()));
                return out;
            }
            try {
                NodeList nodes = (NodeList) compiled(xpath).evaluate(doc, XPathConstants.NODESET);
                for (int i = 0; i < nodes.getLength(); i++) {
                    out.add(nodes.item(i).getTextContent());
                }
            } catch (XPathExpressionException e) {
                throw new IllegalArgumentException("invalid XPath " + xpath + ": " + e.getMessage(), e);
            }
            return out;
        }

        /**
         * XPath objects are not thread-safe and {@code XPathFactory.newInstance()} looks its provider up on every call
         * (most of a call's CPU in the benchmark): each thread compiles an expression once.
         */
        private static final java.util.regex.Pattern SIMPLE_PATH =
                java.util.regex.Pattern.compile("^//?[A-Za-z_][\\w.-]*(/[A-Za-z_][\\w.-]*)*$");
        /** Steps of each plain path, split once (the paths come from settings: a small, fixed set). */
        private static final Map<String, String[]> SIMPLE_STEPS = new java.util.concurrent.ConcurrentHashMap<>();
        private static final String[] NOT_SIMPLE = new String[0];
        private static final ThreadLocal<Map<String, javax.xml.xpath.XPathExpression>> XPATHS =
                ThreadLocal.withInitial(java.util.HashMap::new);
        private static final ThreadLocal<javax.xml.xpath.XPath> XPATH =
                ThreadLocal.withInitial(() -> XPathFactory.newInstance().newXPath());

        private static javax.xml.xpath.XPathExpression compiled(String xpath) throws XPathExpressionException {
            Map<String, javax.xml.xpath.XPathExpression> cache = XPATHS.get();
            javax.xml.xpath.XPathExpression e = cache.get(xpath);
            if (e == null) {
                e = XPATH.get().compile(xpath);
                cache.put(xpath, e);
            }
            return e;
        }

        void raiseIfFailed(SentinelFailures failures, String operation, Clock clock) {
            int status = response.statusCode();
            if (notXml != null && status >= 200 && status < 300) {
                // A 2xx whose body is garbled (cut, not UTF-8, a DOCTYPE, an HTML page): never taken for a success.
                // openSession may have consumed a seat: its outcome is unknown (§13.12); the others are repeatable.
                String why = "Sentinel answered " + operation + " with HTTP " + status + " but the body is " + notXml;
                throw "openSession".equals(operation) ? new UnknownOutcomeException(VENDOR, operation, null, null,
                        why + "; the seat may be consumed: not retried", null)
                        : new TransientException(VENDOR, operation, null, null, why, null);
            }
            if (!"error".equals(root) && status >= 200 && status < 300) {
                return; // a success (classify's first rule), without building the failure message parts
            }
            String code = null;
            String desc = null;
            if ("error".equals(root)) {
                Element e = doc.getDocumentElement();
                code = childText(e, "errorCode");
                desc = childText(e, "errorDescription");
            }
            VendorException f = failures.classify(operation, response.statusCode(), root, code, desc,
                    response.headers().firstValue("Retry-After").orElse(null),
                    clock.instant() + " (Sentinel's Date header: " + response.headers().firstValue("Date").orElse("none") + ")");
            if (f != null) {
                throw f;
            }
        }

        private static String childText(Element e, String name) {
            NodeList n = e.getElementsByTagName(name);
            return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
        }
    }

    static String xml(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public Settings settings() {
        return settings;
    }
}
