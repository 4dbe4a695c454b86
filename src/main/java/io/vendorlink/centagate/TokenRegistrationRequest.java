package io.vendorlink.centagate;

import io.vendorlink.core.failure.InvalidInputException;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An inbound token-registration request {@code {"username", "tokenSn", "tokenType", "requestId"?}} (workflow
 * routes/centagate.camel.yaml), validated before any vendor call: a request that cannot be valid is dead-lettered with
 * the reason and never reaches CentaGate. {@code tokenType} is 1 / "1" / "SMS" or 2 / "2" / "OTP" (§6.2).
 */
public record TokenRegistrationRequest(String requestId, String username, String tokenSn, CentagateClient.TokenType tokenType) {
    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9]{6,15}");
    private static final int MAX_FIELD = 128;

    public static TokenRegistrationRequest from(Object body) {
        if (!(body instanceof Map<?, ?> m)) {
            throw invalid("expected a JSON object with username, tokenSn and tokenType, got "
                    + (body == null ? "nothing" : body instanceof java.util.List ? "a JSON array" : "a JSON " + body.getClass().getSimpleName()));
        }
        String username = text(m, "username");
        String tokenSn = text(m, "tokenSn");
        Object rawType = m.get("tokenType");
        if (rawType == null || rawType.toString().isBlank()) {
            throw invalid("missing required field 'tokenType' (1 = SMS, 2 = OTP)");
        }
        CentagateClient.TokenType type = switch (rawType.toString().trim().toUpperCase(Locale.ROOT)) {
            case "1", "SMS" -> CentagateClient.TokenType.SMS;
            case "2", "OTP" -> CentagateClient.TokenType.OTP;
            default -> throw invalid("field 'tokenType' must be 1 (SMS) or 2 (OTP), got '" + rawType + "'");
        };
        if (type == CentagateClient.TokenType.SMS && !MOBILE.matcher(tokenSn).matches()) {
            throw invalid("field 'tokenSn' must be a mobile number for an SMS token (digits, optional leading +), got '"
                    + tokenSn + "'");
        }
        Object id = m.get("requestId");
        return new TokenRegistrationRequest(id == null || id.toString().isBlank() ? null : id.toString().trim(),
                username, tokenSn, type);
    }

    /**
     * The idempotency key: the caller's requestId if given, otherwise the request itself (registering the same token
     * to the same user twice is the same request).
     */
    public String key() {
        return requestId != null ? "id:" + requestId : username + "|" + tokenType.wire() + "|" + tokenSn;
    }

    private static String text(Map<?, ?> m, String field) {
        Object v = m.get(field);
        if (v == null || v.toString().isBlank()) {
            throw invalid("missing required field '" + field + "'");
        }
        if (!(v instanceof String || v instanceof Number)) {
            throw invalid("field '" + field + "' must be a string");
        }
        String s = v.toString().trim();
        if (s.length() > MAX_FIELD || s.chars().anyMatch(Character::isISOControl)) {
            throw invalid("field '" + field + "' is longer than " + MAX_FIELD + " characters or has control characters");
        }
        return s;
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException(CentagateClient.VENDOR, "registerActiveToken", message);
    }
}
