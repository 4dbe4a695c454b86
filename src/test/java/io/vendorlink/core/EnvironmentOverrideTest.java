package io.vendorlink.core;

import io.vendorlink.testing.RuntimeProcess;
import io.vendorlink.testing.TestRuntime;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Environment variables override application.properties: upper case, dots to underscores, camelCase keys too. */
class EnvironmentOverrideTest {

    @Test
    void anEnvironmentVariableOverridesASettingOfTheFile() throws Exception {
        Path data = Files.createTempDirectory("vendorlink-env-");
        int brokerPort = TestRuntime.freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vendorlink.broker.embedded.acceptor", "tcp://127.0.0.1:" + brokerPort);
        props.put("camel.server.port", String.valueOf(TestRuntime.freePort()));
        props.put("camel.management.port", String.valueOf(TestRuntime.freePort()));
        for (String v : TestRuntime.VENDORS) {
            props.put("vendorlink." + v + ".enabled", "false");
        }
        Map<String, String> env = Map.of(
                "VENDORLINK_DATA_DIR", data.toString(),
                "VENDORLINK_DEMO_REQUESTQUEUE", "from.environment.requests");
        try (RuntimeProcess rt = RuntimeProcess.start(props, env, data.resolve("runtime.log"))) {
            var cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(s.createQueue("from.environment.requests"))
                        .send(s.createTextMessage("{\"id\":\"env-1\",\"text\":\"hi\"}"));
                var reply = (TextMessage) s.createConsumer(s.createQueue("vendorlink.demo.outcomes")).receive(20_000);
                assertThat(reply).as("outcome of a request sent to the queue named by the environment").isNotNull();
                assertThat(reply.getText()).contains("\"id\":\"env-1\"");
            }
            rt.stop();
        }
        // VENDORLINK_DATA_DIR moved the whole data directory
        assertThat(data.resolve("state")).isDirectory();
        assertThat(data.resolve("broker")).isDirectory();
    }
}
