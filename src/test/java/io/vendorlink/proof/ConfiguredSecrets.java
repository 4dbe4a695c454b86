package io.vendorlink.proof;

import io.vendorlink.core.security.SecretRedactor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The secret values a log scan looks for: every value of application.properties whose key names a secret. */
final class ConfiguredSecrets {
    private ConfiguredSecrets() {
    }

    static List<String> values() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            p.load(in);
        }
        List<String> out = new ArrayList<>();
        for (String k : p.stringPropertyNames()) {
            String v = p.getProperty(k).trim();
            if (SecretRedactor.isSecretKey(k) && v.length() >= 8 && !v.contains("{{")
                    && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                out.add(v);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no secret values found in application.properties");
        }
        return out;
    }
}
