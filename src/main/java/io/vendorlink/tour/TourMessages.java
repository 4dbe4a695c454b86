package io.vendorlink.tour;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import java.util.function.Predicate;

/** Receiving a workflow's answer from a queue, bounded in count and time. */
final class TourMessages {
    private TourMessages() {
    }

    /** The first message on {@code queue} that matches, skipping at most 20 others; fails after ~timeoutMillis each. */
    static Exchange receive(CamelContext ctx, String queue, long timeoutMillis, Predicate<Exchange> match) {
        var consumer = ctx.createConsumerTemplate();
        for (int i = 0; i < 20; i++) {
            Exchange e = consumer.receive("jms:queue:" + queue, timeoutMillis);
            if (e == null) {
                throw new IllegalStateException("no matching message on " + queue + " within " + timeoutMillis / 1000 + " s");
            }
            if (match.test(e)) {
                return e;
            }
        }
        throw new IllegalStateException("no matching message on " + queue + " among 20 received");
    }

    static String body(Exchange e) {
        return e.getMessage().getBody(String.class);
    }
}
