package io.vendorlink.core.state;

import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.queue.OutcomeLedger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same migrations and state-store behaviour on the embedded default (H2) and on PostgreSQL. */
class StateStoreTest {

    private static Database open(String kind) {
        return Database.of(StateDatabases.of(kind));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void migrationsCreateTheCoreTablesAndAreIdempotent(String kind) throws Exception {
        try (Database db = open(kind)) {
            // a second migrate on the same database is a no-op, not a failure
            Database.of(db.dataSource()).close();
            try (var c = db.dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT COUNT(*) FROM vl_state WHERE 1 = 0 UNION ALL SELECT COUNT(*) FROM vl_outcome WHERE 1 = 0")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void valuesSurviveUpdatesDeletesAndListing(String kind) {
        try (Database db = open(kind)) {
            StateStore store = new StateStore(db.dataSource(), new StateCipher(StateCipher.newKey()));
            assertThat(store.get("sentinel", "url")).isEmpty();
            store.put("sentinel", "url", "https://a.example/scc");
            store.put("sentinel", "url", "https://b.example/scc");
            store.put("sentinel", "registrationId", "0f8fad5b");
            assertThat(store.get("sentinel", "url")).contains("https://b.example/scc");
            assertThat(store.list("sentinel")).containsOnlyKeys("registrationId", "url");
            assertThat(store.list("other")).isEmpty();
            assertThat(store.delete("sentinel", "url")).isTrue();
            assertThat(store.delete("sentinel", "url")).isFalse();
            assertThat(store.get("sentinel", "url")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void secretsAreEncryptedAtRestAndNeedTheRightKey(String kind) throws Exception {
        try (Database db = open(kind)) {
            byte[] key = StateCipher.newKey();
            StateStore store = new StateStore(db.dataSource(), new StateCipher(key));
            store.putSecret("spaces", "apiKey", "api-key-value-123456");
            assertThat(store.getSecret("spaces", "apiKey")).contains("api-key-value-123456");
            try (var c = db.dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT state_value, encrypted FROM vl_state")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain("api-key-value").startsWith("v1:");
                assertThat(rs.getBoolean(2)).isTrue();
            }
            StateStore wrongKey = new StateStore(db.dataSource(), new StateCipher(StateCipher.newKey()));
            assertThatThrownBy(() -> wrongKey.getSecret("spaces", "apiKey"))
                    .hasMessageContaining("vendorlink.state.encryptionKey")
                    .hasMessageNotContaining("api-key-value");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void concurrentWritersOfOneKeyLeaveOneRowWithTheLastValue(String kind) throws Exception {
        try (Database db = open(kind)) {
            StateStore store = new StateStore(db.dataSource(), new StateCipher(StateCipher.newKey()));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                pool.submit(() -> {
                    try {
                        start.await();
                        store.put("race", "k", "v" + n);
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(errors).isEmpty();
            assertThat(store.list("race")).hasSize(1);
            assertThat(store.get("race", "k").orElseThrow()).startsWith("v");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void idempotencyRepositoryAcceptsAKeyOnce(String kind) {
        try (Database db = open(kind)) {
            JdbcIdempotentRepository repo = new JdbcIdempotentRepository(db.dataSource(), "inbound");
            JdbcIdempotentRepository other = new JdbcIdempotentRepository(db.dataSource(), "elsewhere");
            assertThat(repo.add("msg-1")).isTrue();
            assertThat(repo.add("msg-1")).isFalse();
            assertThat(repo.contains("msg-1")).isTrue();
            assertThat(other.contains("msg-1")).isFalse();
            assertThat(repo.remove("msg-1")).isTrue();
            assertThat(repo.contains("msg-1")).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void outcomeLedgerRecordsEachMessageOncePerWorkflow(String kind) {
        try (Database db = open(kind)) {
            OutcomeLedger ledger = new OutcomeLedger(db.dataSource());
            assertThat(ledger.insert("wf", "k1", Outcome.SUCCESS, "{\"a\":1}")).isTrue();
            assertThat(ledger.insert("wf", "k1", Outcome.REJECTED, "other")).isFalse();
            assertThat(ledger.insert("wf2", "k1", Outcome.REJECTED, "x")).isTrue();
            assertThat(ledger.find("wf", "k1")).get()
                    .satisfies(r -> assertThat(List.of(r.outcome(), r.detail())).containsExactly(Outcome.SUCCESS, "{\"a\":1}"));
            assertThat(ledger.count("wf")).isEqualTo(1);
        }
    }
}
