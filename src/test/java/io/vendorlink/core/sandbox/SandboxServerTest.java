package io.vendorlink.core.sandbox;

import io.vendorlink.testing.TestDirs;
import io.vendorlink.core.http.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxServerTest {
    private SandboxServer server;
    private HttpClient trusting;

    @BeforeEach
    void start() throws Exception {
        Path dir = TestDirs.create("sandbox-tls-");
        SandboxTls tls = SandboxTls.in(dir);
        server = new SandboxServer("acme", tls, 0);
        server.handle("/api", ex -> {
            ex.verdict("saw " + ex.subPath());
            ex.respond(200, "text/plain", "path=" + ex.subPath());
        });
        server.initialFaults(Map.of("http.html500", "1"));
        server.start();
        trusting = HttpClient.newBuilder().sslContext(TlsContexts.trusting(List.of(tls.caPem()), "test")).build();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return trusting.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientThatDoesNotTrustTheSandboxCaIsRefused() {
        HttpClient defaultTrust = HttpClient.newHttpClient();
        assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/x")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void initialFaultsFromPropertiesFireThenTheHandlerAnswersWithTheRawPath() throws Exception {
        HttpResponse<String> first = get("/api/a%2Fb%0D%0Ac+d");
        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.body()).contains("<html>");
        HttpResponse<String> second = get("/api/a%2Fb%0D%0Ac+d");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("path=/a%2Fb%0D%0Ac+d");
        assertThat(server.requests()).extracting(RecordedRequest::verdict)
                .containsExactly("fault: html 500", "saw /a%2Fb%0D%0Ac+d");
    }

    @Test
    void theAdminApiSetsFaultsAndListsRequests() throws Exception {
        server.faults().clearAll();
        HttpResponse<String> set = trusting.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/__admin/faults?http.reset=2")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        // two: the JDK client silently retries an idempotent GET once when the connection drops before any answer
        assertThat(set.body()).contains("\"http.reset\":\"2\"");
        assertThatThrownBy(() -> get("/api/x")).isInstanceOf(IOException.class);
        assertThat(get("/api/y").statusCode()).isEqualTo(200);
        HttpResponse<String> log = get("/__admin/requests");
        assertThat(log.body()).contains("fault: connection dropped").contains("saw /y");
    }

    @Test
    void unknownPathsAreAnsweredAndRecorded() throws Exception {
        server.faults().clearAll();
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        assertThat(server.requests(r -> r.rawPath().equals("/nowhere"))).singleElement()
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("no simulator handles this path"));
    }
}
