package io.vendorlink.certna;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.failure.VendorException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * CeRTNA's answers classified into the failure vocabulary: ONE table, read top to bottom, first match wins. Bodies are
 * parsed on every status (§10: errors come back as HTTP 500 with a JSON body, even for bad credentials), in both
 * shapes: {@code {"Exception":{"Code","Message"}}} and the seed table's lower-case top-level {@code {code,message}} (§9.2).
 */
public final class CertnaFailures {
    static final String VENDOR = "certna";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The vendor's error as parsed from a body; {@code code} and {@code message} may each be null. */
    public record VendorError(String code, String message) {
        boolean codeIs(String c) {
            return c.equalsIgnoreCase(code);
        }

        boolean messageHas(String text) {
            return message != null && message.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
        }
    }

    /** What the classifier knows about one answer. */
    public record Answer(String operation, boolean idempotent, int status, Optional<VendorError> error) {
    }

    private record Rule(String why, Predicate<Answer> when, Outcome outcome) {
    }

    /** The table. {@code SUCCESS} ends classification without an exception. */
    private static final List<Rule> TABLE = List.of(
            new Rule("expired or unknown soft-token (§4): log in again once, replay once",
                    a -> a.error.map(e -> e.codeIs("InvalidUserCredentials") || e.messageHas("Invalid Session Id")).orElse(false),
                    Outcome.CREDENTIALS_EXPIRED),
            new Rule("login answered a back-end fault, not a refusal (a SQL timeout or deadlock, §12.8): back-off, no hold",
                    a -> a.operation.equals("login") && a.error.map(e -> e.codeIs("DatabaseError")
                            && (e.messageHas("timeout expired") || e.messageHas("deadlock"))).orElse(false),
                    Outcome.TRANSIENT),
            new Rule("login refused: DatabaseError also means bad credentials (§3, §12.1); never retried",
                    a -> a.operation.equals("login") && a.error.isPresent(), Outcome.REJECTED),
            new Rule("payload not locked (§8): the client locks and retries once", a -> a.error.map(e -> e.codeIs("PayloadFileLockError")).orElse(false),
                    Outcome.REJECTED),
            new Rule("DatabaseError on an idempotent read: back-end fault, back-off (§12.8)",
                    a -> a.idempotent && a.error.map(e -> e.codeIs("DatabaseError")).orElse(false)
                            && !a.error.get().messageHas("conversion failed"), Outcome.TRANSIENT),
            new Rule("any other vendor error code: surfaced, not retried (§12.8)", a -> a.error.isPresent(), Outcome.REJECTED),
            new Rule("2xx without an error body", a -> a.status >= 200 && a.status < 300, Outcome.SUCCESS),
            new Rule("429 (not documented by CeRTNA; honoured if a proxy sends it)", a -> a.status == 429, Outcome.RATE_LIMITED),
            new Rule("non-JSON 5xx (an IIS or proxy page, §12.9) on a repeatable call: back-off",
                    a -> a.status >= 500 && a.idempotent, Outcome.TRANSIENT),
            new Rule("non-JSON 5xx after a send: it may have landed, never re-sent blindly (§12.6)",
                    a -> a.status >= 500, Outcome.UNKNOWN_OUTCOME),
            new Rule("any other status", a -> true, Outcome.REJECTED));

    private CertnaFailures() {
    }

    /** Parses an error body of either shape; empty when the body is not an error (or not JSON at all). */
    public static Optional<VendorError> parse(byte[] body) {
        JsonNode root = json(body);
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode ex = root.get("Exception");
        if (ex != null && ex.isObject()) {
            return Optional.of(new VendorError(text(ex, "Code"), text(ex, "Message")));
        }
        if (root.has("code") || root.has("message")) {
            return Optional.of(new VendorError(text(root, "code"), text(root, "message")));
        }
        return Optional.empty();
    }

    /** The outcome of an answer by the table. */
    public static Outcome outcome(Answer answer) {
        return TABLE.stream().filter(r -> r.when.test(answer)).findFirst().orElseThrow().outcome;
    }

    /** Throws the classified exception unless the answer is a success. */
    public static void check(String operation, boolean idempotent, int status, byte[] body) {
        Answer a = new Answer(operation, idempotent, status, parse(body));
        Outcome outcome = outcome(a);
        if (outcome != Outcome.SUCCESS) {
            throw exception(a, outcome);
        }
    }

    static VendorException exception(Answer a, Outcome outcome) {
        String code = a.error.map(VendorError::code).orElse(null);
        String message = a.error.map(VendorError::message).orElse(null);
        String fallback = "HTTP " + a.status + (a.error.isEmpty() ? " without a CeRTNA error body" : "");
        return switch (outcome) {
            case CREDENTIALS_EXPIRED -> new CredentialsExpiredException(VENDOR, a.operation, code, message, null);
            case TRANSIENT -> code == null ? new TransientException(VENDOR, a.operation, null, null, fallback, null)
                    : new TransientException(VENDOR, a.operation, code, message, null);
            case RATE_LIMITED -> new RateLimitedException(VENDOR, a.operation, code, message, null);
            case UNKNOWN_OUTCOME -> new UnknownOutcomeException(VENDOR, a.operation, code, message,
                    fallback + ": the request may have been processed; not re-sent automatically", null);
            default -> code == null && message == null ? new RejectedException(VENDOR, a.operation, null, null, fallback, null)
                    : new RejectedException(VENDOR, a.operation, code, message, null);
        };
    }

    static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Why a body is not JSON, for failure messages ("empty", or the parser's complaint with line and column). */
    static String notJson(byte[] body) {
        if (body == null || body.length == 0) {
            return "empty";
        }
        try {
            JSON.readTree(body);
            return "JSON";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            return "not JSON: " + e.getMessage();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
