package io.vendorlink.core.failure;

/**
 * The one vocabulary every connector translates vendor answers into (DESIGN.md, "One vocabulary of failure").
 * Routes and error handlers look at these, never at vendor codes.
 */
public enum Outcome {
    /** 2xx without an error body, {@code statusCode=success}, CentaGate code 0. */
    SUCCESS(false),
    /** The vendor's base URL changed: re-register (throttled, single-flight) and replay once. */
    ENDPOINT_MOVED(true),
    /** Token or session expired: log in again once and replay once. */
    CREDENTIALS_EXPIRED(true),
    /** 509/429 and friends: wait (honouring any hint) and redeliver. */
    RATE_LIMITED(true),
    /** Asynchronous work pending on the vendor side: poll with the request id until a deadline. */
    IN_PROGRESS(true),
    /** Connection refused/reset, timeout, 5xx without a business code: bounded exponential back-off. */
    TRANSIENT(true),
    /** Business or validation error from the vendor: never retried; the caller or the DLQ gets code and message. */
    REJECTED(false),
    /** An inbound message that cannot become a valid request: no vendor call at all. */
    INVALID_INPUT(false),
    /**
     * A non-idempotent call failed after it may have reached the vendor (timeout after sending).
     * Never retried automatically: a person or a state query decides (protocol notes, rule 5).
     */
    UNKNOWN_OUTCOME(false);

    private final boolean recoverable;

    Outcome(boolean recoverable) {
        this.recoverable = recoverable;
    }

    /** Whether the runtime may recover by itself (retry, re-register, poll). */
    public boolean recoverable() {
        return recoverable;
    }

    /** Lower-case label used in metrics and logs, e.g. {@code rate_limited}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
