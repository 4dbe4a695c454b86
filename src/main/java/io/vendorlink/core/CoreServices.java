package io.vendorlink.core;

import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.queue.OutcomeLedger;
import io.vendorlink.core.retry.VendorErrorPolicy;
import io.vendorlink.core.sandbox.SandboxServer;
import io.vendorlink.core.sandbox.SandboxTls;
import io.vendorlink.core.state.Database;
import io.vendorlink.core.state.StateStore;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What the core offers a connector: its settings, the state store, metrics, an HTTPS client with the vendor's TLS
 * setup, a health check, its error policy, and (in sandbox mode) a sandbox server. Bound in the registry as
 * {@value #BEAN}; connectors get it with {@link #of(CamelContext)}.
 */
public final class CoreServices {
    public static final String BEAN = "vendorlinkCore";

    private final CamelContext context;
    private final Database database;
    private final StateStore stateStore;
    private final VendorMetrics metrics;
    private final OutcomeLedger ledger;
    private SandboxTls sandboxTls;

    CoreServices(CamelContext context, Database database, StateStore stateStore, VendorMetrics metrics) {
        this.context = context;
        this.database = database;
        this.stateStore = stateStore;
        this.metrics = metrics;
        this.ledger = new OutcomeLedger(database.dataSource());
    }

    public static CoreServices of(CamelContext context) {
        CoreServices core = context.getRegistry().lookupByNameAndType(BEAN, CoreServices.class);
        if (core == null) {
            throw new IllegalStateException("CoreConfiguration has not run: no " + BEAN + " in the registry");
        }
        return core;
    }

    public CamelContext context() {
        return context;
    }

    /** {@code vendorlink.<vendor>.*} */
    public Settings settings(String vendor) {
        return new Settings(context, "vendorlink." + vendor);
    }

    public Settings runtime() {
        return new Settings(context, "vendorlink");
    }

    public Database database() {
        return database;
    }

    public StateStore stateStore() {
        return stateStore;
    }

    public VendorMetrics metrics() {
        return metrics;
    }

    public OutcomeLedger outcomeLedger() {
        return ledger;
    }

    public VendorHttp http(String vendor) {
        return new VendorHttp(vendor, settings(vendor), runtime(), metrics);
    }

    /** Creates and registers the connector's health check ({@code vendor-<name>}). */
    public VendorHealthCheck healthCheck(String vendor, String initialReason) {
        // With several replicas a vendor outage must not unready every pod: only Ready pods can hold the leader Lease.
        VendorHealthCheck check = new VendorHealthCheck(vendor, initialReason,
                new Settings(context, "vendorlink.cluster").bool("vendorChecksInReadiness"));
        check.setCamelContext(context);
        context.getRegistry().bind("health-vendor-" + vendor, check);
        var registry = org.apache.camel.health.HealthCheckRegistry.get(context);
        if (registry != null) {
            registry.register(check);
        }
        return check;
    }

    /** The connector's route configuration, to be added with {@code context.addRoutes}. */
    public VendorErrorPolicy errorPolicy(String vendor) {
        return new VendorErrorPolicy(vendor, settings(vendor), metrics);
    }

    public boolean sandboxEnabled() {
        return runtime().bool("sandbox.enabled");
    }

    /**
     * Whether this runtime hosts the vendor's sandbox: sandbox mode is on and {@code vendorlink.sandbox.<vendor>.enabled}
     * (which defaults to the connector's own {@code vendorlink.<vendor>.enabled}). Setting it true with the connector off
     * runs the simulator alone, e.g. in a separate process that outlives crashes of the runtime under test.
     */
    public boolean sandboxWanted(String vendor) {
        if (!sandboxEnabled()) {
            return false;
        }
        return runtime().optional("sandbox." + vendor + ".enabled").map(Boolean::parseBoolean)
                .orElseGet(() -> settings(vendor).bool("enabled"));
    }

    public synchronized SandboxTls sandboxTls() {
        if (sandboxTls == null) {
            sandboxTls = SandboxTls.in(Path.of(runtime().string("sandbox.tls.dir")));
        }
        return sandboxTls;
    }

    /**
     * A sandbox server for the vendor on {@code vendorlink.sandbox.<vendor>.port}, with the initial fault switches of
     * {@code vendorlink.sandbox.<vendor>.faults.*}; added to the Camel context so it starts before routes and stops
     * after them. The caller registers its handlers before the context starts.
     */
    public SandboxServer sandbox(String vendor) {
        Settings s = runtime().child("sandbox." + vendor);
        SandboxServer server = new SandboxServer(vendor, sandboxTls(), s.integer("port"));
        server.initialFaults(prefixed("vendorlink.sandbox." + vendor + ".faults."));
        try {
            context.addService(server, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the " + vendor + " sandbox", e);
        }
        return server;
    }

    /**
     * All properties under a prefix, the prefix stripped: the keys of the property files and of {@code -D} system
     * properties (a key only given as {@code -D} counts too), each value resolved with the usual precedence.
     */
    public Map<String, String> prefixed(String prefix) {
        Properties p = context.getPropertiesComponent().loadProperties(k -> k.startsWith(prefix));
        java.util.Set<String> keys = new java.util.TreeSet<>(p.stringPropertyNames());
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                keys.add(k);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            String fallback = p.getProperty(k, System.getProperty(k));
            out.put(k.substring(prefix.length()), context.getPropertiesComponent().resolveProperty(k).orElse(fallback));
        }
        return out;
    }
}
