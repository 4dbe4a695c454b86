package io.vendorlink.secutix;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.state.Database;
import io.vendorlink.core.state.StateDatabases;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared bucket (protocol note §6) on both supported databases: two limiters on one database stand for two
 * replicas; the slots they reserve never collide and are spaced by the configured pace. Slots are computed values,
 * not measured times.
 */
class SecutixRateLimiterTest {

    private static SecutixRateLimiter replica(Database db, int perEndpoint, Map<String, String> methods) {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties p = new Properties();
        p.put("vendorlink.secutix.rateLimit.enabled", "true");
        p.put("vendorlink.secutix.rateLimit.perEndpointPerMinute", String.valueOf(perEndpoint));
        p.put("vendorlink.secutix.rateLimit.perInstancePerMinute", "0");
        p.put("vendorlink.secutix.rateLimit.burst", "1");
        p.put("vendorlink.secutix.rateLimit.methodLimitsCountPolls", "false");
        p.put("vendorlink.secutix.rateLimit.maxWait", "PT1M");
        ctx.getPropertiesComponent().setInitialProperties(p);
        return new SecutixRateLimiter(db.dataSource(), new VendorMetrics(new SimpleMeterRegistry()),
                new Settings(ctx, "vendorlink.secutix.rateLimit"), methods, "test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void twoReplicasSharingTheDatabaseNeverGetTheSameSlot(String kind) throws Exception {
        try (Database db = Database.of(StateDatabases.of(kind))) {
            // 1200/min = one slot every 50 ms for the endpoint, shared by both "replicas"
            SecutixRateLimiter a = replica(db, 1200, Map.of());
            SecutixRateLimiter b = replica(db, 1200, Map.of());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Long>> slots = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SecutixRateLimiter r = i % 2 == 0 ? a : b;
                slots.add(pool.submit(() -> r.acquire("CatalogService", "getCatalog", false)));
            }
            List<Long> taken = new ArrayList<>();
            for (Future<Long> f : slots) {
                taken.add(f.get());
            }
            pool.shutdown();
            Collections.sort(taken);
            for (int i = 1; i < taken.size(); i++) {
                assertThat(taken.get(i) - taken.get(i - 1)).as("gap between slot %d and %d", i - 1, i)
                        .isGreaterThanOrEqualTo(50);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aPerMethodLimitDefersTheSecondCallButNotItsPolls(String kind) {
        try (Database db = Database.of(StateDatabases.of(kind))) {
            SecutixRateLimiter r = replica(db, 6000, Map.of("getCatalogDetailed", "1/PT10M"));
            r.acquire("CatalogService", "getCatalogDetailed", false);
            assertThatThrownBy(() -> r.acquire("CatalogService", "getCatalogDetailed", false))
                    .isInstanceOf(RateLimitedException.class)
                    .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter().orElseThrow())
                            .isGreaterThan(Duration.ofMinutes(9)));
            // an in_progress poll with its requestId is not counted against the per-method limit (§5 decision)
            r.acquire("CatalogService", "getCatalogDetailed", true);
        }
    }
}
