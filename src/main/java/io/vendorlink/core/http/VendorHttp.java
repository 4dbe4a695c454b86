package io.vendorlink.core.http;

import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.observe.VendorMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * One vendor's HTTPS client: the JDK {@link HttpClient}, which sends a request URI exactly as built (percent-encoded
 * path segments such as {@code %2F} and {@code %0D%0A} are never decoded or re-encoded, which licence-session ids
 * need) and lets connectors read the body on every status. TLS comes from {@link TlsContexts}; timeouts from
 * {@code vendorlink.<vendor>.http.*}. Transport failures become {@link TransientException} for idempotent calls and
 * {@link UnknownOutcomeException} for non-idempotent ones once the request may have been sent.
 */
public final class VendorHttp {
    private final String vendor;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final VendorMetrics metrics;

    public VendorHttp(String vendor, Settings settings, VendorMetrics metrics) {
        this.vendor = vendor;
        this.metrics = metrics;
        this.requestTimeout = settings.duration("http.requestTimeout");
        this.client = HttpClient.newBuilder()
                .sslContext(TlsContexts.forVendor(settings))
                .connectTimeout(settings.duration("http.connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "vendorlink-http-" + vendor);
                    t.setDaemon(true);
                    return t;
                }))
                .build();
    }

    public String vendor() {
        return vendor;
    }

    public HttpClient client() {
        return client;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** A request builder with this vendor's default timeout. */
    public HttpRequest.Builder request(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout);
    }

    /** Whether a call may be repeated without a second effect at the vendor. */
    public enum Idempotency { IDEMPOTENT, NON_IDEMPOTENT }

    /** Sends and reads the whole body as bytes. The caller classifies status and body. */
    public HttpResponse<byte[]> send(String operation, HttpRequest request, Idempotency idempotency) {
        return send(operation, request, HttpResponse.BodyHandlers.ofByteArray(), idempotency);
    }

    /** Sends with a streaming body (long-lived streams such as the Firehose). */
    public HttpResponse<InputStream> stream(String operation, HttpRequest request) {
        return send(operation, request, HttpResponse.BodyHandlers.ofInputStream(), Idempotency.IDEMPOTENT);
    }

    private <T> HttpResponse<T> send(String operation, HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                     Idempotency idempotency) {
        long start = System.nanoTime();
        try {
            HttpResponse<T> response = client.send(request, handler);
            metrics.httpCall(vendor, operation, String.valueOf(response.statusCode()), System.nanoTime() - start);
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(vendor, operation, "interrupted while calling the vendor");
        } catch (IOException e) {
            metrics.httpCall(vendor, operation, "io_error", System.nanoTime() - start);
            boolean notSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                    || e.getCause() instanceof ConnectException;
            String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (idempotency == Idempotency.NON_IDEMPOTENT && !notSent) {
                throw new UnknownOutcomeException(vendor, operation, null, null,
                        "transport failure after the request may have reached the vendor (" + what
                                + "); not retried automatically", e);
            }
            throw new TransientException(vendor, operation, null, null, "transport failure: " + what, e);
        }
    }
}
