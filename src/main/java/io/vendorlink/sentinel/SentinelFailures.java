package io.vendorlink.sentinel;

import io.vendorlink.core.failure.EndpointMovedException;
import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.VendorException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one table from a Sentinel answer to the failure vocabulary (protocol note §7, §8, §13). An {@code <error>} root
 * is an error whatever the HTTP status (§10.2, seed: errors may come with 200). Classification goes by
 * {@code errorCode} first, then HTTP status; message text only for the two cases without a code ("Session terminated",
 * "time mismatch", patterns configurable).
 */
public final class SentinelFailures {
    public static final String VENDOR = "sentinel";

    /** A PATCH or DELETE on a session the server no longer knows or has terminated (§6.4, §13.9, §13.10). */
    public static final class SessionGoneException extends RejectedException {
        public SessionGoneException(String operation, String code, String description) {
            super(VENDOR, operation, code, description, "the licence session is gone at Sentinel ("
                    + (code == null ? "" : code + " ") + description + "): stop using the feature", null);
        }
    }

    private final Set<String> reregisterOn;
    private final List<String> terminatedPatterns;
    private final List<String> clockPatterns;

    /**
     * @param reregisterOn {@code vendorlink.sentinel.reregister.on}: {@code ANY_401}, {@code 401:<code>}, {@code 404}
     */
    public SentinelFailures(List<String> reregisterOn, List<String> terminatedPatterns, List<String> clockPatterns) {
        this.reregisterOn = Set.copyOf(reregisterOn);
        this.terminatedPatterns = terminatedPatterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
        this.clockPatterns = clockPatterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The failure for an answer, or null when it is a success.
     *
     * @param xmlRoot    root element name, or null if the body is not XML
     * @param code       {@code errorCode} of an {@code <error>} body, or null
     * @param text       {@code errorDescription}, or null
     * @param retryAfter the {@code Retry-After} header, or null
     * @param localClock the local clock at the call, for the clock-skew message
     */
    public VendorException classify(String operation, int status, String xmlRoot, String code, String text,
                                    String retryAfter, String localClock) {
        boolean error = "error".equals(xmlRoot);
        if (!error && status >= 200 && status < 300) {
            return null;
        }
        String desc = text == null ? "" : text;
        String lower = desc.toLowerCase(Locale.ROOT);
        if (!error && xmlRoot == null) {
            // An HTML page from a proxy, an empty 5xx: the transport failed, not Sentinel (§7.1, §13.12).
            return status == 404 && reregisterOn.contains("404") && !operation.equals("register")
                    ? new EndpointMovedException(VENDOR, operation, "404", "not found", "HTTP 404 on the Cloud Connect URL: it may have moved (§8)", null)
                    : new TransientException(VENDOR, operation, Integer.toString(status), "non-XML answer",
                    "HTTP " + status + " without a Sentinel XML body (a proxy or a server error)", null);
        }
        if ("2009".equals(code)) {
            return new RejectedException(VENDOR, operation, code, desc, "Sentinel does not accept the vendor id sent in "
                    + "x-sfnt-vendor (2009 " + desc + "): check vendorlink.sentinel.vendorId (VENDORLINK_SENTINEL_VENDORID); "
                    + "not retried", null);
        }
        if (clockPatterns.stream().anyMatch(lower::contains)) {
            return new RejectedException(VENDOR, operation, code, desc, "Sentinel refused the request because the clocks "
                    + "differ by more than 15 minutes (" + desc + "): the local clock says " + localClock
                    + "; fix the clock (NTP) - this is not a credentials problem; not retried", null);
        }
        boolean moved = status == 401 && (reregisterOn.contains("ANY_401") || code != null && reregisterOn.contains("401:" + code))
                || status == 404 && reregisterOn.contains("404");
        if (moved && !operation.equals("register")) {
            return new EndpointMovedException(VENDOR, operation, code, desc,
                    "the Cloud Connect URL may have moved (HTTP " + status + (code == null ? "" : ", " + code) + ")", null);
        }
        if ("2013".equals(code) || terminatedPatterns.stream().anyMatch(lower::contains)) {
            return new SessionGoneException(operation, code, desc);
        }
        if ("2047".equals(code) || status == 429) {
            return new RateLimitedException(VENDOR, operation, code, desc, parseRetryAfter(retryAfter));
        }
        if (code != null) {
            switch (code) {
                case "2002", "2003", "2008", "2010", "2011", "2014" -> {
                    return new InvalidInputException(VENDOR, operation, code + " " + desc);
                }
                case "2001" -> {
                    return new RejectedException(VENDOR, operation, code, desc, "Sentinel does not support the web-service "
                            + "version sent in Accept (2001 " + desc + "): check vendorlink.sentinel.wsVersion; not retried", null);
                }
                case "2007" -> {
                    return new RejectedException(VENDOR, operation, code, desc, "Sentinel refused the vendor id (2007 "
                            + desc + "): check vendorlink.sentinel.vendorId; not retried", null);
                }
                case "2015" -> {
                    return new TransientException(VENDOR, operation, code, desc, null);
                }
                default -> {
                    // 2004, 2012, 2018, 2019, 2021, 2022 and unlisted codes of class 4xx: business refusals (§13.8)
                }
            }
        }
        if (status >= 500) {
            return new TransientException(VENDOR, operation, code, desc, null);
        }
        if (status == 401) {
            return new RejectedException(VENDOR, operation, code, desc, "Sentinel refused the authentication (" + desc
                    + "): check vendorlink.sentinel.secretKeyId, secretKey, vendorId and the signing rule "
                    + "(vendorlink.sentinel.signing.*); not retried", null);
        }
        return new RejectedException(VENDOR, operation, code, desc, null);
    }

    private static Duration parseRetryAfter(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
