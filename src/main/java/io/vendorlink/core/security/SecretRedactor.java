package io.vendorlink.core.security;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Masks known secret values in any text that is about to leave the process (log lines, exception messages, dead-letter
 * headers). Secrets register themselves through {@link Secret#of(String)}; configuration values whose keys look secret
 * are registered at start-up by {@code Settings}. The logback converters in {@code logback.xml} call {@link #redact}.
 */
public final class SecretRedactor {
    public static final String MASK = "******";
    /** Shorter values would mask innocent text ("1", "ab"); they are not secrets worth the name either. */
    private static final int MIN_LENGTH = 4;
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    private static final List<String> NOT_SECRET_SUFFIXES = List.of(".strategy", ".digest", ".template", ".saltsource",
            ".pointer", ".path", ".idlerefresh", ".rejectedloginhold", ".loginlocktimeout", ".lifetime");

    private SecretRedactor() {
    }

    public static void register(String value) {
        if (value == null || value.length() < MIN_LENGTH || SECRETS.contains(value) || isSwitch(value)) {
            return;
        }
        SECRETS.add(value);
        // Longest first, so that a secret containing another is masked whole.
        SECRETS.sort(Comparator.comparingInt(String::length).reversed());
    }

    /**
     * A boolean is never a secret, whatever its key says ({@code strictCenToken = false}): masking it would blank
     * every "true" and "false" in every log line.
     */
    private static boolean isSwitch(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty() || SECRETS.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : SECRETS) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** Whether a configuration key names a secret: passwords, keys (not key ids), tokens, salts. */
    public static boolean isSecretKey(String propertyKey) {
        String k = propertyKey.toLowerCase(java.util.Locale.ROOT);
        if (k.endsWith("keyid") || k.endsWith("key-id") || k.endsWith(".enabled")) {
            return false;
        }
        // Settings that describe how a secret is used (CeRTNA's password.strategy, token.idleRefresh ...) are not secrets.
        if (NOT_SECRET_SUFFIXES.stream().anyMatch(k::endsWith)) {
            return false;
        }
        return k.contains("password") || k.contains("secret") || k.endsWith("key") || k.contains("apikey")
                || k.contains("token") && !k.contains("tokentype") || k.endsWith("salt") || k.contains("passphrase");
    }
}
