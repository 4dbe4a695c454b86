package io.vendorlink.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.testing.TestRuntime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Collects what the Firehose publishes on the outbound queues, in the order each queue delivers it. */
final class SpacesFirehoseSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TYPES = List.of("DEVICE_LOCATION_UPDATE", "DEVICE_PRESENCE", "PROFILE_UPDATE", "DEVICE_ENTRY");

    record Received(String queue, String uid, int partition, long seq) {
    }

    final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    private jakarta.jms.Connection connection;

    /** Plain JMS listeners (one session per queue, so each queue is read in order), outside the runtime's caching factory. */
    void collect(TestRuntime rt) throws Exception {
        connection = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("vm://0?consumerWindowSize=0").createConnection();
        for (String t : TYPES) {
            jakarta.jms.Session s = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("vendorlink.spaces.events." + t)).setMessageListener(m -> {
                try {
                    JsonNode n = JSON.readTree(((jakarta.jms.TextMessage) m).getText());
                    received.add(new Received(t, n.get("recordUid").asText(), n.path("partition").asInt(),
                            n.path(camel(t)).path("seq").asLong(-1)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        connection.start();
    }

    void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    static String camel(String type) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : type.toLowerCase().toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    long count(String seed) {
        synchronized (received) {
            return received.stream().filter(r -> r.uid.startsWith(seed + "-")).count();
        }
    }

    /** Each {@code <seed>-0..n-1} exactly once, and per queue and partition in stream order. */
    static void assertExactlyOnceInOrder(List<Received> all, String seed, int n) {
        List<Received> mine = all.stream().filter(r -> r.uid.startsWith(seed + "-")).toList();
        Set<String> uids = new HashSet<>();
        List<String> dups = new ArrayList<>();
        for (Received r : mine) {
            if (!uids.add(r.uid)) {
                dups.add(r.uid);
            }
        }
        assertThat(dups).as("duplicates").isEmpty();
        assertThat(uids).as("every recordUid").hasSize(n);
        Map<String, Long> last = new HashMap<>();
        for (Received r : mine) {
            String k = r.queue + "/" + r.partition;
            Long before = last.put(k, r.seq);
            assertThat(before == null || before < r.seq).as("order in " + k + " at " + r.uid).isTrue();
        }
    }
}
