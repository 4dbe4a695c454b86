package io.vendorlink.core;

import io.vendorlink.testing.TestDirs;
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

/**
 * Settings are layered: the application.properties inside the jar, overridden key by key by an application.properties
 * in the working directory, overridden by environment variables (upper case, dots to underscores, camelCase too).
 */
class EnvironmentOverrideTest {

    @Test
    void aWorkingDirectoryFileOverridesTheShippedSettingsKeyByKey() throws Exception {
        Path work = TestDirs.create("vendorlink-workdir-");
        Files.writeString(work.resolve("application.properties"),
                "vendorlink.demo.requestQueue = from.working.dir.requests\n");
        Path routes = Files.createDirectories(work.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        int brokerPort = TestRuntime.freePort();
        Map<String, String> props = baseProperties(brokerPort);
        props.put("vendorlink.data.dir", work.resolve("data").toString());
        try (RuntimeProcess rt = RuntimeProcess.start(props, Map.of(), work, work.resolve("runtime.log"))) {
            assertThat(roundTrip(brokerPort, "from.working.dir.requests", "wd-1")).contains("\"id\":\"wd-1\"");
            rt.stop();
        }
    }

    private static Map<String, String> baseProperties(int brokerPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vendorlink.broker.embedded.acceptor", "tcp://127.0.0.1:" + brokerPort);
        props.put("camel.server.port", String.valueOf(TestRuntime.freePort()));
        props.put("camel.management.port", String.valueOf(TestRuntime.freePort()));
        for (String v : TestRuntime.VENDORS) {
            props.put("vendorlink." + v + ".enabled", "false");
        }
        return props;
    }

    /** Sends a demo request to the given queue and returns the outcome text (null if none within 20 s). */
    private static String roundTrip(int brokerPort, String queue, String id) throws Exception {
        var cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage("{\"id\":\"" + id + "\",\"text\":\"hi\"}"));
            var reply = (TextMessage) s.createConsumer(s.createQueue("vendorlink.demo.outcomes")).receive(20_000);
            return reply == null ? null : reply.getText();
        }
    }

    @Test
    void anEnvironmentVariableOverridesASettingOfTheFile() throws Exception {
        Path data = TestDirs.create("vendorlink-env-");
        int brokerPort = TestRuntime.freePort();
        Map<String, String> props = baseProperties(brokerPort);
        Map<String, String> env = Map.of(
                "VENDORLINK_DATA_DIR", data.toString(),
                "VENDORLINK_DEMO_REQUESTQUEUE", "from.environment.requests");
        try (RuntimeProcess rt = RuntimeProcess.start(props, env, data.resolve("runtime.log"))) {
            assertThat(roundTrip(brokerPort, "from.environment.requests", "env-1"))
                    .as("outcome of a request sent to the queue named by the environment").contains("\"id\":\"env-1\"");
            rt.stop();
        }
        // VENDORLINK_DATA_DIR moved the whole data directory
        assertThat(data.resolve("state")).isDirectory();
        assertThat(data.resolve("broker")).isDirectory();
    }
}
