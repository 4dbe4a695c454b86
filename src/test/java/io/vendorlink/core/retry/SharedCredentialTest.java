package io.vendorlink.core.retry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.EndpointMovedException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.observe.VendorMetrics;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedCredentialTest {
    private final VendorMetrics metrics = new VendorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    private final AtomicInteger obtained = new AtomicInteger();

    @Test
    void twentyConcurrentCallersWithoutACredentialCauseOneObtain() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedCredential<String> token = SharedCredential.<String>builder("acme", "token", metrics)
                .obtain(() -> {
                    inside.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "t" + obtained.incrementAndGet();
                }).lockTimeout(Duration.ofSeconds(20)).build();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pool.submit((Callable<String>) token::get));
        }
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        for (Future<String> f : results) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("t1");
        }
        pool.shutdown();
        assertThat(obtained).hasValue(1);
    }

    @Test
    void refreshesWithinTheMinimumIntervalAreThrottled() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        SharedCredential<String> url = SharedCredential.<String>builder("acme", "url", metrics)
                .obtain(() -> "u" + obtained.incrementAndGet()).minInterval(Duration.ofSeconds(60)).clock(clock).build();
        String first = url.get();
        now[0] = now[0].plusSeconds(10);
        assertThat(url.refresh(first, "moved")).isEqualTo(first);
        assertThat(obtained).hasValue(1);
        now[0] = now[0].plusSeconds(61);
        assertThat(url.refresh(first, "moved")).isEqualTo("u2");
        // a caller still holding the old value gets the new one without another obtain
        assertThat(url.refresh(first, "moved")).isEqualTo("u2");
        assertThat(obtained).hasValue(2);
    }

    @Test
    void aMovedEndpointIsRefreshedOnceAndTheCallReplayedOnce() {
        SharedCredential<String> url = SharedCredential.<String>builder("acme", "url", metrics)
                .obtain(() -> "u" + obtained.incrementAndGet()).build();
        List<String> used = new ArrayList<>();
        String result = url.callWithReplay(u -> {
            used.add(u);
            if (u.equals("u1")) {
                throw new EndpointMovedException("acme", "get", "2027", "moved", null);
            }
            return "done on " + u;
        });
        assertThat(result).isEqualTo("done on u2");
        assertThat(used).containsExactly("u1", "u2");
    }

    @Test
    void aSecondFailureAfterRefreshIsARejectionNotALoop() {
        SharedCredential<String> token = SharedCredential.<String>builder("acme", "token", metrics)
                .obtain(() -> "t" + obtained.incrementAndGet()).build();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> token.callWithReplay(t -> {
            calls.incrementAndGet();
            throw new CredentialsExpiredException("acme", "get", "InvalidUserCredentials", "Invalid Session Id", null);
        })).isInstanceOf(RejectedException.class).hasMessageContaining("still failing after the token was refreshed");
        assertThat(calls).hasValue(2);
        assertThat(obtained).hasValue(2);
    }
}
