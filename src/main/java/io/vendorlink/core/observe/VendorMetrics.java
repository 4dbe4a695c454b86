package io.vendorlink.core.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vendorlink.core.failure.Outcome;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The runtime's own metrics, on the same Micrometer registry Camel exposes at {@code /observe/metrics}. Every retry,
 * re-authentication, poll, throttle wait and dead letter is counted with {@code vendor} and {@code outcome} labels.
 */
public final class VendorMetrics {
    private final MeterRegistry registry;

    public VendorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void httpCall(String vendor, String operation, String status, long nanos) {
        // Looked up once per (vendor, operation, status): building and registering the meter id on every call was a
        // tenth of a connector call's own CPU in the Sentinel benchmark. The key set is small (operations x statuses).
        callTimers.computeIfAbsent(new CallKey(vendor, operation, status), k -> Timer.builder("vendorlink.vendor.calls")
                .description("Calls to vendor APIs by operation and HTTP status")
                .tags("vendor", vendor, "operation", operation, "status", status)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    private record CallKey(String vendor, String operation, String status) {
    }

    private final java.util.Map<CallKey, Timer> callTimers = new java.util.concurrent.ConcurrentHashMap<>();

    /** A classified answer from a vendor (success or one of the failure outcomes). */
    public void outcome(String vendor, String operation, Outcome outcome) {
        counter("vendorlink.vendor.outcomes", "Classified vendor answers", vendor, outcome, "operation", operation).increment();
    }

    /** A redelivery or replay about to happen, labelled by the outcome that caused it. */
    public void retry(String vendor, Outcome outcome) {
        counter("vendorlink.retries", "Redeliveries and replays by cause", vendor, outcome).increment();
    }

    /** A re-login, re-registration or token refresh; {@code reason} e.g. proactive, expired, moved. */
    /** The delay scheduled before a redelivery, so operators see how long back-off and vendor hints hold work. */
    public void retryDelay(String vendor, Outcome outcome, Duration delay) {
        Timer.builder("vendorlink.retry.delays").description("Delays scheduled before redeliveries")
                .tags("vendor", vendor, "outcome", outcome.label()).register(registry).record(delay);
    }

    public void reauthentication(String vendor, String reason) {
        Counter.builder("vendorlink.reauthentications").description("Re-logins and re-registrations")
                .tags("vendor", vendor, "reason", reason).register(registry).increment();
    }

    public void poll(String vendor, String result) {
        Counter.builder("vendorlink.polls").description("Polls of asynchronous vendor work")
                .tags("vendor", vendor, "result", result).register(registry).increment();
    }

    public void throttleWait(String vendor, String bucket, Duration waited) {
        Timer.builder("vendorlink.throttle.waits").description("Time spent waiting for the client-side rate limiter")
                .tags("vendor", vendor, "bucket", bucket).register(registry).record(waited);
    }

    public void deadLettered(String vendor, Outcome outcome) {
        counter("vendorlink.dead.letters", "Messages sent to the dead-letter queue", vendor, outcome).increment();
    }

    public void event(String vendor, String type, String result) {
        Counter.builder("vendorlink.events").description("Events consumed from vendor streams")
                .tags("vendor", vendor, "type", type, "result", result).register(registry).increment();
    }

    /** {@link #event} counted {@code count} times at once, e.g. per committed batch of a high-rate stream. */
    public void event(String vendor, String type, String result, long count) {
        Counter.builder("vendorlink.events").description("Events consumed from vendor streams")
                .tags("vendor", vendor, "type", type, "result", result).register(registry).increment(count);
    }

    /** A gauge whose value is read on scrape, e.g. open licence sessions. */
    public void gauge(String name, String description, String vendor, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).tag("vendor", vendor)
                .register(registry);
    }

    private Counter counter(String name, String description, String vendor, Outcome outcome, String... extraTags) {
        Counter.Builder b = Counter.builder(name).description(description).tags("vendor", vendor, "outcome", outcome.label());
        if (extraTags.length > 0) {
            b.tags(extraTags);
        }
        return b.register(registry);
    }
}
