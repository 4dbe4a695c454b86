package io.vendorlink.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The real runtime in a separate JVM ({@code io.vendorlink.Vendorlink} on the test class path), configured with
 * {@code -Dkey=value} overrides, so that tests can kill it with SIGKILL mid-flight and start it again on the same data.
 * Its output goes to a log file that tests can scan.
 */
public final class RuntimeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int managementPort;

    private RuntimeProcess(Process process, Path log, int managementPort) {
        this.process = process;
        this.log = log;
        this.managementPort = managementPort;
    }

    /** Starts the runtime and waits (bounded) until {@code /observe/health} says UP. */
    public static RuntimeProcess start(Map<String, String> properties, Path log) throws IOException {
        return start(properties, Map.of(), log);
    }

    /** As {@link #start(Map, Path)}, with extra environment variables for the process. */
    public static RuntimeProcess start(Map<String, String> properties, Map<String, String> env, Path log) throws IOException {
        return start(properties, env, null, log);
    }

    /** As above, in a given working directory (null: the current one). */
    public static RuntimeProcess start(Map<String, String> properties, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        return start(properties, env, workDir, log, "/observe/health");
    }

    /**
     * Starts the runtime and waits (bounded) only until it is alive ({@code /observe/health/live} UP), not until every
     * vendor is ready: for tests whose sandboxes are failing on purpose while the runtime starts.
     */
    public static RuntimeProcess startAlive(Map<String, String> properties, Path log) throws IOException {
        return start(properties, Map.of(), null, log, "/observe/health/live");
    }

    private static RuntimeProcess start(Map<String, String> properties, Map<String, String> env, Path workDir, Path log,
                                        String healthPath) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        String dataDir = properties.get("vendorlink.data.dir");
        if (dataDir != null && !properties.containsKey("vertx.cacheDirBase")) {
            // Vert.x (the HTTP ingress) makes a cache folder under java.io.tmpdir and deletes it on a clean stop only:
            // a child killed with SIGKILL would leave it behind; in the test's data folder it goes with the folder.
            cmd.add("-Dvertx.cacheDirBase=" + Path.of(dataDir, "vertx-cache"));
            // Camel's stream-cache spool folder likewise (java.io.tmpdir/camel/camel-tmp-<id> by default).
            if (!properties.containsKey("camel.main.streamCachingSpoolDirectory")) {
                cmd.add("-Dcamel.main.streamCachingSpoolDirectory=" + Path.of(dataDir, "camel-spool"));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.vendorlink.Vendorlink");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        RuntimeProcess rp = new RuntimeProcess(p, log, Integer.parseInt(properties.get("camel.management.port")));
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("runtime process exited with " + p.exitValue() + "; see " + log);
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + rp.managementPort + healthPath)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("\"status\":\"UP\"");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return rp;
    }

    /** SIGKILL: no shutdown hooks, no graceful stop, exactly like a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful shutdown path. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
