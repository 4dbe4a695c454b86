package io.vendorlink.core.queue;

import com.fasterxml.jackson.core.JacksonException;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.security.SecretRedactor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Prepares a message that cannot be processed for the dead-letter queue: headers name the reason, the outcome, the
 * vendor code and the queue it came from. Used by the {@code inbound-queue} route configuration.
 */
public final class DeadLetter implements Processor {
    public static final String REASON = "VendorlinkDeadLetterReason";
    public static final String OUTCOME = "VendorlinkDeadLetterOutcome";
    public static final String ORIGINAL_QUEUE = "VendorlinkOriginalQueue";
    public static final String ROUTE = "VendorlinkDeadLetterRoute";
    public static final String VENDOR = "VendorlinkVendor";
    public static final String VENDOR_CODE = "VendorlinkVendorCode";
    public static final String FAILED_AT = "VendorlinkFailedAt";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetter.class);

    private final io.vendorlink.core.observe.VendorMetrics metrics;

    public DeadLetter(io.vendorlink.core.observe.VendorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Outcome outcome = classify(cause);
        String reason = SecretRedactor.redact(describe(cause));
        var msg = exchange.getMessage();
        msg.setHeader(REASON, reason);
        msg.setHeader(OUTCOME, outcome.name());
        msg.setHeader(ORIGINAL_QUEUE, originalQueue(exchange));
        msg.setHeader(ROUTE, exchange.getFromRouteId());
        msg.setHeader(FAILED_AT, Instant.now().toString());
        String vendor = "runtime";
        if (cause instanceof VendorException ve) {
            vendor = ve.vendor();
            msg.setHeader(VENDOR, ve.vendor());
            if (ve.vendorCode() != null) {
                msg.setHeader(VENDOR_CODE, ve.vendorCode());
            }
        }
        metrics.deadLettered(vendor, outcome);
        LOG.warn("workflow={} vendor={} outcome={} dead-lettered: {}", exchange.getFromRouteId(), vendor,
                outcome.label(), reason);
    }

    static Outcome classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof VendorException ve) {
                return ve.outcome();
            }
            if (t instanceof JacksonException || t instanceof org.xml.sax.SAXException
                    || t instanceof IllegalArgumentException || isShapeFailure(t)) {
                return Outcome.INVALID_INPUT;
            }
        }
        return Outcome.TRANSIENT;
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof VendorException ve) {
                return ve.reason();
            }
            if (t instanceof JacksonException je) {
                return "malformed JSON: " + firstLine(je.getOriginalMessage());
            }
            if (t instanceof org.xml.sax.SAXException se) {
                return "malformed XML: " + firstLine(se.getMessage());
            }
            // Camel's own messages for these quote the message body: the reason names the check, never the content.
            if (t instanceof org.apache.camel.support.processor.PredicateValidationException pe) {
                return "the message failed the workflow's check " + pe.getPredicate();
            }
            if (isShapeFailure(t)) {
                return "the message does not have the shape the workflow expects (" + t.getClass().getSimpleName()
                        + (t.getCause() == null ? "" : " caused by " + t.getCause().getClass().getSimpleName()) + ")";
            }
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()));
    }

    /**
     * The route could not read the message as the workflow expects: a validate step refused it, an expression such as
     * {@code ${body[id]}} met a list or a number, a conversion found no way to the expected type.
     */
    static boolean isShapeFailure(Throwable t) {
        return t instanceof org.apache.camel.ValidationException || t instanceof org.apache.camel.RuntimeExpressionException
                || t instanceof org.apache.camel.ExpressionEvaluationException
                || t instanceof org.apache.camel.InvalidPayloadException || t instanceof org.apache.camel.TypeConversionException;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String originalQueue(Exchange exchange) {
        String uri = exchange.getFromEndpoint() == null ? null : exchange.getFromEndpoint().getEndpointBaseUri();
        if (uri == null) {
            return "unknown";
        }
        int i = uri.lastIndexOf(':');
        return i >= 0 ? uri.substring(i + 1) : uri;
    }
}
