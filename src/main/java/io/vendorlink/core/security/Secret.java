package io.vendorlink.core.security;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value (password, key, token). {@link #toString()} never reveals it, and every secret is registered with
 * {@link SecretRedactor} on creation so that it is masked even where someone logs it by mistake.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        SecretRedactor.register(value);
        return new Secret(value);
    }

    /** The raw value, for signing or sending. Do not log it. */
    public String reveal() {
        return value;
    }

    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return SecretRedactor.MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(utf8(), s.utf8());
    }

    @Override
    public int hashCode() {
        return 0;
    }
}
