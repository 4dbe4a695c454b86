package io.vendorlink.core.queue;

import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.state.Sql;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * Records the outcome of every inbound message once per workflow, keyed by the message's idempotency key. A workflow
 * calls {@link #lookup} first (a redelivered message that already has an outcome is not processed again; its recorded
 * outcome is published again instead) and {@link #record} last, before the transacted consumer acknowledges.
 *
 * <p>Headers: {@value #KEY} (required), {@value #WORKFLOW} (defaults to the route id), {@value #OUTCOME}.
 */
public final class OutcomeLedger {
    public static final String KEY = "VendorlinkMessageKey";
    public static final String WORKFLOW = "VendorlinkWorkflow";
    public static final String OUTCOME = "VendorlinkOutcome";
    /** Set to true by {@link #lookup} when the message already has a recorded outcome. */
    public static final String ALREADY_PROCESSED = "VendorlinkAlreadyProcessed";
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeLedger.class);

    private final Sql sql;

    public OutcomeLedger(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public record Recorded(String workflow, String key, Outcome outcome, String detail) {
    }

    /** If the message already has an outcome, puts it in the body and sets {@value #ALREADY_PROCESSED}. */
    public void lookup(Exchange exchange) {
        String key = key(exchange);
        Optional<Recorded> r = find(workflow(exchange), key);
        exchange.getMessage().setHeader(ALREADY_PROCESSED, r.isPresent());
        r.ifPresent(rec -> {
            LOG.info("workflow={} key={} already has outcome {}: not processed again", rec.workflow, key, rec.outcome);
            exchange.getMessage().setBody(rec.detail);
            exchange.getMessage().setHeader(OUTCOME, rec.outcome.name());
        });
    }

    /**
     * Records the body (as text) as the outcome detail. If a concurrent or earlier delivery recorded first, the body is
     * replaced by that recorded detail, so downstream publishes the same outcome.
     */
    @Handler
    public void record(Exchange exchange) {
        String workflow = workflow(exchange);
        String key = key(exchange);
        Outcome outcome = Optional.ofNullable(exchange.getMessage().getHeader(OUTCOME, String.class))
                .map(Outcome::valueOf).orElse(Outcome.SUCCESS);
        String detail = exchange.getMessage().getBody(String.class);
        if (!insert(workflow, key, outcome, detail)) {
            find(workflow, key).ifPresent(rec -> {
                exchange.getMessage().setBody(rec.detail);
                exchange.getMessage().setHeader(OUTCOME, rec.outcome.name());
            });
            exchange.getMessage().setHeader(ALREADY_PROCESSED, true);
        } else {
            exchange.getMessage().setHeader(OUTCOME, outcome.name());
        }
    }

    public boolean insert(String workflow, String key, Outcome outcome, String detail) {
        return sql.insertIfAbsent("outcome ledger: record " + workflow + "/" + key,
                "INSERT INTO vl_outcome (workflow, message_key, outcome, detail) VALUES (?, ?, ?, ?)",
                workflow, key, outcome.name(), detail);
    }

    public Optional<Recorded> find(String workflow, String key) {
        return sql.queryOne("outcome ledger: read " + workflow + "/" + key,
                "SELECT outcome, detail FROM vl_outcome WHERE workflow = ? AND message_key = ?",
                rs -> new Recorded(workflow, key, Outcome.valueOf(rs.getString(1)), rs.getString(2)), workflow, key);
    }

    public long count(String workflow) {
        return sql.queryOne("outcome ledger: count " + workflow, "SELECT COUNT(*) FROM vl_outcome WHERE workflow = ?",
                rs -> rs.getLong(1), workflow).orElse(0L);
    }

    private static String workflow(Exchange exchange) {
        String w = exchange.getMessage().getHeader(WORKFLOW, String.class);
        return w != null ? w : exchange.getFromRouteId();
    }

    private static String key(Exchange exchange) {
        String key = exchange.getMessage().getHeader(KEY, String.class);
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("outcome ledger: header " + KEY + " is not set by route "
                    + exchange.getFromRouteId());
        }
        return key;
    }
}
