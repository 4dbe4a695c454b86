package io.vendorlink.spaces;

import io.vendorlink.core.CoreServices;
import io.vendorlink.core.Settings;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Cisco Spaces connector, wired when {@code vendorlink.spaces.enabled=true}: the sandbox (when
 * {@link CoreServices#sandboxWanted}), the token verifier with pinned hosts, activation (page and API routes, no
 * automatic retry), the Firehose consumer and the health check {@code vendor-spaces}. Beans {@code spacesActivation},
 * {@code spacesFirehose} and (sandbox mode) {@code spacesSandbox} are bound for tests and operators; workflows never
 * reference them.
 */
public class SpacesConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) throws Exception {
        CoreServices core = CoreServices.of(context);
        Settings settings = core.settings("spaces");
        if (core.sandboxWanted("spaces")) {
            SpacesSandbox sandbox = new SpacesSandbox(core.sandbox("spaces"), core.runtime().child("sandbox.spaces"),
                    java.nio.file.Path.of(core.runtime().string("data.dir"), "sandbox-spaces"));
            context.getRegistry().bind("spacesSandbox", sandbox);
        }
        if (!settings.bool("enabled")) {
            return;
        }
        VendorHealthCheck health = core.healthCheck("spaces", "not activated yet: paste a token on /spaces/activate");
        health.up("not activated yet: paste a token on /spaces/activate");
        // §A5: sandbox hosts are trusted only in sandbox mode.
        Set<String> hosts = new LinkedHashSet<>(settings.list("allowedHosts"));
        if (core.sandboxEnabled()) {
            hosts.addAll(settings.list("sandboxAllowedHosts"));
        }
        var http = core.http("spaces");
        SpacesPartnerKeys keys = new SpacesPartnerKeys(http,
                settings.enumValue("jwt.keyUrlForm", SpacesPartnerKeys.UrlForm.class), settings.duration("jwt.keyCacheTtl"),
                Clock.systemUTC());
        SpacesTokenVerifier verifier = new SpacesTokenVerifier(hosts, settings.duration("jwt.leeway"), keys, Clock.systemUTC());
        context.getRegistry().bind("spacesTokenVerifier", verifier);
        SpacesActivation activation = new SpacesActivation(verifier, http, core.stateStore(), core.metrics(), health,
                settings, Clock.systemUTC());
        context.getRegistry().bind("spacesActivation", activation);
        // No error policy: no Spaces route is redelivered (activation must never be, §A4; the Firehose has its own back-off).
        context.addRoutes(new SpacesRoutes(activation));
        if (settings.bool("firehose.enabled")) {
            SpacesFirehose firehose = new SpacesFirehose(context, http, activation, core.stateStore(), core.metrics(), health,
                    settings, core.database().dataSource(), Clock.systemUTC());
            context.getRegistry().bind("spacesFirehose", firehose);
            activation.onActivated(firehose::wake);
            // Leader-only (one replica reads the stream); started when this runtime becomes the leader.
            context.addService(new SpacesFirehoseLeadership(context, firehose), true, true);
            // Stop reading before the routes stop, so that no event is published without being remembered.
            // Context events only: a notifier that takes exchange events makes Camel build an event object for every
            // step of every exchange of every route.
            org.apache.camel.support.EventNotifierSupport stopping = new org.apache.camel.support.EventNotifierSupport() {
                @Override
                public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
                    return event instanceof org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
                }

                @Override
                public void notify(org.apache.camel.spi.CamelEvent event) throws Exception {
                    if (event instanceof org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent) {
                        firehose.stop();
                    }
                }
            };
            stopping.setIgnoreExchangeEvents(true);
            stopping.setIgnoreRouteEvents(true);
            stopping.setIgnoreServiceEvents(true);
            stopping.setIgnoreStepEvents(true);
            context.getManagementStrategy().addEventNotifier(stopping);
        }
    }
}
