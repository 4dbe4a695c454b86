package io.vendorlink.centagate;

import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.queue.OutcomeLedger;
import io.vendorlink.core.retry.VendorErrorPolicy;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connector's Camel endpoints (Java DSL). Bodies are JSON-like maps; results are maps.
 * <ul>
 *   <li>{@code direct:centagate-register-active-token}: {@code {username, tokenSn, tokenType}} → the success object
 *       with {@code code} and {@code message}; failures as the failure vocabulary;</li>
 *   <li>{@code direct:centagate-unregister-active-token}: {@code {username, type}} (1..4);</li>
 *   <li>{@code direct:centagate-register-user-activate}: {@code {firstName, lastName, username, userEmail, ...}} →
 *       {@code {code, message, userId}};</li>
 *   <li>{@code direct:centagate-check-session}: → {@code {live: true|false}};
 *       {@code direct:centagate-logout}: ends the session;</li>
 *   <li>for workflows: {@code direct:centagate-validate-registration} (validates, sets {@code VendorlinkMessageKey}) and
 *       {@code direct:centagate-registration-outcome} (registers; a business rejection of §6.2 becomes an outcome
 *       {@code REJECTED} with code and message instead of an exception).</li>
 * </ul>
 * The vendor-calling routes opt into {@code centagate-error-policy}: 10003/10004 and transport failures are
 * redelivered with back-off; the workflow-facing routes do not, so redeliveries never multiply.
 */
public final class CentagateRoutes extends RouteBuilder {
    private static final String FAILURE = "centagateFailure";
    private final CentagateClient client;

    public CentagateRoutes(CentagateClient client) {
        this.client = client;
    }

    @Override
    public void configure() {
        String policy = VendorErrorPolicy.id(CentagateClient.VENDOR);

        // Authenticate once at start, so that the health check tells at once whether the credentials, the signature
        // and the clock are right, instead of "not authenticated yet" until the first request arrives. A failure here
        // is only logged: the health check carries its reason, and the next call tries again.
        from("timer:centagate-session-start?repeatCount=1&delay={{vendorlink.centagate.session.startDelay}}")
                .routeId("centagate-session-start")
                .autoStartup("{{vendorlink.centagate.session.authenticateAtStart}}")
                .process(e -> {
                    try {
                        client.session();
                    } catch (RuntimeException failure) {
                        org.slf4j.LoggerFactory.getLogger(CentagateRoutes.class).warn(
                                "vendor=centagate authentication at start failed (health DOWN): {}", failure.getMessage());
                    }
                });

        from("direct:centagate-register-active-token").routeId("centagate-register-active-token")
                .routeConfigurationId(policy)
                .process(e -> {
                    TokenRegistrationRequest r = TokenRegistrationRequest.from(e.getMessage().getBody());
                    e.getMessage().setBody(client.registerActiveToken(r.username(), r.tokenSn(), r.tokenType()));
                });

        from("direct:centagate-unregister-active-token").routeId("centagate-unregister-active-token")
                .routeConfigurationId(policy)
                .process(e -> {
                    Map<?, ?> in = e.getMessage().getMandatoryBody(Map.class);
                    String username = io.vendorlink.core.Settings.requireField(CentagateClient.VENDOR,
                            "unregisterActiveToken", "username", in.get("username"));
                    String type = io.vendorlink.core.Settings.requireField(CentagateClient.VENDOR,
                            "unregisterActiveToken", "type", in.get("type"));
                    if (!type.matches("[1-4]")) {
                        throw new io.vendorlink.core.failure.InvalidInputException(CentagateClient.VENDOR,
                                "unregisterActiveToken", "field 'type' must be 1 (Mobile), 2 (SMS), 3 (CR/CH token) or 4 (PKI)");
                    }
                    e.getMessage().setBody(client.unregisterActiveToken(username, Integer.parseInt(type)));
                });

        from("direct:centagate-register-user-activate").routeId("centagate-register-user-activate")
                .routeConfigurationId(policy)
                .process(e -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> in = e.getMessage().getMandatoryBody(Map.class);
                    for (String f : new String[]{"firstName", "lastName", "username", "userEmail"}) {
                        io.vendorlink.core.Settings.requireField(CentagateClient.VENDOR, "registerUserActivate", f, in.get(f));
                    }
                    e.getMessage().setBody(client.registerUserActivate(in));
                });

