package io.vendorlink.secutix;

import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.InProgressException;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.failure.VendorException;
import org.apache.cxf.binding.soap.SoapFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.xml.namespace.QName;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;

/**
 * The one table from SecuTix answers to the failure vocabulary (protocol note §4, §6, §12). Inputs, in the order they
 * are met on the wire: the HTTP status (with {@code Retry-After}), a SOAP Fault, the result envelope's
 * {@code statusCode}; then transport failures.
 *
 * <pre>
 * HTTP 509 or 429                                  rate limited (Retry-After honoured)          §6
 * HTTP 401 / 403                                   credential failure (not retried)             §4 decision
 * HTTP 404                                         rejected: service version not available      §12.7
 * HTTP 5xx without a SOAP envelope                 transient                                    §12.5
 * other HTTP status                                rejected with the status
 * SOAP Fault ...FailedAuthentication|InvalidSecurity  credential failure                        §4 decision
 * SOAP Fault soap:Server                           transient
 * other SOAP Fault                                 rejected (SecutixFaultException)
 * statusCode success                               success
 * statusCode in_progress                           in progress with requestId (may be missing)  §5
 * statusCode in status.authFailure                 credential failure
 * statusCode in status.retryable                   transient
 * any other statusCode                             rejected with code and detail (logged)        §4, §12.3
 * malformed answer (cut, HTML, DOCTYPE, not gzip)  transient; unknown outcome for non-idempotent operations  issue 9
 * answer larger than vendorlink.http.maxAnswerBytes, cut gzip, reset, timeout: the same
 * </pre>
 * Logic never parses {@code statusDetail} (§4).
 */
public final class SecutixFailures {
    static final String VENDOR = "secutix";
    private static final Logger LOG = LoggerFactory.getLogger(SecutixFailures.class);

    private final Set<String> retryableCodes;
    private final Set<String> authFailureCodes;
    private final Set<String> nonIdempotent;
    private final String operator;

    public SecutixFailures(Settings secutix, String operator) {
        this.retryableCodes = Set.copyOf(secutix.list("status.retryable"));
        this.authFailureCodes = Set.copyOf(secutix.list("status.authFailure"));
        this.nonIdempotent = Set.copyOf(secutix.list("nonIdempotentOperations"));
        this.operator = operator;
    }

    /** An HTTP status that is not a SOAP answer, seen before any XML is parsed. */
    public VendorException httpStatus(String operation, int status, Duration retryAfter, String path) {
        if (status == 509 || status == 429) {
            return new RateLimitedException(VENDOR, operation, "HTTP " + status, "load limiter", retryAfter);
        }
        if (status == 401 || status == 403) {
            return authentication(operation, "HTTP " + status, null);
        }
        if (status == 404) {
            return new RejectedException(VENDOR, operation, "HTTP 404", null, "service version not available at " + path
                    + " (retired or end-of-life version? check vendorlink.secutix.service.*.version)", null);
        }
        if (status >= 500) {
            return new TransientException(VENDOR, operation, "HTTP " + status, null,
                    "HTTP " + status + " without a SOAP envelope", null);
        }
        return new RejectedException(VENDOR, operation, "HTTP " + status, null, "unexpected HTTP " + status, null);
    }

    /** A SOAP Fault. */
    public VendorException fault(String operation, SoapFault fault) {
        QName code = fault.getFaultCode();
        String local = code == null ? "" : code.getLocalPart();
        String text = fault.getMessage();
        if (local.endsWith("FailedAuthentication") || local.endsWith("InvalidSecurity")
                || local.endsWith("InvalidSecurityToken")) {
            return authentication(operation, local, text);
        }
        if (local.equals("Server") || local.equals("Receiver")) {
            return new TransientException(VENDOR, operation, "soap:" + local, text, fault);
        }
        return new SecutixFaultException(operation, local, text);
    }

