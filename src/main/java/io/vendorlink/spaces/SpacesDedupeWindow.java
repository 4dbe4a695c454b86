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
 * the last 100 000 ids or 2 h). In memory for speed, in table {@code spaces_firehose_seen_batch} so that a restart
 * de-duplicates the replayed overlap too: one row per {@link #flush} (i.e. per checkpoint) holding the ids remembered
 * since the previous flush - one insert and one commit per checkpoint instead of one indexed row per id, which cost
 * more than the rest of the pipeline at Firehose rates (issue 6, V41). Oldest ids leave first; a row is deleted once
 * all its ids left the window.
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
    private long prunedUpTo = -1;
    /** Ids remembered since the last flush, oldest first (their seq and timestamps are in {@link #window}). */
    private final List<String> pending = new ArrayList<>();

    SpacesDedupeWindow(DataSource dataSource, int maxEntries, Duration maxAge) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAge.toMillis();
        load();
    }

    /** The newest rows until {@code maxEntries} ids; ids get the seqs that end at their row's {@code last_seq}. */
    private void load() {
        List<Object[]> rows = new ArrayList<>(); // newest first: last_seq, record_timestamp, ids
        int count = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, record_timestamp, record_uids FROM spaces_firehose_seen_batch ORDER BY first_seq DESC")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (count < maxEntries && rs.next()) {
                    List<String> ids = decode(rs.getString(3));
                    rows.add(new Object[]{rs.getLong(1), rs.getLong(2), ids});
                    count += ids.size();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Spaces Firehose: cannot load the de-duplication window", e);
        }
        Collections.reverse(rows);
        int skip = Math.max(0, count - maxEntries); // the oldest ids beyond maxEntries
        for (Object[] r : rows) {
            long last = (Long) r[0];
            @SuppressWarnings("unchecked") List<String> ids = (List<String>) r[2];
            for (int i = 0; i < ids.size(); i++) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                window.put(ids.get(i), new Entry((Long) r[1], last - (ids.size() - 1 - i)));
            }
            seq = Math.max(seq, last);
        }
    }

    synchronized int size() {
        return window.size();
    }

    synchronized boolean seen(String recordUid) {
        return window.containsKey(recordUid);
    }

    /**
     * Remembers an id once its event is published; written to the table by {@link #flush} (one row), which the
     * consumer calls before it persists a checkpoint, so a persisted checkpoint never runs ahead of persisted ids.
     */
    synchronized void remember(String recordUid, long recordTimestamp) {
        window.put(recordUid, new Entry(recordTimestamp, ++seq));
        pending.add(recordUid);
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
        pending.removeIf(gone::contains);
    }

    /** Writes the ids remembered since the last flush as one row in one transaction, and prunes what left the window. */
    synchronized void flush() {
        List<String> ids = new ArrayList<>(pending.size());
        long first = -1;
        long last = -1;
        long newest = Long.MIN_VALUE;
        for (String id : pending) {
            Entry e = window.get(id);
            if (e == null) {
                continue; // already evicted (a window smaller than a checkpoint): nothing to persist
            }
            ids.add(id);
            first = first < 0 ? e.seq : first;
            last = e.seq;
            newest = Math.max(newest, e.timestamp);
        }
        if (!ids.isEmpty()) {
            Object[] row = {first, last, newest, encode(ids)};
            String insert = "INSERT INTO spaces_firehose_seen_batch (first_seq, last_seq, record_timestamp, record_uids) VALUES (?, ?, ?, ?)";
            if (!sql.insertIfAbsent("Spaces Firehose: persist the de-duplication window", insert, row)) {
                // a failed flush that had in fact been stored: this retry holds the same ids and more, so it replaces it
                sql.update("Spaces Firehose: replace a de-duplication batch", "DELETE FROM spaces_firehose_seen_batch WHERE first_seq = ?", first);
                sql.update("Spaces Firehose: persist the de-duplication window", insert, row);
            }
        }
        pending.clear();
        if (evictedUpTo > prunedUpTo) {
            sql.update("Spaces Firehose: prune the de-duplication window",
                    "DELETE FROM spaces_firehose_seen_batch WHERE last_seq <= ?", evictedUpTo);
            prunedUpTo = evictedUpTo;
        }
    }

    /** Ids separated by a line feed; a backslash or line feed inside an id escaped as {@code \\} or {@code \n} (V41). */
    static String encode(List<String> ids) {
        StringBuilder b = new StringBuilder(ids.size() * 40);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (i > 0) {
                b.append('\n');
            }
            if (id.indexOf('\\') < 0 && id.indexOf('\n') < 0) {
                b.append(id);
            } else {
                b.append(id.replace("\\", "\\\\").replace("\n", "\\n"));
            }
        }
        return b.toString();
    }

    static List<String> decode(String text) {
        List<String> ids = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end;
            String id = text.substring(start, end);
            ids.add(id.indexOf('\\') < 0 ? id : unescape(id));
            start = end + 1;
        }
        return ids;
    }

    private static String unescape(String id) {
        StringBuilder b = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch == '\\' && i + 1 < id.length()) {
                char next = id.charAt(++i);
                b.append(next == 'n' ? '\n' : next);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
