package io.vendorlink.core.retry;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;

/**
 * A connector operation as a Camel endpoint that a workflow can call and still dead-letter: {@code direct:<id>} runs
 * {@code direct:<id>-attempt} under the vendor's error policy ({@code <vendor>-error-policy}: transient and
 * rate-limited failures redelivered), and a failure that remains is handed back to the caller as a fresh one. Without
 * this bridge Camel marks the exchange "redelivery exhausted" after the inner error handler, which stops the calling
 * workflow's own error handling (the {@code inbound-queue} dead-letter policy) and rolls the message back for ever.
 */
public final class VendorEndpoint {
    private VendorEndpoint() {
    }

    /** Defines {@code direct:<id>} (route id {@code <id>}) and {@code direct:<id>-attempt} in {@code builder}. */
    public static void define(RouteBuilder builder, String vendor, String id, Processor processor) {
        builder.from("direct:" + id).routeId(id)
                .errorHandler(new NoErrorHandlerDefinition())
                .doTry()
                    .to("direct:" + id + "-attempt")
                .doCatch(Exception.class)
                    .process(e -> {
                        Exception failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        e.getExchangeExtension().setRedeliveryExhausted(false);
                        e.getExchangeExtension().setErrorHandlerHandled(null);
                        e.getExchangeExtension().setFailureHandled(false);
                        throw failure;
                    })
                .end();
        builder.from("direct:" + id + "-attempt").routeId(id + "-attempt")
                .routeConfigurationId(VendorErrorPolicy.id(vendor))
                .process(processor);
    }
}
