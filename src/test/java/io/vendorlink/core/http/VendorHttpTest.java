package io.vendorlink.core.http;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.observe.VendorMetrics;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vendor HTTP client's settings (transport, executor) and its request deadlines, against a plain loopback server;
 * the call behaviour is checked on both transports ({@code blocking}, the default, and {@code jdk}).
 */
class VendorHttpTest {
    private HttpServer server;
    /** Released at the end of each test so that handlers holding an answer back finish. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok", ex -> {
            byte[] body = ("<ok>" + ex.getRequestURI().getRawQuery() + "</ok>").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/silent", ex -> {
            await();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        // Headers at once, then one byte of the body, then nothing until the test ends: the JDK's own request timeout
        // stops at the headers and would wait for the rest of this body for ever.
        server.createContext("/trickle", ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write('<');
            out.flush();
            await();
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private VendorHttp http(String... kv) {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties p = new Properties();
        p.put("vendorlink.acme.http.connectTimeout", "PT2S");
        p.put("vendorlink.acme.http.requestTimeout", "PT0.3S");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        ctx.getPropertiesComponent().setInitialProperties(p);
        return new VendorHttp("acme", new Settings(ctx, "vendorlink.acme"), new Settings(ctx, "vendorlink"),
                new VendorMetrics(new SimpleMeterRegistry()));
    }

    private HttpRequest get(VendorHttp http, String path) {
        return http.request(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).GET().build();
    }

    @Test
    void theBlockingTransportIsTheDefaultAndAVendorOrTheRuntimeMayChooseTheJdkClient() {
        assertThat(http().blockingTransport()).isTrue();
        assertThat(http("vendorlink.http.transport", "jdk").blockingTransport()).isFalse();
        assertThat(http("vendorlink.http.transport", "jdk", "vendorlink.acme.http.transport", "blocking")
                .blockingTransport()).isTrue();
        assertThatThrownBy(() -> http("vendorlink.acme.http.transport", "nio"))
                .hasMessageContaining("vendorlink.acme.http.transport").hasMessageContaining("blocking or jdk")
                .hasMessageContaining("'nio'");
    }

    @Test
    void theIoThreadIsTheDefaultAndAVendorOrTheRuntimeMayChooseAPool() {
        assertThat(http().executorMode()).isEqualTo(VendorHttp.ExecutorMode.IO_THREAD);
        assertThat(http("vendorlink.http.executor", "pool").executorMode()).isEqualTo(VendorHttp.ExecutorMode.POOL);
        assertThat(http("vendorlink.http.executor", "pool", "vendorlink.acme.http.executor", "io-thread").executorMode())
                .isEqualTo(VendorHttp.ExecutorMode.IO_THREAD);
        assertThatThrownBy(() -> http("vendorlink.acme.http.executor", "threads"))
                .hasMessageContaining("vendorlink.acme.http.executor").hasMessageContaining("io-thread or pool")
                .hasMessageContaining("'threads'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "jdk"})
    void answersArriveWholeInBothExecutorModesAndNoCallStaysWatched(String transport) {
        for (String mode : new String[] {"io-thread", "pool"}) {
            VendorHttp http = http("vendorlink.acme.http.executor", mode, "vendorlink.acme.http.transport", transport);
            for (int i = 0; i < 20; i++) {
                HttpResponse<byte[]> r = http.send("get", get(http, "/ok?n=" + i), VendorHttp.Idempotency.IDEMPOTENT);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<ok>n=" + i + "</ok>");
            }
        }
        assertThat(RequestDeadlines.watched()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "jdk"})
    void anAnswerThatDoesNotComeInTimeFailsAsATimeoutNamingTheSetting(String transport) {
        VendorHttp http = http("vendorlink.acme.http.transport", transport);
        assertThatThrownBy(() -> http.send("get", get(http, "/silent"), VendorHttp.Idempotency.IDEMPOTENT))
                .isInstanceOf(TransientException.class).hasMessageContaining("HttpTimeoutException")
                .hasMessageContaining("vendorlink.acme.http.requestTimeout").hasMessageContaining("PT0.3S");
        assertThat(RequestDeadlines.watched()).isZero();
        // the sweeper's interrupt ended the call and does not outlive it
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        // A call that may have had an effect is not called transient (it must not be retried blindly).
        assertThatThrownBy(() -> http.send("post", http.request(URI.create("http://127.0.0.1:"
                        + server.getAddress().getPort() + "/silent")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                VendorHttp.Idempotency.NON_IDEMPOTENT))
                .isInstanceOf(UnknownOutcomeException.class).hasMessageContaining("HttpTimeoutException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "jdk"})
    void aBodyThatStopsHalfWayFailsAsATimeoutToo(String transport) {
        VendorHttp http = http("vendorlink.acme.http.transport", transport);
        assertThatThrownBy(() -> http.send("get", get(http, "/trickle"), VendorHttp.Idempotency.IDEMPOTENT))
                .isInstanceOf(TransientException.class).hasMessageContaining("HttpTimeoutException");
        assertThat(RequestDeadlines.watched()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        // the client is still usable afterwards (the timed-out connection was dropped, not reused half-read)
        assertThat(http.send("get", get(http, "/ok?after=1"), VendorHttp.Idempotency.IDEMPOTENT).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "jdk"})
    void aRequestsOwnTimeoutWinsOverTheVendorSetting(String transport) {
        VendorHttp http = http("vendorlink.acme.http.requestTimeout", "PT60S", "vendorlink.acme.http.transport", transport);
        HttpRequest r = http.request(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/silent"))
                .timeout(java.time.Duration.ofMillis(200)).GET().build();
        assertThatThrownBy(() -> http.send("get", r, VendorHttp.Idempotency.IDEMPOTENT))
                .isInstanceOf(TransientException.class).hasMessageContaining("HttpTimeoutException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "jdk"})
    void aConnectionRefusedIsTransientEvenForANonIdempotentCall(String transport) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        VendorHttp http = http("vendorlink.acme.http.transport", transport);
        HttpRequest r = http.request(URI.create("http://127.0.0.1:" + port + "/x")).POST(HttpRequest.BodyPublishers.ofString("x")).build();
        assertThatThrownBy(() -> http.send("post", r, VendorHttp.Idempotency.NON_IDEMPOTENT))
                .isInstanceOf(TransientException.class).hasMessageContaining("ConnectException");
    }
}
