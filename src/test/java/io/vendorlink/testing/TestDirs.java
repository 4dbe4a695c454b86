package io.vendorlink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Temporary folders of the tests, all under one root per test JVM ({@code vendorlink-tests-<pid>-*} in
 * {@code java.io.tmpdir}) that is deleted when the JVM exits. A root left behind by a JVM that was killed is deleted by
 * the next test JVM. A suite run starts dozens of runtimes, each with a broker journal of ~100 MB: left behind, they
 * fill the disk until the embedded broker blocks every send.
 */
public final class TestDirs {
    private static final String PREFIX = "vendorlink-tests-";
    private static final Path ROOT = createRoot();

    private TestDirs() {
    }

    /** A new empty folder, deleted with the others when the JVM exits. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(ROOT, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty file, deleted with the folders when the JVM exits. */
    public static Path createFile(String prefix, String suffix) {
        try {
            return Files.createTempFile(ROOT, prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a folder and everything in it; quiet if it is gone already. */
    public static void delete(Path dir) {
        io.vendorlink.core.FileTrees.delete(dir);
    }

    private static Path createRoot() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        sweepRootsOfDeadJvms(tmp);
        try {
            Path root = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root), "test-dirs-cleanup"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sweepRootsOfDeadJvms(Path tmp) {
        try (Stream<Path> roots = Files.list(tmp)) {
            roots.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true)) {
                        delete(p);
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            });
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }
}
