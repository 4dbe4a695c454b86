package io.vendorlink.testing;

import io.vendorlink.Vendorlink;
import io.vendorlink.core.CoreServices;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Boots the real Vendorlink runtime (the real {@code routes/} and {@code application.properties}) for a test, with a
 * temporary data directory and free loopback ports for the ingress, the management server and every sandbox. Extra
 * properties override the file, exactly as environment variables would in production.
 */
public final class TestRuntime implements AutoCloseable {
    public static final List<String> VENDORS = List.of("sentinel", "secutix", "certna", "spaces", "centagate");

    private final Main main;
    private final Map<String, String> properties;
    private final Path dataDir;
    /** The data folder was made for this runtime alone: deleted on {@link #close()} unless handed out to restart. */
    private boolean ownsDataDir;

    private TestRuntime(Main main, Map<String, String> properties, Path dataDir, boolean ownsDataDir) {
        this.main = main;
        this.properties = properties;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public CoreServices core() {
        return CoreServices.of(context());
    }

    public ProducerTemplate producer() {
        return context().createProducerTemplate();
    }

    public ConsumerTemplate consumer() {
        return context().createConsumerTemplate();
    }

    /** The effective value of an override given to this runtime (ports, data dir ...). */
    public String property(String key) {
        return properties.get(key);
    }

    public Path dataDir() {
        return dataDir;
    }

    public int managementPort() {
        return Integer.parseInt(properties.get("camel.management.port"));
    }

    public int ingressPort() {
        return Integer.parseInt(properties.get("camel.server.port"));
    }

    /**
     * The properties this runtime was started with: reuse them to restart on the same data directory (which is then
     * kept after {@link #close()}, and deleted when the test JVM exits).
     */
    public Map<String, String> properties() {
        ownsDataDir = false;
        return Map.copyOf(properties);
    }

    @Override
    public void close() {
        try {
            main.stop();
            main.shutdown();
        } catch (Exception e) {
            throw new IllegalStateException("runtime did not stop cleanly", e);
        }
        if (ownsDataDir) {
            TestDirs.delete(dataDir);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final Map<String, String> props = new LinkedHashMap<>();
        private Path dataDir;
        private boolean createdDataDir;

        private Builder() {
        }

        public Builder property(String key, String value) {
            props.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            props.putAll(values);
            return this;
        }

        /** Reuse a data directory (restart scenarios). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Turns on every connector, as the shipped application.properties does. */
        public Builder enableAll() {
            return enable(VENDORS.toArray(String[]::new));
        }

        /**
         * Turns on a connector ({@code vendorlink.<vendor>.enabled=true}). Connectors a test does not enable are off,
         * so that one vendor's test never depends on another vendor's sandbox.
         */
        public Builder enable(String... vendors) {
            for (String v : vendors) {
                props.put("vendorlink." + v + ".enabled", "true");
            }
            return this;
        }

        /** Resolves the effective properties (free ports, temp data dir) without starting anything. */
        public Map<String, String> resolve() {
            if (dataDir == null && !props.containsKey("vendorlink.data.dir")) {
                dataDir = TestDirs.create("vendorlink-test-");
                createdDataDir = true;
            }
            Map<String, String> all = new LinkedHashMap<>();
            Path dir = dataDir != null ? dataDir : Path.of(props.get("vendorlink.data.dir"));
            all.put("vendorlink.data.dir", dir.toString());
            all.put("vendorlink.state.url", "jdbc:h2:file:" + dir.resolve("state/vendorlink") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
            all.put("camel.server.port", String.valueOf(freePort()));
            all.put("camel.management.port", String.valueOf(freePort()));
            for (String v : VENDORS) {
                all.put("vendorlink.sandbox." + v + ".port", String.valueOf(freePort()));
                all.put("vendorlink." + v + ".enabled", "false");
            }
            all.putAll(props);
            if (!Path.of(all.get("vendorlink.data.dir")).equals(dataDir)) {
                createdDataDir = false;
                dataDir = Path.of(all.get("vendorlink.data.dir"));
            }
            return all;
        }

        /**
         * Starts the runtime. A free port found by {@link #freePort()} can be taken by someone else (an outgoing
         * connection's ephemeral port) before the runtime binds it: on "address in use" the start is tried again with
         * fresh ports, at most three times.
         */
        public TestRuntime start() {
            for (int attempt = 1; ; attempt++) {
                Map<String, String> all = resolve();
                Main main = Vendorlink.create(all);
                try {
                    main.start();
                    return new TestRuntime(main, all, dataDir, createdDataDir);
                } catch (Exception e) {
                    if (attempt < 3 && portTaken(e)) {
                        System.err.println("TestRuntime: a port was taken between choosing and binding it, starting again: " + e);
                        try {
                            main.stop();
                            main.shutdown();
                        } catch (Exception ignored) {
                            // the failed start's leftovers; the next attempt uses fresh ports
                        }
                        continue;
                    }
                    throw new IllegalStateException("runtime failed to start", e);
                }
            }
        }

        private static boolean portTaken(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (t instanceof java.net.BindException || m.contains("Failed to bind") || m.contains("Address already in use")) {
                    return true;
                }
            }
            return false;
        }
    }
}
