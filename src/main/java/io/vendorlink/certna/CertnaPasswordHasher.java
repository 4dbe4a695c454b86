package io.vendorlink.certna;

import io.vendorlink.core.Settings;
import io.vendorlink.core.security.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code password} field of {@code POST /user/login}. The post-Oct-2018 rule is UNKNOWN (protocol note §3.1): the
 * seed says "Base64 encoded SHA1 hash" plus a SALT, but its own sample decodes to 32 bytes (SHA-256-sized). So the rule
 * is pluggable, chosen with {@code vendorlink.certna.password.strategy}; the sandbox verifies logins through the same
 * interface. Implementations are pure functions.
 */
public interface CertnaPasswordHasher {

    /** The value sent as {@code password} for this user, password and salt (salt may be empty). */
    String passwordField(String userName, Secret password, String salt);

    /** The strategy name, for logs and error messages. */
    String describe();

    /**
     * {@code salted-digest} (default): {@code Base64(DIGEST(UTF-8(template)))}, where the template substitutes
     * {@code {salt}}, {@code {password}} and {@code {user}} (default {@code {salt}{password}}) and the digest is
     * {@code SHA-256} (default) or {@code SHA-1}. The most likely post-2018 form (§3.1).
     */
    record SaltedDigest(String digest, String template) implements CertnaPasswordHasher {
        public SaltedDigest {
            digest = digest.toUpperCase(Locale.ROOT);
            if (!digest.equals("SHA-256") && !digest.equals("SHA-1")) {
                throw new IllegalStateException("vendorlink.certna.password.digest = '" + digest
                        + "' is not SHA-256 or SHA-1");
            }
            if (!template.contains("{password}")) {
                throw new IllegalStateException("vendorlink.certna.password.template = '" + template
                        + "' does not contain {password}");
            }
        }

        @Override
        public String passwordField(String userName, Secret password, String salt) {
            String text = template.replace("{salt}", salt == null ? "" : salt)
                    .replace("{user}", userName == null ? "" : userName)
                    .replace("{password}", password.reveal());
            return base64Digest(digest, text);
        }

        @Override
        public String describe() {
            return "salted-digest (" + digest + " of " + template + ")";
        }
    }

    /** {@code legacy-sha1}: {@code Base64(SHA-1(UTF-8(password)))}, the pre-Oct-2018 wording of the seed (§3.1). */
    record LegacySha1() implements CertnaPasswordHasher {
        @Override
        public String passwordField(String userName, Secret password, String salt) {
            return base64Digest("SHA-1", password.reveal());
        }

        @Override
        public String describe() {
            return "legacy-sha1";
        }
    }

    /**
     * {@code precomputed}: the configured string is sent unchanged, e.g. one produced with CeRTNA's own tool. The
     * immediate fallback once an operator holds the real string (§3.1).
     */
    record Precomputed(Secret value) implements CertnaPasswordHasher {
        @Override
        public String passwordField(String userName, Secret password, String salt) {
            return value.reveal();
        }

        @Override
        public String describe() {
            return "precomputed";
        }
    }

    /**
     * The hasher named by {@code <settings>.strategy}, reading {@code digest}, {@code template} and {@code precomputed}
     * below the same settings ({@code vendorlink.certna.password.*}, or the sandbox's own copy).
     */
    static CertnaPasswordHasher from(Settings password) {
        String strategy = password.string("strategy");
        return switch (strategy) {
            case "salted-digest" -> new SaltedDigest(password.string("digest"), password.string("template"));
            case "legacy-sha1" -> new LegacySha1();
            case "precomputed" -> new Precomputed(password.secret("precomputed"));
            default -> throw new IllegalStateException(password.key("strategy") + " = '" + strategy
                    + "' is not salted-digest, legacy-sha1 or precomputed");
        };
    }

    static String base64Digest(String algorithm, String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }
}
