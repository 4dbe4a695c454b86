package io.vendorlink.core.retry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.observe.VendorMetrics;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VendorErrorPolicyTest {
    private DefaultCamelContext context;
    private PrometheusMeterRegistry registry;
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile RuntimeException failure;
    private volatile int failTimes;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        Properties p = new Properties();
        for (String kind : List.of("transient", "rateLimited")) {
            p.put("vendorlink.acme.retry." + kind + ".maxRedeliveries", "3");
            p.put("vendorlink.acme.retry." + kind + ".initialDelay", "10ms");
            p.put("vendorlink.acme.retry." + kind + ".maxDelay", "2s");
            p.put("vendorlink.acme.retry." + kind + ".multiplier", "2");
            p.put("vendorlink.acme.retry." + kind + ".jitter", "0.2");
        }
        context.getPropertiesComponent().setInitialProperties(p);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        VendorMetrics metrics = new VendorMetrics(registry);
        context.addRoutes(new VendorErrorPolicy("acme", new Settings(context, "vendorlink.acme"), metrics));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeConfigurationId(VendorErrorPolicy.id("acme")).process(e -> {
                    if (attempts.incrementAndGet() <= failTimes) {
                        throw failure;
                    }
                    e.getMessage().setBody("ok");
                });
            }
        });
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private double retries(String outcome) {
        var c = registry.find("vendorlink.retries").tags("vendor", "acme", "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void transientFailuresAreRedeliveredAndEachRetryIsCounted() {
        failure = new TransientException("acme", "call", "connection reset");
        failTimes = 2;
        String out = context.createProducerTemplate().requestBody("direct:call", "x", String.class);
        assertThat(out).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(retries("transient")).isEqualTo(2.0);
        // the back-off scheduled before each redelivery (nominal 10 ms then 20 ms, +-20 % jitter) is recorded
        var delays = registry.find("vendorlink.retry.delays").tags("vendor", "acme", "outcome", "transient").timer();
        assertThat(delays.count()).isEqualTo(2);
        assertThat(delays.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(8.0, 40.0);
    }

    @Test
    void redeliveryIsBoundedAndTheFailureReachesTheCaller() {
        failure = new TransientException("acme", "call", "connection reset");
        failTimes = 100;
        assertThatThrownBy(() -> context.createProducerTemplate().requestBody("direct:call", "x"))
                .isInstanceOf(CamelExecutionException.class).hasCauseInstanceOf(TransientException.class);
        assertThat(attempts).hasValue(4);
        assertThat(retries("transient")).isEqualTo(3.0);
        assertThat(registry.find("vendorlink.retry.delays").tags("vendor", "acme", "outcome", "transient").timer().count())
                .isEqualTo(3);
    }

    @Test
    void rateLimitsWaitAtLeastAsLongAsTheVendorAsks() {
        failure = new RateLimitedException("acme", "call", "509", "Bandwidth Limit Exceeded", Duration.ofMillis(700));
        failTimes = 1;
        assertThat(context.createProducerTemplate().requestBody("direct:call", "x", String.class)).isEqualTo("ok");
        var delays = registry.find("vendorlink.retry.delays").tags("vendor", "acme", "outcome", "rate_limited").timer();
        assertThat(delays.count()).isEqualTo(1);
        assertThat(delays.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(700.0);
        assertThat(retries("rate_limited")).isEqualTo(1.0);
    }

    @Test
    void rejectionsAreNeverRetried() {
        failure = new RejectedException("acme", "call", "2021", "maximum concurrent user limit reached", null);
        failTimes = 100;
        assertThatThrownBy(() -> context.createProducerTemplate().requestBody("direct:call", "x"))
                .hasCauseInstanceOf(RejectedException.class);
        assertThat(attempts).hasValue(1);
        assertThat(retries("transient") + retries("rate_limited")).isZero();
    }
}
