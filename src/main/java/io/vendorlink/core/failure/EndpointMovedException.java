package io.vendorlink.core.failure;

/** {@link Outcome#ENDPOINT_MOVED}: the vendor endpoint moved. */
public class EndpointMovedException extends VendorException {
    public EndpointMovedException(String vendor, String operation, String vendorCode, String vendorMessage, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, describe(vendorCode, vendorMessage, "the vendor endpoint moved"), cause);
    }

    public EndpointMovedException(String vendor, String operation, String message) {
        super(vendor, operation, null, null, message, null);
    }

    /** With a message worded by the connector (no secrets). */
    public EndpointMovedException(String vendor, String operation, String vendorCode, String vendorMessage,
                               String message, Throwable cause) {
        super(vendor, operation, vendorCode, vendorMessage, message, cause);
    }

    @Override
    public Outcome outcome() {
        return Outcome.ENDPOINT_MOVED;
    }
}
