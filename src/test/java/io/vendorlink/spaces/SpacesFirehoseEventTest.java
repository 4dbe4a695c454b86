package io.vendorlink.spaces;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming read of a Firehose line keeps the reading of the tree it replaced (issue 6). */
class SpacesFirehoseEventTest {
    @Test
    void readsTheThreeTopLevelFieldsAndSkipsNestedOnes() {
        SpacesFirehoseEvent e = SpacesFirehoseEvent.parse("{\"recordUid\":\"u-1\",\"deviceLocationUpdate\":{\"recordUid\":"
                + "\"nested\",\"eventType\":\"NESTED\",\"list\":[1,{\"recordTimestamp\":5}]},\"recordTimestamp\":1700000000123,"
                + "\"eventType\":\"DEVICE_PRESENCE\"}");
        assertThat(e).isEqualTo(new SpacesFirehoseEvent("DEVICE_PRESENCE", "u-1", 1700000000123L));
    }

    @Test
    void missingNullOrStructuredFieldsReadAsAbsent() {
        assertThat(SpacesFirehoseEvent.parse("{\"eventType\":\"KEEP_ALIVE\"}"))
                .isEqualTo(new SpacesFirehoseEvent("KEEP_ALIVE", null, -1));
        assertThat(SpacesFirehoseEvent.parse("{\"eventType\":null,\"recordUid\":null,\"recordTimestamp\":null}"))
                .isEqualTo(new SpacesFirehoseEvent("", null, -1));
        assertThat(SpacesFirehoseEvent.parse("{\"eventType\":{},\"recordUid\":[\"a\"],\"recordTimestamp\":{\"x\":1}}"))
                .isEqualTo(new SpacesFirehoseEvent("", null, -1));
        assertThat(SpacesFirehoseEvent.parse("{\"recordUid\":42,\"recordTimestamp\":\"17\",\"eventType\":\"X\"}"))
                .isEqualTo(new SpacesFirehoseEvent("X", "42", 17));
        assertThat(SpacesFirehoseEvent.parse("{\"recordUid\":\"a\",\"recordTimestamp\":\"soon\"}").recordTimestamp()).isEqualTo(-1);
    }

    @Test
    void theLastOfDuplicateKeysWins() {
        assertThat(SpacesFirehoseEvent.parse("{\"recordUid\":\"a\",\"recordUid\":\"b\",\"recordTimestamp\":1}").recordUid())
                .isEqualTo("b");
    }

    @Test
    void brokenOrNonObjectLinesAreRefused() {
        assertThat(SpacesFirehoseEvent.parse("{\"recordUid\":\"a\",\"recordTimestamp\":1,\"x\":{\"y\":[1,2}")).isNull();
        assertThat(SpacesFirehoseEvent.parse("{\"recordUid\":\"a\",\"recordTimestamp\":1")).isNull();
        assertThat(SpacesFirehoseEvent.parse("[1,2]")).isNull();
        assertThat(SpacesFirehoseEvent.parse("not json")).isNull();
    }
}
