package io.vendorlink.core.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;

/**
 * Leaves the connector-internal routes ({@code direct:<vendor>-*} and their {@code -attempt} routes, route group
 * {@link #GROUP}) out of Camel's per-route Micrometer timers unless {@code vendorlink.metrics.connectorRouteTimers} is
 * true. Each such timer costs about 4 KB of allocation and a formatted string per route per call (measured with
 * bench/sentinel.sh), and says nothing that {@code vendorlink.vendor.calls} (every vendor call by operation and status)
 * and {@code vendorlink.retries} do not; workflow routes keep theirs.
 * <p>
 * Camel reads the exclude pattern when a route starts, so it is extended as each connector route is added.
 */
public final class ConnectorRouteTimers extends LifecycleStrategySupport {
    /** The route group of connector-internal routes. */
    public static final String GROUP = "vendorlink-connector";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRouteTimers.class);

    private final CamelContext context;

    private ConnectorRouteTimers(CamelContext context) {
        this.context = context;
    }

    /** Installs the exclusion in {@code context} unless {@code timersWanted}. */
    public static void install(CamelContext context, boolean timersWanted) {
        if (!timersWanted) {
            context.addLifecycleStrategy(new ConnectorRouteTimers(context));
        }
    }

    /** Routes are added before they start: the exclude pattern is in place when Camel reads it. */
    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        List<String> ids = routes.stream().filter(r -> GROUP.equals(r.getGroup())).map(Route::getRouteId).toList();
        if (ids.isEmpty()) {
            return;
        }
        context.getRoutePolicyFactories().stream().filter(MicrometerRoutePolicyFactory.class::isInstance)
                .map(f -> ((MicrometerRoutePolicyFactory) f).getPolicyConfiguration()).forEach(cfg -> {
                    synchronized (cfg) {
                        String existing = cfg.getExcludePattern();
                        String ours = String.join(",", ids);
                        cfg.setExcludePattern(existing == null || existing.isBlank() ? ours : existing + "," + ours);
                    }
                    LOG.debug("per-route timers off for connector routes {}", ids);
                });
    }
}
