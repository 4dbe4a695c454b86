package io.vendorlink.core.sandbox;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request being answered by a sandbox handler: raw path and query, body, headers, and helpers to answer. The
 * handler sets {@link #verdict(String)} to say what it verified; the harness records it in the request log.
 */
public final class SandboxExchange {
    private final HttpExchange http;
    private final byte[] body;
    private final String subPath;
    private int status = -1;
    private String verdict = "";
    private Runnable beforeAnswer;
    private AnswerCorpus.Answer replacement;

    SandboxExchange(HttpExchange http, byte[] body, String subPath) {
        this.http = http;
        this.body = body;
        this.subPath = subPath;
    }

    public HttpExchange http() {
        return http;
    }

    public String method() {
        return http.getRequestMethod();
    }

    /** The path as sent, still percent-encoded (never decoded, so {@code %2F} stays inside a segment). */
    public String rawPath() {
        return http.getRequestURI().getRawPath();
    }

    /** The raw path below the handler's prefix, e.g. {@code /licenseSessions/abc%2Fdef}. */
    public String subPath() {
        return subPath;
    }

    public String rawQuery() {
        return http.getRequestURI().getRawQuery();
    }

    /** Query parameters, decoded; the first value of each name. */
    public Map<String, String> query() {
        Map<String, String> out = new LinkedHashMap<>();
        String q = rawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    public String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    public Map<String, List<String>> headers() {
        return http.getRequestHeaders();
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public void verdict(String verdict) {
        this.verdict = verdict;
    }

    public String verdictText() {
        return verdict;
    }

    int status() {
        return status;
    }

    /**
     * Runs once, just before the first byte of the answer (or the dropped connection) reaches the client: the request
     * log then holds every request whose answer a client has seen, so a test may read it right after its call.
     */
    void beforeAnswer(Runnable action) {
        this.beforeAnswer = action;
    }

    /** Runs the pending {@link #beforeAnswer} action if the answer has not done so (a handler that never answered). */
    void answered() {
        Runnable action = beforeAnswer;
        beforeAnswer = null;
        if (action != null) {
            action.run();
        }
    }

    public void respond(int status, String contentType, String body) throws IOException {
        respond(status, contentType, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code answer.corpus} switch fired for this request: the handler's answer is replaced by this one. */
    void replaceAnswer(AnswerCorpus.Answer answer) {
        this.replacement = answer;
    }

    public void respond(int status, String contentType, byte[] body) throws IOException {
        if (replacement != null) {
            respondWith(replacement);
            return;
        }
        this.status = status;
        answered();
        if (contentType != null) {
            http.getResponseHeaders().set("Content-Type", contentType);
        }
        http.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        }
        http.close();
    }

    /** Sends a corpus answer instead of the handler's: its own status, headers and body only. */
    private void respondWith(AnswerCorpus.Answer a) throws IOException {
        this.status = a.status();
        verdict = (verdict.isEmpty() ? "" : verdict + "; ") + "fault: answer replaced by corpus entry " + a.entry();
        answered();
        http.getResponseHeaders().clear();
        if (a.contentType() != null) {
            http.getResponseHeaders().set("Content-Type", a.contentType());
        }
        a.headers().forEach(http.getResponseHeaders()::set);
        long length = a.length();
        http.sendResponseHeaders(a.status(), length == 0 ? -1 : length);
        try (OutputStream out = http.getResponseBody()) {
            a.writeBody(out);
        } catch (IOException clientWentAway) {
            // a client that stops reading a huge answer closes the connection: that is the expected outcome
        }
        http.close();
    }

    /** Starts a chunked response for streams; the caller writes and closes. */
    public OutputStream respondStreaming(int status, String contentType) throws IOException {
        this.status = status;
        answered();
        http.getResponseHeaders().set("Content-Type", contentType);
        http.sendResponseHeaders(status, 0);
        return http.getResponseBody();
    }

    public void setResponseHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    /** Fault: close the connection without any answer (the client sees a reset / EOF). */
    public void dropConnection() {
        this.status = 0;
        verdict = verdict.isEmpty() ? "fault: connection dropped" : verdict;
        answered();
        http.close();
    }
}
