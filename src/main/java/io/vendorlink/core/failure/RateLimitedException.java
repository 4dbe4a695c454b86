package io.vendorlink.core.failure;

import java.time.Duration;
import java.util.Optional;

/** {@link Outcome#RATE_LIMITED}: the vendor said slow down (509, 429, 2047 ...), possibly with a hint. */
public class RateLimitedException extends VendorException {
    private final Duration retryAfter;

    public RateLimitedException(String vendor, String operation, String vendorCode, String vendorMessage,
                                Duration retryAfter) {
        super(vendor, operation, vendorCode, vendorMessage, describe(vendorCode, vendorMessage, "rate limited"), null);
        this.retryAfter = retryAfter;
    }

    /** The vendor's own hint ({@code Retry-After}), if it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public Outcome outcome() {
        return Outcome.RATE_LIMITED;
    }
}
