package io.vendorlink.core.failure;

/** {@link Outcome#TRANSIENT}: transient failure. */
public class TransientException extends VendorException {
    public TransientException(String vendor, String operation, String vendorCode, String vendorMessage, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, describe(vendorCode, vendorMessage, "transient failure"), cause);
    }

    public TransientException(String vendor, String operation, String message) {
        super(vendor, operation, null, null, message, null);
    }

    /** With a message worded by the connector (no secrets). */
    public TransientException(String vendor, String operation, String vendorCode, String vendorMessage,
                               String message, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, message, cause);
    }

    @Override
    public Outcome outcome() {
        return Outcome.TRANSIENT;
    }
}
