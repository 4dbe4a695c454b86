package io.vendorlink.testing;

import io.vendorlink.core.http.TlsContexts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/** Test-side access to a running sandbox: an HTTPS client that trusts the sandbox CA, and the admin API. */
public final class Sandboxes {
    private Sandboxes() {
    }

    /** A client that trusts the sandbox CA of the runtime's data directory (verification on). */
    public static HttpClient client(TestRuntime runtime) {
        Path ca = runtime.dataDir().resolve("sandbox-tls/ca.pem");
        return HttpClient.newBuilder().sslContext(TlsContexts.trusting(List.of(ca), "test")).build();
    }

    /** Sets a fault switch through the sandbox's admin endpoint, as an operator would. */
    public static void fault(TestRuntime runtime, String vendor, String name, String value) {
        int port = Integer.parseInt(runtime.property("vendorlink.sandbox." + vendor + ".port"));
        try {
            HttpResponse<String> r = client(runtime).send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/__admin/faults?" + name + "=" + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("fault switch refused: " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
