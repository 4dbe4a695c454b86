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
    /** The answer cap when neither {@code vendorlink.http.maxAnswerBytes} nor the vendor's own is given. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 8L * 1024 * 1024;

    private final String vendor;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final VendorMetrics metrics;
    private final long maxAnswerBytes;

    public VendorHttp(String vendor, Settings settings, VendorMetrics metrics) {
        this(vendor, settings, metrics, DEFAULT_MAX_ANSWER_BYTES);
    }

    /**
     * @param defaultMaxAnswerBytes the cap on an answer body read by {@link #send} ({@code vendorlink.http.maxAnswerBytes}),
     *                              unless the vendor sets {@code vendorlink.<vendor>.http.maxAnswerBytes}
     */
    public VendorHttp(String vendor, Settings settings, VendorMetrics metrics, long defaultMaxAnswerBytes) {
        this.vendor = vendor;
        this.metrics = metrics;
        this.maxAnswerBytes = settings.optional("http.maxAnswerBytes").map(Long::parseLong).orElse(defaultMaxAnswerBytes);
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

    /** The largest answer body {@link #send} reads. */
    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /**
     * Sends and reads the whole body as bytes, at most {@link #maxAnswerBytes()}: a larger answer is abandoned (the
     * connection closed) and fails as a transport failure saying "answer larger than N MB", so a vendor or proxy bug
     * cannot exhaust memory. The caller classifies status and body.
     */
    public HttpResponse<byte[]> send(String operation, HttpRequest request, Idempotency idempotency) {
        return send(operation, request, info -> new CappedBody(maxAnswerBytes), idempotency);
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
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AnswerTooLargeException tooLarge) {
                    what = tooLarge.getMessage();
                    break;
                }
            }
            if (idempotency == Idempotency.NON_IDEMPOTENT && !notSent) {
                throw new UnknownOutcomeException(vendor, operation, null, null,
                        "transport failure after the request may have reached the vendor (" + what
                                + "); not retried automatically", e);
            }
            throw new TransientException(vendor, operation, null, null, "transport failure: " + what, e);
        }
    }

    /** The answer body went past the cap: not read further. */
    public static final class AnswerTooLargeException extends IOException {
        public AnswerTooLargeException(long cap) {
            super("answer larger than " + (cap % (1024 * 1024) == 0 ? cap / (1024 * 1024) + " MB" : cap + " bytes")
                    + " (vendorlink.http.maxAnswerBytes); not read further");
        }
    }

    /** {@code BodySubscribers.ofByteArray()} with a cap: cancels the body (closing the connection) past {@code cap}. */
    static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long cap;
        private final java.util.concurrent.CompletableFuture<byte[]> result = new java.util.concurrent.CompletableFuture<>();
        private final java.util.List<java.nio.ByteBuffer> received = new java.util.ArrayList<>();
        private java.util.concurrent.Flow.Subscription subscription;
        private long size;

        CappedBody(long cap) {
            this.cap = cap;
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(java.util.List<java.nio.ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (java.nio.ByteBuffer b : items) {
                size += b.remaining();
            }
            if (size > cap) {
                received.clear();
                subscription.cancel();
                result.completeExceptionally(new AnswerTooLargeException(cap));
                return;
            }
            received.addAll(items);
        }

        @Override
        public void onError(Throwable t) {
            received.clear();
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] out = new byte[(int) size];
            int i = 0;
            for (java.nio.ByteBuffer b : received) {
                int n = b.remaining();
                b.get(out, i, n);
                i += n;
            }
            received.clear();
            result.complete(out);
        }
    }
}
