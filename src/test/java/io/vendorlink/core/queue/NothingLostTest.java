package io.vendorlink.core.queue;

import io.vendorlink.testing.TestDirs;
import io.vendorlink.testing.RuntimeProcess;
import io.vendorlink.testing.TestRuntime;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost: requests are queued, the runtime (a separate JVM) is killed with SIGKILL while it works through
 * them, and started again on the same data. Every request ends processed exactly once (one recorded outcome, one
 * outcome message) or dead-lettered exactly once with its reason.
 */
class NothingLostTest {
    private static final int MESSAGES = 1000;
    private static final int POISON_EVERY = 10;
    private static final Pattern ID = Pattern.compile("\"id\":\"(m\\d+)\"");

    @Test
    void everyQueuedMessageIsProcessedExactlyOnceOrDeadLetteredAcrossASigkill() throws Exception {
        Path data = TestDirs.create("vendorlink-crash-");
        int brokerPort = TestRuntime.freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vendorlink.data.dir", data.toString());
        // AUTO_SERVER lets this test read the runtime's database while the runtime holds it
        props.put("vendorlink.state.url", "jdbc:h2:file:" + data.resolve("state/vendorlink") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
        props.put("vendorlink.broker.embedded.acceptor", "tcp://127.0.0.1:" + brokerPort);
        props.put("camel.server.port", String.valueOf(TestRuntime.freePort()));
        props.put("camel.management.port", String.valueOf(TestRuntime.freePort()));
        for (String v : TestRuntime.VENDORS) {
            props.put("vendorlink." + v + ".enabled", "false");
        }
        Path log = data.resolve("runtime.log");
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort
                + "?reconnectAttempts=0");
        int poison = 0;

        try (RuntimeProcess first = RuntimeProcess.start(props, log)) {
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer p = s.createProducer(s.createQueue("vendorlink.demo.requests"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < MESSAGES; i++) {
                    boolean bad = i % POISON_EVERY == 0;
                    poison += bad ? 1 : 0;
                    p.send(s.createTextMessage(bad ? "{\"id\":\"m" + i + "\", broken" : "{\"id\":\"m" + i + "\",\"text\":\"t" + i + "\"}"));
                    if (i % 100 == 99) {
                        s.commit();
                    }
                }
                s.commit();
            }
            // kill mid-flight: some outcomes recorded, most still queued
            await().atMost(Duration.ofSeconds(60)).until(() -> recorded(props) >= 100);
            first.kill();
        }
        long atKill = recorded(props);
        assertThat(atKill).as("killed mid-flight").isLessThan(MESSAGES - poison);

        int valid = MESSAGES - poison;
        Map<String, Integer> outcomes = new HashMap<>();
        Map<String, Integer> dead = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        try (RuntimeProcess second = RuntimeProcess.start(props, log)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> recorded(props) >= valid);
            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                drain(s.createConsumer(s.createQueue("vendorlink.demo.outcomes")), outcomes, null);
                drain(s.createConsumer(s.createQueue("vendorlink.dead-letter")), dead, reasons);
            }
            second.stop();
        }
        assertThat(recorded(props)).isEqualTo(valid);
        assertThat(outcomes).hasSize(valid);
        assertThat(outcomes.values()).as("each outcome published once").allMatch(n -> n == 1);
        assertThat(dead).hasSize(poison);
        assertThat(dead.values()).as("each poison message dead-lettered once").allMatch(n -> n == 1);
        assertThat(reasons.values()).allMatch(r -> r.startsWith("malformed JSON"));
        for (int i = 0; i < MESSAGES; i++) {
            String id = "m" + i;
            assertThat(outcomes.containsKey(id) ^ dead.containsKey(id)).as(id + " accounted for exactly once").isTrue();
        }
    }

    private static void drain(MessageConsumer consumer, Map<String, Integer> seen, Map<String, String> reasons) throws Exception {
        Message m;
        while ((m = consumer.receive(3000)) != null) {
            String body = ((TextMessage) m).getText();
            Matcher id = ID.matcher(body);
            assertThat(id.find()).as("message has an id: " + body).isTrue();
            seen.merge(id.group(1), 1, Integer::sum);
            if (reasons != null) {
                reasons.put(id.group(1), m.getStringProperty(DeadLetter.REASON));
            }
        }
    }

    private static long recorded(Map<String, String> props) throws Exception {
        try (var c = DriverManager.getConnection(props.get("vendorlink.state.url"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM vl_outcome WHERE workflow = 'demo-echo'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // schema not there yet, or the database is between owners
        }
    }
}
