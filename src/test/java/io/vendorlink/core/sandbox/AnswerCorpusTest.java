package io.vendorlink.core.sandbox;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code answer.corpus} switch: counted like other switches, limited by path, every entry known. */
class AnswerCorpusTest {

    @Test
    void aCountedEntryReplacesExactlyThatManyAnswersOnMatchingPathsOnly() {
        FaultSwitches f = new FaultSwitches();
        f.set(AnswerCorpus.PATH, "/licenseSessions");
        f.set(AnswerCorpus.SWITCH, "truncated-xml:2");
        assertThat(AnswerCorpus.take(f, "/registrations")).isEmpty();
        assertThat(AnswerCorpus.take(f, "/sentinel/licenseSessions")).hasValueSatisfying(a ->
                assertThat(new String(a.body(), StandardCharsets.UTF_8)).startsWith("<?xml").doesNotEndWith(">"));
        assertThat(AnswerCorpus.take(f, "/sentinel/licenseSessions")).isPresent();
        assertThat(AnswerCorpus.take(f, "/sentinel/licenseSessions")).isEmpty();
        assertThat(f.isOn(AnswerCorpus.SWITCH)).isFalse();
        // without a count: every answer until cleared; a plain value with a colon stays uncounted
        f.set(AnswerCorpus.SWITCH, "empty");
        for (int i = 0; i < 5; i++) {
            assertThat(AnswerCorpus.take(f, "/licenseSessions/x")).isPresent();
        }
        f.set("http.slowMillis", "1000:always");
        assertThat(f.fire("http.slowMillis")).isTrue();
        assertThat(f.fire("http.slowMillis")).isTrue();
    }

    @Test
    void everyEntryIsKnownAndTheHugeOneIsStreamedToItsDeclaredLength() throws Exception {
        FaultSwitches f = new FaultSwitches();
        for (String entry : AnswerCorpus.ENTRIES) {
            assertThat(AnswerCorpus.answer(entry, f).entry()).isEqualTo(entry);
        }
        assertThat(AnswerCorpus.answer("nonsense", f).entry()).startsWith("unknown entry");
        f.set(AnswerCorpus.SWITCH + ".hugeBytes", "100000");
        AnswerCorpus.Answer huge = AnswerCorpus.answer("huge", f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        huge.writeBody(out);
        assertThat(out.size()).isEqualTo(huge.length()).isGreaterThan(100_000);
        assertThat(AnswerCorpus.answer("gzip-lie", f).headers()).containsEntry("Content-Encoding", "gzip");
        f.set(AnswerCorpus.SWITCH + ".entityUrl", "http://127.0.0.1:1/marker");
        assertThat(new String(AnswerCorpus.answer("xxe", f).body(), StandardCharsets.UTF_8))
                .contains("<!ENTITY x SYSTEM \"http://127.0.0.1:1/marker\">");
    }
}
