package io.vendorlink.core.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request as the sandbox received it, with the sandbox's verdict (what it verified or why it refused), so tests
 * can assert on what the client really sent. {@code rawPath} is exactly as on the wire (still percent-encoded).
 */
public record RecordedRequest(Instant at, String method, String rawPath, String rawQuery,
                              Map<String, List<String>> headers, byte[] body, int status, String verdict) {

    public String header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isEmpty() ? null : e.getValue().get(0);
            }
        }
        return null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
