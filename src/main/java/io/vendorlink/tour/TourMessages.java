package io.vendorlink.tour;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import java.time.LocalDateTime;
import java.util.function.Predicate;

/** Receiving a workflow's answer from a queue, bounded in count and time; and one-shot schedules for the tour. */
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

    /**
     * A Quartz cron that fires exactly once, {@code seconds} after now (with a year field). If the runtime starts later
     * than that, Quartz's misfire policy fires it once as soon as the scheduler runs.
     */
    static String onceIn(int seconds, String separator) {
        LocalDateTime t = LocalDateTime.now().plusSeconds(seconds);
        return String.join(separator, String.valueOf(t.getSecond()), String.valueOf(t.getMinute()),
                String.valueOf(t.getHour()), String.valueOf(t.getDayOfMonth()), String.valueOf(t.getMonthValue()), "?",
                String.valueOf(t.getYear()));
    }
}
