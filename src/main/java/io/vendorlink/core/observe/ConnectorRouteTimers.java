package io.vendorlink.core.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicy;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.spi.RoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/**
 * Leaves the connector-internal routes ({@code direct:<vendor>-*} and their {@code -attempt} routes, route group
 * {@link #GROUP}) out of Camel's per-route Micrometer timers unless {@code vendorlink.metrics.connectorRouteTimers} is
 * true. Each such timer costs about 4 KB of allocation and a formatted string per route per call (measured with
 * bench/sentinel.sh), and says nothing that {@code vendorlink.vendor.calls} (every vendor call by operation and status)
 * and {@code vendorlink.retries} do not; workflow routes keep theirs.
 * <p>
 * Each connector route's policy gets its own configuration, with route timers off, as the route is added.
 */
public final class ConnectorRouteTimers extends LifecycleStrategySupport {
    /** The route group of connector-internal routes. */
    public static final String GROUP = "vendorlink-connector";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRouteTimers.class);

    private ConnectorRouteTimers() {
    }

    /** Installs the exclusion in {@code context} unless {@code timersWanted}. */
    public static void install(CamelContext context, boolean timersWanted) {
        if (!timersWanted) {
            context.addLifecycleStrategy(new ConnectorRouteTimers());
        }
    }

    /**
     * Routes are added before they start, and Camel reads a route policy's configuration when the route starts: each
     * connector route's own Micrometer policy gets its own copy of the configuration with route timers off. The copy
     * matters: the factory hands every policy one shared configuration (Micrometer's static default), and changing
     * that would change every route of every context in the JVM.
     */
    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            if (!GROUP.equals(route.getGroup())) {
                continue;
            }
            for (RoutePolicy policy : route.getRoutePolicyList()) {
                if (policy instanceof MicrometerRoutePolicy micrometer) {
                    micrometer.setConfiguration(withoutRouteTimers(micrometer.getConfiguration()));
                    LOG.debug("per-route timers off for connector route {}", route.getRouteId());
                }
            }
        }
    }

    static MicrometerRoutePolicyConfiguration withoutRouteTimers(MicrometerRoutePolicyConfiguration shared) {
        MicrometerRoutePolicyConfiguration own = new MicrometerRoutePolicyConfiguration();
        own.setContextEnabled(shared.isContextEnabled());
        own.setRouteEnabled(false);
        own.setExcludePattern(shared.getExcludePattern());
        own.setAdditionalCounters(shared.isAdditionalCounters());
        own.setExchangesSucceeded(shared.isExchangesSucceeded());
        own.setExchangesFailed(shared.isExchangesFailed());
        own.setExchangesTotal(shared.isExchangesTotal());
        own.setExternalRedeliveries(shared.isExternalRedeliveries());
        own.setFailuresHandled(shared.isFailuresHandled());
        own.setLongTask(shared.isLongTask());
        own.setTimerInitiator(shared.getTimerInitiator());
        own.setLongTaskInitiator(shared.getLongTaskInitiator());
        return own;
    }
}
