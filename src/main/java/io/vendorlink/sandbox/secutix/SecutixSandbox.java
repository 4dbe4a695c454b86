package io.vendorlink.sandbox.secutix;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.ParallelStartService;
import io.vendorlink.core.Settings;
import io.vendorlink.core.sandbox.AnswerCorpus;
import io.vendorlink.core.sandbox.FaultSwitches;
import io.vendorlink.core.sandbox.SandboxTls;
import io.vendorlink.secutix.SecutixService;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.xml.soap.SOAPMessage;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.configuration.jsse.TLSServerParameters;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageContentsList;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.common.gzip.GZIPOutInterceptor;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngine;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.apache.cxf.ws.security.SecurityConstants;
import org.apache.cxf.ws.security.wss4j.WSS4JInInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.handler.RequestData;
import org.apache.wss4j.dom.validate.Credential;
import org.apache.wss4j.dom.validate.UsernameTokenValidator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.xml.namespace.QName;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SecuTix simulator (protocol note §11): a real CXF SOAP 1.1 server on Jetty, loopback HTTPS with the sandbox
 * certificate, serving the project's WSDLs at the published paths, with:
 * <ul>
 *   <li>WSS4J verifying the UsernameToken, accepting both the [SEED] and [HOWTO] forms (§11.2); bad credentials
 *       answered in the configured form ({@code authRejectForm}: {@code fault} = HTTP 500 SOAP Fault
 *       {@code wsse:FailedAuthentication}, {@code 401}, or {@code status} = a non-success statusCode);</li>
 *   <li>token-bucket load limiters per instance, per endpoint (all versions one endpoint) and per method, answering
 *       509 (or 429) with a short body (§11.5);</li>
 *   <li>in_progress for the first N calls of async methods, with a no-requestId quirk (§11.4);</li>
 *   <li>gzip when asked (§11.6), Long ids and amounts in thousandths (§11.7), exportList fixtures (§11.8);</li>
 *   <li>fault switches (§11.9): {@code soap.http500} (500, no fault), {@code soap.fault500} (500 with a Server fault),
 *       {@code soap.malformed} (a truncated envelope), {@code http.slowMillis}, {@code auth.reject},
 *       {@code async.noRequestId}, {@code async.inProgressCalls}, {@code async.off}, {@code alive.fail}, {@code rateLimit.off},
 *       and the core {@code answer.corpus} (path filter matched against {@code <service path>#<operation>});
 *       retired versions are simply not published, so their paths answer 404.</li>
 * </ul>
 * Admin API on the same port: {@code GET|POST|DELETE /__admin/faults}, {@code GET|DELETE /__admin/requests}.
 */
public final class SecutixSandbox extends ParallelStartService {
    private static final Logger LOG = LoggerFactory.getLogger(SecutixSandbox.class);
    static final String AUTH_FAILED = "secutix.sandbox.authFailed";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One SOAP call as the simulator saw it. */
    public record Call(Instant at, String operation, Integer requestId, int status, String verdict,
                       String acceptEncoding, String acceptLanguage, String soapAction, boolean passwordTypeSent,
                       boolean mustUnderstandSent) {
    }

    private final Settings settings;
    private final SandboxTls tls;
    private final Map<String, SecutixService> services;
    private final FaultSwitches faults = new FaultSwitches();
    private final Deque<Call> calls = new ConcurrentLinkedDeque<>();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> pendingRequests = new ConcurrentHashMap<>();
    private final AtomicInteger nextRequestId = new AtomicInteger(1000);
    private final List<Server> servers = new ArrayList<>();
    private final java.util.Set<String> published = ConcurrentHashMap.newKeySet();
    private Bus bus;
    private int port;

    public SecutixSandbox(Settings sandbox, SandboxTls tls, Map<String, SecutixService> services) {
        // Its CXF/Jetty server takes ~1 s to build on 2 cores: built on its own thread while the other services start.
        super("sandbox-secutix-start");
        this.settings = sandbox;
        this.tls = tls;
        this.services = services;
    }

    public FaultSwitches faults() {
        return faults;
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    public long count(int status) {
        return calls.stream().filter(c -> c.status == status).count();
    }

    public int port() {
        return port;
    }

    Settings settings() {
        return settings;
    }

    @Override
    protected void startInParallel() throws Exception {
        port = settings.integer("port");
        bus = BusFactory.newInstance().createBus();
        JettyHTTPServerEngineFactory factory = bus.getExtension(JettyHTTPServerEngineFactory.class);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.serverKeyStore())) {
            ks.load(in, SandboxTls.keyStorePassword());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, SandboxTls.keyStorePassword());
        TLSServerParameters tsp = new TLSServerParameters();
        tsp.setKeyManagers(kmf.getKeyManagers());
        factory.setTLSServerParametersForPort("localhost", port, tsp);
        JettyHTTPServerEngine engine = factory.createJettyHTTPServerEngine("localhost", port, "https");
        engine.setHandlers(List.of(new Admin()));

        for (SecutixService s : services.values()) {
            Object impl = switch (s.serviceClass().getSimpleName()) {
                case "CatalogService" -> new CatalogSimulator(this);
                case "ExternalAccessControlService" -> new AccessControlSimulator(this);
                case "ExternalOrderService" -> new OrderSimulator(this);
                default -> null;
            };
            if (impl == null) {
                LOG.info("SecuTix sandbox has no simulator for {}", s.serviceClass().getName());
                continue;
            }
            JaxWsServerFactoryBean sf = new JaxWsServerFactoryBean();
            sf.setBus(bus);
            sf.setServiceClass(s.serviceClass());
            sf.setServiceBean(impl);
            sf.setAddress("https://localhost:" + port + s.path());
            Map<String, Object> props = new HashMap<>();
            props.put(SecurityConstants.RETURN_SECURITY_ERROR, Boolean.TRUE);
            props.put(SecurityConstants.USERNAME_TOKEN_VALIDATOR, new PasswordCheck(this));
            // SecuTix's UsernameToken carries no nonce and no created timestamp (§2, project decision): no replay cache to keep. CXF
            // would otherwise build a disk-backed Ehcache manager per endpoint for its nonce cache and token store
            // on the first request, ~1 s of the first alive round on 2 cores (issue 9, start-up).
            props.put(SecurityConstants.ENABLE_NONCE_CACHE, Boolean.FALSE);
            props.put(SecurityConstants.TOKEN_STORE_CACHE_INSTANCE, new org.apache.cxf.ws.security.tokenstore.MemoryTokenStore());
            sf.setProperties(props);
            sf.getInInterceptors().add(new AnySoapAction());
            sf.getInInterceptors().add(new WSS4JInInterceptor(wssIn()));
            sf.getInInterceptors().add(new Gate(this, s));
            GZIPOutInterceptor gzip = new GZIPOutInterceptor(0);
            sf.getOutInterceptors().add(gzip);
            sf.getOutFaultInterceptors().add(gzip);
            servers.add(sf.create());
            published.add(s.path());
        }
        LOG.info("SecuTix sandbox (CXF/Jetty) listening on https://localhost:{}", port);
    }

    @Override
    protected void stopStarted() {
        servers.forEach(Server::destroy);
        servers.clear();
        if (bus != null) {
            bus.shutdown(true);
        }
    }

    private Map<String, Object> wssIn() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationConstants.ACTION, ConfigurationConstants.USERNAME_TOKEN);
        // The [SEED] form has no Password Type: Basic Security Profile rule R4201 would refuse it (§11.2).
        p.put(ConfigurationConstants.IS_BSP_COMPLIANT, "false");
        p.put(ConfigurationConstants.PW_CALLBACK_REF, (CallbackHandler) callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof WSPasswordCallback pc && settings.string("username").equals(pc.getIdentifier())) {
                    pc.setPassword(settings.string("password"));
                }
            }
        });
        return p;
    }

    // ---- async emulation (§11.4) ----------------------------------------------------------------------------------

    /** in_progress for the first N calls; returns the requestId to answer with, or null when the work is done. */
    AsyncAnswer async(Integer requestId) {
        int inProgressCalls = Integer.parseInt(faults.value("async.inProgressCalls",
                settings.string("async.inProgressCalls")));
        if (requestId == null) {
            if (inProgressCalls <= 0 || faults.isOn("async.off")) {
                return AsyncAnswer.DONE;
            }
            int id = nextRequestId.incrementAndGet();
            pendingRequests.put(id, new AtomicInteger(inProgressCalls - 1));
            return new AsyncAnswer(true, faults.fire("async.noRequestId") ? null : id);
        }
        AtomicInteger left = pendingRequests.get(requestId);
        // An id this simulator did not issue (e.g. issued before a restart) is treated as prepared.
        if (left == null || left.getAndDecrement() <= 0) {
            pendingRequests.remove(requestId);
            return AsyncAnswer.DONE;
        }
        return new AsyncAnswer(true, faults.fire("async.noRequestId") ? null : requestId);
    }

    record AsyncAnswer(boolean inProgress, Integer requestId) {
        static final AsyncAnswer DONE = new AsyncAnswer(false, null);
    }

    /** Whether the current call failed authentication in a non-fault reject form. */
    static boolean authFailed() {
        Message m = PhaseInterceptorChain.getCurrentMessage();
        return m != null && Boolean.TRUE.equals(m.getExchange().get(AUTH_FAILED));
    }

    // ---- rate limiting (§11.5) ------------------------------------------------------------------------------------

    /** A token bucket: {@code perMinute} tokens per minute, at most {@code capacity} saved up. */
    static final class TokenBucket {
        private final double perMilli;
        private final double capacity;
        private double tokens;
        private long last;

        TokenBucket(double perMilli, double capacity) {
            this.perMilli = perMilli;
            this.capacity = capacity;
            this.tokens = capacity;
            this.last = System.currentTimeMillis();
        }

        synchronized long take() {
            long now = System.currentTimeMillis();
            tokens = Math.min(capacity, tokens + (now - last) * perMilli);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perMilli);
        }
    }

    /** 0 when allowed; otherwise the milliseconds until a token would be there. */
    long admit(SecutixService service, String operation, boolean poll) {
        if (faults.isOn("rateLimit.off")) {
            return 0;
        }
        Settings rl = settings.child("rateLimit");
        double burst = rl.decimal("burst");
        List<TokenBucket> applicable = new ArrayList<>();
        int instance = rl.integer("perInstancePerMinute");
        if (instance > 0) {
            applicable.add(buckets.computeIfAbsent("instance", k -> new TokenBucket(instance / 60_000.0, burst)));
        }
        int endpoint = rl.integer("perEndpointPerMinute");
        if (endpoint > 0) {
            applicable.add(buckets.computeIfAbsent("endpoint:" + service.name(),
                    k -> new TokenBucket(endpoint / 60_000.0, burst)));
        }
        var method = rl.optional("method." + operation);
        if (method.isPresent() && (!poll || rl.bool("methodCountsPolls"))) {
            String[] spec = method.get().split("/");
            double perMilli = Double.parseDouble(spec[0]) / Settings.parseDuration(rl.key("method." + operation), spec[1]).toMillis();
            applicable.add(buckets.computeIfAbsent("method:" + operation, k -> new TokenBucket(perMilli, 1)));
        }
        long wait = 0;
        for (TokenBucket b : applicable) {
            wait = Math.max(wait, b.take());
        }
        return wait;
    }

    void record(Call call) {
        calls.addLast(call);
        while (calls.size() > 20_000) {
            calls.pollFirst();
        }
    }

    // ---- interceptors ---------------------------------------------------------------------------------------------

    /** WSS4J's UsernameToken check, reporting failures in the configured reject form (§11.2). */
    static final class PasswordCheck extends UsernameTokenValidator {
        private final SecutixSandbox sandbox;

        PasswordCheck(SecutixSandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public Credential validate(Credential credential, RequestData data) throws WSSecurityException {
            boolean rejected = false;
            try {
                if (sandbox.faults.fire("auth.reject")) {
                    throw new WSSecurityException(WSSecurityException.ErrorCode.FAILED_AUTHENTICATION);
                }
                return super.validate(credential, data);
            } catch (WSSecurityException e) {
                String form = sandbox.faults.value("authRejectForm", sandbox.settings.string("authRejectForm"));
                if (form.equals("fault")) {
                    rejected = true;
                    throw e;
                }
                Message m = PhaseInterceptorChain.getCurrentMessage();
                if (m != null) {
                    m.getExchange().put(AUTH_FAILED, Boolean.TRUE);
                }
                return credential;
            } finally {
                Message m = PhaseInterceptorChain.getCurrentMessage();
                if (m != null && Boolean.TRUE.equals(m.getExchange().get(AUTH_FAILED)) || rejected) {
                    sandbox.record(new Call(Instant.now(), "(authentication)", null, 500,
                            "authentication failed", null, null, null, false, false));
                }
            }
        }
    }

    /**
     * SecuTix's SOAPAction values are UNKNOWN (§2): the simulator accepts any, records it, and dispatches on the body
     * element only (CXF would otherwise refuse a SOAPAction that differs from the WSDL's "").
     */
    static final class AnySoapAction extends AbstractPhaseInterceptor<Message> {
        static final String SEEN = "secutix.sandbox.soapAction";

        AnySoapAction() {
            super(Phase.RECEIVE);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void handleMessage(Message message) {
            Object h = message.get(Message.PROTOCOL_HEADERS);
            if (h instanceof Map<?, ?> headers) {
                for (var it = ((Map<String, List<String>>) headers).entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if ("SOAPAction".equalsIgnoreCase(e.getKey())) {
                        message.getExchange().put(SEEN, e.getValue() == null || e.getValue().isEmpty() ? null : e.getValue().get(0));
                        it.remove();
                    }
                }
            }
        }
    }

    /** Faults, authentication reject forms and the load limiter, once the operation is known. */
    static final class Gate extends AbstractPhaseInterceptor<Message> {
        private final SecutixSandbox sandbox;
        private final SecutixService service;

        Gate(SecutixSandbox sandbox, SecutixService service) {
            super(Phase.PRE_INVOKE);
            this.sandbox = sandbox;
            this.service = service;
        }

        @Override
        public void handleMessage(Message message) throws Fault {
            String operation = message.getExchange().getBindingOperationInfo().getName().getLocalPart();
            MessageContentsList params = MessageContentsList.getContentsList(message);
            Integer requestId = null;
            if (params != null && !params.isEmpty() && params.get(0) instanceof Integer id) {
                requestId = id;
            }
            Map<String, List<String>> headers = headers(message);
            boolean[] form = usernameTokenForm(message);
            FaultSwitches f = sandbox.faults;
            String slow = f.value("http.slowMillis", null);
            if (slow != null && f.fire("http.slowMillis")) {
                try {
                    Thread.sleep(Math.min(Long.parseLong(slow.split(":")[0]), 120_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = 200;
            String verdict;
            var corpus = AnswerCorpus.take(f, service.path() + "#" + operation);
            long wait = corpus.isPresent() ? 0 : sandbox.admit(service, operation, requestId != null);
            if (corpus.isPresent()) {
                status = corpus.get().status();
                verdict = "fault: answer replaced by corpus entry " + corpus.get().entry();
                corpus(message, corpus.get());
            } else if (wait > 0) {
                status = Integer.parseInt(sandbox.settings.string("rateLimit.status"));
                Map<String, String> extra = new LinkedHashMap<>();
                if (sandbox.settings.bool("rateLimit.retryAfter")) {
                    extra.put("Retry-After", String.valueOf(Math.max(1, (wait + 999) / 1000)));
                }
                verdict = "over the load limit";
                raw(message, status, "text/plain", "Bandwidth Limit Exceeded", extra);
            } else if (authFailed() && "401".equals(f.value("authRejectForm", sandbox.settings.string("authRejectForm")))) {
                status = 401;
                verdict = "authentication failed (401 form)";
                raw(message, 401, "text/plain", "Unauthorized", Map.of());
            } else if (f.fire("soap.http500")) {
                status = 500;
                verdict = "fault: 500 without SOAP fault";
                raw(message, 500, "text/plain", "Internal Server Error", Map.of());
            } else if (f.fire("soap.malformed")) {
                verdict = "fault: malformed envelope";
                raw(message, 200, "text/xml; charset=utf-8",
                        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><ns2:"
                                + operation + "Response xmlns:ns2=\"" + service.wsdlNamespace() + "\"><return><statusCo",
                        Map.of());
            } else if (f.fire("soap.fault500")) {
                status = 500;
                verdict = "fault: SOAP Server fault";
                sandbox.record(new Call(Instant.now(), operation, requestId, status, verdict, first(headers, "Accept-Encoding"),
                        first(headers, "Accept-Language"), soapAction(message), form[0], form[1]));
                throw new SoapFault("simulated server error", new QName("http://schemas.xmlsoap.org/soap/envelope/", "Server"));
            } else {
                verdict = authFailed() ? "authentication failed (status form)" : "accepted";
            }
            sandbox.record(new Call(Instant.now(), operation, requestId, status, verdict, first(headers, "Accept-Encoding"),
                    first(headers, "Accept-Language"), soapAction(message), form[0], form[1]));
        }

        private static String soapAction(Message message) {
            return (String) message.getExchange().get(AnySoapAction.SEEN);
        }

        private static void raw(Message message, int status, String type, String body, Map<String, String> headers) {
            HttpServletResponse resp = (HttpServletResponse) message.get(AbstractHTTPDestination.HTTP_RESPONSE);
            try {
                resp.setStatus(status);
                resp.setContentType(type);
                headers.forEach(resp::setHeader);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                resp.setContentLength(bytes.length);
                resp.getOutputStream().write(bytes);
                resp.flushBuffer();
            } catch (java.io.IOException e) {
                throw new Fault(e);
            }
            message.getInterceptorChain().abort();
        }

        /** The core answer corpus (§11.9, issue 9) instead of invoking the simulator. */
        private static void corpus(Message message, AnswerCorpus.Answer a) {
            HttpServletResponse resp = (HttpServletResponse) message.get(AbstractHTTPDestination.HTTP_RESPONSE);
            try {
                resp.setStatus(a.status());
                resp.setContentType(a.contentType());
                a.headers().forEach(resp::setHeader);
                resp.setContentLengthLong(a.length());
                a.writeBody(resp.getOutputStream());
                resp.flushBuffer();
            } catch (java.io.IOException clientWentAway) {
                // a client that stops reading a huge answer closes the connection: expected
            }
            message.getInterceptorChain().abort();
        }

        @SuppressWarnings("unchecked")
        private static Map<String, List<String>> headers(Message message) {
            Object h = message.get(Message.PROTOCOL_HEADERS);
            return h instanceof Map ? (Map<String, List<String>>) h : Map.of();
        }

        private static String first(Map<String, List<String>> headers, String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** [0] Password carried a Type attribute, [1] wsse:Security carried mustUnderstand (the [HOWTO] form). */
        private static boolean[] usernameTokenForm(Message message) {
            boolean[] out = new boolean[2];
            if (message instanceof SoapMessage) {
                SOAPMessage saaj = message.getContent(SOAPMessage.class);
                try {
                    if (saaj != null && saaj.getSOAPHeader() != null) {
                        String wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
                        var pw = saaj.getSOAPHeader().getElementsByTagNameNS(wsse, "Password");
                        out[0] = pw.getLength() > 0 && ((org.w3c.dom.Element) pw.item(0)).hasAttribute("Type");
                        var sec = saaj.getSOAPHeader().getElementsByTagNameNS(wsse, "Security");
                        out[1] = sec.getLength() > 0 && ((org.w3c.dom.Element) sec.item(0)).hasAttributeNS(
                                "http://schemas.xmlsoap.org/soap/envelope/", "mustUnderstand");
                    }
                } catch (jakarta.xml.soap.SOAPException ignored) {
                    // recorded as "not sent"
                }
            }
            return out;
        }
    }

    /** {@code /__admin/faults} and {@code /__admin/requests} on the SOAP port, as every Vendorlink sandbox has. */
    final class Admin extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, org.eclipse.jetty.util.Callback callback) throws Exception {
            String path = request.getHttpURI().getPath();
            if (path == null || !path.startsWith("/__admin/")) {
                if (path != null && published.contains(path)) {
                    return false; // CXF serves it
                }
                // §11.9: a version that is not (or no longer) published answers 404, as a retired SecuTix version does.
                response.setStatus(404);
                Content.Sink.write(response, true, "Not Found", callback);
                return true;
            }
            Object answer;
            String method = request.getMethod();
            if (path.equals("/__admin/faults")) {
                if (method.equals("POST")) {
                    Fields q = Request.extractQueryParameters(request);
                    for (Fields.Field field : q) {
                        faults.set(field.getName(), field.getValue());
                    }
                } else if (method.equals("DELETE")) {
                    faults.clearAll();
                }
                answer = faults.snapshot();
            } else if (path.equals("/__admin/requests")) {
                if (method.equals("DELETE")) {
                    calls.clear();
                }
                List<Map<String, Object>> out = new ArrayList<>();
                for (Call c : calls) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("at", c.at().toString());
                    m.put("operation", c.operation());
                    m.put("requestId", c.requestId());
                    m.put("status", c.status());
                    m.put("verdict", c.verdict());
                    out.add(m);
                }
                answer = out;
            } else {
                response.setStatus(404);
                Content.Sink.write(response, true, "no such admin resource", callback);
                return true;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, JSON.writeValueAsString(answer), callback);
            return true;
        }
    }
}
