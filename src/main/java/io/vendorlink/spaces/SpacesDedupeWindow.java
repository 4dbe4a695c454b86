package io.vendorlink.spaces;

import io.vendorlink.core.state.Sql;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounded, persisted {@code recordUid} window (protocol note §B5 "Project decision": at least the overlap; default
 * the last 100 000 ids or 2 h). In memory for speed, in table {@code spaces_firehose_seen} so that a restart
 * de-duplicates the replayed overlap too. Oldest ids leave first; the table is pruned in batches.
 */
final class SpacesDedupeWindow {
    private record Entry(long timestamp, long seq) {
    }

    private final Sql sql;
    private final DataSource dataSource;
    private final int maxEntries;
    private final long maxAgeMillis;
    private final LinkedHashMap<String, Entry> window = new LinkedHashMap<>();
    private long seq;
    private long evictedUpTo = -1;
    private final List<Object[]> pending = new ArrayList<>();

    SpacesDedupeWindow(DataSource dataSource, int maxEntries, Duration maxAge) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAge.toMillis();
        load();
    }

    private void load() {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT record_uid, record_timestamp, seq FROM spaces_firehose_seen ORDER BY seq DESC FETCH FIRST ? ROWS ONLY")) {
            ps.setInt(1, maxEntries);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Spaces Firehose: cannot load the de-duplication window", e);
        }
        Collections.reverse(rows);
        for (String[] r : rows) {
            window.put(r[0], new Entry(Long.parseLong(r[1]), Long.parseLong(r[2])));
            seq = Math.max(seq, Long.parseLong(r[2]));
        }
    }

    synchronized int size() {
        return window.size();
    }

    synchronized boolean seen(String recordUid) {
        return window.containsKey(recordUid);
    }

    /**
     * Remembers an id once its event is published; written to the table by {@link #flush} (one JDBC batch), which the
     * consumer calls before it persists a checkpoint, so a persisted checkpoint never runs ahead of persisted ids.
     */
    synchronized void remember(String recordUid, long recordTimestamp) {
        Entry e = new Entry(recordTimestamp, ++seq);
        window.put(recordUid, e);
        pending.add(new Object[]{recordUid, recordTimestamp, e.seq});
        Iterator<Map.Entry<String, Entry>> it = window.entrySet().iterator();
        while (it.hasNext()) {
            Entry oldest = it.next().getValue();
            if (window.size() > maxEntries || oldest.timestamp < recordTimestamp - maxAgeMillis) {
                evictedUpTo = oldest.seq;
                it.remove();
            } else {
                break;
            }
        }
    }

    /** Forgets ids whose events were rolled back (not published): the replay must not drop them as duplicates. */
    synchronized void forget(java.util.Collection<String> recordUids) {
        java.util.Set<String> gone = new java.util.HashSet<>(recordUids);
        window.keySet().removeAll(gone);
        pending.removeIf(row -> gone.contains((String) row[0]));
    }

    /** Writes the ids remembered since the last flush in one transaction, and prunes what left the window. */
    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO spaces_firehose_seen (record_uid, record_timestamp, seq) VALUES (?, ?, ?)")) {
                for (Object[] row : pending) {
                    ps.setString(1, (String) row[0]);
                    ps.setLong(2, (Long) row[1]);
                    ps.setLong(3, (Long) row[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!io.vendorlink.core.state.Database.isUniqueViolation(e)) {
                    throw e;
                }
                // an id already stored (a previous run): row by row, keeping the others
                for (Object[] row : pending) {
                    sql.insertIfAbsent("Spaces Firehose: remember recordUid",
                            "INSERT INTO spaces_firehose_seen (record_uid, record_timestamp, seq) VALUES (?, ?, ?)", row);
                }
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Spaces Firehose: cannot persist the de-duplication window", e);
        }
        pending.clear();
        if (evictedUpTo >= 0) {
            sql.update("Spaces Firehose: prune the de-duplication window", "DELETE FROM spaces_firehose_seen WHERE seq <= ?", evictedUpTo);
        }
    }
}
