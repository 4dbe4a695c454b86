package io.vendorlink.sentinel;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs a Sentinel Cloud Connect request (protocol note §5): HMAC-SHA256 keyed with the Secret Key over a string to
 * sign built from a template, encoded as Base64 or hex, placed into the {@code Authorization} header by a second
 * template. Thales's exact rule is not public (§5 UNKNOWN): the project's default is
 * <pre>
 *   stringToSign  = {method}\n{contentType}\n{date}\n{path}
 *   Authorization = {keyId}:{signature}          (signature = Base64(HMAC-SHA256(UTF-8 key, stringToSign)))
 * </pre>
 * and every part is a setting ({@code vendorlink.sentinel.signing.*}), so the vendor's rule drops in without code.
 * Pure functions: no clock, no I/O.
 */
public final class SentinelSigner {

    /** The request as it goes on the wire; {@code path} still percent-encoded, {@code query} raw (may be empty). */
    public record CanonicalRequest(String method, String contentType, long contentLength, String date, String vendorId,
                                   String path, String query, byte[] body) {
    }

    /** The signing rule (§5 project decision), from {@code vendorlink.sentinel.signing.*}. */
    public record Rule(String stringToSignTemplate, String signatureEncoding, String headerTemplate, String keyEncoding) {
        public static Rule defaults() {
            return new Rule("{method}\\n{contentType}\\n{date}\\n{path}", "base64", "{keyId}:{signature}", "utf8");
        }
    }

    private SentinelSigner() {
    }

    /** The string to sign: the template's placeholders replaced; the two characters {@code \n} become LF. */
    public static String stringToSign(String template, CanonicalRequest r) {
        String t = template.replace("\\n", "\n");
        t = t.replace("{method}", r.method().toUpperCase(java.util.Locale.ROOT))
                .replace("{contentType}", nullToEmpty(r.contentType()))
                .replace("{contentLength}", Long.toString(r.contentLength()))
                .replace("{date}", r.date())
                .replace("{vendorId}", nullToEmpty(r.vendorId()))
                .replace("{path}", r.path())
                .replace("{query}", nullToEmpty(r.query()));
        // The body digest only when the rule asks for it: hashing every body for nothing showed in the benchmark.
        return t.contains("{bodySha256Hex}")
                ? t.replace("{bodySha256Hex}", sha256Hex(r.body() == null ? new byte[0] : r.body())) : t;
    }

    /** HMAC-SHA256 (RFC 2104 / RFC 4231). */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * One {@link Mac} per thread (a Mac is not thread-safe; {@code Mac.getInstance} looks the provider up on every call,
     * which cost more than the HMAC itself). {@code init} resets it with the key of each call, so no state leaks.
     */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    /** The key bytes: UTF-8 of the Secret Key, or the Base64-decoded Secret Key ({@code signing.keyEncoding}). */
    public static byte[] keyBytes(String secretKey, String keyEncoding) {
        return switch (keyEncoding) {
            case "utf8" -> secretKey.getBytes(StandardCharsets.UTF_8);
            case "base64-decoded" -> Base64.getDecoder().decode(secretKey.trim());
            default -> throw new IllegalArgumentException("signing.keyEncoding must be utf8 or base64-decoded, not "
                    + keyEncoding);
        };
    }

    /** The signature over the request, encoded per the rule. */
    public static String signature(Rule rule, String secretKey, CanonicalRequest r) {
        byte[] mac = hmacSha256(keyBytes(secretKey, rule.keyEncoding()),
                stringToSign(rule.stringToSignTemplate(), r).getBytes(StandardCharsets.UTF_8));
        return switch (rule.signatureEncoding()) {
            case "base64" -> Base64.getEncoder().encodeToString(mac);
            case "hex" -> HexFormat.of().formatHex(mac);
            default -> throw new IllegalArgumentException("signing.signatureEncoding must be base64 or hex, not "
                    + rule.signatureEncoding());
        };
    }

    /** The {@code Authorization} header value. */
    public static String authorization(Rule rule, String keyId, String secretKey, CanonicalRequest r) {
        return rule.headerTemplate().replace("{keyId}", keyId).replace("{signature}", signature(rule, secretKey, r));
    }

    /**
     * Percent-encodes a session id as one RFC 3986 path segment (§6.5): everything but the unreserved characters
     * ({@code A-Z a-z 0-9 - . _ ~}) becomes {@code %XX} of its UTF-8 bytes, so {@code /}, {@code +}, {@code =} and
     * CR LF survive any proxy. Never form encoding (a space is {@code %20}, never {@code +}).
     */
    public static String encodePathSegment(String s) {
        StringBuilder out = new StringBuilder(s.length() * 2);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /** The inverse of {@link #encodePathSegment}: {@code %XX} decoded as UTF-8; a {@code +} stays a {@code +}. */
    public static String decodePathSegment(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
