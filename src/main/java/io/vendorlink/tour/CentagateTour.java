package io.vendorlink.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.Map;

import static io.vendorlink.tour.SecutixTour.require;

/**
 * CentaGate (routes/centagate.camel.yaml): token registration from the queue (registered, and a business rejection);
 * plus transient code 10004 (database error) twice, recovered by redelivery.
 */
public final class CentagateTour implements TourSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, String> properties() {
        return Map.of("vendorlink.centagate.retry.transient.initialDelay", "PT0.2S");
    }

    @Override
    public List<TourStep> steps() {
        return List.of(
                new TourStep("centagate", "token registration -> REGISTERED", null, ctx -> {
                    JsonNode out = register(ctx, "tour-reg-1", "user120", "OTP0080", "2");
                    require("REGISTERED".equals(out.path("outcome").asText()), "outcome " + out);
                    require("OTP0080".equals(sandbox(ctx).boundOtp("user120")), "token not bound at CentaGate");
                    return "REGISTERED code " + out.path("code").asText() + " boundUser " + out.path("boundUser").asText();
                }),
                new TourStep("centagate", "token registration -> REJECTED", null, ctx -> {
                    JsonNode out = register(ctx, "tour-reg-2", "bob", "OTP0082", "\"OTP\"");
                    require("REJECTED".equals(out.path("outcome").asText()), "outcome " + out);
                    return "REJECTED code " + out.path("code").asText() + " (" + out.path("message").asText() + ")";
                }),
                new TourStep("centagate", "token registration -> REGISTERED", "transient 10004 x2", ctx -> {
                    long before = registerCalls(ctx);
                    sandbox(ctx).server().faults().set("registerActiveToken.code", "10004x2");
                    JsonNode out = register(ctx, "tour-reg-3", "user123", "OTP0083", "2");
                    require("REGISTERED".equals(out.path("outcome").asText()), "outcome " + out);
                    long attempts = registerCalls(ctx) - before;
                    require(attempts == 3, "expected 3 registerActiveToken calls (2 x 10004, 1 success), saw " + attempts);
                    return "REGISTERED after 2 x 10004 (" + attempts + " registerActiveToken calls)";
                }));
    }

    private static JsonNode register(CamelContext ctx, String requestId, String user, String sn, String type) throws Exception {
        ctx.createProducerTemplate().sendBody(
                ctx.resolvePropertyPlaceholders("jms:queue:{{vendorlink.centagate.registrationQueue}}"),
                "{\"requestId\":\"" + requestId + "\",\"username\":\"" + user + "\",\"tokenSn\":\"" + sn + "\",\"tokenType\":" + type + "}");
        var e = TourMessages.receive(ctx, ctx.resolvePropertyPlaceholders("{{vendorlink.centagate.outcomeQueue}}"), 30_000,
                x -> {
                    try {
                        return requestId.equals(JSON.readTree(TourMessages.body(x)).path("requestId").asText());
                    } catch (Exception ex) {
                        return false;
                    }
                });
        return JSON.readTree(TourMessages.body(e));
    }

    private static long registerCalls(CamelContext ctx) {
        return sandbox(ctx).server().requests(r -> r.rawPath().contains("registerActiveToken")).size();
    }

    private static CentagateSandbox sandbox(CamelContext ctx) {
        return ctx.getRegistry().lookupByNameAndType("centagateSandbox", CentagateSandbox.class);
    }
}
