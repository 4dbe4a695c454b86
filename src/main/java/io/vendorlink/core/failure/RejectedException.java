package io.vendorlink.core.failure;

/** {@link Outcome#REJECTED}: rejected by the vendor. */
public class RejectedException extends VendorException {
    public RejectedException(String vendor, String operation, String vendorCode, String vendorMessage, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, describe(vendorCode, vendorMessage, "rejected by the vendor"), cause);
    }

    public RejectedException(String vendor, String operation, String message) {
        super(vendor, operation, null, null, message, null);
    }

    /** With a message worded by the connector (no secrets). */
    public RejectedException(String vendor, String operation, String vendorCode, String vendorMessage,
                               String message, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, message, cause);
    }

    @Override
    public Outcome outcome() {
        return Outcome.REJECTED;
    }
}
