package io.vendorlink.core.state;

import io.vendorlink.core.security.SecretRedactor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Named values that must survive a restart, grouped by namespace (usually the vendor): learned URLs, cursors, resume
 * points. {@link #putSecret}/{@link #getSecret} encrypt at rest. Connectors with richer state (licence sessions,
 * pending polls) keep their own tables through their own migrations on {@link #dataSource()}.
 */
public final class StateStore {
    private final DataSource dataSource;
    private final StateCipher cipher;
    private final Sql sql;

    public StateStore(DataSource dataSource, StateCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.sql = new Sql(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Optional<String> get(String namespace, String key) {
        return read(namespace, key).map(r -> r.encrypted ? cipher.decrypt(r.value) : r.value);
    }

    public void put(String namespace, String key, String value) {
        write(namespace, key, value, false);
    }

    /** Stores a secret encrypted; the plain value is registered for log redaction when read back. */
    public void putSecret(String namespace, String key, String value) {
        SecretRedactor.register(value);
        write(namespace, key, cipher.encrypt(value), true);
    }

    public Optional<String> getSecret(String namespace, String key) {
        Optional<String> v = get(namespace, key);
        v.ifPresent(SecretRedactor::register);
        return v;
    }

    public boolean delete(String namespace, String key) {
        return sql.update("state store: delete " + namespace + "/" + key,
                "DELETE FROM vl_state WHERE namespace = ? AND state_key = ?", namespace, key) > 0;
    }

    /** All plain (non-encrypted) values of a namespace, in key order. */
    public Map<String, String> list(String namespace) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT state_key, state_value, encrypted FROM vl_state WHERE namespace = ? ORDER BY state_key")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(2);
                    out.put(rs.getString(1), rs.getBoolean(3) ? cipher.decrypt(v) : v);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("state store: cannot list namespace " + namespace, e);
        }
        return out;
    }

    /** When the value was last written, if it exists. */
    public Optional<Instant> updatedAt(String namespace, String key) {
        return read(namespace, key).map(r -> r.updatedAt);
    }

    private record Row(String value, boolean encrypted, Instant updatedAt) {
    }

    private Optional<Row> read(String namespace, String key) {
        return sql.queryOne("state store: read " + namespace + "/" + key,
                "SELECT state_value, encrypted, updated_at FROM vl_state WHERE namespace = ? AND state_key = ?",
                rs -> new Row(rs.getString(1), rs.getBoolean(2), rs.getTimestamp(3).toInstant()), namespace, key);
    }

    private void write(String namespace, String key, String value, boolean encrypted) {
        Timestamp now = Timestamp.from(Instant.now());
        // Portable upsert: update, else insert; a concurrent insert loses the race and updates instead.
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement up = c.prepareStatement("UPDATE vl_state SET state_value = ?, encrypted = ?, "
                        + "version = version + 1, updated_at = ? WHERE namespace = ? AND state_key = ?")) {
                    up.setString(1, value);
                    up.setBoolean(2, encrypted);
                    up.setTimestamp(3, now);
                    up.setString(4, namespace);
                    up.setString(5, key);
                    if (up.executeUpdate() > 0) {
                        return;
                    }
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO vl_state (namespace, state_key, state_value, "
                        + "encrypted, version, updated_at) VALUES (?, ?, ?, ?, 0, ?)")) {
                    ins.setString(1, namespace);
                    ins.setString(2, key);
                    ins.setString(3, value);
                    ins.setBoolean(4, encrypted);
                    ins.setTimestamp(5, now);
                    ins.executeUpdate();
                    return;
                }
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw new IllegalStateException("state store: cannot write " + namespace + "/" + key, e);
                }
            }
        }
        throw new IllegalStateException("state store: lost the upsert race three times for " + namespace + "/" + key);
    }

}
