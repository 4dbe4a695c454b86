package io.vendorlink.spaces;

import com.sun.net.httpserver.HttpServer;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.testing.TestRuntime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers of the Spaces tests. */
final class SpacesTestSupport {
    private SpacesTestSupport() {
    }

    static TestRuntime.Builder runtime() {
        return TestRuntime.builder().enable("spaces")
                .property("vendorlink.spaces.http.requestTimeout", "PT3S")
                .property("vendorlink.spaces.firehose.idleTimeout", "PT1S")
                .property("vendorlink.sandbox.spaces.firehose.keepAliveInterval", "PT0.2S")
                .property("vendorlink.spaces.firehose.backoff.initialDelay", "PT0.05S")
                .property("vendorlink.spaces.firehose.backoff.maxDelay", "PT0.5S")
                .property("vendorlink.spaces.firehose.rateLimitedMinDelay", "PT0.2S")
                .property("vendorlink.spaces.activation.appDashboardUrl", "https://partner.example/dashboard");
    }

    static SpacesSandbox sandbox(TestRuntime rt) {
        return rt.context().getRegistry().lookupByNameAndType("spacesSandbox", SpacesSandbox.class);
    }

    static <T> T bean(TestRuntime rt, String name, Class<T> type) {
        return rt.context().getRegistry().lookupByNameAndType(name, type);
    }

    /** A loopback "foreign host" that counts every request it gets and answers with a key list. */
    static final class ForeignHost implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();

        ForeignHost() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            server.createContext("/", ex -> {
                requests.incrementAndGet();
                byte[] b = "{\"status\":true,\"data\":[]}".getBytes();
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            server.start();
        }

        String baseUrl() {
            return "https://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
