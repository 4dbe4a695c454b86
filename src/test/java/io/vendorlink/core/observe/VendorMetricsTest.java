package io.vendorlink.core.observe;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-call timer is looked up once per (vendor, operation, status) and still counts each combination apart. */
class VendorMetricsTest {
    @Test
    void httpCallCountsEachVendorOperationAndStatusOnItsOwnTimer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VendorMetrics metrics = new VendorMetrics(registry);
        for (int i = 0; i < 3; i++) {
            metrics.httpCall("sentinel", "licenses", "200", 1_000_000);
        }
        metrics.httpCall("sentinel", "licenses", "500", 1_000_000);
        metrics.httpCall("sentinel", "openSession", "200", 1_000_000);
        metrics.httpCall("secutix", "licenses", "200", 1_000_000);
        assertThat(registry.get("vendorlink.vendor.calls").tags("vendor", "sentinel", "operation", "licenses", "status", "200")
                .timer().count()).isEqualTo(3);
        assertThat(registry.get("vendorlink.vendor.calls").tags("vendor", "sentinel", "operation", "licenses", "status", "500")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("vendorlink.vendor.calls").tags("vendor", "sentinel", "operation", "openSession")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("vendorlink.vendor.calls").tags("vendor", "secutix").timer().count()).isEqualTo(1);
    }
}
