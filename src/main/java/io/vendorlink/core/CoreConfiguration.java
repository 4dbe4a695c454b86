package io.vendorlink.core;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.core.queue.BrokerHealthCheck;
import io.vendorlink.core.queue.EmbeddedBroker;
import io.vendorlink.core.queue.InboundQueueErrorPolicy;
import io.vendorlink.core.security.SecretRedactor;
import io.vendorlink.core.state.Database;
import io.vendorlink.core.state.JdbcIdempotentRepository;
import io.vendorlink.core.state.StateCipher;
import io.vendorlink.core.state.StateStore;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

/**
 * The foundation every connector stands on, built once at start-up from {@code vendorlink.*}: secret redaction,
 * the state database (migrated), metrics, the broker and the {@code jms} component, the shared beans that workflows
 * reference ({@code #outcomeLedger}, {@code #idempotencyRepository}, {@code #deadLetter}) and the
 * {@code inbound-queue} route configuration.
 */
public class CoreConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(CoreConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        registerConfiguredSecrets(context);
        Settings root = new Settings(context, "vendorlink");

        long t0 = System.nanoTime();
        Database database = Database.open(root.child("state"));
        LOG.debug("state database opened in {} ms", (System.nanoTime() - t0) / 1_000_000);
        context.addService(new Closing(database), true, true);
        StateStore store = new StateStore(database.dataSource(), new StateCipher(encryptionKey(root)));

        VendorMetrics metrics = new VendorMetrics(meterRegistry(context));
        io.vendorlink.core.observe.ConnectorRouteTimers.install(context, root.bool("metrics.connectorRouteTimers"));

        CoreServices core = new CoreServices(context, database, store, metrics);
        var registry = context.getRegistry();
        registry.bind(CoreServices.BEAN, core);
        registry.bind("stateStore", store);
        registry.bind("vendorMetrics", metrics);
        registry.bind("outcomeLedger", core.outcomeLedger());
        registry.bind("idempotencyRepository", new JdbcIdempotentRepository(database.dataSource(), "inbound"));
        DeadLetter deadLetter = new DeadLetter(metrics);
        registry.bind("deadLetter", deadLetter);

        Settings broker = root.child("broker");
        if (broker.bool("embedded.enabled")) {
            EmbeddedBroker embedded = new EmbeddedBroker(broker);
            ParallelStartService.addTo(context, embedded);
            BrokerHealthCheck check = new BrokerHealthCheck(embedded);
            check.setCamelContext(context);
            registry.bind("health-broker", check);
            var health = org.apache.camel.health.HealthCheckRegistry.get(context);
            if (health != null) {
                health.register(check);
            }
        }
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(broker.string("url"));
        broker.optional("username").ifPresent(cf::setUser);
        broker.optional("password").ifPresent(p -> cf.setPassword(broker.secret("password").reveal()));
        CachingConnectionFactory caching = new CachingConnectionFactory(cf);
        caching.setSessionCacheSize(broker.integer("sessionCacheSize"));
        caching.setReconnectOnException(true);
        // Sessions and producers are cached; consumers are not: a cached, idle consumer keeps the messages the broker
        // prefetched to it, hidden from every other consumer of the queue (a polling receive would then miss them).
        caching.setCacheConsumers(false);
        registry.bind("jmsConnectionFactory", caching);
        // Added after the broker, so Camel stops it first: client connections close before the broker shuts down.
        context.addService(new Closing(caching::destroy), true, true);
        JmsComponent jms = JmsComponent.jmsComponent(caching);
        registry.bind("jms", jms);

        configureLeaderElection(context, root.child("cluster"));
        context.addRoutes(new InboundQueueErrorPolicy(deadLetter, broker.string("deadLetterQueue")));
        LOG.info("Vendorlink core ready: state in {}, broker {}, sandbox mode {}", database.product(),
                broker.bool("embedded.enabled") ? "embedded" : broker.string("url"), root.bool("sandbox.enabled"));
    }

    /**
     * Scheduled work runs on the leader only: workflows use {@code master:<lock>:quartz:...} endpoints. Locally the
     * leader is whoever holds a file lock under {@code vendorlink.cluster.file.root}; with several replicas on
     * Kubernetes the {@code kubernetes} mode uses a Lease ({@code vendorlink.cluster.mode}).
     */
    static void configureLeaderElection(CamelContext context, Settings cluster) throws Exception {
        String mode = cluster.string("mode");
        switch (mode) {
            case "file" -> {
                var service = new org.apache.camel.component.file.cluster.FileLockClusterService();
                service.setId(cluster.string("memberId"));
                service.setRoot(cluster.string("file.root"));
                service.setAcquireLockDelay(cluster.duration("file.acquireLockDelay").toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                service.setAcquireLockInterval(cluster.duration("file.acquireLockInterval").toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                context.addService(service, true, true);
            }
            case "kubernetes" -> context.addService(
                    io.vendorlink.core.cluster.KubernetesLeaderElection.clusterService(cluster.child("kubernetes")), true, true);
            default -> throw new IllegalStateException("vendorlink.cluster.mode = '" + mode + "' is not file or kubernetes");
        }
    }

    /**
     * The registry served at {@code /observe/metrics}: Camel's metrics service binds it as {@code metricsRegistry} (or
     * adopts one bound there before it starts), so Vendorlink's counters share the one scrape page.
     */
    static io.micrometer.core.instrument.MeterRegistry meterRegistry(CamelContext context) {
        var existing = context.getRegistry().lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind("metricsRegistry", prometheus);
        return prometheus;
    }

    /** Every configured value whose key names a secret is masked in logs from the first line on. */
    static void registerConfiguredSecrets(CamelContext context) {
        var pc = context.getPropertiesComponent();
        pc.loadProperties(SecretRedactor::isSecretKey).stringPropertyNames()
                .forEach(k -> pc.resolveProperty(k).ifPresent(SecretRedactor::register));
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().startsWith("VENDORLINK_") && SecretRedactor.isSecretKey(e.getKey().replace('_', '.'))) {
                SecretRedactor.register(e.getValue());
            }
        }
    }

    /**
     * The key that encrypts secrets at rest. Production sets {@code vendorlink.state.encryptionKey}; on embedded
     * defaults a random key is generated once into the data directory (owner-readable only).
     */
    static byte[] encryptionKey(Settings root) throws IOException {
        var configured = root.optional("state.encryptionKey");
        if (configured.isPresent()) {
            try {
                return Base64.getDecoder().decode(root.secret("state.encryptionKey").reveal());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("vendorlink.state.encryptionKey is not valid Base64");
            }
        }
        if (!root.bool("state.generateKeyIfMissing")) {
            throw new IllegalStateException("vendorlink.state.encryptionKey is not set (VENDORLINK_STATE_ENCRYPTIONKEY): "
                    + "give it the Base64 of 32 random bytes, e.g. from 'openssl rand -base64 32'");
        }
        Path file = Path.of(root.string("data.dir"), "state.key");
        if (Files.exists(file)) {
            byte[] k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            SecretRedactor.register(Base64.getEncoder().encodeToString(k));
            return k;
        }
        Files.createDirectories(file.getParent());
        byte[] k = StateCipher.newKey();
        Path tmp = file.resolveSibling("state.key.tmp");
        Files.writeString(tmp, Base64.getEncoder().encodeToString(k), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Generated a state encryption key in {} (set vendorlink.state.encryptionKey in production)", file);
        return k;
    }

    /** Closes the database pool when Camel stops, after the routes that use it. */
    private static final class Closing extends ServiceSupport {
        private final AutoCloseable resource;

        Closing(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            resource.close();
        }
    }
}
