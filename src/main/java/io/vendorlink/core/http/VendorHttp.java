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
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * One vendor's HTTPS client: the JDK {@link HttpClient}, which sends a request URI exactly as built (percent-encoded
 * path segments such as {@code %2F} and {@code %0D%0A} are never decoded or re-encoded, which licence-session ids
 * need) and lets connectors read the body on every status. TLS comes from {@link TlsContexts}; timeouts from
 * {@code vendorlink.<vendor>.http.*}. Transport failures become {@link TransientException} for idempotent calls and
 * {@link UnknownOutcomeException} for non-idempotent ones once the request may have been sent.
 * <p>
 * Two choices keep a call's thread hand-offs to the minimum (each one costs a wake-up of a parked thread, which on a
 * loopback or LAN call is most of the time spent): the client's internal work (TLS, parsing the answer, completing the
 * call) runs on its own I/O thread ({@code http.executor = io-thread}) instead of being handed to a pool, and the
 * request timeout is enforced by {@link RequestDeadlines} instead of a timer registered with the client's selector.
 */
public final class VendorHttp {
    /** The answer cap when neither {@code vendorlink.http.maxAnswerBytes} nor the vendor's own is given. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 8L * 1024 * 1024;

    /** Where the JDK client runs its internal tasks ({@code vendorlink[.<vendor>].http.executor}). */
    public enum ExecutorMode {
        /** On the client's I/O (selector) thread: no hand-off per call; fine for connectors, whose body handlers never block. */
        IO_THREAD,
        /** On a cached thread pool, as the JDK client does by default. */
        POOL;

