package io.vendorlink.core.failure;

/** {@link Outcome#CREDENTIALS_EXPIRED}: credentials expired. */
public class CredentialsExpiredException extends VendorException {
    public CredentialsExpiredException(String vendor, String operation, String vendorCode, String vendorMessage, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, describe(vendorCode, vendorMessage, "credentials expired"), cause);
    }

    public CredentialsExpiredException(String vendor, String operation, String message) {
        super(vendor, operation, null, null, message, null);
    }

    /** With a message worded by the connector (no secrets). */
    public CredentialsExpiredException(String vendor, String operation, String vendorCode, String vendorMessage,
                               String message, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, message, cause);
    }

    @Override
    public Outcome outcome() {
        return Outcome.CREDENTIALS_EXPIRED;
    }
}
