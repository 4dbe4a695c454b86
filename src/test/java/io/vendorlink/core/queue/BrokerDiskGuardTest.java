package io.vendorlink.core.queue;

import io.vendorlink.core.Settings;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded broker blocks sends on free bytes ({@code vendorlink.broker.embedded.minDiskFree}), not on Artemis'
 * default of "90 % of the disk used", and the {@code broker} health check says when it blocks and why.
 */
class BrokerDiskGuardTest {

    @Test
    void withTheDefaultGuardTheBrokerAcceptsMessagesAndReportsTheFreeSpace() {
        try (TestRuntime rt = TestRuntime.builder().start()) {
            HealthCheck.Result r = brokerCheck(rt);
            assertThat(r.getState()).as(r.getDetails().toString()).isEqualTo(HealthCheck.State.UP);
            assertThat((Long) r.getDetails().get("usableBytes")).isPositive();
            assertThat(r.getDetails().get("minDiskFreeBytes")).isEqualTo(512L << 20);
            // and it does accept one
            rt.producer().sendBody("jms:queue:vendorlink.test.disk-guard", "ping");
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.test.disk-guard", 10_000, String.class))
                    .isEqualTo("ping");
        }
    }

    @Test
    void whenTheDiskHasLessThanMinDiskFreeTheBrokerCheckIsDownAndNamesTheFolderAndTheSetting() throws Exception {
        try (TestRuntime rt = TestRuntime.builder()
                // More than any disk here has free: the guard must trip.
                .property("vendorlink.broker.embedded.minDiskFree", "1048576GB")
                .property("vendorlink.broker.embedded.diskScanPeriod", "PT0.1S")
                .start()) {
            HealthCheck.Result r = brokerCheck(rt);
            for (int i = 0; i < 100 && r.getState() == HealthCheck.State.UP; i++) {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(50);
                r = brokerCheck(rt);
            }
            assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
            String reason = (String) r.getDetails().get("reason");
            assertThat(reason).contains("blocks every send", "vendorlink.broker.embedded.minDiskFree",
                    rt.dataDir().resolve("broker").toAbsolutePath().toString());
            assertThat(HealthCheckHelper.invokeReadiness(rt.context()))
                    .anyMatch(res -> res.getCheck().getId().equals("broker") && res.getState() == HealthCheck.State.DOWN);
            assertThat(HealthCheckHelper.invokeLiveness(rt.context()))
                    .noneMatch(res -> res.getCheck().getId().equals("broker"));
        }
    }

    @Test
    void aSizeThatIsNotASizeIsRefusedNamingTheSetting() {
        assertThat(Settings.parseBytes("k", "512MB")).isEqualTo(512L << 20);
        assertThat(Settings.parseBytes("k", "2 gb")).isEqualTo(2L << 30);
        assertThat(Settings.parseBytes("k", "4096")).isEqualTo(4096);
        assertThatThrownBy(() -> Settings.parseBytes("vendorlink.broker.embedded.minDiskFree", "lots"))
                .hasMessageContaining("vendorlink.broker.embedded.minDiskFree").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> Settings.parseBytes("k", "-1MB")).hasMessageContaining("not a size");
    }

    private static HealthCheck.Result brokerCheck(TestRuntime rt) {
        BrokerHealthCheck check = rt.context().getRegistry().lookupByNameAndType("health-broker", BrokerHealthCheck.class);
        assertThat(check).as("broker health check registered").isNotNull();
        return check.call(Map.of());
    }
}
