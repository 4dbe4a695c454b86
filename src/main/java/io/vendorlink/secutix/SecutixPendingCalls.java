package io.vendorlink.secutix;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls SecuTix answered {@code in_progress} (protocol note §5), kept in {@code secutix_pending_call} so that polling
 * resumes after a restart with the last requestId received.
 */
public final class SecutixPendingCalls {
    /** One pending call; {@code requestId} may be null (§5: in_progress without a requestId). */
    public record Pending(String key, String service, String operation, String payload, Integer requestId,
                          int attempts, Instant startedAt, Instant nextPollAt, String replyTo, String correlation) {
    }

    private final DataSource dataSource;

    public SecutixPendingCalls(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts; false when a call with this key is already pending (a redelivered trigger). */
    public boolean insert(Pending p) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO secutix_pending_call (call_key, service_key, operation, payload, request_id, attempts, "
                        + "started_at, next_poll_at, reply_to, correlation, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.key);
            ps.setString(2, p.service);
            ps.setString(3, p.operation);
            ps.setString(4, p.payload);
            setInt(ps, 5, p.requestId);
            ps.setInt(6, p.attempts);
            ps.setLong(7, p.startedAt.toEpochMilli());
            ps.setLong(8, p.nextPollAt.toEpochMilli());
            ps.setString(9, p.replyTo);
            ps.setString(10, p.correlation);
            ps.setTimestamp(11, Timestamp.from(Instant.now()));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (io.vendorlink.core.state.Database.isUniqueViolation(e)) {
                return false;
            }
            throw new IllegalStateException("secutix pending calls: cannot insert " + p.key, e);
        }
    }

    public void reschedule(String key, Integer requestId, int attempts, Instant nextPollAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE secutix_pending_call SET request_id = ?, attempts = ?, next_poll_at = ?, updated_at = ? WHERE call_key = ?")) {
            setInt(ps, 1, requestId);
            ps.setInt(2, attempts);
            ps.setLong(3, nextPollAt.toEpochMilli());
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.setString(5, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("secutix pending calls: cannot update " + key, e);
        }
    }

    public void delete(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM secutix_pending_call WHERE call_key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("secutix pending calls: cannot delete " + key, e);
        }
    }

    public Optional<Pending> find(String key) {
        List<Pending> l = query("SELECT * FROM secutix_pending_call WHERE call_key = ?", key, null, 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Pending calls whose next poll is due, oldest first. */
    public List<Pending> due(Instant now, int limit) {
        return query("SELECT * FROM secutix_pending_call WHERE next_poll_at <= ? ORDER BY next_poll_at", null,
                now.toEpochMilli(), limit);
    }

    public List<Pending> all() {
        return query("SELECT * FROM secutix_pending_call ORDER BY started_at", null, null, 10_000);
    }

    private List<Pending> query(String sql, String key, Long millis, int limit) {
        List<Pending> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (key != null) {
                ps.setString(1, key);
            }
            if (millis != null) {
                ps.setLong(1, millis);
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int rid = rs.getInt("request_id");
                    boolean noRequestId = rs.wasNull();
                    out.add(new Pending(rs.getString("call_key"), rs.getString("service_key"), rs.getString("operation"),
                            rs.getString("payload"), noRequestId ? null : rid, rs.getInt("attempts"),
                            Instant.ofEpochMilli(rs.getLong("started_at")), Instant.ofEpochMilli(rs.getLong("next_poll_at")),
                            rs.getString("reply_to"), rs.getString("correlation")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("secutix pending calls: " + sql, e);
        }
        return out;
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
