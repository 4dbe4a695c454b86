package io.vendorlink.core.retry;

import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.observe.VendorMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

import java.time.Duration;

/**
 * A vendor's error policy as a Camel route configuration with id {@code <vendor>-error-policy}; connector routes opt in
 * with {@code routeConfigurationId}. It keeps retry rules out of workflows (STYLE.md, routes-configuration example):
 * <ul>
 *   <li>{@link TransientException}: bounded redelivery with exponential back-off and jitter,
 *       {@code vendorlink.<vendor>.retry.transient.*};</li>
 *   <li>{@link RateLimitedException}: delayed redelivery that honours the vendor's hint,
 *       {@code vendorlink.<vendor>.retry.rateLimited.*};</li>
 *   <li>everything else (rejected, invalid input, unknown outcome): no redelivery, the caller gets the exception.</li>
 * </ul>
 * Re-authentication and polling are not redelivery: see {@link SharedCredential} and {@link PollPolicy}.
 * Each redelivery is counted in {@code vendorlink_retries_total{vendor,outcome}}. Redelivery is asynchronous, so a
 * waiting message holds no thread.
 */
public final class VendorErrorPolicy extends RouteConfigurationBuilder {
    private final String vendor;
    private final Settings retry;
    private final VendorMetrics metrics;

    public VendorErrorPolicy(String vendor, Settings vendorSettings, VendorMetrics metrics) {
        this.vendor = vendor;
        this.retry = vendorSettings.child("retry");
        this.metrics = metrics;
    }

    public static String id(String vendor) {
        return vendor + "-error-policy";
    }

    @Override
    public void configuration() {
        Backoff transientBackoff = Backoff.from(retry.child("transient"));
        Backoff rateBackoff = Backoff.from(retry.child("rateLimited"));
        int transientMax = retry.integer("transient.maxRedeliveries");
        int rateMax = retry.integer("rateLimited.maxRedeliveries");
        var cfg = routeConfiguration(id(vendor));
        cfg.onException(TransientException.class)
                .maximumRedeliveries(transientMax)
                .onExceptionOccurred(e -> scheduleDelay(e, Outcome.TRANSIENT, transientMax, transientBackoff, null))
                .onRedelivery(e -> metrics.retry(vendor, Outcome.TRANSIENT))
                .asyncDelayedRedelivery()
                .logRetryAttempted(true).retryAttemptedLogLevel(LoggingLevel.INFO)
                .logExhausted(true).logStackTrace(false).logExhaustedMessageHistory(false);
        cfg.onException(RateLimitedException.class)
                .maximumRedeliveries(rateMax)
                .onExceptionOccurred(e -> {
                    RateLimitedException rl = e.getProperty(Exchange.EXCEPTION_CAUGHT, RateLimitedException.class);
                    scheduleDelay(e, Outcome.RATE_LIMITED, rateMax, rateBackoff, rl == null ? null : rl.retryAfter().orElse(null));
                })
                .onRedelivery(e -> metrics.retry(vendor, Outcome.RATE_LIMITED))
                .asyncDelayedRedelivery()
                .logRetryAttempted(true).retryAttemptedLogLevel(LoggingLevel.INFO)
                .logExhausted(true).logStackTrace(false).logExhaustedMessageHistory(false);
    }

    /** Camel takes the next delay from {@link Exchange#REDELIVERY_DELAY} when present: our back-off, with jitter. */
    private void scheduleDelay(Exchange exchange, Outcome outcome, int maxRedeliveries, Backoff backoff, Duration hint) {
        // Camel has already counted this failure: the counter is the number of the redelivery about to be scheduled.
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        if (redelivery > maxRedeliveries) {
            return; // exhausted: no redelivery follows
        }
        Duration delay = backoff.delay(redelivery - 1, hint);
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
        metrics.retryDelay(vendor, outcome, delay);
    }
}