        static ExecutorMode parse(String key, String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "io-thread" -> IO_THREAD;
                case "pool" -> POOL;
                default -> throw new IllegalStateException(key + " must be io-thread or pool, got '" + value + "'");
            };
        }
    }

    private final String vendor;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final VendorMetrics metrics;
    private final long maxAnswerBytes;
    private final ExecutorMode executorMode;
    /** Non-null when {@code vendorlink[.<vendor>].http.transport = blocking}: {@link #send} goes through it. */
    private final BlockingTransport blocking;

    /**
     * @param settings the vendor's settings ({@code vendorlink.<vendor>.*})
     * @param runtime  the runtime's settings ({@code vendorlink.*}): {@code http.maxAnswerBytes} and
     *                 {@code http.executor} apply unless the vendor sets its own
     */
    public VendorHttp(String vendor, Settings settings, Settings runtime, VendorMetrics metrics) {
        this.vendor = vendor;
        this.metrics = metrics;
        this.maxAnswerBytes = settings.optional("http.maxAnswerBytes").or(() -> runtime.optional("http.maxAnswerBytes"))
                .map(Long::parseLong).orElse(DEFAULT_MAX_ANSWER_BYTES);
        this.executorMode = settings.optional("http.executor").map(v -> ExecutorMode.parse(settings.key("http.executor"), v))
                .or(() -> runtime.optional("http.executor").map(v -> ExecutorMode.parse(runtime.key("http.executor"), v)))
                .orElse(ExecutorMode.IO_THREAD);
        this.requestTimeout = settings.duration("http.requestTimeout");
        javax.net.ssl.SSLContext tls = TlsContexts.forVendor(settings); // one per vendor, shared by both transports
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(settings.duration("http.connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor(vendor, executorMode))
                .build();
        String transportKey = settings.optional("http.transport").isPresent() ? settings.key("http.transport")
                : runtime.key("http.transport");
        String mode = settings.optional("http.transport").or(() -> runtime.optional("http.transport")).orElse("blocking");
        if (!mode.equals("blocking") && !mode.equals("jdk")) {
            throw new IllegalStateException(transportKey + " must be blocking or jdk, got '" + mode + "'");
        }
        this.blocking = mode.equals("blocking") ? new BlockingTransport(tls,
                settings.duration("http.connectTimeout"), requestTimeout) : null;
    }

    private static Executor executor(String vendor, ExecutorMode mode) {
        if (mode == ExecutorMode.IO_THREAD) {
            return Runnable::run;
        }
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vendorlink-http-" + vendor);
            t.setDaemon(true);
            return t;
        });
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

    public ExecutorMode executorMode() {
        return executorMode;
    }

    /** Whether {@link #send} uses the blocking transport ({@code http.transport = blocking}). */
    public boolean blockingTransport() {
        return blocking != null;
    }

    /**
     * A request builder for this vendor. The request timeout ({@code http.requestTimeout}) is applied by {@link #send}
     * and {@link #stream}, not set on the request.
     */
    public HttpRequest.Builder request(java.net.URI uri) {
        return HttpRequest.newBuilder(uri);
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
     * cannot exhaust memory. The whole answer must arrive within {@link #requestTimeout()} (or the request's own
     * timeout when it has one). The caller classifies status and body.
     */
    public HttpResponse<byte[]> send(String operation, HttpRequest request, Idempotency idempotency) {
        if (blocking != null) {
            return sendBlocking(operation, request, idempotency);
        }
        return send(operation, request, info -> new CappedBody(maxAnswerBytes), idempotency);
    }

    private HttpResponse<byte[]> sendBlocking(String operation, HttpRequest request, Idempotency idempotency) {
        long start = System.nanoTime();
        try {
            Duration timeout = request.timeout().orElse(requestTimeout);
            HttpResponse<byte[]> response = blocking.send(request, maxAnswerBytes, timeout, () -> timeout(request, timeout));
            metrics.httpCall(vendor, operation, String.valueOf(response.statusCode()), System.nanoTime() - start);
            return response;
        } catch (IOException e) {
            throw transportFailure(operation, idempotency, start, e);
        }
    }

    /** Sends with a streaming body (long-lived streams such as the Firehose); the timeout covers the headers. */
    public HttpResponse<InputStream> stream(String operation, HttpRequest request) {
        return send(operation, request, HttpResponse.BodyHandlers.ofInputStream(), Idempotency.IDEMPOTENT);
    }

    private <T> HttpResponse<T> send(String operation, HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                     Idempotency idempotency) {
        long start = System.nanoTime();
        try {
            HttpResponse<T> response = await(request, handler);
            metrics.httpCall(vendor, operation, String.valueOf(response.statusCode()), System.nanoTime() - start);
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(vendor, operation, "interrupted while calling the vendor");
        } catch (IOException e) {
            throw transportFailure(operation, idempotency, start, e);
        }
    }

    private RuntimeException transportFailure(String operation, Idempotency idempotency, long start, IOException e) {
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
            return new UnknownOutcomeException(vendor, operation, null, null,
                    "transport failure after the request may have reached the vendor (" + what
                            + "); not retried automatically", e);
        }
        return new TransientException(vendor, operation, null, null, "transport failure: " + what, e);
    }

    /**
     * The JDK's {@code send}, its deadline kept by {@link RequestDeadlines}: past it the caller is interrupted, the JDK
     * client cancels the exchange (closing its connection) and the call fails with {@link HttpTimeoutException}.
     */
    private <T> HttpResponse<T> await(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Duration timeout = request.timeout().orElse(requestTimeout);
        RequestDeadlines.Watch watch = RequestDeadlines.watch(timeout.toNanos());
        HttpResponse<T> response;
        try {
            response = client.send(request, handler);
        } catch (InterruptedException | IOException e) {
            if (RequestDeadlines.done(watch)) {
                throw timeout(request, timeout);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            RequestDeadlines.done(watch);
            throw e;
        }
        RequestDeadlines.done(watch); // a deadline that fired as the answer came: the answer is kept
        return response;
    }

    private HttpTimeoutException timeout(HttpRequest request, Duration timeout) {
        return new HttpTimeoutException("no complete answer within " + timeout + " (" + (request.timeout().isPresent()
                ? "the request's timeout" : "vendorlink." + vendor + ".http.requestTimeout") + ")");
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
