package io.vendorlink.core.retry;

import io.vendorlink.core.Settings;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter, the one formula used for redelivery, reconnects and rate-limit waits:
 * {@code min(max, initial * multiplier^attempt)} scaled by a random factor in {@code [1 - jitter, 1 + jitter]}.
 * Jitter spreads replicas and threads apart so that a recovery never turns into a synchronized storm.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || multiplier < 1.0 || jitter < 0 || jitter >= 1) {
            throw new IllegalStateException("back-off settings out of range: initial=" + initial + " max=" + max
                    + " multiplier=" + multiplier + " jitter=" + jitter);
        }
    }

    /** Reads {@code initialDelay}, {@code maxDelay}, {@code multiplier}, {@code jitter} under the given settings. */
    public static Backoff from(Settings s) {
        return new Backoff(s.duration("initialDelay"), s.duration("maxDelay"), s.decimal("multiplier"), s.decimal("jitter"));
    }

    /** The delay before retry number {@code attempt} (0-based). */
    public Duration delay(int attempt) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.min(attempt, 62));
        double capped = Math.min(base, max.toMillis());
        double factor = jitter == 0 ? 1.0 : ThreadLocalRandom.current().nextDouble(1 - jitter, 1 + jitter);
        return Duration.ofMillis(Math.max(0, Math.round(Math.min(capped * factor, max.toMillis()))));
    }

    /** The delay honouring a vendor's hint: never shorter than the hint, never shorter than our own back-off. */
    public Duration delay(int attempt, Duration vendorHint) {
        Duration own = delay(attempt);
        return vendorHint != null && vendorHint.compareTo(own) > 0 ? vendorHint : own;
    }
}
