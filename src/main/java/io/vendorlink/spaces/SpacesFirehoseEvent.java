package io.vendorlink.spaces;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The three top-level fields of a Firehose line the consumer acts on (protocol note §B2, §B5, §B6): {@code eventType},
 * {@code recordUid}, {@code recordTimestamp}. Read with Jackson's streaming parser, which still checks the whole line is
 * well-formed JSON but builds no tree: the line itself is what gets published, never re-serialised (issue 6).
 * Read like the tree it replaces: a missing, null or non-scalar {@code eventType} is "", a missing, null or
 * non-scalar {@code recordUid} is null (a number is taken as its text), {@code recordTimestamp} is a number or numeric
 * text, else -1; the last of duplicate keys wins; anything after the object is ignored.
 *
 * @param eventType       "" when absent
 * @param recordUid       null when absent
 * @param recordTimestamp -1 when absent or not a number
 */
record SpacesFirehoseEvent(String eventType, String recordUid, long recordTimestamp) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The fields of one line, or null when the line is not a JSON object. */
    static SpacesFirehoseEvent parse(String line) {
        String type = "";
        String uid = null;
        long ts = -1;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == null) {
                    return null;
                }
                if (!v.isScalarValue()) {
                    p.skipChildren(); // parsed (so a broken line is still refused), not kept
                }
                boolean text = v.isScalarValue() && v != JsonToken.VALUE_NULL;
                switch (name) {
                    case "eventType" -> type = text ? p.getText() : "";
                    case "recordUid" -> uid = text ? p.getText() : null;
                    case "recordTimestamp" -> ts = timestamp(p, v);
                    default -> {
                        // not needed: the line is published as it came
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return new SpacesFirehoseEvent(type, uid, ts);
    }

    private static long timestamp(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getValueAsLong(-1);
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
