package io.vendorlink.core.failure;

/** {@link Outcome#UNKNOWN_OUTCOME}: outcome unknown: the request may have reached the vendor. */
public class UnknownOutcomeException extends VendorException {
    public UnknownOutcomeException(String vendor, String operation, String vendorCode, String vendorMessage, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, describe(vendorCode, vendorMessage, "outcome unknown: the request may have reached the vendor"), cause);
    }

    public UnknownOutcomeException(String vendor, String operation, String message) {
        super(vendor, operation, null, null, message, null);
    }

    /** With a message worded by the connector (no secrets). */
    public UnknownOutcomeException(String vendor, String operation, String vendorCode, String vendorMessage,
                               String message, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, message, cause);
    }

    @Override
    public Outcome outcome() {
        return Outcome.UNKNOWN_OUTCOME;
    }
}
