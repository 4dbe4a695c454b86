package io.vendorlink.spaces;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** NDJSON framing (protocol note §B2, §E8). */
class SpacesNdjsonTest {
    @Test
    void linesSplitAcrossChunksAreReassembledAndSeveralLinesInOneChunkAreSeparated() {
        SpacesNdjson f = new SpacesNdjson();
        List<String> out = new ArrayList<>();
        for (String chunk : new String[]{"{\"a\":", "1}\n{\"b\":2}\n{\"c\"", ":3}\r\n", "\n", "{\"d\":\"é"}) {
            byte[] b = chunk.getBytes(StandardCharsets.UTF_8);
            f.feed(b, b.length, out::add);
        }
        assertThat(out).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "");
        assertThat(f.discardPartial()).as("the broken last line is dropped, never parsed").isGreaterThan(0);
        assertThat(f.discardPartial()).isZero();
    }

    @Test
    void aMultiByteCharacterCutBetweenChunksSurvives() {
        SpacesNdjson f = new SpacesNdjson();
        List<String> out = new ArrayList<>();
        byte[] all = "{\"name\":\"Zürich\"}\n".getBytes(StandardCharsets.UTF_8);
        int cut = "{\"name\":\"Z".length() + 1; // inside the two bytes of ü
        f.feed(java.util.Arrays.copyOfRange(all, 0, cut), cut, out::add);
        byte[] rest = java.util.Arrays.copyOfRange(all, cut, all.length);
        f.feed(rest, rest.length, out::add);
        assertThat(out).containsExactly("{\"name\":\"Zürich\"}");
    }
}
