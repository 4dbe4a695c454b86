package io.vendorlink.proof;

import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every malformed input on the demo queue ends on the dead-letter queue with a reason; the runtime stays healthy. */
class DemoMalformedInputTest {

    @Test
    void everyMalformedRequestIsDeadLetteredWithAReasonAndNothingHangs() {
        List<MalformedCorpus.Entry> corpus = MalformedCorpus.json("{\"id\":\"req-1\",\"text\":\"hello world\"}");
        try (TestRuntime rt = TestRuntime.builder().start()) {
            var producer = rt.producer();
            for (int i = 0; i < corpus.size(); i++) {
                producer.sendBodyAndHeader("jms:queue:vendorlink.demo.requests?jmsMessageType=Bytes",
                        corpus.get(i).body(), "JMSCorrelationID", "corpus-" + i);
            }
            Map<String, String> reasons = new HashMap<>();
            for (int i = 0; i < corpus.size(); i++) {
                Exchange dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 30_000);
                assertThat(dead).as("dead letter %d of %d", i + 1, corpus.size()).isNotNull();
                reasons.put(dead.getMessage().getHeader("JMSCorrelationID", String.class),
                        dead.getMessage().getHeader(DeadLetter.REASON, String.class));
            }
            for (int i = 0; i < corpus.size(); i++) {
                assertThat(reasons.get("corpus-" + i)).as(corpus.get(i).name()).isNotBlank()
                        .matches("(?s)(malformed JSON|invalid_input|malformed XML).*");
            }
            assertThat(rt.consumer().receiveNoWait("jms:queue:vendorlink.demo.outcomes")).isNull();
            // still serving: a valid request after the corpus gets its outcome
            producer.sendBody("jms:queue:vendorlink.demo.requests", "{\"id\":\"after\",\"text\":\"ok\"}");
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.demo.outcomes", 20_000, String.class))
                    .contains("\"id\":\"after\"");
        }
    }
}
