package io.vendorlink.spaces;

import io.vendorlink.core.failure.InvalidInputException;

/**
 * An activation token refused locally, before any activation call (protocol note §A5, §E1-E3). The message says why
 * in plain words; it never contains the token.
 */
public class SpacesTokenRejectedException extends InvalidInputException {
    /** Why: the page maps these to "invalid" and "expired". */
    public enum Reason { INVALID, EXPIRED, HOST_NOT_ALLOWED }

    private final Reason reason;
    private final transient SpacesActivationToken unverifiedClaims;

    public SpacesTokenRejectedException(Reason reason, String message, SpacesActivationToken unverifiedClaims) {
        super("spaces", "verifyActivationToken", message);
        this.reason = reason;
        this.unverifiedClaims = unverifiedClaims;
    }

    public Reason rejection() {
        return reason;
    }

    /** The claims as decoded but NOT verified (for display only), or null when the token could not be decoded. */
    public SpacesActivationToken unverifiedClaims() {
        return unverifiedClaims;
    }
}
