package io.vendorlink.core.failure;

import java.util.Objects;

/**
 * A vendor answer classified into the failure vocabulary. Subclasses exist per {@link Outcome} so that Camel
 * {@code onException} clauses (Java or YAML) can match on class.
 *
 * <p>Messages never carry secrets: connectors build them from vendor codes and descriptions only.
 */
public abstract class VendorException extends RuntimeException {
    private final String vendor;
    private final String operation;
    private final String vendorCode;
    private final String vendorMessage;

    protected VendorException(String vendor, String operation, String vendorCode, String vendorMessage,
                              String message, Throwable cause) {
        super(message, cause);
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.operation = operation;
        this.vendorCode = vendorCode;
        this.vendorMessage = vendorMessage;
    }

    public abstract Outcome outcome();

    public String vendor() {
        return vendor;
    }

    /** The connector operation that failed, e.g. {@code openSession}; may be null. */
    public String operation() {
        return operation;
    }

    /** The vendor's own error code as text (e.g. {@code 2013}, {@code DatabaseError}); may be null. */
    public String vendorCode() {
        return vendorCode;
    }

    /** The vendor's own message; may be null. */
    public String vendorMessage() {
        return vendorMessage;
    }

    /** One line for logs and dead-letter headers: outcome, vendor, operation, code and message. */
    public String reason() {
        StringBuilder sb = new StringBuilder(outcome().label()).append(": ").append(vendor);
        if (operation != null) {
            sb.append(' ').append(operation);
        }
        if (vendorCode != null) {
            sb.append(" code=").append(vendorCode);
        }
        sb.append(" - ").append(getMessage());
        return sb.toString();
    }

    protected static String describe(String vendorCode, String vendorMessage, String fallback) {
        if (vendorMessage != null && !vendorMessage.isBlank()) {
            return vendorCode == null ? vendorMessage : vendorMessage + " (" + vendorCode + ")";
        }
        return vendorCode == null ? fallback : fallback + " (" + vendorCode + ")";
    }
}
