package io.vendorlink.secutix;

import org.apache.camel.builder.RouteBuilder;

/**
 * The connector's endpoints (README "SecuTix"):
 * <ul>
 *   <li>{@code direct:secutix-call}: headers {@code SecutixService}, {@code SecutixOperation} (optional
 *       {@code SecutixRequestId}), body a JSON object of the operation's parameters; answers the result as JSON.</li>
 *   <li>{@code direct:secutix-call-async}: the same plus {@code SecutixReplyTo} (a queue): the result is published
 *       there, at once or after in_progress polling (§5).</li>
 *   <li>{@code direct:secutix-export-list}: header {@code SecutixReplyTo}; exportList pages from the persisted cursor.</li>
 * </ul>
 * Rate-limited and transient failures are redelivered by {@code secutix-error-policy}; nothing else is retried.
 * The poller and the alive checks are leader-only schedules.
 */
final class SecutixRoutes extends RouteBuilder {
    private final SecutixOperations operations;

    SecutixRoutes(SecutixOperations operations) {
        this.operations = operations;
    }

    @Override
    public void configure() {
        endpoint("secutix-call", operations::call);
        endpoint("secutix-call-async", operations::callAsync);
        endpoint("secutix-export-list", operations::exportList);
        from("master:vendorlink-secutix-poll:timer:secutix-async-poll?period={{vendorlink.secutix.async.scanInterval}}")
                .routeId("secutix-async-poll")
                .process(e -> operations.pollDue());
        from("master:vendorlink-secutix-alive:quartz:secutix-alive?cron={{vendorlink.secutix.alive.cron}}")
                .routeId("secutix-alive")
                .process(e -> operations.alive());
        // Once at start on every replica, so that readiness reflects SecuTix without waiting for the first schedule
        // (followers keep this result; the leader refreshes its own on the schedule).
        from("timer:secutix-alive-start?repeatCount=1&delay={{vendorlink.secutix.alive.startDelay}}")
                .routeId("secutix-alive-start")
                .process(e -> operations.alive());
    }

    private void endpoint(String id, org.apache.camel.Processor processor) {
        io.vendorlink.core.retry.VendorEndpoint.define(this, SecutixFailures.VENDOR, id, processor);
    }
}
