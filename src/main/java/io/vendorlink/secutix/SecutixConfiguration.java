package io.vendorlink.secutix;

import io.vendorlink.core.CoreServices;
import io.vendorlink.core.ParallelStartService;
import io.vendorlink.core.Settings;
import io.vendorlink.core.http.TlsContexts;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.security.Secret;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The SecuTix connector (protocol note {@code shared/protocols/secutix.md}), wired when
 * {@code vendorlink.secutix.enabled=true}: the configured services, one CXF bus and one client endpoint per service
 * (built once, for start-up cost), the shared rate limiter, the in_progress poller, the alive checks, the error
 * policy and, in sandbox mode, the CXF/Jetty simulator.
 */
public class SecutixConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SecutixConfiguration.class);
    static final String SANDBOX_PASSWORD = "sandbox-secret-not-for-production";

    @Override
    public void configure(CamelContext context) throws Exception {
        CoreServices core = CoreServices.of(context);
        Settings s = core.settings(SecutixFailures.VENDOR);
        boolean enabled = s.bool("enabled");
        boolean sandboxWanted = core.sandboxWanted(SecutixFailures.VENDOR);
        if (!enabled && !sandboxWanted) {
            return;
        }
        Map<String, SecutixService> services = SecutixService.configured(s);
        if (sandboxWanted) {
            SecutixSandbox sandbox = new SecutixSandbox(core.runtime().child("sandbox.secutix"), core.sandboxTls(), services);
            core.prefixed("vendorlink.sandbox.secutix.faults.").forEach(sandbox.faults()::set);
            context.getRegistry().bind("secutixSandbox", sandbox);
            ParallelStartService.addTo(context, sandbox);
        }
        if (!enabled) {
            return;
        }
        String username = s.string("username");
        Secret password = s.secret("password");
        if (!core.sandboxEnabled() && password.reveal().equals(SANDBOX_PASSWORD)) {
            throw new IllegalStateException("vendorlink.secutix.password is the sandbox placeholder but sandbox mode is "
                    + "off: give the operator password through VENDORLINK_SECUTIX_PASSWORD");
        }
        VendorHealthCheck health = core.healthCheck(SecutixFailures.VENDOR, "no isAlive check yet");
        health.detail("operator", username);

        // One bus for every SecuTix client endpoint, shut down with the context.
        Bus bus = BusFactory.newInstance().createBus();
        // The JDK-HttpClient conduit intermittently sent empty bodies ("Too few bytes returned by the publisher")
        // against the Jetty sandbox; the HttpURLConnection conduit is the long-proven one.
        bus.setProperty("force.urlconnection.http.conduit", Boolean.TRUE);
        context.addService(new BusShutdown(bus), true, false);
        SecutixFailures failures = new SecutixFailures(s, username);
        SecutixRateLimiter limiter = new SecutixRateLimiter(core.database().dataSource(), core.metrics(),
                s.child("rateLimit"), core.prefixed("vendorlink.secutix.rateLimit.method."),
                s.string("rateLimit.instance"));
        SecutixJson json = new SecutixJson(java.util.Set.copyOf(s.list("money.fields")));
        SecutixClient client = new SecutixClient(context, s, services, bus, TlsContexts.forVendor(s),
                s.enumValue("wsse.style", UsernameTokenConfigurer.Style.class), username, password, failures,
                limiter, core.metrics(), json);
        context.getRegistry().bind("secutixClient", client);

        Map<String, VendorHealthCheck> perService = new LinkedHashMap<>();
        for (String key : s.list("alive.services")) {
            client.service(key);
            perService.put(key, core.healthCheck(SecutixFailures.VENDOR + "-" + key.toLowerCase(Locale.ROOT),
                    "no " + services.get(key).aliveOperation() + " call yet"));
        }
        SecutixOperations operations = new SecutixOperations(context, client, new SecutixPendingCalls(
                core.database().dataSource()), s, core.metrics(), health, perService, core.stateStore(),
                core.runtime().string("broker.deadLetterQueue"));
        context.getRegistry().bind("secutixOperations", operations);
        context.addRoutes(core.errorPolicy(SecutixFailures.VENDOR));
        context.addRoutes(new SecutixRoutes(operations));
        LOG.info("SecuTix connector ready: {} service(s) {} at {}, WS-Security style {}, limiter {}", services.size(),
                services.keySet(), s.string("baseUrl"), s.string("wsse.style"), limiter.enabled() ? "on" : "off");
    }

    private static final class BusShutdown extends ServiceSupport {
        private final Bus bus;

        BusShutdown(Bus bus) {
            this.bus = bus;
        }

        @Override
        protected void doStop() {
            bus.shutdown(true);
        }
    }
}
