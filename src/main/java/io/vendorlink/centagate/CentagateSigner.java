package io.vendorlink.centagate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * CentaGate's two signatures, as pure functions (protocol note §5.1, §6.1, §8). Both are
 * {@code lowercase hex(HMAC-SHA256(key, message))} with key and message in UTF-8, but with two different keys:
 * <ul>
 *   <li>{@code hmac} on the authentication APIs: key = the App's <b>Secret Key</b>, message = the request's fields
 *       concatenated in a configured order ({@link #canonicalString});</li>
 *   <li>{@code cenToken} on the server (admin) APIs: key = the session's <b>secretCode</b>, message =
 *       {@code adminUsername + authToken} ({@link #cenToken}).</li>
 * </ul>
 * Mixing the keys up gives 23022 or 10001 (§11).
 */
public final class CentagateSigner {
    private CentagateSigner() {
    }

    /** {@code lowercase hex(HMAC-SHA256(UTF-8(key), UTF-8(message)))}: the vendor's {@code convertHmacSha256}. */
    public static String hmacSha256Hex(String key, String message) {
        return hmacSha256Hex(key.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8));
    }

    /** The same over raw bytes (RFC 4231 test vectors use binary keys). */
    public static String hmacSha256Hex(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * The string the authentication {@code hmac} is computed over: the values of {@code fieldOrder} concatenated, a
     * missing field counting as the empty string (§5.1: optional fields travel as empty strings, so that the sources'
     * disagreeing orders all reduce to {@code username + password + integrationKey + unixTimestamp}).
     */
    public static String canonicalString(List<String> fieldOrder, Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fieldOrder) {
            String v = fields.get(f);
            if (v != null) {
                sb.append(v);
            }
        }
        return sb.toString();
    }

    /** The authentication {@code hmac}: keyed with the App Secret Key over {@link #canonicalString}. */
    public static String authHmac(String secretKey, List<String> fieldOrder, Map<String, String> fields) {
        return hmacSha256Hex(secretKey, canonicalString(fieldOrder, fields));
    }

    /**
     * {@code cenToken = lowercase hex(HMAC-SHA256(key = secretCode, msg = adminUsername + authToken))} (§6.1, [SEED]).
     * An empty {@code secretCode} means the session must be re-authenticated (§11): signing with it is refused.
     */
    public static String cenToken(String secretCode, String adminUsername, String authToken) {
        if (secretCode == null || secretCode.isEmpty()) {
            throw new IllegalStateException("refusing to compute a cenToken with an empty secretCode: re-authenticate first");
        }
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalStateException("refusing to compute a cenToken without an authToken: authenticate first");
        }
        return hmacSha256Hex(secretCode, adminUsername + authToken);
    }

    /** {@code unixTimestamp}: epoch <b>seconds</b> as a string (§8; milliseconds are a classic pitfall, §11). */
    public static String unixTimestamp(java.time.Instant now) {
        return Long.toString(now.getEpochSecond());
    }
}
