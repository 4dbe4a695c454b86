package io.vendorlink.core.state;

import io.vendorlink.testing.TestDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.util.UUID;

/**
 * The two state databases the project supports, for tests that must pass on both: the embedded default (an H2 file)
 * and a real PostgreSQL server (zonky's embedded PostgreSQL binaries from Maven, started once per JVM).
 */
public final class StateDatabases {
    private static EmbeddedPostgres postgres;

    private StateDatabases() {
    }

    public static synchronized DataSource postgres() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
            }
            // A fresh database per use, so tests never see each other's rows.
            String db = "t" + UUID.randomUUID().toString().replace("-", "");
            try (var c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE " + db);
            }
            return postgres.getDatabase("postgres", db);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }

    public static DataSource h2File() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + TestDirs.create("vl-h2-").resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE");
        ds.setUser("sa");
        return ds;
    }

    public static DataSource of(String kind) {
        return switch (kind) {
            case "h2" -> h2File();
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
