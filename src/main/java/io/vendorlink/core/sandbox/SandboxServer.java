package io.vendorlink.core.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one sandbox harness: an HTTPS server on loopback (JDK {@code HttpsServer}, certificate from {@link SandboxTls})
 * that hosts a vendor simulator's handlers, applies the common fault switches, records every request with the
 * simulator's verdict, and offers an admin API:
 * <ul>
 *   <li>{@code GET /__admin/faults}, {@code POST /__admin/faults?name=value}, {@code DELETE /__admin/faults};</li>
 *   <li>{@code GET /__admin/requests} (method, raw path, status, verdict), {@code DELETE /__admin/requests}.</li>
 * </ul>
 * Common switches, applied before the handler: {@code http.reset} (drop the connection), {@code http.html500}
 * (an HTML 500 page, as from a proxy), {@code http.slowMillis} (delay the answer, bounded by
 * {@link #MAX_SLOW}; {@code 3000} delays the next 3000 answers by 3 s like any counted switch, {@code 3000:on}
 * delays every answer until the switch is cleared), {@code answer.corpus} (the handler's answer replaced by a malformed
 * one, {@link AnswerCorpus}). Paths are matched on the raw request URI, never on a decoded one.
 */
public final class SandboxServer extends ServiceSupport {
    static {
        // The JDK server writes the response headers and the body as two segments; without TCP_NODELAY, Nagle holds
        // the body until the client's delayed ACK (~40 ms on Linux loopback), which would make every sandbox call
        // look 40 ms slow in tests and benchmarks. Read once, when the JDK server's configuration class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final int MAX_LOG = 20_000;
    private static final int MAX_BODY_LOGGED = 64 * 1024;
    private static final Duration MAX_SLOW = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String vendor;
    private final SandboxTls tls;
    private final int requestedPort;
    private final boolean https;
    private final Map<String, SandboxHandler> handlers = new LinkedHashMap<>();
    private final FaultSwitches faults = new FaultSwitches();
    private final Deque<RecordedRequest> log = new ArrayDeque<>();
    private HttpServer server;
    private ThreadPoolExecutor executor;

    public SandboxServer(String vendor, SandboxTls tls, int port) {
        this(vendor, tls, port, true);
    }

    public SandboxServer(String vendor, SandboxTls tls, int port, boolean https) {
        this.vendor = vendor;
        this.tls = tls;
        this.requestedPort = port;
        this.https = https;
    }

    public String vendor() {
        return vendor;
    }

    public FaultSwitches faults() {
        return faults;
    }

    /** Registers a handler for every path starting with {@code prefix} (longest prefix wins). */
    public SandboxServer handle(String prefix, SandboxHandler handler) {
        handlers.put(prefix, handler);
        return this;
    }

    /** Applies {@code vendorlink.sandbox.<vendor>.faults.*} style initial switches. */
    public void initialFaults(Map<String, String> initial) {
        initial.forEach(faults::set);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:<port>}: the host name matches the sandbox certificate. */
    public URI baseUri() {
        return URI.create((https ? "https" : "http") + "://localhost:" + port());
    }

    public List<RecordedRequest> requests() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        return requests().stream().filter(filter).toList();
    }

    public void clearRequests() {
        synchronized (log) {
            log.clear();
        }
    }

    @Override
    protected void doStart() throws IOException {
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort);
        if (https) {
            HttpsServer s = HttpsServer.create(addr, 128);
            s.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server = s;
        } else {
            server = HttpServer.create(addr, 128);
        }
        executor = new ThreadPoolExecutor(2, 128, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "sandbox-" + vendor);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
        LOG.info("Sandbox for {} listening on {}", vendor, baseUri());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            LOG.info("Sandbox for {} stopped", vendor);
        }
    }

    private void dispatch(HttpExchange http) throws IOException {
        byte[] body;
        try (InputStream in = http.getRequestBody()) {
            body = in.readAllBytes();
        }
        String raw = http.getRequestURI().getRawPath();
        if (raw.startsWith("/__admin/")) {
            admin(http, raw, body);
            return;
        }
        String prefix = handlers.keySet().stream().filter(raw::startsWith).max((a, b) -> a.length() - b.length()).orElse(null);
        SandboxExchange ex = new SandboxExchange(http, body, prefix == null ? raw : raw.substring(prefix.length()));
        ex.beforeAnswer(() -> record(ex, body));
        try {
            AnswerCorpus.take(faults, raw).ifPresent(ex::replaceAnswer);
            if (!commonFaults(ex)) {
                if (prefix == null) {
                    ex.verdict("no simulator handles this path");
                    ex.respond(404, "text/plain", "not found: " + raw);
                } else {
                    handlers.get(prefix).handle(ex);
                }
            }
        } catch (Exception e) {
            LOG.warn("Sandbox {} handler failed on {} {}: {}", vendor, ex.method(), raw, e.toString());
            ex.verdict("simulator error: " + e);
            try {
                ex.respond(500, "text/plain", "sandbox error");
            } catch (IOException ignored) {
                // the client went away
            }
        } finally {
            ex.answered();
        }
    }

    private boolean commonFaults(SandboxExchange ex) throws Exception {
        String slow = faults.value("http.slowMillis", null);
        if (slow != null && faults.fire("http.slowMillis")) {
            long ms = Math.min(Long.parseLong(slow.split(":")[0]), MAX_SLOW.toMillis());
            Thread.sleep(ms);
        }
        if (faults.fire("http.reset")) {
            ex.dropConnection();
            return true;
        }
        if (faults.fire("http.html500")) {
            ex.verdict("fault: html 500");
            ex.respond(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>");
            return true;
        }
        return false;
    }

    private void record(SandboxExchange ex, byte[] body) {
        byte[] kept = body.length > MAX_BODY_LOGGED ? java.util.Arrays.copyOf(body, MAX_BODY_LOGGED) : body;
        RecordedRequest r = new RecordedRequest(Instant.now(), ex.method(), ex.rawPath(), ex.rawQuery(),
                Map.copyOf(ex.headers()), kept, ex.status(), ex.verdictText());
        synchronized (log) {
            log.addLast(r);
            while (log.size() > MAX_LOG) {
                log.removeFirst();
            }
        }
    }

    private void admin(HttpExchange http, String raw, byte[] body) throws IOException {
        SandboxExchange ex = new SandboxExchange(http, body, raw);
        String method = http.getRequestMethod();
        Object answer;
        if (raw.equals("/__admin/faults")) {
            if (method.equals("POST")) {
                ex.query().forEach(faults::set);
            } else if (method.equals("DELETE")) {
                faults.clearAll();
            }
            answer = faults.snapshot();
        } else if (raw.equals("/__admin/requests")) {
            if (method.equals("DELETE")) {
                clearRequests();
            }
            answer = requests().stream().map(r -> Map.of("at", r.at().toString(), "method", r.method(),
                    "path", r.rawPath(), "status", r.status(), "verdict", r.verdict())).toList();
        } else {
            ex.respond(404, "text/plain", "unknown admin path");
            return;
        }
        ex.respond(200, "application/json", JSON.writeValueAsBytes(answer));
    }
}
