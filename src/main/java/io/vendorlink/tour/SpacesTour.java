package io.vendorlink.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.spaces.SpacesFirehose;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.Map;

import static io.vendorlink.tour.SecutixTour.require;

/**
 * Cisco Spaces (routes/spaces.camel.yaml): activation with a verified token through the JSON API, the same token
 * pasted again (refused without a call), then the Firehose: events published once each although the stream drops
 * mid-line twice.
 */
public final class SpacesTour implements TourSteps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 500;
    private final long base = System.currentTimeMillis() + 60_000;
    private String token;

    @Override
    public Map<String, String> properties() {
        return Map.of("vendorlink.spaces.firehose.startFromTimestamp", Long.toString(base - 1),
                "vendorlink.spaces.firehose.backoff.initialDelay", "PT0.1S",
                "vendorlink.spaces.firehose.backoff.maxDelay", "PT0.5S");
    }

    @Override
    public List<TourStep> steps() {
        return List.of(
                new TourStep("spaces", "activation (JSON API) -> apiKey stored", null, ctx -> {
                    token = sandbox(ctx).mint(SpacesSandbox.TokenKind.GOOD);
                    JsonNode out = activate(ctx, token);
                    require("ACTIVATED".equals(out.path("outcome").asText()), "outcome " + out);
                    return "ACTIVATED, apiKey stored encrypted (not shown); customer "
                            + out.path("claims").path("customer").asText(out.path("claims").toString());
                }),
                new TourStep("spaces", "same token pasted again", null, ctx -> {
                    int before = sandbox(ctx).server().requests(r -> r.rawPath().equals(SpacesSandbox.ACTIVATE_PATH)).size();
                    JsonNode out = activate(ctx, token);
                    require(out.path("outcome").asText().startsWith("ALREADY_USED"), "outcome " + out);
                    int calls = sandbox(ctx).server().requests(r -> r.rawPath().equals(SpacesSandbox.ACTIVATE_PATH)).size() - before;
                    require(calls == 0, "the reused token reached Cisco " + calls + " time(s)");
                    return out.path("title").asText() + " (refused here, Cisco not called)";
                }),
                new TourStep("spaces", "Firehose -> event queues", "stream dropped mid-line x2", ctx -> {
                    SpacesFirehose firehose = ctx.getRegistry().lookupByNameAndType("spacesFirehose", SpacesFirehose.class);
                    long before = firehose.published();
                    sandbox(ctx).server().faults().set("firehose.dropMidLine", "2");
                    sandbox(ctx).generate(EVENTS, base, "tour");
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (firehose.published() - before < EVENTS) {
                        require(System.nanoTime() < deadline, "only " + (firehose.published() - before) + " of " + EVENTS
                                + " events published within 60 s");
                        Thread.sleep(100);
                    }
                    Thread.sleep(500); // a duplicate would show up now
                    long published = firehose.published() - before;
                    require(published == EVENTS, "published " + published + " events for " + EVENTS);
                    return EVENTS + " events published once each after 2 mid-line drops and reconnects";
                }));
    }

    private static JsonNode activate(CamelContext ctx, String token) throws Exception {
        String out = ctx.createProducerTemplate().requestBody("direct:spaces-activate",
                JSON.writeValueAsString(Map.of("token", token, "appDashboardUrl", "https://partner.example/dashboard")), String.class);
        return JSON.readTree(out);
    }

    private static SpacesSandbox sandbox(CamelContext ctx) {
        return ctx.getRegistry().lookupByNameAndType("spacesSandbox", SpacesSandbox.class);
    }
}
