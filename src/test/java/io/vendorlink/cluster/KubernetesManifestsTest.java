package io.vendorlink.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vendorlink.Vendorlink;
import io.vendorlink.core.Settings;
import io.vendorlink.core.security.SecretRedactor;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Offline validation of {@code k8s/}: each overlay is rendered (a small Kustomize renderer, and {@code kubectl
 * kustomize} too when kubectl is installed), parsed into fabric8's Kubernetes model and checked against what the
 * runtime really needs: probe paths and the management port, non-root and a read-only root filesystem with writable
 * volumes, the PodDisruptionBudget, RBAC for Leases, replicas per overlay, no secret values, scrape annotations, a
 * grace period longer than the shutdown timeout, and environment overrides that name real settings.
 */
class KubernetesManifestsTest {
    private static final Path BASEDIR = Path.of(System.getProperty("vendorlink.test.basedir", "."));
    private static final Path K8S = BASEDIR.resolve("k8s");

    @ParameterizedTest
    @ValueSource(strings = {"sandbox", "production"})
    void overlayRendersToAWorkingDeployment(String overlay) throws IOException {
        check(overlay, KubernetesManifests.render(K8S.resolve("overlays").resolve(overlay)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sandbox", "production"})
    void kubectlKustomizeOutputPassesTheSameChecks(String overlay) throws Exception {
        String yaml = kubectlKustomize(K8S.resolve("overlays").resolve(overlay));
        assumeTrue(yaml != null, "kubectl is not installed; the Java rendering above is checked instead");
        check(overlay, KubernetesManifests.parse(yaml));
    }

    @Test
    void everyManifestParsesAsAKubernetesObject() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            List<Path> manifests = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).toList();
            assertThat(manifests).hasSizeGreaterThanOrEqualTo(9);
            for (Path p : manifests) {
                HasMetadata o = Serialization.unmarshal(Files.readString(p), HasMetadata.class);
                assertThat(o.getMetadata().getName()).as(p.toString()).isNotBlank();
            }
        }
    }

    @Test
    void secretTemplateHoldsPlaceholdersForRealSettingsOnly() throws IOException {
        Secret template = Serialization.unmarshal(Files.readString(K8S.resolve("base/secret-template.yaml")), Secret.class);
        assertThat(template.getMetadata().getName()).isEqualTo("vendorlink-secrets");
        assertThat(template.getData()).isNullOrEmpty();
        assertThat(template.getStringData()).isNotEmpty().allSatisfy((k, v) -> {
            assertThat(v).as(k).startsWith("<replace");
            assertThat(settingForEnv(k)).as(k + " overrides a real setting").isNotNull();
            assertThat(SecretRedactor.isSecretKey(settingForEnv(k))).as(k + " is a secret setting").isTrue();
        });
        // not rendered: applying an overlay must never overwrite the real Secret with placeholders
        assertThat(KubernetesManifests.yaml(K8S.resolve("base/kustomization.yaml")).get("resources").toString())
                .doesNotContain("secret-template");
    }

