package io.vendorlink.sentinel;

import io.vendorlink.core.CoreServices;
import io.vendorlink.core.Settings;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The Sentinel Cloud Connect connector (protocol note shared/protocols/sentinel-cloud-connect.md), wired when
 * {@code vendorlink.sentinel.enabled=true}: the simulator (sandbox mode), the client, the session store, the error
 * policy {@code sentinel-error-policy}, the {@code direct:sentinel-*} routes, the health check {@code vendor-sentinel},
 * and the release of this runtime's sessions on graceful shutdown.
 */
public class SentinelConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelConfiguration.class);
    public static final String SANDBOX_BEAN = "sentinelSandbox";
    public static final String CLIENT_BEAN = "sentinelClient";
    public static final String LICENSING_BEAN = "sentinelLicensing";

    @Override
    public void configure(CamelContext context) throws Exception {
        CoreServices core = CoreServices.of(context);
        Settings s = core.settings(SentinelFailures.VENDOR);
        if (core.sandboxWanted(SentinelFailures.VENDOR)) {
            SentinelSandbox sandbox = new SentinelSandbox(core.sandbox(SentinelFailures.VENDOR),
                    core.runtime().child("sandbox.sentinel"), Clock.systemUTC());
            context.getRegistry().bind(SANDBOX_BEAN, sandbox);
        }
        if (!s.bool("enabled")) {
            return;
        }
        if (!core.sandboxEnabled() && s.string("secretKey").contains("not-for-production")) {
            throw new IllegalStateException("Setting " + s.key("secretKey") + " still holds the sandbox-only default and "
                    + "sandbox mode is off: set the real Secret Key through " + Settings.envName(s.key("secretKey")));
        }
        VendorHealthCheck health = core.healthCheck(SentinelFailures.VENDOR, "not registered with Directory Services yet");
        SentinelClient client = new SentinelClient(s, core.http(SentinelFailures.VENDOR), core.metrics(), health,
                core.stateStore(), core.prefixed(s.key("licenses.xpath.")), Clock.systemUTC());
        SentinelLicensing licensing = new SentinelLicensing(client, new SentinelSessions(core.database().dataSource()),
                core.metrics(), core.runtime().string("cluster.memberId"), s.integer("heartbeat.parallelism"),
                s.duration("session.unknownOutcomeHold"));
        context.getRegistry().bind(CLIENT_BEAN, client);
        context.getRegistry().bind(LICENSING_BEAN, licensing);
        context.addRoutes(core.errorPolicy(SentinelFailures.VENDOR));
        context.addRoutes(new SentinelRoutes(client, licensing, s.string("recovery.mode"),
                s.duration("startRetryInterval").toMillis()));
        if (s.bool("session.releaseOnShutdown")) {
            // Added after the database and the HTTP client, so Camel stops it before them.
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    licensing.releaseOwn();
                }
            }, true, true);
        }
        LOG.info("Sentinel connector ready: Directory Services {}, vendor {}, recovery {}, release on shutdown {}",
                s.string("ypsUrl"), s.string("vendorId"), s.string("recovery.mode"), s.bool("session.releaseOnShutdown"));
    }
}
