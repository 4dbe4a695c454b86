package io.vendorlink.certna;

import io.vendorlink.testing.TestDirs;
import io.vendorlink.core.queue.OutcomeLedger;
import io.vendorlink.testing.RuntimeProcess;
import io.vendorlink.testing.TestRuntime;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Collect is at-least-once across a real crash: the runtime (a separate JVM, with its sandbox) publishes an inbound
 * document, is killed with SIGKILL while the delete is still in flight, and after a restart on the same data the
 * document is published again with the same idempotency key, then deleted. Never lost.
 */
class CertnaCollectCrashTest {
    private static final String NAME = "standard_testagent1-202007140415-00025.1.1_200723151419729.xml";
    private static final String BODY = "<RESPONSE_GROUP><PRIA_DOCUMENT RecordingEndorsement=\"1\"/></RESPONSE_GROUP>";

    @Test
    void aDocumentPublishedButNotDeletedBeforeASigkillIsPublishedAgainAfterRestart() throws Exception {
        Path data = TestDirs.create("vendorlink-certna-crash-");
        int brokerPort = TestRuntime.freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vendorlink.data.dir", data.toString());
        props.put("vendorlink.state.url", "jdbc:h2:file:" + data.resolve("state/vendorlink") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        props.put("vendorlink.broker.embedded.acceptor", "tcp://127.0.0.1:" + brokerPort);
        props.put("camel.server.port", String.valueOf(TestRuntime.freePort()));
        props.put("camel.management.port", String.valueOf(TestRuntime.freePort()));
        for (String v : TestRuntime.VENDORS) {
            props.put("vendorlink." + v + ".enabled", "false");
            props.put("vendorlink.sandbox." + v + ".port", String.valueOf(TestRuntime.freePort()));
        }
        props.put("vendorlink.certna.enabled", "true");
        props.put("vendorlink.certna.collect.cron", "0/1+*+*+*+*+?");
        Path inbound = data.resolve("sandbox-certna/Retrieve");
        Path log = data.resolve("runtime.log");
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort
                + "?reconnectAttempts=0&consumerWindowSize=0");

        Message published;
        try (RuntimeProcess runtime = RuntimeProcess.start(props, log)) {
            // The sandbox holds every delete for a minute, so the kill lands between publish and delete; then the
            // county drops a document into the inbound repository.
            fault(data, props, "payloads.deleteHangMillis", "60000");
            Files.writeString(inbound.resolve(NAME + ".part"), BODY);
            Files.move(inbound.resolve(NAME + ".part"), inbound.resolve(NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            published = receive(cf);
            assertThat(published).as("published before the crash").isNotNull();
            runtime.kill();
        }
        assertThat(inbound.resolve(NAME)).as("not deleted: the delete never completed").exists();

        Message again;
        try (RuntimeProcess runtime = RuntimeProcess.start(props, log)) {
            again = receive(cf);
            assertThat(again).as("published again after the restart").isNotNull();
            await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(inbound.resolve(NAME)));
            assertThat(receive(cf, 3_000)).as("published again once, not on every poll").isNull();
            runtime.stop();
        }
        assertThat(((TextMessage) again).getText()).isEqualTo(BODY).isEqualTo(((TextMessage) published).getText());
        assertThat(again.getStringProperty(OutcomeLedger.KEY)).isEqualTo("certna:Retrieve/" + NAME)
                .as("consumers can de-duplicate on the key").isEqualTo(published.getStringProperty(OutcomeLedger.KEY));
        // the persisted token died with the sandbox: one re-login, one replay
        assertThat(Files.readString(log)).contains("credentials_expired - refreshing access_token and replaying once");
    }

    /** Sets a sandbox fault switch of the separate runtime through its admin API (HTTPS, trusting the sandbox CA). */
    private static void fault(Path data, Map<String, String> props, String name, String value) throws Exception {
        var http = java.net.http.HttpClient.newBuilder().sslContext(io.vendorlink.core.http.TlsContexts.trusting(
                java.util.List.of(data.resolve("sandbox-tls/ca.pem")), "test")).build();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://localhost:"
                        + props.get("vendorlink.sandbox.certna.port") + "/__admin/faults?" + name + "=" + value))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static Message receive(ActiveMQConnectionFactory cf) throws Exception {
        return receive(cf, 60_000);
    }

    private static Message receive(ActiveMQConnectionFactory cf, long timeoutMillis) throws Exception {
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue("vendorlink.certna.inbound"))) {
                return consumer.receive(timeoutMillis);
            }
        }
    }
}
