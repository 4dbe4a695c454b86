package io.vendorlink.sentinel;

import io.vendorlink.core.state.Sql;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of licence sessions (table {@code sentinel_session}, V10). States: OPENING (a row written before
 * the POST, so that a crash between POST and record is visible), OPEN, LOST (terminated by Sentinel), CLOSED, FAILED (the
 * POST's outcome is unknown: a seat may be held without a handle until Sentinel's cleaner frees it).
 */
public final class SentinelSessions {
    public enum State { OPENING, OPEN, LOST, CLOSED, FAILED }

    /** {@code openedAt}: when the reference was claimed, i.e. when its POST went out. */
    public record Session(String reference, String sessionId, State state, String owner, String customer, String user,
                          String feature, String version, int units, java.time.Instant openedAt) {
    }

    private final Sql sql;

    public SentinelSessions(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** Claims a reference for a new session; false when the reference exists already. */
    public boolean claim(String reference, String owner, String customer, String user, String feature, String version,
                         int units) {
        return sql.insertIfAbsent("claim sentinel session " + reference,
                "INSERT INTO sentinel_session (reference, state, owner, customer, user_name, feature, feature_version, units,"
                        + " opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                reference, State.OPENING.name(), owner, customer, user, feature, version, units, now());
    }

    public void opened(String reference, String sessionId) {
        sql.update("record sentinel session " + reference,
                "UPDATE sentinel_session SET session_id = ?, state = ?, refreshed_at = ? WHERE reference = ?",
                sessionId, State.OPEN.name(), now(), reference);
    }

    public void refreshed(String reference) {
        sql.update("refresh sentinel session", "UPDATE sentinel_session SET refreshed_at = ? WHERE reference = ?",
                now(), reference);
    }

    public void mark(String reference, State state, String detail) {
        sql.update("mark sentinel session " + reference,
                "UPDATE sentinel_session SET state = ?, detail = ? WHERE reference = ?", state.name(),
                detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)), reference);
    }

    /** Forgets a finished session so that its reference can be used again. */
    public void forget(String reference) {
        sql.update("forget sentinel session " + reference, "DELETE FROM sentinel_session WHERE reference = ?", reference);
    }

    public Optional<Session> find(String reference) {
        return sql.queryOne("find sentinel session", SELECT + " WHERE reference = ?", SentinelSessions::row, reference);
    }

    public List<Session> inState(State state) {
        return sql.queryList("list sentinel sessions", SELECT + " WHERE state = ? ORDER BY opened_at", SentinelSessions::row,
                state.name());
    }

    /** Sessions of an owner in a state, opened before an instant (those of a previous run of this runtime). */
    public List<Session> inState(State state, String owner, Instant openedBefore) {
        return sql.queryList("list sentinel sessions", SELECT + " WHERE state = ? AND owner = ? AND opened_at < ? ORDER BY opened_at",
                SentinelSessions::row, state.name(), owner, Timestamp.from(openedBefore));
    }

    public List<Session> inState(State state, String owner) {
        return sql.queryList("list sentinel sessions", SELECT + " WHERE state = ? AND owner = ? ORDER BY opened_at",
                SentinelSessions::row, state.name(), owner);
    }

    private static final String SELECT = "SELECT reference, session_id, state, owner, customer, user_name, feature,"
            + " feature_version, units, opened_at FROM sentinel_session";

    private static Session row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Session(rs.getString(1), rs.getString(2), State.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                rs.getTimestamp(10).toInstant());
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