        from("direct:centagate-check-session").routeId("centagate-check-session")
                .routeConfigurationId(policy)
                .process(e -> e.getMessage().setBody(Map.of("live", client.checkSession())));

        from("direct:centagate-logout").routeId("centagate-logout")
                .routeConfigurationId(policy)
                .process(e -> client.logout());

        // ---- workflow steps (routes/centagate.camel.yaml) -----------------------------------------------------
        // Workflow steps have no error handler of their own: a failure belongs to the calling workflow's route
        // configuration (inbound-queue: dead letter with the reason), which would not see it if a sub-route's error
        // handler had already dealt with it.
        from("direct:centagate-validate-registration").routeId("centagate-validate-registration")
                .errorHandler(noErrorHandler())
                .process(e -> {
                    TokenRegistrationRequest r = TokenRegistrationRequest.from(e.getMessage().getBody());
                    e.getMessage().setHeader(OutcomeLedger.KEY, r.key());
                });

        from("direct:centagate-registration-outcome").routeId("centagate-registration-outcome")
                .errorHandler(noErrorHandler())
                .process(e -> e.setProperty("centagateRequest", TokenRegistrationRequest.from(e.getMessage().getBody())))
                .doTry()
                    .to("direct:centagate-register-active-token")
                    .process(e -> outcome(e, Outcome.SUCCESS, e.getMessage().getBody(Map.class)))
                .doCatch(VendorException.class)
                    .process(e -> {
                        VendorException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, VendorException.class);
                        forgetErrorHandling(e);
                        if (failure instanceof RejectedException r && CentagateReturnCodes.isTokenRegistrationAnswer(r.vendorCode())) {
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("code", r.vendorCode());
                            result.put("message", r.vendorMessage());
                            result.put("meaning", CentagateReturnCodes.entry(r.vendorCode()).meaning());
                            outcome(e, Outcome.REJECTED, result);
                        } else {
                            // Not an answer for the caller (signature, clock, exhausted transient, unknown outcome):
                            // a failure for the dead-letter queue, raised again below, outside the connector route
                            // whose error policy has already had its turn.
                            e.setProperty(FAILURE, failure);
                        }
                    })
                .end()
                .process(e -> {
                    VendorException failure = e.getProperty(FAILURE, VendorException.class);
                    if (failure != null) {
                        e.removeProperty(FAILURE);
                        throw failure;
                    }
                });
    }

    /**
     * The connector route's error handler marks an exchange it gave up on as handled, exhausted and (in a transacted
     * consumer) rollback-only. A caught failure is the workflow's business from here on: an outcome to publish, or a
     * failure for the workflow's own route configuration (inbound-queue: dead letter), which would otherwise never see
     * it and the broker would redeliver the message instead.
     */
    private static void forgetErrorHandling(Exchange e) {
        e.getExchangeExtension().setRedeliveryExhausted(false);
        e.getExchangeExtension().setErrorHandlerHandled(null);
        e.getExchangeExtension().setFailureHandled(false);
        e.setRollbackOnly(false);
        e.setRollbackOnlyLast(false);
    }

    /** The outcome message: the request, then code and message (and the success object), for the outbound queue. */
    private static void outcome(Exchange e, Outcome outcome, Map<?, ?> result) {
        TokenRegistrationRequest r = e.getProperty("centagateRequest", TokenRegistrationRequest.class);
        Map<String, Object> out = new LinkedHashMap<>();
        if (r.requestId() != null) {
            out.put("requestId", r.requestId());
        }
        out.put("username", r.username());
        out.put("tokenSn", r.tokenSn());
        out.put("tokenType", r.tokenType().wire());
        boolean already = Boolean.TRUE.equals(result.get("alreadyRegistered"));
        out.put("outcome", outcome == Outcome.SUCCESS ? (already ? "ALREADY_REGISTERED" : "REGISTERED") : "REJECTED");
        result.forEach((k, v) -> {
            if (!"alreadyRegistered".equals(k)) {
                out.put(k.toString(), v);
            }
        });
        e.getMessage().setHeader(OutcomeLedger.OUTCOME, outcome.name());
        e.getMessage().setBody(out);
    }
}
