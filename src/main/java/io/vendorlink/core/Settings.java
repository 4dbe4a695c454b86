package io.vendorlink.core;

import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.security.Secret;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to one vendor's {@code vendorlink.<prefix>.*} settings. Every setting has a documented default in the
 * top-level {@code application.properties}; a missing or malformed one fails start-up with an error that names the
 * property and the environment variable that overrides it.
 */
public final class Settings {
    private final PropertiesComponent properties;
    private final String prefix;

    public Settings(CamelContext context, String prefix) {
        this.properties = context.getPropertiesComponent();
        this.prefix = prefix.endsWith(".") ? prefix : prefix + ".";
    }

    public String prefix() {
        return prefix;
    }

    /** A settings view one level down, e.g. {@code settings.child("retry")}. */
    public Settings child(String name) {
        return new Settings(properties, prefix + name);
    }

    private Settings(PropertiesComponent properties, String prefix) {
        this.properties = properties;
        this.prefix = prefix.endsWith(".") ? prefix : prefix + ".";
    }

    public String key(String name) {
        return prefix + name;
    }

    public Optional<String> optional(String name) {
        return properties.resolveProperty(key(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String string(String name) {
        return optional(name).orElseThrow(() -> missing(name));
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public int integer(String name) {
        String v = string(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw malformed(name, v, "a whole number");
        }
    }

    public long longValue(String name) {
        String v = string(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw malformed(name, v, "a whole number");
        }
    }

    public double decimal(String name) {
        String v = string(name);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw malformed(name, v, "a number");
        }
    }

    public boolean bool(String name) {
        String v = string(name);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw malformed(name, v, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** ISO-8601 ({@code PT30S}) or Camel style ({@code 30s}, {@code 500ms}, {@code 2m}). */
    public Duration duration(String name) {
        return parseDuration(key(name), string(name));
    }

    /** A size in bytes: a whole number with an optional unit {@code KB}, {@code MB}, {@code GB} (powers of 1024). */
    public long bytes(String name) {
        return parseBytes(key(name), string(name));
    }

    public static long parseBytes(String key, String v) {
        String s = v.trim().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        for (var u : List.of(java.util.Map.entry("GB", 1L << 30), java.util.Map.entry("MB", 1L << 20),
                java.util.Map.entry("KB", 1L << 10), java.util.Map.entry("B", 1L))) {
            if (s.endsWith(u.getKey())) {
                unit = u.getValue();
                s = s.substring(0, s.length() - u.getKey().length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalStateException("Setting " + key + " = '" + v + "' is not a size (expected e.g. 512MB, 2GB or a"
                    + " number of bytes)");
        }
    }

    public List<String> list(String name) {
        return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** A secret setting; registered for redaction. Empty values are refused with a clear error. */
    public Secret secret(String name) {
        return Secret.of(optional(name).orElseThrow(() -> new IllegalStateException(
                "Secret setting " + key(name) + " is not set. Provide it through the environment variable "
                        + envName(key(name)) + " or a Kubernetes Secret; it has no default on purpose.")));
    }

    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String v = string(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        throw malformed(name, v, "one of " + Arrays.toString(type.getEnumConstants()));
    }

    public static Duration parseDuration(String key, String v) {
        String s = v.trim();
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            char unit = s.charAt(s.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis(Long.parseLong(s));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalStateException("Setting " + key + " = '" + v
                    + "' is not a duration; use ISO-8601 (PT30S) or 30s / 500ms / 2m / 1h");
        }
    }

    /** Camel's environment-variable name for a property: upper case, dots and dashes to underscores. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private IllegalStateException missing(String name) {
        return new IllegalStateException("Setting " + key(name) + " is not set (environment variable "
                + envName(key(name)) + "). It is documented in application.properties.");
    }

    private IllegalStateException malformed(String name, String value, String expected) {
        return new IllegalStateException("Setting " + key(name) + " = '" + value + "' is not " + expected);
    }

    /** Guard used by connectors on inbound fields: a clear, named error and no vendor call. */
    public static String requireField(String vendor, String operation, String field, Object value) {
        if (value == null || value.toString().isBlank()) {
            throw new InvalidInputException(vendor, operation, "missing required field '" + field + "'");
        }
        return value.toString();
    }
}
