package io.vendorlink.secutix;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.vendorlink.core.Settings;
import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.observe.VendorMetrics;
import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.xml.ws.BindingProvider;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.Bus;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.feature.Feature;
import org.apache.cxf.feature.StaxTransformFeature;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageContentsList;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.common.gzip.GZIPInInterceptor;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SecuTix SOAP 1.1 calls through camel-cxf (protocol note §2-§7). One {@link CxfEndpoint} per configured service is
 * built once at start-up and bound as a bean ({@code secutix-<key>}, used as {@code cxf:bean:secutix-<key>}), in POJO
 * mode over the SEI generated from the WSDL, with:
 * <ul>
 *   <li>WS-Security UsernameToken by WSS4J ({@link UsernameTokenConfigurer}, §2);</li>
 *   <li>{@code Accept-Encoding: gzip,deflate} always sent and compressed answers decoded (§2 decision);
 *       {@code Accept-Language} from settings (§7);</li>
 *   <li>TLS trusting {@code vendorlink.secutix.tls.trustCertificates}, verification on;</li>
 *   <li>the wire namespace rewritten when configured to differ from the WSDL's (§3, §9.4);</li>
 *   <li>the HTTP status checked before any XML is parsed (509/429/401/403/404, §6, §12).</li>
 * </ul>
 * {@link #call} is one request: the rate limiter, then the call, then the result envelope classified by
 * {@link SecutixFailures}. Polling and redelivery live elsewhere (routes, {@link SecutixPendingCalls}).
 */
public final class SecutixClient {
    private static final Logger LOG = LoggerFactory.getLogger(SecutixClient.class);
    /** CXF conduit property: hand non-2xx answers to the in-chain instead of throwing without headers. */
    private static final String NO_IO_EXCEPTIONS = "org.apache.cxf.transport.no_io_exceptions";

    private final CamelContext context;
    private final Map<String, SecutixService> services;
    private final Map<String, String> endpointUris = new LinkedHashMap<>();
    private final SecutixFailures failures;
    private final SecutixRateLimiter limiter;
    private final VendorMetrics metrics;
    private final SecutixJson json;
    private final Settings settings;
    private final String baseUrl;
    private final ProducerTemplate template;

    public SecutixClient(CamelContext context, Settings settings, Map<String, SecutixService> services, Bus bus,
                         SSLContext ssl, UsernameTokenConfigurer.Style style, String username,
                         io.vendorlink.core.security.Secret password, SecutixFailures failures,
                         SecutixRateLimiter limiter, VendorMetrics metrics, SecutixJson json) {
        this.context = context;
        this.settings = settings;
        this.services = services;
        this.failures = failures;
        this.limiter = limiter;
        this.metrics = metrics;
        this.json = json;
        this.baseUrl = stripSlash(settings.string("baseUrl"));
        long maxAnswerBytes = settings.optional("http.maxAnswerBytes").or(() -> new Settings(context, "vendorlink")
                .optional("http.maxAnswerBytes")).map(Long::parseLong).orElse(VendorHttp.DEFAULT_MAX_ANSWER_BYTES);
        for (SecutixService s : services.values()) {
            CxfEndpoint ep = new CxfEndpoint();
            ep.setCamelContext(context);
            ep.setBus(bus);
            ep.setAddress(baseUrl + s.path());
            ep.setServiceClass(s.serviceClass());
            ep.setDataFormat(DataFormat.POJO);
            ep.setSynchronous(true);
            ep.setDefaultOperationNamespace(s.wsdlNamespace());
            Map<String, Object> props = new HashMap<>();
            // HTTP errors reach the in-chain (HttpStatusCheck) instead of an IOException without headers.
            props.put(NO_IO_EXCEPTIONS, Boolean.TRUE);
            ep.setProperties(props);
            ep.getOutInterceptors().addAll(UsernameTokenConfigurer.interceptors(username, password, style));
            ep.getInInterceptors().add(new HttpStatusCheck(failures, s.path()));
            ep.getInInterceptors().add(new GZIPInInterceptor());
            ep.getInInterceptors().add(new AnswerCap(maxAnswerBytes));
            ep.getInFaultInterceptors().add(new HttpStatusCheck(failures, s.path()));
            ep.getInFaultInterceptors().add(new GZIPInInterceptor());
            ep.getInFaultInterceptors().add(new AnswerCap(maxAnswerBytes));
            if (!s.namespace().equals(s.wsdlNamespace())) {
                List<Feature> features = new ArrayList<>(ep.getFeatures());
                features.add(namespaceRewrite(s.wsdlNamespace(), s.namespace()));
                ep.setFeatures(features);
            }
            ep.setCxfConfigurer(new Conduit(ssl, settings));
            String bean = "secutix-" + s.key();
            context.getRegistry().bind(bean, ep);
            endpointUris.put(s.key(), "cxf:bean:" + bean);
        }
        this.template = context.createProducerTemplate();
    }

    public Map<String, SecutixService> services() {
        return services;
    }

    public SecutixService service(String key) {
        SecutixService s = services.get(key);
        if (s == null) {
            for (SecutixService candidate : services.values()) {
                if (candidate.name().equals(key)) {
                    return candidate;
                }
            }
            throw new InvalidInputException(SecutixFailures.VENDOR, null, "unknown SecuTix service '" + key
                    + "'; configured: " + services.keySet());
        }
        return s;
    }

    /**
     * One SecuTix call: waits for the rate limiter, sends, and returns the result object when {@code statusCode} is
     * success. Everything else is thrown as the classified {@link VendorException} (in_progress included).
     *
     * @param parameters operation parameters by their WSDL names (JSON-like values), may be empty
     * @param requestId  the requestId of an in_progress call being polled, or null (§5)
     */
    public Object call(SecutixService service, String operation, Map<String, Object> parameters, Integer requestId) {
        return call(service, operation, parameters, requestId, requestId != null);
    }

    /**
     * As {@link #call(SecutixService, String, Map, Integer)}; {@code poll} marks the continuation of an in_progress
     * call (even one repeated without requestId, §5), which per-method limits may not count.
     */
    public Object call(SecutixService service, String operation, Map<String, Object> parameters, Integer requestId,
                       boolean poll) {
        Method method = operationMethod(service, operation);
        Object[] args = arguments(method, operation, parameters, requestId);
        limiter.acquire(service.name(), operation, poll);
        long start = System.nanoTime();
        Exchange result = template.send(endpointUris.get(service.key()), ex -> {
            ex.getIn().setBody(args);
            ex.getIn().setHeader(CxfConstants.OPERATION_NAME, operation);
            ex.getIn().setHeader(CxfConstants.OPERATION_NAMESPACE, service.wsdlNamespace());
            Map<String, Object> requestContext = new HashMap<>();
            // SOAPAction is UNKNOWN (§2): "" unless vendorlink.secutix.soapAction.<operation> says otherwise.
            requestContext.put(BindingProvider.SOAPACTION_USE_PROPERTY, Boolean.TRUE);
            requestContext.put(BindingProvider.SOAPACTION_URI_PROPERTY,
                    settings.optional("soapAction." + operation).orElse(settings.string("soapAction.default", "")));
            settings.optional("http.receiveTimeout." + operation).ifPresent(t ->
                    requestContext.put(Message.RECEIVE_TIMEOUT, settings.duration("http.receiveTimeout." + operation).toMillis()));
            ex.getIn().setHeader(Client.REQUEST_CONTEXT, requestContext);
        });
        Exception failure = result.getException();
        if (failure != null) {
            VendorException classified = classify(operation, failure);
            metrics.httpCall(SecutixFailures.VENDOR, operation, classified.vendorCode() == null
                    ? classified.outcome().label() : classified.vendorCode(), System.nanoTime() - start);
            metrics.outcome(SecutixFailures.VENDOR, operation, classified.outcome());
            throw classified;
        }
        Object body = result.getMessage().getBody();
        Object value = body instanceof MessageContentsList list ? (list.isEmpty() ? null : list.get(0))
                : body instanceof Object[] array ? (array.length == 0 ? null : array[0]) : body;
        ResultEnvelope envelope = ResultEnvelope.of(value);
        metrics.httpCall(SecutixFailures.VENDOR, operation, "200", System.nanoTime() - start);
        VendorException notSuccess = failures.envelope(operation, envelope);
        if (notSuccess != null) {
            metrics.outcome(SecutixFailures.VENDOR, operation, notSuccess.outcome());
            throw notSuccess;
        }
        metrics.outcome(SecutixFailures.VENDOR, operation, io.vendorlink.core.failure.Outcome.SUCCESS);
        return value;
    }

    /** The result as the connector's JSON output (amounts as exact decimals). */
    public JsonNode toJson(Object result) {
        return json.tree(result);
    }

    public SecutixJson json() {
        return json;
    }

    VendorException classify(String operation, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof VendorException ve) {
                return ve;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof VendorHttp.AnswerTooLargeException) {
                return failures.transport(operation, t); // before the XML parser's wrapping of it
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String malformed = malformedAnswer(failure, t);
            if (malformed != null) {
                return failures.malformedAnswer(operation, malformed, t);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (failures.isTransportFailure(t)) {
                return failures.transport(operation, t);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SoapFault sf) {
                return failures.fault(operation, sf);
            }
        }
        LOG.debug("vendor=secutix operation={} unclassified failure", operation, failure);
        return new io.vendorlink.core.failure.RejectedException(SecutixFailures.VENDOR, operation, null, null,
                "SecuTix call failed: " + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                        + " (namespace or WSDL mismatch? see vendorlink.secutix.service.*.namespace)", failure);
    }

    /**
     * What is wrong with an answer CXF could not read as a SOAP response (a cut or garbled body, HTML, a DOCTYPE, gzip
     * that is not gzip), or null when {@code t} is no such failure. A connection that broke or timed out while the body
     * was read stays a transport failure.
     */
    private static String malformedAnswer(Throwable failure, Throwable t) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketException || c instanceof java.net.SocketTimeoutException
                    || c instanceof java.net.http.HttpTimeoutException || c instanceof java.io.EOFException
                    && !(c.getCause() instanceof java.util.zip.ZipException)) {
                return null;
            }
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName()
                : t.getMessage().lines().findFirst().orElse("").trim();
        if (message.length() > 160) {
            message = message.substring(0, 160) + "...";
        }
        if (t instanceof java.util.zip.ZipException) {
            return "Content-Encoding says gzip but the body is not gzip (" + message + ")";
        }
        if (t instanceof javax.xml.stream.XMLStreamException) {
            return "the body is not well-formed XML (" + message + ")";
        }
        if (t instanceof SoapFault sf && sf.getFaultCode() != null && "VersionMismatch".equals(sf.getFaultCode().getLocalPart())) {
            // CXF's own fault for a body whose root is not a SOAP envelope: SecuTix never sent it
            return "the body is not a SOAP 1.1 envelope (" + message + ")";
        }
        if (t instanceof org.apache.cxf.interceptor.Fault && message.contains("unexpected") && message.contains("ContentType")) {
            return "the body is not SOAP (" + message + ")";
        }
        return null;
    }

    static Method operationMethod(SecutixService service, String operation) {
        for (Method m : service.serviceClass().getMethods()) {
            if (m.getName().equals(operation) && m.isAnnotationPresent(WebMethod.class)) {
                return m;
            }
        }
        throw new InvalidInputException(SecutixFailures.VENDOR, operation, "service " + service.name()
                + " has no operation '" + operation + "'; it offers " + service.operations());
    }

    private Object[] arguments(Method method, String operation, Map<String, Object> parameters, Integer requestId) {
        var params = method.getParameters();
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            WebParam wp = params[i].getAnnotation(WebParam.class);
            String name = wp == null ? params[i].getName() : wp.name();
            Object raw = "requestId".equals(name) && requestId != null ? requestId
                    : parameters == null ? null : parameters.get(name);
            if (raw == null || raw instanceof String str && str.isBlank()) {
                continue; // an empty setting means "not sent"
            }
            try {
                JavaType type = json.mapper().getTypeFactory().constructType(method.getGenericParameterTypes()[i]);
                args[i] = json.mapper().convertValue(raw, type);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(SecutixFailures.VENDOR, operation, "parameter '" + name
                        + "' is not a " + method.getGenericParameterTypes()[i].getTypeName());
            }
        }
        return args;
    }

    private static StaxTransformFeature namespaceRewrite(String wsdlNamespace, String wireNamespace) {
        StaxTransformFeature f = new StaxTransformFeature();
        f.setOutTransformElements(Map.of("{" + wsdlNamespace + "}*", "{" + wireNamespace + "}*"));
        f.setInTransformElements(Map.of("{" + wireNamespace + "}*", "{" + wsdlNamespace + "}*"));
        return f;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** TLS, timeouts and the compression / language headers of every SecuTix request. */
    private record Conduit(SSLContext ssl, Settings settings) implements CxfConfigurer {
        @Override
        public void configure(AbstractWSDLBasedEndpointFactory factoryBean) {
        }

        @Override
        public void configureClient(Client client) {
            HTTPConduit conduit = (HTTPConduit) client.getConduit();
            TLSClientParameters tls = new TLSClientParameters();
            tls.setSslContext(ssl);
            conduit.setTlsClientParameters(tls);
            HTTPClientPolicy policy = new HTTPClientPolicy();
            policy.setConnectionTimeout(settings.duration("http.connectTimeout").toMillis());
            policy.setReceiveTimeout(settings.duration("http.requestTimeout").toMillis());
            policy.setAcceptEncoding("gzip,deflate");
            policy.setAcceptLanguage(settings.string("acceptLanguage"));
            conduit.setClient(policy);
        }

        @Override
        public void configureServer(Server server) {
        }
    }

    /**
     * Caps the (decompressed) answer at {@code vendorlink.http.maxAnswerBytes} as {@link VendorHttp} does for the other
     * vendors: past the cap the read fails with "answer larger than N MB" instead of filling the heap.
     */
    static final class AnswerCap extends AbstractPhaseInterceptor<Message> {
        private final long cap;

        AnswerCap(long cap) {
            super(Phase.RECEIVE);
            addAfter(GZIPInInterceptor.class.getName());
            this.cap = cap;
        }

        @Override
        public void handleMessage(Message message) {
            java.io.InputStream in = message.getContent(java.io.InputStream.class);
            if (in != null) {
                message.setContent(java.io.InputStream.class, new Capped(in, cap));
            }
        }

        private static final class Capped extends java.io.FilterInputStream {
            private final long cap;
            private long read;

            Capped(java.io.InputStream in, long cap) {
                super(in);
                this.cap = cap;
            }

            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws java.io.IOException {
                read += n;
                if (read > cap) {
                    throw new VendorHttp.AnswerTooLargeException(cap);
                }
            }
        }
    }

    /**
     * Classifies the HTTP status before the body is parsed (§12): a 509 or 429 with a short text body, a 401, a 404 for
     * a retired version, a 5xx that is no SOAP Fault. A 500 carrying XML is a SOAP Fault and goes on to CXF.
     */
    static final class HttpStatusCheck extends AbstractPhaseInterceptor<Message> {
        private final SecutixFailures failures;
        private final String path;

        HttpStatusCheck(SecutixFailures failures, String path) {
            super(Phase.RECEIVE);
            addBefore(GZIPInInterceptor.class.getName());
            this.failures = failures;
            this.path = path;
        }

        @Override
        public void handleMessage(Message message) throws Fault {
            Integer status = (Integer) message.get(Message.RESPONSE_CODE);
            if (status == null || status == 200 || status == 202) {
                return;
            }
            String type = String.valueOf(message.get(Message.CONTENT_TYPE)).toLowerCase(java.util.Locale.ROOT);
            if (status == 500 && type.contains("xml")) {
                return;
            }
            String operation = message.getExchange().getBindingOperationInfo() == null ? null
                    : message.getExchange().getBindingOperationInfo().getName().getLocalPart();
            throw new Fault(failures.httpStatus(operation, status, retryAfter(message), path));
        }

        @SuppressWarnings("unchecked")
        private static Duration retryAfter(Message message) {
            Map<String, List<String>> headers = (Map<String, List<String>>) message.get(Message.PROTOCOL_HEADERS);
            if (headers == null) {
                return null;
            }
            for (var e : headers.entrySet()) {
                if ("Retry-After".equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
                    try {
                        return Duration.ofSeconds(Long.parseLong(e.getValue().get(0).trim()));
                    } catch (NumberFormatException notSeconds) {
                        return null; // an HTTP date: fall back to our own back-off
                    }
                }
            }
            return null;
        }
    }
}
