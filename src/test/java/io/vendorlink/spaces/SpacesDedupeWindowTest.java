package io.vendorlink.spaces;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The recordUid window persisted as one row per flush (V41): what a restart loads back, and what it forgets. */
class SpacesDedupeWindowTest {
    private JdbcDataSource db;

    @BeforeEach
    void database() {
        db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
    }

    @Test
    void aNewWindowLoadsTheIdsOfEveryFlushButNotUnflushedOnes() {
        SpacesDedupeWindow first = new SpacesDedupeWindow(db, 1000, Duration.ofHours(2));
        for (int i = 0; i < 250; i++) {
            first.remember("id-" + i, 1_000 + i);
            if (i % 100 == 99) {
                first.flush();
            }
        }
        assertThat(rows()).isEqualTo(2); // one row per flush, not one per id
        SpacesDedupeWindow second = new SpacesDedupeWindow(db, 1000, Duration.ofHours(2));
        assertThat(second.size()).isEqualTo(200);
        assertThat(second.seen("id-0")).isTrue();
        assertThat(second.seen("id-199")).isTrue();
        assertThat(second.seen("id-200")).isFalse(); // never flushed: the checkpoint did not move past it either
    }

    @Test
    void forgottenIdsAreNotPersisted() {
        SpacesDedupeWindow w = new SpacesDedupeWindow(db, 1000, Duration.ofHours(2));
        w.remember("kept", 1);
        w.remember("rolled-back", 2);
        w.forget(List.of("rolled-back"));
        w.flush();
        SpacesDedupeWindow again = new SpacesDedupeWindow(db, 1000, Duration.ofHours(2));
        assertThat(again.seen("kept")).isTrue();
        assertThat(again.seen("rolled-back")).isFalse();
    }

    @Test
    void evictedBatchesAreDeletedAndALoadKeepsOnlyTheNewestMaxEntries() {
        SpacesDedupeWindow w = new SpacesDedupeWindow(db, 150, Duration.ofHours(2));
        for (int i = 0; i < 400; i++) {
            w.remember("id-" + i, 1_000 + i);
            if (i % 100 == 99) {
                w.flush();
            }
        }
        assertThat(rows()).as("batches whose ids all left the window are pruned").isEqualTo(2);
        SpacesDedupeWindow again = new SpacesDedupeWindow(db, 150, Duration.ofHours(2));
        assertThat(again.size()).isEqualTo(150);
        assertThat(again.seen("id-249")).isFalse();
        assertThat(again.seen("id-250")).isTrue();
        assertThat(again.seen("id-399")).isTrue();
        again.remember("id-400", 1_400);
        assertThat(again.seen("id-250")).as("the oldest leaves first after a reload too").isFalse();
    }

    @Test
    void idsWithLineFeedsOrBackslashesSurviveTheRoundTrip() {
        List<String> ids = List.of("plain", "", "a\nb", "c\\nd", "e\\", "\\\n\\");
        assertThat(SpacesDedupeWindow.decode(SpacesDedupeWindow.encode(ids))).isEqualTo(ids);
        SpacesDedupeWindow w = new SpacesDedupeWindow(db, 1000, Duration.ofHours(2));
        ids.forEach(id -> w.remember(id, 5));
        w.flush();
        SpacesDedupeWindow again = new SpacesDedupeWindow(db, 1000, Duration.ofHours(2));
        ids.forEach(id -> assertThat(again.seen(id)).as(id).isTrue());
        assertThat(again.size()).isEqualTo(ids.size());
    }

    @Test
    void theV41MigrationKeepsTheIdsOfThePerIdTable() throws Exception {
        JdbcDataSource old = new JdbcDataSource();
        old.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(old).locations("classpath:db/migration").target("40").load().migrate();
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO spaces_firehose_seen (record_uid, record_timestamp, seq) VALUES ('u-1', 10, 1), "
                    + "('u\\2', 11, 2), ('u' || CHR(10) || '3', 12, 3)");
        }
        Flyway.configure().dataSource(old).locations("classpath:db/migration").load().migrate();
        SpacesDedupeWindow w = new SpacesDedupeWindow(old, 1000, Duration.ofHours(2));
        assertThat(w.size()).isEqualTo(3);
        assertThat(w.seen("u-1")).isTrue();
        assertThat(w.seen("u\\2")).isTrue();
        assertThat(w.seen("u\n3")).isTrue();
        w.remember("u-4", 13);
        w.flush(); // seqs continue after the migrated ones (first_seq is the key)
        assertThat(new SpacesDedupeWindow(old, 1000, Duration.ofHours(2)).size()).isEqualTo(4);
    }

    private int rows() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM spaces_firehose_seen_batch")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
