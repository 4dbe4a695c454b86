package io.vendorlink.certna;

import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.vendorlink.certna.CertnaRuntimes.logins;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The access_token lifecycle against the sandbox (§4, §12.1-4). */
class CertnaLoginTest {
    private static TestRuntime rt;

    @BeforeAll
    static void boot() {
        rt = CertnaRuntimes.start();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void fresh() {
        CertnaRuntimes.client(rt).forgetToken();
        CertnaRuntimes.server(rt).faults().clearAll();
        CertnaRuntimes.server(rt).clearRequests();
    }

    @Test
    void twentyConcurrentCallersWithoutATokenShareExactlyOneLogin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return rt.producer().requestBody("direct:certna-list-repositories", (Object) null);
                }));
            }
            start.countDown();
            for (Future<Object> f : calls) {
                assertThat((List<?>) f.get(60, TimeUnit.SECONDS)).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(logins(rt)).hasSize(1);
        List<RecordedRequest> listed = CertnaRuntimes.requests(rt, "GET", "/payloads");
        assertThat(listed).hasSize(20);
        // every call carried the one token, in the header literally named access_token (§4)
        String token = CertnaRuntimes.client(rt).currentToken();
        assertThat(listed).allSatisfy(r -> assertThat(r.header("access_token")).isEqualTo(token));
        assertThat(listed).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void tokenExpiredMidBatchCausesOneReloginAndEveryCallCompletes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                if (i == 15) {
                    // the sandbox forgets every issued token once, while calls are in flight
                    Sandboxes.fault(rt, "certna", "token.expire", "1");
                }
                calls.add(pool.submit(() -> rt.producer().requestBody("direct:certna-list-repositories", (Object) null)));
            }
            for (Future<Object> f : calls) {
                assertThat((List<?>) f.get(60, TimeUnit.SECONDS)).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(logins(rt)).as("the first login and exactly one re-login").hasSize(2);
        assertThat(CertnaRuntimes.server(rt).requests(r -> r.verdict().contains("unknown or expired access_token")))
                .as("the expiry was really seen").isNotEmpty();
    }

    @Test
    void idleTokenIsRefreshedProactively() {
        try (TestRuntime idle = CertnaRuntimes.start("vendorlink.certna.token.idleRefresh", "PT0.3S")) {
            idle.producer().requestBody("direct:certna-list-repositories", (Object) null);
            String first = CertnaRuntimes.client(idle).currentToken();
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> true);
            idle.producer().requestBody("direct:certna-list-repositories", (Object) null);
            assertThat(logins(idle)).hasSize(2);
            assertThat(CertnaRuntimes.client(idle).currentToken()).isNotEqualTo(first);
            assertThat(CertnaRuntimes.server(idle).requests(r -> r.verdict().contains("expired"))).as("no failed call").isEmpty();
        }
    }

    @Test
    void aPersistentSessionFailureAfterTheReloginIsSurfacedNotLooped() {
        // token.expire on every request: the replay fails again and becomes a clear rejection
        Sandboxes.fault(rt, "certna", "token.expire", "true");
        assertThatThrownBy(() -> rt.producer().requestBody("direct:certna-list-repositories", (Object) null))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(RejectedException.class).hasMessageContaining("still failing");
        assertThat(logins(rt)).hasSize(2);
    }

    @Test
    void wrongPasswordIsAClearRejectionAfterExactlyOneLoginAttempt() throws Exception {
        try (TestRuntime wrong = CertnaRuntimes.start("vendorlink.certna.password", "not-the-password-at-all")) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> wrong.producer().requestBody("direct:certna-list-repositories", (Object) null))
                        .cause().isInstanceOf(RejectedException.class)
                        .hasMessageContaining("CeRTNA login failed")
                        .hasMessageContaining("The user name or/and password are invalid.")
                        .hasMessageContaining("vendorlink.certna.password.strategy")
                        .hasMessageContaining("vendorlink.certna.password.template")
                        .hasMessageContaining("vendorlink.certna.password.saltSource")
                        .hasMessageNotContaining("not-the-password-at-all");
            }
            // twenty callers at once: still no second attempt
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                List<Future<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(pool.submit(() -> wrong.producer().requestBody("direct:certna-list-repositories", (Object) null)));
                }
                for (Future<Object> f : calls) {
                    assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).hasRootCauseInstanceOf(RejectedException.class);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(logins(wrong)).as("never retried, not even by later or concurrent callers").hasSize(1);
            assertThat(CertnaRuntimes.server(wrong).requests(r -> r.rawPath().contains("/payloads"))).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> !healthUp(wrong));
        }
    }

    @Test
    void lowerCaseErrorBodyIsParsedLikeTheExceptionForm() {
        try (TestRuntime wrong = CertnaRuntimes.start("vendorlink.certna.password", "not-the-password-at-all",
                "vendorlink.sandbox.certna.faults.errors.lowercase", "true")) {
            assertThatThrownBy(() -> wrong.producer().requestBody("direct:certna-list-repositories", (Object) null))
                    .cause().isInstanceOf(RejectedException.class)
                    .satisfies(e -> assertThat(((RejectedException) e).vendorCode()).isEqualTo("DatabaseError"))
                    .hasMessageContaining("The user name or/and password are invalid.");
            assertThat(logins(wrong).get(0).status()).isEqualTo(500);
        }
    }

    @Test
    void aHashStrategyThatDoesNotMatchTheVendorIsRefusedAndNamed() {
        try (TestRuntime legacy = CertnaRuntimes.start("vendorlink.certna.password.strategy", "legacy-sha1")) {
            assertThatThrownBy(() -> legacy.producer().requestBody("direct:certna-list-repositories", (Object) null))
                    .cause().isInstanceOf(RejectedException.class).hasMessageContaining("now legacy-sha1");
            assertThat(logins(legacy)).hasSize(1);
        }
    }

    @Test
    void saltFetchedFromTheEndpointAndAPrecomputedStringBothLogIn() throws Exception {
        try (TestRuntime endpoint = CertnaRuntimes.start("vendorlink.certna.password.saltSource", "endpoint",
                "vendorlink.certna.password.salt", "")) {
            endpoint.producer().requestBody("direct:certna-list-repositories", (Object) null);
            assertThat(CertnaRuntimes.requests(endpoint, "GET", "/user/salt")).hasSize(1);
            assertThat(logins(endpoint).get(0).verdict()).startsWith("login ok");
        }
        // what an operator would paste from CeRTNA's own tool; computed here from the fixture's rule
        String precomputed = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest("sandbox-salt-not-for-productionsandbox-secret-not-for-production".getBytes(StandardCharsets.UTF_8)));
        try (TestRuntime pre = CertnaRuntimes.start("vendorlink.certna.password.strategy", "precomputed",
                "vendorlink.certna.password.precomputed", precomputed)) {
            pre.producer().requestBody("direct:certna-list-repositories", (Object) null);
            assertThat(logins(pre).get(0).bodyText()).contains(precomputed);
            assertThat(logins(pre).get(0).verdict()).startsWith("login ok");
        }
    }

    @Test
    void aSecondUserWithItsOwnSaltLogsIn() {
        try (TestRuntime agent2 = CertnaRuntimes.start("vendorlink.certna.userName", "agent2",
                "vendorlink.certna.password", "sandbox-secret-2-not-for-production",
                "vendorlink.certna.password.salt", "sandbox-salt-2")) {
            agent2.producer().requestBody("direct:certna-list-repositories", (Object) null);
            assertThat(logins(agent2).get(0).verdict()).startsWith("login ok");
        }
    }

    private static boolean healthUp(TestRuntime r) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + r.managementPort() + "/observe/health?exposureLevel=full")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return !resp.body().contains("login refused");
    }
}
