package io.vendorlink.core.failure;

/** {@link Outcome#IN_PROGRESS}: the vendor is still working; call again later with {@link #requestId()}. */
public class InProgressException extends VendorException {
    private final String requestId;

    public InProgressException(String vendor, String operation, String requestId) {
        super(vendor, operation, null, null,
                "still in progress" + (requestId == null ? " (no requestId returned)" : " (requestId " + requestId + ")"),
                null);
        this.requestId = requestId;
    }

    /** May be null: some vendors answer "in progress" without an id (protocol notes say how to handle it). */
    public String requestId() {
        return requestId;
    }

    @Override
    public Outcome outcome() {
        return Outcome.IN_PROGRESS;
    }
}
