package io.vendorlink.core.retry;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.service.ServiceHelper;

/**
 * A connector operation as a Camel endpoint that a workflow can call and still dead-letter: {@code direct:<id>} runs
 * {@code direct:<id>-attempt} under the vendor's error policy ({@code <vendor>-error-policy}: transient and
 * rate-limited failures redelivered), and a failure that remains is handed back to the caller as a fresh one. Without
 * this bridge Camel marks the exchange "redelivery exhausted" after the inner error handler, which stops the calling
 * workflow's own error handling (the {@code inbound-queue} dead-letter policy) and rolls the message back for ever.
 * <p>
 * The bridge is one processor rather than a doTry/doCatch: the same effect with one step instead of three (try block,
 * send, catch), measured in the Sentinel benchmark.
 */
public final class VendorEndpoint {
    private VendorEndpoint() {
    }

    /** Defines {@code direct:<id>} (route id {@code <id>}) and {@code direct:<id>-attempt} in {@code builder}. */
    public static void define(RouteBuilder builder, String vendor, String id, Processor processor) {
        builder.from("direct:" + id).routeId(id).routeGroup(io.vendorlink.core.observe.ConnectorRouteTimers.GROUP)
                .errorHandler(new NoErrorHandlerDefinition())
                .process(new Bridge(builder, "direct:" + id + "-attempt"));
        builder.from("direct:" + id + "-attempt").routeId(id + "-attempt")
                .routeGroup(io.vendorlink.core.observe.ConnectorRouteTimers.GROUP)
                .routeConfigurationId(VendorErrorPolicy.id(vendor))
                .process(processor);
    }

    /** Sends to the attempt route; a failure that comes back is made a fresh one for the caller's error handler. */
    static final class Bridge extends AsyncProcessorSupport {
        private final RouteBuilder builder;
        private final String attemptUri;
        private Producer producer;
        private AsyncProcessor attempt;

        Bridge(RouteBuilder builder, String attemptUri) {
            this.builder = builder;
            this.attemptUri = attemptUri;
        }

        @Override
        protected void doStart() throws Exception {
            producer = builder.getContext().getEndpoint(attemptUri).createProducer();
            ServiceHelper.startService(producer);
            attempt = AsyncProcessorConverterHelper.convert(producer);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(producer);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            return attempt.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    exchange.getExchangeExtension().setRedeliveryExhausted(false);
                    exchange.getExchangeExtension().setErrorHandlerHandled(null);
                    exchange.getExchangeExtension().setFailureHandled(false);
                }
                callback.done(doneSync);
            });
        }

    }
}
