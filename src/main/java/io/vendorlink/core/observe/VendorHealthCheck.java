package io.vendorlink.core.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One health check per connector (id {@code vendor-<name>}), fed by the connector: {@link #up} when the last
 * interaction proved the vendor reachable and the credentials good, {@link #down} with a plain reason otherwise.
 * Connectors may attach details (registered URL, last alive check, stream position) with {@link #detail}.
 */
public final class VendorHealthCheck extends AbstractHealthCheck {
    private record State(boolean up, String reason, Instant since) {
    }

    private final AtomicReference<State> state;
    private final Map<String, Object> details = new ConcurrentHashMap<>();

    private final boolean readiness;

    public VendorHealthCheck(String vendor, String initialReason) {
        this(vendor, initialReason, true);
    }

    /** {@code readiness = false}: shown in /observe/health but never makes the pod not ready (scale-out). */
    public VendorHealthCheck(String vendor, String initialReason, boolean readiness) {
        super("vendorlink", "vendor-" + vendor);
        this.state = new AtomicReference<>(new State(false, initialReason, Instant.now()));
        this.readiness = readiness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        // A vendor outage must not make Kubernetes restart the pod; it only affects readiness.
        return false;
    }

    public void up(String reason) {
        state.set(new State(true, reason, state.get().up ? state.get().since : Instant.now()));
    }

    public void down(String reason) {
        State s = state.get();
        state.set(new State(false, reason, s.up ? Instant.now() : s.since));
    }

    public boolean isUp() {
        return state.get().up;
    }

    public String reason() {
        return state.get().reason;
    }

    public void detail(String key, Object value) {
        if (value == null) {
            details.remove(key);
        } else {
            details.put(key, value);
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        State s = state.get();
        builder.detail("reason", s.reason);
        builder.detail("since", s.since.toString());
        details.forEach(builder::detail);
        if (s.up) {
            builder.up();
        } else {
            builder.message(s.reason);
            builder.down();
        }
    }
}