    @Test
    void workingDirectoryApplicationPropertiesOverrideTheJarCopyKeyByKey(@TempDir Path dir) throws Exception {
        // the ConfigMap is mounted as /app/application.properties and names only some keys
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "camel.main.shutdownTimeout = 45\n");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(
                    Vendorlink.PROPERTY_LOCATIONS.replace("file:application.properties", "file:" + file));
            context.build();
            var pc = context.getPropertiesComponent();
            assertThat(pc.resolveProperty("camel.main.shutdownTimeout")).contains("45");
            assertThat(pc.resolveProperty("camel.management.port")).contains(defaults().getProperty("camel.management.port"));
        }
    }

    private static void check(String overlay, List<HasMetadata> objects) throws IOException {
        Properties defaults = defaults();
        Properties effective = new Properties();
        effective.putAll(defaults);
        ConfigMap config = configMap(objects, "vendorlink-config");
        Properties mounted = properties(config.getData().get("application.properties"));
        effective.putAll(mounted);
        mounted.stringPropertyNames().forEach(k ->
                assertThat(defaults.containsKey(k)).as("ConfigMap key " + k + " is a documented setting").isTrue());

        Deployment deployment = one(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        // replicas per overlay
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(overlay.equals("production") ? 3 : 1);

        // probes on the management port
        int management = Integer.parseInt(effective.getProperty("camel.management.port"));
        assertThat(port(c, c.getLivenessProbe())).isEqualTo(management);
        assertThat(port(c, c.getReadinessProbe())).isEqualTo(management);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");

        // Prometheus scrape annotations point at the metrics endpoint
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(management))
                .containsEntry("prometheus.io/path", "/observe/metrics");

        // the Service reaches the ingress port
        Service service = one(objects, Service.class);
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertThat(c.getPorts()).extracting(ContainerPort::getName).contains(target);
        assertThat(c.getPorts().stream().filter(p -> p.getName().equals(target)).findFirst().orElseThrow().getContainerPort())
                .isEqualTo(Integer.parseInt(effective.getProperty("camel.server.port")));

        // non-root, read-only root filesystem, writable data and /tmp
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        String dataDir = effective.getProperty("vendorlink.data.dir");
        String dataPath = Path.of("/app").resolve(dataDir).normalize().toString(); // the image's working directory is /app
        assertThat(emptyDirMountedAt(pod, c, dataPath)).as("writable " + dataPath).isTrue();
        assertThat(emptyDirMountedAt(pod, c, "/tmp")).as("writable /tmp").isTrue();
        VolumeMount props = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/app/application.properties"))
                .findFirst().orElseThrow();
        Volume propsVolume = volume(pod, props.getName());
        assertThat(configMap(objects, propsVolume.getConfigMap().getName())).isSameAs(config);

        // resources
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("memory");

        // long enough to release licence sessions
        long shutdown = Long.parseLong(effective.getProperty("camel.main.shutdownTimeout"));
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(shutdown + 10);

        // PDB selects the pods and lets one go at a time
        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));

        // RBAC: the pods' service account may hold Leases and list member pods
        ServiceAccount sa = one(objects, ServiceAccount.class);
        assertThat(pod.getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
        Role role = one(objects, Role.class);
        RoleBinding binding = one(objects, RoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).anySatisfy(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
        });
        assertThat(verbs(role, "coordination.k8s.io", "leases")).contains("get", "create", "update");
        assertThat(verbs(role, "", "pods")).contains("list");

        // the Lease election counts exactly these pods as members
        for (String pair : effective.getProperty("vendorlink.cluster.kubernetes.podLabels").split(",")) {
            String[] kv = pair.trim().split("=", 2);
            assertThat(podLabels).containsEntry(kv[0], kv[1]);
        }

        // environment: every variable overrides a real setting; no secret value in plain env or ConfigMaps
        Map<String, String> env = new HashMap<>();
        ConfigMap envMap = null;
        boolean secretRef = false;
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                envMap = configMap(objects, from.getConfigMapRef().getName());
                env.putAll(envMap.getData());
            }
            if (from.getSecretRef() != null) {
                secretRef = from.getSecretRef().getName().equals("vendorlink-secrets");
            }
        }
        assertThat(envMap).as("envFrom the generated vendorlink-env").isNotNull();
        for (EnvVar v : c.getEnv()) {
            env.put(v.getName(), v.getValue() != null ? v.getValue() : "<from " + v.getValueFrom().getFieldRef().getFieldPath() + ">");
            assertThat(v.getValueFrom() == null || v.getValueFrom().getSecretKeyRef() == null
                    || v.getValue() == null).isTrue();
        }
        env.forEach((name, value) -> {
            String key = settingForEnv(name);
            assertThat(key).as(name + " overrides a setting of application.properties").isNotNull();
            assertThat(SecretRedactor.isSecretKey(key)).as(name + " is a secret: it belongs in the Secret").isFalse();
            effective.setProperty(key, value);
        });
        assertThat(objects).noneMatch(o -> o instanceof Secret);
        assertThat(env).containsEntry("CAMEL_SERVER_HOST", "0.0.0.0").containsEntry("CAMEL_MANAGEMENT_HOST", "0.0.0.0");
        assertThat(env).containsEntry("VENDORLINK_CLUSTER_MEMBERID", "<from metadata.name>");
        // only Ready pods can lead: a vendor outage must not unready them (KubernetesVendorReadinessTest)
        assertThat(effective.getProperty("vendorlink.cluster.vendorChecksInReadiness")).isEqualTo("false");

        // the overlay's switches
        if (overlay.equals("production")) {
            assertThat(effective.getProperty("vendorlink.sandbox.enabled")).isEqualTo("false");
            assertThat(effective.getProperty("vendorlink.cluster.mode")).isEqualTo("kubernetes");
            assertThat(effective.getProperty("vendorlink.state.url")).startsWith("jdbc:postgresql://");
            assertThat(effective.getProperty("vendorlink.state.generateKeyIfMissing")).isEqualTo("false");
            assertThat(effective.getProperty("vendorlink.broker.embedded.enabled")).isEqualTo("false");
            assertThat(effective.getProperty("vendorlink.broker.url")).startsWith("tcp://");
            assertThat(secretRef).as("secrets come from the Secret vendorlink-secrets").isTrue();
            assertThat(c.getImage()).doesNotEndWith(":latest");
        } else {
            assertThat(effective.getProperty("vendorlink.sandbox.enabled")).isEqualTo("true");
            assertThat(effective.getProperty("vendorlink.cluster.mode")).isEqualTo("file");
            assertThat(effective.getProperty("vendorlink.broker.embedded.enabled")).isEqualTo("true");
            assertThat(effective.getProperty("vendorlink.state.url")).startsWith("jdbc:h2:file:");
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        }
    }

    /** The setting an environment variable overrides (FOO_BAR for foo.bar), or null. */
    private static String settingForEnv(String env) {
        Properties all = defaults();
        for (String key : all.stringPropertyNames()) {
            if (Settings.envName(key).equals(env)) {
                return key;
            }
        }
        return null;
    }

    private static Properties defaults() {
        try {
            return properties(Files.readString(BASEDIR.resolve("application.properties")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    private static int port(Container c, Probe probe) {
        IntOrString port = probe.getHttpGet().getPort();
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort();
    }

    private static boolean emptyDirMountedAt(PodSpec pod, Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                .anyMatch(m -> !Boolean.TRUE.equals(m.getReadOnly()) && volume(pod, m.getName()).getEmptyDir() != null);
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> verbs(Role role, String group, String resource) {
        List<String> verbs = new ArrayList<>();
        for (PolicyRule rule : role.getRules()) {
            if (rule.getApiGroups().contains(group) && rule.getResources().contains(resource)) {
                verbs.addAll(rule.getVerbs());
            }
        }
        return verbs;
    }

    /** A generated ConfigMap by its name (kubectl appends a content hash to it). */
    private static ConfigMap configMap(List<HasMetadata> objects, String name) {
        return objects.stream().filter(o -> o instanceof ConfigMap).map(o -> (ConfigMap) o)
                .filter(cm -> cm.getMetadata().getName().equals(name) || cm.getMetadata().getName().startsWith(name + "-")
                        || name.startsWith(cm.getMetadata().getName()))
                .reduce((a, b) -> {
                    throw new IllegalStateException("two ConfigMaps match " + name);
                }).orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    /** The output of {@code kubectl kustomize dir}, or null when kubectl is not installed. */
    private static String kubectlKustomize(Path dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException notInstalled) {
            return null;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl kustomize did not finish");
        }
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
