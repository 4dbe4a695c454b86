package io.vendorlink.core.http;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * The blocking HTTP/1.1 transport behind {@link VendorHttp#send} ({@code http.transport = blocking}): Apache HttpClient
 * 5 classic, pooled. The calling thread writes the request and reads the answer from its own socket: one thread
 * wake-up per call fewer than the selector-based JDK client, which on a loopback or LAN call is most of its time
 * (bench/sentinel.sh). Connectors keep building {@code java.net.http} requests and reading {@code java.net.http}
 * answers; the request URI is sent as built (no normalisation: {@code %2F} and {@code %0D%0A} in session ids stay),
 * with {@code Content-Length: 0} on empty bodies; no automatic retries, redirects, cookies or decompression (the
 * connectors' error policies decide what is retried).
 */
final class BlockingTransport implements AutoCloseable {
    private final CloseableHttpClient client;

    BlockingTransport(SSLContext ssl, Duration connectTimeout, Duration requestTimeout) {
        PoolingHttpClientConnectionManager cm = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(ssl))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(requestTimeout))
                        // a pooled connection idle for a second is checked before reuse: a connection the vendor closed
                        // meanwhile must not turn a request that never left into an unknown outcome
                        .setValidateAfterInactivity(org.apache.hc.core5.util.TimeValue.ofSeconds(1)).build())
                .setMaxConnTotal(200).setMaxConnPerRoute(100).build();
        this.client = HttpClients.custom().setConnectionManager(cm)
                .disableAutomaticRetries().disableRedirectHandling().disableContentCompression()
                .disableCookieManagement().disableAuthCaching()
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(requestTimeout)).build())
                .build();
    }

    /**
     * Sends and reads the whole answer. The deadline covers the whole call: past it {@link RequestDeadlines} aborts
     * the request (closing its connection), and the call fails with {@link HttpTimeoutException}; each read also has
     * the socket timeout.
     */
    HttpResponse<byte[]> send(HttpRequest request, long maxAnswerBytes, Duration timeout,
                              Supplier<HttpTimeoutException> timedOut) throws IOException {
        HttpUriRequestBase r = new HttpUriRequestBase(request.method(), request.uri());
        request.headers().map().forEach((name, values) -> values.forEach(v -> r.addHeader(name, v)));
        r.setEntity(new ByteArrayEntity(body(request), null));
        if (request.timeout().isPresent()) {
            // the socket's read timeout follows the request's own timeout, as the deadline does
            r.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        }
        RequestDeadlines.Watch watch = RequestDeadlines.watch(timeout.toNanos(), r::cancel);
        HttpResponse<byte[]> answer;
        try {
            answer = client.execute(r, (ClassicHttpResponse response) -> {
                byte[] bytes = response.getEntity() == null ? new byte[0]
                        : read(response.getEntity().getContent(), maxAnswerBytes);
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (Header h : response.getHeaders()) {
                    headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
                }
                return new Answer(request, response.getCode(), HttpHeaders.of(headers, (x, y) -> true), bytes);
            });
        } catch (IOException e) {
            boolean deadlinePassed = RequestDeadlines.done(watch);
            // past the deadline the sweeper aborted the call; a socket read timeout may also come first (a connect
            // timeout is not one of them: that request never left, see translate)
            if (deadlinePassed || (e instanceof SocketTimeoutException && !(e instanceof ConnectTimeoutException))) {
                HttpTimeoutException t = timedOut.get();
                t.initCause(e);
                throw t;
            }
            throw translate(e);
        } catch (RuntimeException | Error e) {
            RequestDeadlines.done(watch);
            throw e;
        }
        RequestDeadlines.done(watch); // a deadline that fired as the answer came: the answer is kept
        return answer;
    }

    private static IOException translate(IOException e) {
        if (e instanceof ConnectTimeoutException) {
            HttpConnectTimeoutException t = new HttpConnectTimeoutException(e.getMessage());
            t.initCause(e);
            return t;
        }
        return e;
    }

    private static byte[] read(InputStream in, long cap) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
            if (out.length > cap) {
                throw new VendorHttp.AnswerTooLargeException(cap);
            }
            return out;
        }
    }

    /** The bytes of a request body published by {@code BodyPublishers.ofByteArray}/{@code ofString} (synchronous). */
    private static byte[] body(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> p = request.bodyPublisher();
        if (p.isEmpty() || p.get().contentLength() == 0) {
            return new byte[0];
        }
        List<ByteBuffer> parts = new ArrayList<>();
        p.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                parts.add(item);
            }

            @Override
            public void onError(Throwable t) {
                throw new IllegalStateException(t);
            }

            @Override
            public void onComplete() {
            }
        });
        int n = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        byte[] out = new byte[n];
        int i = 0;
        for (ByteBuffer b : parts) {
            int k = b.remaining();
            b.get(out, i, k);
            i += k;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private record Answer(HttpRequest request, int statusCode, HttpHeaders headers, byte[] body)
            implements HttpResponse<byte[]> {
        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
