package io.vendorlink.core.queue;

import io.vendorlink.testing.TestRuntime;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demonstration workflow of routes/demo.camel.yaml, through the real embedded broker and database. */
class DemoWorkflowTest {
    private static final String IN = "jms:queue:vendorlink.demo.requests";
    private static final String OUT = "jms:queue:vendorlink.demo.outcomes";
    private static final String DLQ = "jms:queue:vendorlink.dead-letter";
    private static final long WAIT = 20_000;

    private static TestRuntime rt;
    private static ProducerTemplate producer;
    private static ConsumerTemplate consumer;

    @BeforeAll
    static void start() {
        rt = TestRuntime.builder().start();
        producer = rt.producer();
        consumer = rt.consumer();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @Test
    void aValidRequestBecomesAnOutcomeOnTheOutcomeQueue() {
        producer.sendBody(IN, "{\"id\":\"req-1\",\"text\":\"hello\"}");
        String out = consumer.receiveBody(OUT, WAIT, String.class);
        assertThat(out).isEqualTo("{\"id\":\"req-1\",\"echo\":\"hello\",\"length\":5}");
        assertThat(rt.core().outcomeLedger().find("demo-echo", "req-1")).isPresent();
    }

    @Test
    void aPoisonMessageLandsOnTheDeadLetterQueueWithItsReasonAndOrigin() {
        producer.sendBody(IN, "{not json");
        Exchange dead = consumer.receive(DLQ, WAIT);
        assertThat(dead).as("dead letter").isNotNull();
        assertThat(dead.getMessage().getHeader(DeadLetter.REASON, String.class)).startsWith("malformed JSON");
        assertThat(dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class)).isEqualTo("INVALID_INPUT");
        assertThat(dead.getMessage().getHeader(DeadLetter.ORIGINAL_QUEUE, String.class)).isEqualTo("vendorlink.demo.requests");
        assertThat(dead.getMessage().getHeader(DeadLetter.ROUTE, String.class)).isEqualTo("demo-echo");
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("{not json");
    }

    @Test
    void aRequestMissingAFieldIsDeadLetteredWithTheFieldNamed() {
        producer.sendBody(IN, "{\"id\":\"req-2\"}");
        Exchange dead = consumer.receive(DLQ, WAIT);
        assertThat(dead).isNotNull();
        assertThat(dead.getMessage().getHeader(DeadLetter.REASON, String.class))
                .contains("invalid_input").contains("field 'text' must be a string");
        assertThat(consumer.receiveNoWait(OUT)).isNull();
    }

    @Test
    void theSameRequestDeliveredTwiceIsProcessedOnceAndAnsweredTwice() {
        producer.sendBody(IN, "{\"id\":\"dup-1\",\"text\":\"first\"}");
        producer.sendBody(IN, "{\"id\":\"dup-1\",\"text\":\"second\"}");
        String first = consumer.receiveBody(OUT, WAIT, String.class);
        String second = consumer.receiveBody(OUT, WAIT, String.class);
        // the second delivery is recognised: the recorded outcome is published again, not a new one
        assertThat(first).contains("\"echo\":\"first\"");
        assertThat(second).isEqualTo(first);
        assertThat(rt.core().outcomeLedger().count("demo-echo")).isGreaterThanOrEqualTo(1);
        assertThat(rt.core().outcomeLedger().find("demo-echo", "dup-1").orElseThrow().detail()).contains("first");
    }
}