    /** The result envelope: null when success. */
    public VendorException envelope(String operation, ResultEnvelope e) {
        if (e.success()) {
            return null;
        }
        if (e.inProgress()) {
            return new InProgressException(VENDOR, operation, e.requestId() == null ? null : e.requestId().toString());
        }
        String code = e.statusCode() == null ? "(none)" : e.statusCode();
        if (authFailureCodes.contains(code)) {
            return authentication(operation, code, e.statusDetail());
        }
        if (retryableCodes.contains(code)) {
            return new TransientException(VENDOR, operation, code, e.statusDetail(), null);
        }
        // §4: unknown codes are logged with the operation so the real list can be collected.
        LOG.warn("vendor=secutix operation={} statusCode={} statusDetail={} requestId={}: not success, rejected",
                operation, code, e.statusDetail(), e.requestId());
        return new SecutixBusinessException(operation, code, e.statusDetail(), e.requestId());
    }

    /** A failure below SOAP: reset, timeout, malformed or truncated (gzip) envelope. */
    public VendorException transport(String operation, Throwable cause) {
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                + cause.getMessage().lines().findFirst().orElse(""));
        boolean mayHaveArrived = !(cause instanceof java.net.ConnectException);
        if (nonIdempotent.contains(operation) && mayHaveArrived) {
            return new UnknownOutcomeException(VENDOR, operation, null, null,
                    "transport failure after sending a non-idempotent call (" + what
                            + "); check the state (getOrderDetails) before retrying", cause);
        }
        boolean timeout = cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException;
        return new TransientException(VENDOR, operation, null, null,
                (timeout ? "timed out: " : "transport failure: ") + what, cause);
    }

    /**
     * An answer that is not a readable SOAP response (cut, not well-formed, HTML, a DOCTYPE, false gzip): retried like a
     * transport failure when the operation is idempotent, an unknown outcome when it is not.
     */
    public VendorException malformedAnswer(String operation, String what, Throwable cause) {
        String why = "SecuTix answered " + operation + " with a malformed answer: " + what;
        if (nonIdempotent.contains(operation)) {
            return new UnknownOutcomeException(VENDOR, operation, null, null, why
                    + "; the call may have been processed: check the state (getOrderDetails) before retrying", cause);
        }
        return new TransientException(VENDOR, operation, null, null, why, cause);
    }

    public boolean isTransportFailure(Throwable t) {
        return t instanceof IOException || t instanceof javax.xml.stream.XMLStreamException
                || t instanceof java.util.zip.ZipException || t instanceof java.io.UncheckedIOException;
    }

    private VendorException authentication(String operation, String code, String text) {
        return new CredentialsExpiredException(VENDOR, operation, code, text,
                "SecuTix refused the credentials of operator " + operator + " (" + code
                        + "): check vendorlink.secutix.username and vendorlink.secutix.password. Not retried.", null);
    }

    /** A non-success {@code statusCode} SecuTix did not document (§4): rejected with the code and detail. */
    public static final class SecutixBusinessException extends RejectedException {
        private final Integer requestId;

        public SecutixBusinessException(String operation, String statusCode, String statusDetail, Integer requestId) {
            super(VENDOR, operation, statusCode, statusDetail,
                    "statusCode=" + statusCode + (statusDetail == null ? "" : " statusDetail=" + statusDetail), null);
            this.requestId = requestId;
        }

        public Integer requestId() {
            return requestId;
        }
    }

    /** A SOAP Fault that is neither a security fault nor a server fault (§4 decision). */
    public static final class SecutixFaultException extends RejectedException {
        public SecutixFaultException(String operation, String faultCode, String faultString) {
            super(VENDOR, operation, faultCode, faultString, "SOAP Fault " + faultCode
                    + (faultString == null ? "" : ": " + faultString), null);
        }
    }

    /** §5: attempts or deadline exhausted while SecuTix kept answering in_progress; keeps the last requestId. */
    public static final class SecutixAsyncTimeoutException extends RejectedException {
        private final Integer requestId;

        public SecutixAsyncTimeoutException(String operation, Integer requestId, int attempts, Duration elapsed) {
            super(VENDOR, operation, ResultEnvelope.IN_PROGRESS, null, "still in_progress after " + attempts
                    + " attempt(s) and " + elapsed.toSeconds() + " s (requestId " + requestId
                    + "): deadline exceeded (vendorlink.secutix.async.maxAttempts / deadline)", null);
            this.requestId = requestId;
        }

        public Integer requestId() {
            return requestId;
        }
    }
}
