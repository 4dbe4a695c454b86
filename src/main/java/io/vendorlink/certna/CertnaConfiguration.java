package io.vendorlink.certna;

import io.vendorlink.core.CoreServices;
import io.vendorlink.core.Settings;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.certna.CertnaSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.time.Clock;

/**
 * The CeRTNA connector, wired when {@code vendorlink.certna.enabled=true}: the sandbox (when
 * {@link CoreServices#sandboxWanted}, before the client, whose TLS trusts the sandbox CA), the client with its shared {@code access_token}, the submissions store,
 * the error policy {@code certna-error-policy}, the {@code direct:certna-*} routes and the health check
 * {@code vendor-certna}. Beans {@code certnaClient} and (sandbox mode) {@code certnaSandbox} are bound for tests and
 * operators; workflows never reference them.
 */
public class CertnaConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) throws Exception {
        CoreServices core = CoreServices.of(context);
        Settings settings = core.settings("certna");
        // The sandbox first: the client's TLS trusts the sandbox CA it generates. It may run without the connector.
        if (core.sandboxWanted("certna")) {
            CertnaSandbox sandbox = new CertnaSandbox(core.sandbox("certna"), core.runtime().child("sandbox.certna"), settings);
            context.getRegistry().bind("certnaSandbox", sandbox);
        }
        if (!settings.bool("enabled")) {
            return;
        }
        VendorHealthCheck health = core.healthCheck("certna", "ready; logs in on first use (§4)");
        health.up("ready; logs in on first use (§4)");
        CertnaClient client = new CertnaClient(core, health, Clock.systemUTC());
        context.getRegistry().bind("certnaClient", client);
        CertnaSubmissions submissions = new CertnaSubmissions(core.database().dataSource(), client,
                settings.string("checksum.role").equals("county"));
        context.addRoutes(core.errorPolicy("certna"));
        context.addRoutes(new CertnaRoutes(client, submissions, settings, core.metrics()));
    }
}
