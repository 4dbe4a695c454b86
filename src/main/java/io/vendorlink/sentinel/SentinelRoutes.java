package io.vendorlink.sentinel;

import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.queue.OutcomeLedger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sentinel connector's Camel endpoints (workflows in routes/sentinel.camel.yaml use them):
 * <ul>
 *   <li>{@code direct:sentinel-licenses}: GET licenses; parameters from the body (a map) or from headers of the same
 *       names (customer, user, featureName, featureVersion, Entitlement, productName, productVersion,
 *       userSpecificEntitlement); answers {@code {xml, fields}};</li>
 *   <li>{@code direct:sentinel-request-key}: validates a queued request and sets its idempotency key;</li>
 *   <li>{@code direct:sentinel-request}: {@code open} or {@code close} a session; answers the event map;</li>
 *   <li>{@code direct:sentinel-heartbeat}: PATCH every open session; answers the list of {@code lost} events;</li>
 *   <li>at start: registration with Directory Services, then recovery of sessions a previous run left open.</li>
 * </ul>
 * Transient and rate-limited failures are redelivered by {@code sentinel-error-policy}; a failure that remains goes
 * back to the calling workflow (whose inbound-queue policy dead-letters it with the reason).
 */
public final class SentinelRoutes extends RouteBuilder {
    static final List<String> LICENSE_PARAMS = List.of("customer", "user", "featureName", "featureVersion", "Entitlement",
            "productName", "productVersion", "userSpecificEntitlement");

    private final SentinelClient client;
    private final SentinelLicensing licensing;
    private final String recoveryMode;
    private final long startRetryMillis;

    public SentinelRoutes(SentinelClient client, SentinelLicensing licensing, String recoveryMode, long startRetryMillis) {
        this.client = client;
        this.licensing = licensing;
        this.recoveryMode = recoveryMode;
        this.startRetryMillis = Math.max(100, startRetryMillis);
    }

    @Override
    public void configure() {
        endpoint("sentinel-licenses", e -> e.getMessage().setBody(client.licenses(licenseParams(e))));

        from("direct:sentinel-request-key").routeId("sentinel-request-key").errorHandler(noErrorHandler())
                .process(e -> {
                    Map<String, Object> r = request(e);
                    String action = String.valueOf(r.get("action"));
                    if (!action.equals("open") && !action.equals("close")) {
                        throw new InvalidInputException(SentinelFailures.VENDOR, "request",
                                "action must be open or close, got '" + r.get("action") + "'");
                    }
                    Object ref = r.get("reference");
                    if (!(ref instanceof String) || ((String) ref).isBlank()) {
                        throw new InvalidInputException(SentinelFailures.VENDOR, "request",
                                "missing field 'reference' (the application's name for the session)");
                    }
                    e.getMessage().setHeader(OutcomeLedger.KEY, "sentinel:" + action + ":" + ref);
                });

        endpoint("sentinel-request", e -> {
            Map<String, Object> r = request(e);
            e.getMessage().setBody("close".equals(r.get("action")) ? licensing.close(r) : licensing.open(r));
        });

        from("direct:sentinel-heartbeat").routeId("sentinel-heartbeat-round")
                .process(e -> e.getMessage().setBody(licensing.heartbeat()));

        // Registration and recovery at start, repeated every startRetryInterval until they succeed once: a transport
        // failure at start (Directory Services down, a reset) must not leave the previous run's sessions unrecovered.
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        from("timer:sentinel-start?delay={{vendorlink.sentinel.startDelay}}&period=" + startRetryMillis)
                .routeId("sentinel-start")
                .filter(e -> !started.get())
                .process(e -> {
                    int attempt = attempts.incrementAndGet();
                    try {
                        client.registerAtStart();
                        e.getMessage().setBody(licensing.recover(recoveryMode));
                        started.set(true);
                        if (attempt > 1) {
                            log.info("vendor=sentinel start-up registration and recovery done at attempt {}", attempt);
                        }
                    } catch (RuntimeException failure) {
                        log.warn("vendor=sentinel start-up registration or recovery failed (health DOWN), attempt {}; "
                                + "tried again in {} ms: {}", attempt, startRetryMillis, failure.getMessage());
                        e.getMessage().setBody(List.of());
                    }
                })
                .split(body())
                    .marshal().json()
                    .to("jms:queue:{{vendorlink.sentinel.outcomeQueue}}?jmsMessageType=Text")
                .end();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> request(Exchange e) {
        Object body = e.getMessage().getBody();
        if (!(body instanceof Map)) {
            throw new InvalidInputException(SentinelFailures.VENDOR, "request", "expected a JSON object, got "
                    + (body == null ? "nothing" : body instanceof List ? "a JSON array" : "a " + body.getClass().getSimpleName()));
        }
        return (Map<String, Object>) body;
    }

    private static Map<String, String> licenseParams(Exchange e) {
        Map<String, String> out = new LinkedHashMap<>();
        Object body = e.getMessage().getBody();
        for (String p : LICENSE_PARAMS) {
            Object v = body instanceof Map<?, ?> m ? m.get(p) : null;
            if (v == null) {
                v = e.getMessage().getHeader(p);
            }
            if (v != null) {
                out.put(p, v.toString());
            }
        }
        return out;
    }

    private void endpoint(String id, org.apache.camel.Processor processor) {
        io.vendorlink.core.retry.VendorEndpoint.define(this, SentinelFailures.VENDOR, id, processor);
    }
}
