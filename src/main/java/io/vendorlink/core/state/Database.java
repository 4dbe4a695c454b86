package io.vendorlink.core.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vendorlink.core.Settings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The relational state database: an embedded H2 file under {@code data/} by default, PostgreSQL by URL when several
 * replicas share it. Versioned migrations (Flyway, {@code classpath:db/migration}) run at start-up.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** SQLState of a unique/primary key violation on both H2 and PostgreSQL. */
    public static final String UNIQUE_VIOLATION = "23505";

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool from {@code vendorlink.state.*} and migrates the schema. */
    public static Database open(Settings state) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(state.string("url"));
        cfg.setUsername(state.string("username", ""));
        state.optional("password").ifPresent(p -> cfg.setPassword(state.secret("password").reveal()));
        cfg.setMaximumPoolSize(state.integer("maxPoolSize"));
        cfg.setMinimumIdle(1);
        cfg.setPoolName("vendorlink-state");
        cfg.setConnectionTimeout(state.duration("connectTimeout").toMillis());
        Database db = new Database(new HikariDataSource(cfg));
        db.migrate();
        return db;
    }

    /** Wraps an existing data source (tests, or a pool configured elsewhere) and migrates it. */
    public static Database of(DataSource dataSource) {
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(dataSource);
        cfg.setMaximumPoolSize(4);
        Database db = new Database(new HikariDataSource(cfg));
        db.migrate();
        return db;
    }

    private void migrate() {
        long t0 = System.nanoTime();
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("State database ready ({}): {} migration(s) applied, schema at version {}, in {} ms",
                product(), result.migrationsExecuted, result.targetSchemaVersion, (System.nanoTime() - t0) / 1_000_000);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String product() {
        try (var c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            return "unknown";
        }
    }

    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (UNIQUE_VIOLATION.equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
