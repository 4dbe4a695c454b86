package io.vendorlink.sentinel;

import io.vendorlink.testing.TestDirs;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import io.vendorlink.testing.RuntimeProcess;
import io.vendorlink.testing.TestRuntime;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No licence session is leaked by a crash: the runtime (a separate JVM) opens sessions, is killed with SIGKILL, and
 * on restart refreshes or releases every session it had open ({@code vendorlink.sentinel.recovery.mode}). The
 * Sentinel simulator runs in the test's JVM, so it outlives the crash.
 */
class SentinelCrashTest {
    private static final int SESSIONS = 5;

    @ParameterizedTest
    @ValueSource(strings = {"release", "refresh"})
    void afterASigkillTheRestartedRuntimeReleasesOrRefreshesEverySessionItHadOpen(String mode) throws Exception {
        try (TestRuntime sandboxHost = TestRuntime.builder().property("vendorlink.sandbox.sentinel.enabled", "true").start()) {
            SentinelSandbox sandbox = SentinelConnectorTest.sandbox(sandboxHost);
            Path data = TestDirs.create("vendorlink-sentinel-crash-");
            int brokerPort = TestRuntime.freePort();
            Map<String, String> props = TestRuntime.builder().enable("sentinel").dataDir(data)
                    .property("vendorlink.sandbox.sentinel.enabled", "false")
                    .property("vendorlink.sentinel.ypsUrl", sandbox.server().baseUri().toString().replaceAll("/$", "") + "/YPServer")
                    .property("vendorlink.sentinel.tls.trustCertificates",
                            sandboxHost.dataDir().resolve("sandbox-tls/ca.pem").toString())
                    .property("vendorlink.sentinel.recovery.mode", mode)
                    .property("vendorlink.cluster.memberId", "crash-test-member")
                    .property("vendorlink.broker.embedded.acceptor", "tcp://127.0.0.1:" + brokerPort)
                    .resolve();
            RuntimeProcess first = RuntimeProcess.start(props, data.resolve("first.log"));
            try {
                var cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
                try (Connection c = cf.createConnection()) {
                    c.start();
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    var producer = s.createProducer(s.createQueue("vendorlink.sentinel.requests"));
                    MessageConsumer events = s.createConsumer(s.createQueue("vendorlink.sentinel.outcomes"));
                    for (int i = 0; i < SESSIONS; i++) {
                        producer.send(s.createTextMessage("{\"action\":\"open\",\"reference\":\"crash-" + i
                                + "\",\"customer\":\"c1\",\"user\":\"u" + i + "\",\"feature\":\"fname1\"}"));
                        TextMessage opened = (TextMessage) events.receive(30_000);
                        assertThat(opened).isNotNull();
                        assertThat(opened.getText()).contains("\"event\":\"opened\"");
                    }
                }
                assertThat(sandbox.openSessions()).isEqualTo(SESSIONS);
            } finally {
                first.kill(); // SIGKILL: no shutdown hook, no release
            }
            assertThat(sandbox.openSessions()).as("sessions still open at Sentinel after the crash").isEqualTo(SESSIONS);

            try (RuntimeProcess second = RuntimeProcess.start(props, data.resolve("second.log"))) {
                if (mode.equals("release")) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.openSessions() == 0);
                    assertThat(sandbox.sessions().values()).allSatisfy(x -> assertThat(x.isClosed()).isTrue());
                } else {
                    await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.sessions().values().stream()
                            .allMatch(x -> x.refreshes() >= 1));
                    assertThat(sandbox.openSessions()).isEqualTo(SESSIONS);
                    second.stop(); // graceful: releases them
                    assertThat(sandbox.openSessions()).isZero();
                }
            }
        }
    }
}
