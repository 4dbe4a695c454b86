package io.vendorlink.centagate;

import io.vendorlink.core.CoreServices;
import io.vendorlink.core.Settings;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The CentaGate connector, wired when {@code vendorlink.centagate.enabled=true}: the sandbox (in sandbox mode), the
 * client, its error policy ({@code centagate-error-policy}), the {@code direct:centagate-*} routes and the health check
 * {@code vendor-centagate}.
 */
public class CentagateConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(CentagateConfiguration.class);
    /** Registry names, for tests and operators' tooling (workflows never reference them). */
    public static final String CLIENT_BEAN = "centagateClient";
    public static final String SANDBOX_BEAN = "centagateSandbox";

    @Override
    public void configure(CamelContext context) throws Exception {
        CoreServices core = CoreServices.of(context);
        Settings s = core.settings(CentagateClient.VENDOR);
        if (core.sandboxWanted(CentagateClient.VENDOR)) {
            // Registered before the context starts; may run without the connector (vendorlink.sandbox.centagate.enabled).
            var server = core.sandbox(CentagateClient.VENDOR);
            CentagateSandbox simulator = new CentagateSandbox(server, core.runtime().child("sandbox.centagate"),
                    Clock.systemUTC());
            context.getRegistry().bind(SANDBOX_BEAN, simulator);
        }
        if (!s.bool("enabled")) {
            return;
        }
        boolean sandbox = core.sandboxEnabled();
        if (!sandbox) {
            // Sandbox-only fake credentials must never reach a real CentaGate.
            for (String key : new String[]{"secretKey", "adminPassword"}) {
                if (s.string(key).contains("not-for-production")) {
                    throw new IllegalStateException("Setting " + s.key(key) + " still holds the sandbox-only default and "
                            + "sandbox mode is off: set the real value through " + Settings.envName(s.key(key)));
                }
            }
        }
        VendorHealthCheck health = core.healthCheck(CentagateClient.VENDOR, "not authenticated yet");
        CentagateClient client = new CentagateClient(s, core.http(CentagateClient.VENDOR), core.metrics(), health,
                core.stateStore(), Clock.systemUTC());
        context.getRegistry().bind(CLIENT_BEAN, client);
        context.addRoutes(core.errorPolicy(CentagateClient.VENDOR));
        context.addRoutes(new CentagateRoutes(client));
        LOG.info("CentaGate connector ready: admin {}, auth base {}, server base {}{}", client.adminUsername(),
                s.string("authBase"), s.string("serverBase"), sandbox ? " (sandbox)" : "");
    }
}
