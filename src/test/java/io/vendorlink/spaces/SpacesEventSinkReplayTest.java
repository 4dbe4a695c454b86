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
}
