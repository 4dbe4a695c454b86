package io.vendorlink.core.retry;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.25);

    @RepeatedTest(20)
    void delaysGrowExponentiallyWithinTheJitterBandAndNeverPassTheCap() {
        assertThat(backoff.delay(0).toMillis()).isBetween(750L, 1250L);
        assertThat(backoff.delay(3).toMillis()).isBetween(6000L, 10000L);
        assertThat(backoff.delay(20).toMillis()).isBetween(45000L, 60000L);
        assertThat(backoff.delay(10_000).toMillis()).isLessThanOrEqualTo(60000L);
    }

    @Test
    void aVendorHintLongerThanOurOwnDelayWins() {
        assertThat(backoff.delay(0, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(0, Duration.ofMillis(1)).toMillis()).isGreaterThanOrEqualTo(750L);
    }

    @Test
    void nonsensicalSettingsAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 0.1))
                .hasMessageContaining("back-off settings out of range");
    }
}
