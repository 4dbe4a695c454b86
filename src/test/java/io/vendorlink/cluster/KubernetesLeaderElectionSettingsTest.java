package io.vendorlink.cluster;

import io.vendorlink.core.Settings;
import io.vendorlink.core.cluster.KubernetesLeaderElection;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code vendorlink.cluster.kubernetes.*} → Camel's cluster service, and the timing rules checked at boot. */
class KubernetesLeaderElectionSettingsTest {

    @Test
    void settingsReachTheClusterService() throws Exception {
        KubernetesClusterService service = KubernetesLeaderElection.clusterService(settings(Map.of(
                "podLabels", "app.kubernetes.io/name=vendorlink, tier=runtime")));
        assertThat(service.getKubernetesResourceName()).isEqualTo("vendorlink-leader");
        assertThat(service.getPodName()).isEqualTo("pod-1");
        assertThat(service.getClusterLabels()).isEqualTo(
                Map.of("app.kubernetes.io/name", "vendorlink", "tier", "runtime"));
        assertThat(service.getLeaseDurationMillis()).isEqualTo(15_000);
        assertThat(service.getRenewDeadlineMillis()).isEqualTo(10_000);
        assertThat(service.getRetryPeriodMillis()).isEqualTo(2_000);
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseFailsAtBootNamingTheKeys() {
        assertThatThrownBy(() -> KubernetesLeaderElection.clusterService(settings(Map.of("renewDeadline", "PT15S"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vendorlink.cluster.kubernetes.leaseDuration")
                .hasMessageContaining("vendorlink.cluster.kubernetes.renewDeadline");
    }

    @Test
    void labelsThatAreNotKeyValuePairsFailAtBoot() {
        assertThatThrownBy(() -> KubernetesLeaderElection.clusterService(settings(Map.of("podLabels", "vendorlink"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vendorlink.cluster.kubernetes.podLabels");
    }

    /** The shipped defaults of application.properties, with a pod name and the given overrides. */
    private static Settings settings(Map<String, String> overrides) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        Properties p = new Properties();
        p.put("vendorlink.cluster.memberId", "pod-1");
        overrides.forEach((k, v) -> p.put("vendorlink.cluster.kubernetes." + k, v));
        context.getPropertiesComponent().setOverrideProperties(p);
        context.build();
        return new Settings(context, "vendorlink.cluster.kubernetes");
    }
}
