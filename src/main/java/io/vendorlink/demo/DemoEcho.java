package io.vendorlink.demo;

import io.vendorlink.core.failure.InvalidInputException;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;

/** The demonstration workflow's only step of its own (routes/demo.camel.yaml): validate, then echo. */
@Configuration
public class DemoEcho implements CamelConfiguration {

    @BindToRegistry("demoEcho")
    public DemoEcho demoEcho() {
        return this;
    }

    /** {"id","text"} to {"id","echo","length"}; anything else is invalid input, named precisely. */
    public Map<String, Object> echo(Object body) {
        if (!(body instanceof Map<?, ?> in)) {
            throw new InvalidInputException("demo", "echo", "expected a JSON object, got " + describe(body));
        }
        Object id = in.get("id");
        Object text = in.get("text");
        if (!(id instanceof String s) || s.isBlank()) {
            throw new InvalidInputException("demo", "echo", "field 'id' must be a non-empty string");
        }
        if (!(text instanceof String t)) {
            throw new InvalidInputException("demo", "echo", "field 'text' must be a string");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s);
        out.put("echo", t);
        out.put("length", t.length());
        return out;
    }

    /** The idempotency key of a request: its id. Without one the request is invalid input, before anything else. */
    public String key(Object body) {
        if (!(body instanceof Map<?, ?> m)) {
            throw new InvalidInputException("demo", "echo", "expected a JSON object, got " + describe(body));
        }
        if (!(m.get("id") instanceof String s) || s.isBlank()) {
            throw new InvalidInputException("demo", "echo", "field 'id' must be a non-empty string");
        }
        return s;
    }

    private static String describe(Object body) {
        return body == null ? "nothing" : body instanceof java.util.List ? "a JSON array" : "a JSON " + body.getClass().getSimpleName();
    }
}
