package io.vendorlink.core.queue;

import com.fasterxml.jackson.core.JacksonException;
import io.vendorlink.core.failure.VendorException;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.xml.sax.SAXException;

/**
 * Route configuration {@value #ID} for workflows consuming an inbound queue (transacted). A message whose processing
 * ended in a classified failure (rejected, invalid input, unknown outcome, or a transient/rate-limit failure whose
 * redeliveries ran out) goes to the dead-letter queue with headers naming the reason and the original queue, and the
 * consumption commits. Anything else (the database or broker unavailable) rolls back, so the broker redelivers the
 * message later and, after {@code vendorlink.broker.maxDeliveryAttempts}, moves it to the dead-letter address itself.
 */
public final class InboundQueueErrorPolicy extends RouteConfigurationBuilder {
    public static final String ID = "inbound-queue";
    private final DeadLetter deadLetter;
    private final String deadLetterQueue;

    public InboundQueueErrorPolicy(DeadLetter deadLetter, String deadLetterQueue) {
        this.deadLetter = deadLetter;
        this.deadLetterQueue = deadLetterQueue;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(VendorException.class, JacksonException.class, SAXException.class,
                        InvalidPayloadException.class, TypeConversionException.class, IllegalArgumentException.class,
                        org.apache.camel.ValidationException.class, org.apache.camel.RuntimeExpressionException.class,
                        org.apache.camel.ExpressionEvaluationException.class)
                .handled(true)
                // the dead-letter queue gets the message exactly as it arrived, whatever the route made of it
                .useOriginalMessage()
                .maximumRedeliveries(0)
                .logExhausted(false)
                .process(deadLetter)
                .to("jms:queue:" + deadLetterQueue);
    }
}
