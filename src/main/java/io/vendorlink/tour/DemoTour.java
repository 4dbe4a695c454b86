package io.vendorlink.tour;

import org.apache.camel.ConsumerTemplate;

import java.util.List;

/** The demonstration workflow (routes/demo.camel.yaml): queue in, outcome out, a poison message dead-lettered. */
public final class DemoTour implements TourSteps {
    @Override
    public List<TourStep> steps() {
        return List.of(
                new TourStep("demo", "queue -> outcome", null, ctx -> {
                    ctx.createProducerTemplate().sendBody("jms:queue:{{vendorlink.demo.requestQueue}}",
                            "{\"id\":\"tour-1\",\"text\":\"hello\"}");
                    String out = receive(ctx.createConsumerTemplate(), "jms:queue:{{vendorlink.demo.outcomeQueue}}");
                    return "outcome " + out;
                }),
                new TourStep("demo", "poison -> dead letter", "malformed JSON", ctx -> {
                    ctx.createProducerTemplate().sendBody("jms:queue:{{vendorlink.demo.requestQueue}}", "{not json");
                    var dead = ctx.createConsumerTemplate().receive("jms:queue:{{vendorlink.broker.deadLetterQueue}}", 20_000);
                    if (dead == null) {
                        throw new IllegalStateException("nothing reached the dead-letter queue");
                    }
                    return "dead-lettered: " + dead.getMessage().getHeader("VendorlinkDeadLetterReason");
                }));
    }

    static String receive(ConsumerTemplate consumer, String uri) {
        String body = consumer.receiveBody(uri, 20_000, String.class);
        if (body == null) {
            throw new IllegalStateException("no message on " + uri + " within 20 s");
        }
        return body;
    }
}
