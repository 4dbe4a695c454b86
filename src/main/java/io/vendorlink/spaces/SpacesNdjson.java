package io.vendorlink.spaces;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * NDJSON framing (protocol note §B2): bytes in, complete lines out. A chunk may hold half a line or many lines; only
 * text up to a {@code '\n'} is a line. Whatever is left when the stream ends or breaks is a partial line and is
 * discarded ({@link #discardPartial}), never parsed (§E8).
 */
final class SpacesNdjson {
    /** Longest line kept (bytes): a longer one is dropped up to its newline and counted, never held in memory. */
    static final int MAX_LINE = 1024 * 1024;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(8192);
    private boolean oversized;
    private long oversizedLines;

    void feed(byte[] buf, int len, Consumer<String> line) {
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (buf[i] == '\n') {
                if (oversized) {
                    oversized = false;
                    oversizedLines++;
                    start = i + 1;
                    continue;
                }
                String text;
                if (partial.size() > 0) {
                    partial.write(buf, start, i - start);
                    text = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                } else {
                    text = new String(buf, start, i - start, StandardCharsets.UTF_8);
                }
                line.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                start = i + 1;
            }
        }
        if (start < len && !oversized) {
            if (partial.size() + (len - start) > MAX_LINE) {
                partial.reset();
                oversized = true;
            } else {
                partial.write(buf, start, len - start);
            }
        }
    }

    /** Lines longer than {@link #MAX_LINE} dropped so far. */
    long oversizedLines() {
        return oversizedLines;
    }

    /** Bytes of an unfinished line thrown away (0 when the stream ended on a line boundary). */
    int discardPartial() {
        int n = partial.size();
        partial.reset();
        oversized = false;
        return n;
    }
}
