package io.vendorlink.spaces;

import io.vendorlink.testing.TestRuntime;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash between a publish and the next checkpoint makes the restarted consumer publish events the queues already
 * hold. The broker's duplicate detection drops them, in a batch that mixes replays and new events too: each event
 * reaches the queue once (issue 6: "restart in the middle -> same"; the SIGKILL case runs in FaultSoakTest).
 */
class SpacesEventSinkReplayTest {

    @Test
    void aReplayedBatchPublishesOnlyTheEventsTheQueueDoesNotHoldYet() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().start()) {
            ConnectionFactory cf = rt.context().getRegistry().lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class);
            try (SpacesEventSink.JmsBatch first = new SpacesEventSink.JmsBatch(cf, "soak.events", true)) {
                for (int i = 0; i < 10; i++) {
                    first.publish("T", "uid-" + i, 1000 + i, "{\"recordUid\":\"uid-" + i + "\"}");
                }
                first.commit();
            } // the "crash": a new sink (a new run) with no memory of the first
            SpacesEventSink.JmsBatch second = new SpacesEventSink.JmsBatch(cf, "soak.events", true);
            try {
                for (int i = 5; i < 15; i++) { // 5 replays, 5 new
                    second.publish("T", "uid-" + i, 1000 + i, "{\"recordUid\":\"uid-" + i + "\"}");
                }
                second.commit();
                for (int i = 12; i < 15; i++) { // replays only
                    second.publish("T", "uid-" + i, 1000 + i, "{\"recordUid\":\"uid-" + i + "\"}");
                }
                second.commit();
                assertThat(second.duplicatesDropped()).isEqualTo(8);
            } finally {
                second.close();
            }
            ConsumerTemplate consumer = rt.consumer();
            List<String> received = new ArrayList<>();
            for (String body; (body = consumer.receiveBody("jms:queue:soak.events.T", 2_000, String.class)) != null; ) {
                received.add(body);
                assertThat(received).hasSizeLessThanOrEqualTo(20);
            }
            assertThat(received).hasSize(15).doesNotHaveDuplicates();
        }
    }

    /**
     * Artemis journals every duplicate id, so a non-persistent ("in-memory") queue would pay a disk write per event for
     * it; those events carry only the consumer's key. A persistent queue's events carry both.
     */
    @Test
    void onlyPersistentEventsCarryTheBrokerDuplicateId() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().start()) {
            ConnectionFactory cf = rt.context().getRegistry().lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class);
            for (boolean persistent : new boolean[]{true, false}) {
                String prefix = "dupid." + persistent;
                try (SpacesEventSink.JmsBatch sink = new SpacesEventSink.JmsBatch(cf, prefix, persistent)) {
                    sink.publish("T", "uid-1", 1000, "{\"recordUid\":\"uid-1\"}");
                    sink.commit();
                }
                try (jakarta.jms.Connection c = cf.createConnection()) {
                    c.start();
                    jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                    jakarta.jms.Message m = s.createConsumer(s.createQueue(prefix + ".T")).receive(5_000);
                    assertThat(m).as("event on %s.T", prefix).isNotNull();
                    assertThat(m.getStringProperty("VendorlinkMessageKey")).isEqualTo("spaces:uid-1");
                    assertThat(m.getJMSDeliveryMode()).isEqualTo(persistent ? jakarta.jms.DeliveryMode.PERSISTENT
                            : jakarta.jms.DeliveryMode.NON_PERSISTENT);
                    assertThat(m.getStringProperty(SpacesEventSink.DUPLICATE_ID)).as("duplicate id, persistent=%s", persistent)
                            .isEqualTo(persistent ? "spaces:uid-1" : null);
                }
            }
        }
    }
}
