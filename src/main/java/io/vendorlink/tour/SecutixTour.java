package io.vendorlink.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import org.apache.camel.CamelContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SecuTix (routes/secutix.camel.yaml): the calls queue, the scheduled catalogue sync (getCatalogDetailed, answered
 * in_progress twice by the sandbox and polled with its requestId) and the scheduled access-control export; plus a 509
 * rate-limit answer recovered by delayed redelivery honouring Retry-After.
 */
public final class SecutixTour implements TourSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        // The two scheduled workflows run every 15 s instead of daily at 03:00 / every 15 min; each step stops its route
        // after the first run (a one-shot cron with a year is missed when the leader-only route starts after its time).
        p.put("vendorlink.secutix.accessControl.cron", "0/15 * * * * ?");
        p.put("vendorlink.secutix.catalogSync.cron", "0/15 * * * * ?");
        p.put("vendorlink.secutix.catalogSync.seasonCode", "S2026");
        // Fault: SecuTix answers in_progress twice before the catalogue is ready (sandbox switch async.inProgressCalls)
        p.put("vendorlink.sandbox.secutix.faults.async.inProgressCalls", "2");
        p.put("vendorlink.secutix.accessControl.nbMaxResults", "100");
        p.put("vendorlink.secutix.async.pollInterval", "PT2S");
        p.put("vendorlink.secutix.async.scanInterval", "200");
        // no alive calls at start: they would use the buckets the 509 step relies on
        p.put("vendorlink.secutix.alive.services", "");
        // The sandbox's SecuTix allows half the connector's configured per-endpoint quota (as when SecuTix lowers a
        // limit without notice), so a burst the client limiter lets through is answered 509 with Retry-After.
        p.put("vendorlink.sandbox.secutix.rateLimit.perEndpointPerMinute", "30");
        p.put("vendorlink.sandbox.secutix.rateLimit.burst", "1");
        // ... per endpoint only: with burst 1 the per-instance bucket would also answer 509 to two workflows starting
        // together (and a 509 on getCatalogDetailed costs the client its 1-per-10-min token: the sync then waits).
        p.put("vendorlink.sandbox.secutix.rateLimit.perInstancePerMinute", "6000");
        p.put("vendorlink.secutix.retry.rateLimited.initialDelay", "PT1S");
        p.put("vendorlink.secutix.retry.rateLimited.maxDelay", "PT5S");
        return p;
    }

    @Override
    public List<TourStep> steps() {
        return List.of(
                new TourStep("secutix", "calls queue -> result", null, ctx -> {
                    JsonNode result = JSON.readTree(call(ctx, "tour-order-1", 1001));
                    return "getOrderDetails " + result.path("statusCode").asText() + ", result published";
                }),
                new TourStep("secutix", "access-control export (scheduled)", null, ctx -> {
                    String page = TourMessages.body(TourMessages.receive(ctx,
                            ctx.resolvePropertyPlaceholders("{{vendorlink.secutix.accessControl.queue}}"), 60_000, e -> true));
                    int items = JSON.readTree(page).path("accessControlListData").path("accessControlListItems").size();
                    require(items > 0, "empty access-control page");
                    ctx.getRouteController().stopRoute("secutix-access-control-export");
                    return "page with " + items + " access-control items published";
                }),
                new TourStep("secutix", "catalogue sync (scheduled)", "in_progress x2", ctx -> {
                    String body = TourMessages.body(TourMessages.receive(ctx,
                            ctx.resolvePropertyPlaceholders("{{vendorlink.secutix.catalogSync.queue}}"), 60_000, e -> true));
                    JsonNode c = JSON.readTree(body);
                    require("success".equals(c.path("statusCode").asText()), "catalogue status " + c.path("statusCode"));
                    long inProgress = sandbox(ctx).calls().stream()
                            .filter(x -> x.operation().equals("getCatalogDetailed") && x.requestId() != null).count();
                    require(inProgress >= 2, "expected two polls with the requestId, saw " + inProgress);
                    ctx.getRouteController().stopRoute("secutix-catalog-sync");
                    return "catalogue published after " + inProgress + " polls with the requestId, "
                            + c.path("catalogData").path("seasons").size() + " season(s)";
                }),
                new TourStep("secutix", "calls queue burst", "509 rate limit", ctx -> {
                    long before = sandbox(ctx).count(509);
                    var producer = ctx.createProducerTemplate();
                    String queue = ctx.resolvePropertyPlaceholders("{{vendorlink.secutix.calls.queue}}");
                    for (int i = 0; i < 4; i++) {
                        producer.sendBody("jms:queue:" + queue, order("tour-burst-" + i, 2000 + i));
                    }
                    for (int i = 0; i < 4; i++) {
                        String result = TourMessages.body(TourMessages.receive(ctx,
                                ctx.resolvePropertyPlaceholders("{{vendorlink.secutix.calls.resultQueue}}"), 60_000, e -> true));
                        require(JSON.readTree(result).path("statusCode").asText().equals("success"), "result " + result);
                    }
                    long rejected = sandbox(ctx).count(509) - before;
                    require(rejected > 0, "the sandbox never answered 509");
                    return "4 results after " + rejected + " x 509 (Retry-After honoured, redelivered)";
                }));
    }

    private static String call(CamelContext ctx, String id, int orderId) throws Exception {
        ctx.createProducerTemplate().sendBody(
                ctx.resolvePropertyPlaceholders("jms:queue:{{vendorlink.secutix.calls.queue}}"), order(id, orderId));
        String result = TourMessages.body(TourMessages.receive(ctx,
                ctx.resolvePropertyPlaceholders("{{vendorlink.secutix.calls.resultQueue}}"), 30_000, e -> true));
        require(JSON.readTree(result).path("statusCode").asText().equals("success"), "result " + result);
        return result;
    }

    private static String order(String id, int orderId) {
        return "{\"id\": \"" + id + "\", \"service\": \"order\", \"operation\": \"getOrderDetails\", \"payload\": {\"orderId\": "
                + orderId + "}}";
    }

    private static SecutixSandbox sandbox(CamelContext ctx) {
        return ctx.getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 50 ? s.substring(0, 47) + "..." : s;
    }
}
