package io.vendorlink.core.failure;

/** {@link Outcome#INVALID_INPUT}: an inbound message that cannot be a valid request. No vendor call is made. */
public class InvalidInputException extends VendorException {
    public InvalidInputException(String vendor, String operation, String message) {
        super(vendor, operation, null, null, message, null);
    }

    public InvalidInputException(String vendor, String operation, String message, Throwable cause) {
        super(vendor, operation, null, null, message, cause);
    }

    @Override
    public Outcome outcome() {
        return Outcome.INVALID_INPUT;
    }
}
