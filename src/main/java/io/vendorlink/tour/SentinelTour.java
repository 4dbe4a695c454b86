package io.vendorlink.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.Map;

import static io.vendorlink.tour.SecutixTour.require;

/**
 * Sentinel Cloud Connect (routes/sentinel.camel.yaml): a licence session opened from the request queue, refreshed by
 * the scheduled heartbeat, licences read, and the session closed after the Cloud Connect URL moved (401 2027): one
 * re-registration with Directory Services, the call replayed.
 */
public final class SentinelTour implements TourSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, String> properties() {
        return Map.of("vendorlink.sentinel.heartbeat.cron", "0/2 * * * * ?",
                "vendorlink.sentinel.reregister.minInterval", "PT1S");
    }

    @Override
    public List<TourStep> steps() {
        return List.of(
                new TourStep("sentinel", "licence request queue -> opened", null, ctx -> {
                    JsonNode out = request(ctx, "{\"action\":\"open\",\"reference\":\"tour-seat-1\",\"customer\":\"c1\","
                            + "\"user\":\"tour-user\",\"feature\":\"fname1\",\"version\":\"1.0\",\"units\":1}", "tour-seat-1");
                    require("opened".equals(out.path("event").asText()), "event " + out);
                    return "session tour-seat-1 opened for fname1 (" + sandbox(ctx).openSessions() + " open at Sentinel)";
                }),
                new TourStep("sentinel", "heartbeat (scheduled) -> PATCH", null, ctx -> {
                    var deadline = System.nanoTime() + 20_000_000_000L;
                    while (sandbox(ctx).sessions().values().stream().noneMatch(s -> s.refreshes() >= 1)) {
                        require(System.nanoTime() < deadline, "no heartbeat PATCH within 20 s");
                        Thread.sleep(100);
                    }
                    return "open session refreshed by the leader-only Quartz heartbeat";
                }),
                new TourStep("sentinel", "GET licenses (direct)", null, ctx -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> out = ctx.createProducerTemplate().requestBody("direct:sentinel-licenses",
                            Map.of("customer", "c1", "featureName", "fname1"), Map.class);
                    return "fields " + out.get("fields");
                }),
                new TourStep("sentinel", "close after the URL moved", "URL rotation 401/2027", ctx -> {
                    Thread.sleep(1100); // past the re-registration throttle window of this tour (1 s)
                    int before = sandbox(ctx).registrations();
                    sandbox(ctx).moveScc("401:2027");
                    JsonNode out = request(ctx, "{\"action\":\"close\",\"reference\":\"tour-seat-1\"}", "tour-seat-1");
                    require("closed".equals(out.path("event").asText()), "event " + out);
                    int registrations = sandbox(ctx).registrations() - before;
                    require(registrations == 1, "expected 1 re-registration, saw " + registrations);
                    require(sandbox(ctx).openSessions() == 0, "session still open at Sentinel");
                    return "closed after 1 re-registration with Directory Services; 0 sessions open";
                }));
    }

    private static JsonNode request(CamelContext ctx, String json, String reference) throws Exception {
        ctx.createProducerTemplate().sendBody(
                ctx.resolvePropertyPlaceholders("jms:queue:{{vendorlink.sentinel.requestQueue}}"), json);
        var e = TourMessages.receive(ctx, ctx.resolvePropertyPlaceholders("{{vendorlink.sentinel.outcomeQueue}}"), 30_000,
                x -> {
                    try {
                        return reference.equals(JSON.readTree(TourMessages.body(x)).path("reference").asText());
                    } catch (Exception ex) {
                        return false;
                    }
                });
        return JSON.readTree(TourMessages.body(e));
    }

    private static SentinelSandbox sandbox(CamelContext ctx) {
        return ctx.getRegistry().lookupByNameAndType("sentinelSandbox", SentinelSandbox.class);
    }
}
