package io.vendorlink.centagate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * CentaGate's answer envelope {@code {"code", "message", "object"}} (§4), parsed tolerantly because the JSON types are
 * UNKNOWN: {@code code} a string or a number; {@code object} a JSON-encoded string (parsed a second time, as the
 * vendor's own demo does), a nested object, a plain string (e.g. a new user id), an empty string or null.
 *
 * @param code    the return code as text ({@code "0"} is success)
 * @param message the vendor's message, may be empty
 * @param object  the payload; {@link MissingNode} when empty or null
 */
public record CentagateEnvelope(String code, String message, JsonNode object) {
    static final ObjectMapper JSON = new ObjectMapper();

    public boolean success() {
        return "0".equals(code);
    }

    /** A text field of {@link #object}, or the empty string. */
    public String field(String name) {
        JsonNode n = object.get(name);
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** The envelope in a body, or empty if the body is not one (an HTML error page, truncated JSON, nothing). */
    public static Optional<CentagateEnvelope> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || !root.has("code")) {
            return Optional.empty();
        }
        JsonNode code = root.get("code");
        if (!(code.isTextual() || code.isNumber()) || code.asText().isBlank()) {
            return Optional.empty();
        }
        JsonNode message = root.get("message");
        return Optional.of(new CentagateEnvelope(code.asText().trim(),
                message == null || message.isNull() ? "" : message.asText(), object(root.get("object"))));
    }

    private static JsonNode object(JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return MissingNode.getInstance();
        }
        if (raw.isTextual()) {
            String s = raw.asText().trim();
            if (s.isEmpty()) {
                return MissingNode.getInstance();
            }
            if (s.startsWith("{") || s.startsWith("[")) {
                try {
                    return JSON.readTree(s);
                } catch (JsonProcessingException e) {
                    return TextNode.valueOf(s);
                }
            }
            return TextNode.valueOf(s);
        }
        return raw;
    }
}
