package io.vendorlink.core.queue;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Health of the embedded broker (id {@code broker}, readiness): DOWN while it is not running or while it blocks every
 * send because its disk has less than {@code vendorlink.broker.embedded.minDiskFree} free. Not a liveness check: a
 * restart frees no disk space.
 */
public final class BrokerHealthCheck extends AbstractHealthCheck {
    private final EmbeddedBroker broker;

    public BrokerHealthCheck(EmbeddedBroker broker) {
        super("vendorlink", "broker");
        this.broker = broker;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        EmbeddedBroker.BrokerState s = broker.state();
        builder.detail("reason", s.reason());
        builder.detail("usableBytes", s.usableBytes());
        builder.detail("minDiskFreeBytes", s.minDiskFree());
        if (s.accepting()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
