package io.vendorlink.core.cluster;

import io.vendorlink.core.Settings;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Leader election among replicas on Kubernetes ({@code vendorlink.cluster.mode = kubernetes}): Camel's Kubernetes
 * cluster service with one {@code coordination.k8s.io/v1} Lease per {@code master:} group, named
 * {@code <leaseNamePrefix>-<group>} (e.g. {@code vendorlink-leader-vendorlink-sentinel-heartbeat}).
 * <p>
 * How Camel decides (worth knowing when operating it): the members are the pods that carry
 * {@code vendorlink.cluster.kubernetes.podLabels} and are Running and Ready. A lease holder stays leader while its pod is
 * such a member; when it is not (deleted, crashed, not ready), another member takes the Lease and starts its
 * {@code master:} consumers after waiting one lease duration, so that the old leader has stopped its own. A leader that
 * cannot reach the API server stops its consumers after the renew deadline. Hence the service account needs
 * {@code get/create/update} on leases and {@code list} on pods (k8s/base/role.yaml).
 */
public final class KubernetesLeaderElection {
    private KubernetesLeaderElection() {
    }

    /** The cluster service configured from {@code vendorlink.cluster.kubernetes.*}; add it to the Camel context. */
    public static KubernetesClusterService clusterService(Settings kubernetes) {
        Duration lease = kubernetes.duration("leaseDuration");
        Duration renew = kubernetes.duration("renewDeadline");
        Duration retry = kubernetes.duration("retryPeriod");
        double jitter = kubernetes.decimal("jitterFactor");
        // Camel checks the same rules, but only when the first master: route starts; fail at boot with the keys instead.
        if (lease.toMillis() < 1000 || lease.compareTo(renew) <= 0 || renew.toMillis() <= jitter * retry.toMillis()
                || jitter < 1) {
            throw new IllegalStateException("Leader election timings must satisfy " + kubernetes.key("leaseDuration")
                    + " (>= 1s) > " + kubernetes.key("renewDeadline") + " > " + kubernetes.key("jitterFactor")
                    + " (>= 1) x " + kubernetes.key("retryPeriod") + "; found " + lease + ", " + renew + ", " + jitter
                    + ", " + retry);
        }
        // Client settings go through a KubernetesConfiguration: in Camel 4.18 the no-argument constructor leaves it null
        // and doInit() then builds an empty one, silently dropping setMasterUrl/setNamespace.
        KubernetesConfiguration client = new KubernetesConfiguration();
        kubernetes.optional("masterUrl").ifPresent(client::setMasterUrl);
        kubernetes.optional("namespace").ifPresent(client::setNamespace);
        KubernetesClusterService service = new KubernetesClusterService(client);
        service.setId("kubernetes-lease");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(kubernetes.string("leaseNamePrefix"));
        service.setPodName(kubernetes.string("podName"));
        service.setClusterLabels(labels(kubernetes));
        // Empty = in-cluster defaults: the API server and namespace of the pod's service account.
        kubernetes.optional("masterUrl").ifPresent(service::setMasterUrl);
        kubernetes.optional("namespace").ifPresent(ns -> {
            service.setNamespace(ns);
            service.setKubernetesResourcesNamespace(ns);
        });
        service.setLeaseDurationMillis(lease.toMillis());
        service.setRenewDeadlineMillis(renew.toMillis());
        service.setRetryPeriodMillis(retry.toMillis());
        service.setJitterFactor(jitter);
        return service;
    }

    /** {@code k=v,k2=v2} → a label map; the labels must select exactly this Deployment's pods. */
    static Map<String, String> labels(Settings kubernetes) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : kubernetes.list("podLabels")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalStateException(kubernetes.key("podLabels") + " must be k=v pairs separated by commas; found '"
                        + pair + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        if (labels.isEmpty()) {
            throw new IllegalStateException(kubernetes.key("podLabels") + " is empty: give the labels of the Vendorlink pods");
        }
        return labels;
    }
}
