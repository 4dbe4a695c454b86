package io.vendorlink.secutix;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.InProgressException;
import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.core.retry.Backoff;
import io.vendorlink.core.retry.PollPolicy;
import io.vendorlink.core.state.StateStore;
import io.vendorlink.secutix.SecutixFailures.SecutixAsyncTimeoutException;
import io.vendorlink.secutix.SecutixPendingCalls.Pending;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the connector's endpoints do, in the vendor's words: a call, an asynchronous call polled until done (§5), the
 * access-control list export with its opaque cursor (§8), and the {@code is<Service>Alive} checks (§7).
 * Endpoint headers: {@value #SERVICE}, {@value #OPERATION}, {@value #REQUEST_ID}, {@value #REPLY_TO},
 * {@value #CALL_KEY}; bodies are JSON.
 */
public final class SecutixOperations {
    public static final String SERVICE = "SecutixService";
    public static final String OPERATION = "SecutixOperation";
    public static final String REQUEST_ID = "SecutixRequestId";
    public static final String REPLY_TO = "SecutixReplyTo";
    public static final String CALL_KEY = "SecutixCallKey";
    public static final String STATUS = "SecutixStatus";
    public static final String PAGE = "SecutixPage";
    public static final String PAGINATION_START = "SecutixPaginationStart";
    private static final Logger LOG = LoggerFactory.getLogger(SecutixOperations.class);
    private static final String NAMESPACE = "secutix";

    private final CamelContext context;
    private final SecutixClient client;
    private final SecutixPendingCalls pending;
    private final PollPolicy poll;
    private final Backoff rateBackoff;
    private final VendorMetrics metrics;
    private final VendorHealthCheck health;
    private final Map<String, VendorHealthCheck> serviceHealth;
    private final Map<String, Integer> aliveState = new ConcurrentHashMap<>();
    private final StateStore state;
    private final Settings settings;
    private final String deadLetterQueue;
    private final ProducerTemplate template;

    public SecutixOperations(CamelContext context, SecutixClient client, SecutixPendingCalls pending, Settings settings,
                             VendorMetrics metrics, VendorHealthCheck health, Map<String, VendorHealthCheck> serviceHealth,
                             StateStore state, String deadLetterQueue) {
        this.context = context;
        this.client = client;
        this.pending = pending;
        this.settings = settings;
        this.poll = PollPolicy.from(settings.child("async"));
        this.rateBackoff = Backoff.from(settings.child("retry.rateLimited"));
        this.metrics = metrics;
        this.health = health;
        this.serviceHealth = serviceHealth;
        this.state = state;
        this.deadLetterQueue = deadLetterQueue;
        this.template = context.createProducerTemplate();
        for (String key : serviceHealth.keySet()) {
            aliveState.put(key, 0);
            io.micrometer.core.instrument.Gauge.builder("vendorlink.secutix.alive", () -> aliveState.getOrDefault(key, 0))
                    .description("1 when the last is<Service>Alive call succeeded").tag("vendor", NAMESPACE)
                    .tag("service", key).register(metrics.registry());
        }
    }

    /** {@code direct:secutix-call}: one call; the body becomes the result as JSON. in_progress is thrown. */
    public void call(Exchange exchange) {
        SecutixService service = client.service(required(exchange, SERVICE));
        String operation = required(exchange, OPERATION);
        Integer requestId = exchange.getMessage().getHeader(REQUEST_ID, Integer.class);
        Object result = guarded(() -> client.call(service, operation, parameters(exchange.getMessage().getBody(), operation), requestId));
        exchange.getMessage().setHeader(STATUS, ResultEnvelope.SUCCESS);
        exchange.getMessage().setBody(client.json().write(client.toJson(result)));
    }

    /**
     * {@code direct:secutix-call-async}: calls once; a success is published to {@value #REPLY_TO} at once, an
     * in_progress answer is persisted and polled by {@link #pollDue()} until success or the deadline (§5).
     * A trigger redelivered while its call is still pending starts nothing new.
     */
    public void callAsync(Exchange exchange) {
        SecutixService service = client.service(required(exchange, SERVICE));
        String operation = required(exchange, OPERATION);
        String replyTo = required(exchange, REPLY_TO);
        String payload = payloadText(exchange.getMessage().getBody());
        String key = exchange.getMessage().getHeader(CALL_KEY, String.class);
        if (key == null || key.isBlank()) {
            key = service.key() + ":" + operation + ":" + sha256(payload);
        }
        var existing = pending.find(key);
        if (existing.isPresent()) {
            LOG.info("vendor=secutix operation={} key={} already in progress (requestId {}, attempt {}): not started again",
                    operation, key, existing.get().requestId(), existing.get().attempts());
            exchange.getMessage().setHeader(STATUS, ResultEnvelope.IN_PROGRESS);
            exchange.getMessage().setBody(statusJson(ResultEnvelope.IN_PROGRESS, existing.get().requestId()));
            return;
        }
        Map<String, Object> params = parameters(payload, operation);
        try {
            Object result = guarded(() -> client.call(service, operation, params, null));
            publish(replyTo, client.toJson(result), key, operation);
            exchange.getMessage().setHeader(STATUS, ResultEnvelope.SUCCESS);
            exchange.getMessage().setBody(statusJson(ResultEnvelope.SUCCESS, null));
        } catch (InProgressException e) {
            Integer rid = parseRequestId(e.requestId());
            Instant now = Instant.now();
            pending.insert(new Pending(key, service.key(), operation, payload, rid, 1, now, poll.nextPollAt(now), replyTo,
                    exchange.getMessage().getHeader(OutcomeKeys.MESSAGE_KEY, String.class)));
            metrics.poll(NAMESPACE, "in_progress");
            LOG.info("vendor=secutix operation={} in_progress (requestId {}): polling every {} up to {} attempts / {}",
                    operation, rid, poll.interval(), poll.maxAttempts(), poll.deadline());
            exchange.getMessage().setHeader(STATUS, ResultEnvelope.IN_PROGRESS);
            exchange.getMessage().setBody(statusJson(ResultEnvelope.IN_PROGRESS, rid));
        }
    }

    /** Polls every pending call that is due (leader-only timer). Bounded per run. */
    public void pollDue() {
        Instant now = Instant.now();
        for (Pending p : pending.due(now, settings.integer("async.batchSize"))) {
            pollOne(p);
        }
    }

    private void pollOne(Pending p) {
        SecutixService service = client.service(p.service());
        Instant now = Instant.now();
        try {
            Object result = guarded(() -> client.call(service, p.operation(), parameters(p.payload(), p.operation()), p.requestId(), true));
            publish(p.replyTo(), client.toJson(result), p.key(), p.operation());
            pending.delete(p.key());
            metrics.poll(NAMESPACE, "success");
            LOG.info("vendor=secutix operation={} requestId {} done after {} poll(s)", p.operation(), p.requestId(), p.attempts());
        } catch (InProgressException e) {
            int attempts = p.attempts() + 1;
            // §5: re-send the last requestId received; in_progress without one keeps the previous one (or null).
            Integer rid = e.requestId() != null ? parseRequestId(e.requestId()) : p.requestId();
            metrics.poll(NAMESPACE, "in_progress");
            if (poll.exhausted(attempts, p.startedAt(), now)) {
                giveUp(p, new SecutixAsyncTimeoutException(p.operation(), rid, attempts, Duration.between(p.startedAt(), now)));
                return;
            }
            pending.reschedule(p.key(), rid, attempts, poll.nextPollAt(now));
            LOG.info("vendor=secutix operation={} still in_progress (requestId {}): attempt {}/{}, next poll in {}",
                    p.operation(), rid, attempts, poll.maxAttempts(), poll.interval());
        } catch (RateLimitedException | TransientException e) {
            // §5: a 509/429 during polling is the rate-limit back-off, not an attempt.
            metrics.poll(NAMESPACE, e.outcome().label());
            if (poll.exhausted(p.attempts(), p.startedAt(), now)) {
                giveUp(p, new SecutixAsyncTimeoutException(p.operation(), p.requestId(), p.attempts(),
                        Duration.between(p.startedAt(), now)));
                return;
            }
            Duration hint = e instanceof RateLimitedException rl ? rl.retryAfter().orElse(null) : null;
            Duration wait = rateBackoff.delay(0, hint);
            pending.reschedule(p.key(), p.requestId(), p.attempts(), now.plus(wait.compareTo(poll.interval()) > 0 ? wait : poll.interval()));
            LOG.info("vendor=secutix operation={} poll deferred ({}), next in at least {}", p.operation(), e.outcome().label(), wait);
        } catch (VendorException e) {
            giveUp(p, e);
        }
    }

    private void giveUp(Pending p, VendorException reason) {
        Exchange dl = new DefaultExchange(context);
        dl.getMessage().setBody(p.payload());
        dl.getMessage().setHeader(SERVICE, p.service());
        dl.getMessage().setHeader(OPERATION, p.operation());
        if (p.correlation() != null) {
            dl.getMessage().setHeader(OutcomeKeys.MESSAGE_KEY, p.correlation());
        }
        dl.setProperty(Exchange.EXCEPTION_CAUGHT, reason);
        context.getRegistry().lookupByNameAndType("deadLetter", DeadLetter.class).process(dl);
        dl.getMessage().setHeader(DeadLetter.ORIGINAL_QUEUE, "secutix-async:" + p.replyTo());
        template.send("jms:queue:" + deadLetterQueue, dl);
        pending.delete(p.key());
        LOG.warn("vendor=secutix operation={} gave up polling: {}", p.operation(), reason.reason());
    }

    /**
     * {@code direct:secutix-export-list}: pages through {@code exportList} from the persisted cursor (§8), publishing
     * each page to {@value #REPLY_TO} and then persisting its {@code paginationEnd} as an opaque string. Stops when
     * the cursor is null, empty or unchanged (§12.9), or after {@code accessControl.maxPagesPerRun} pages.
     */
    public void exportList(Exchange exchange) {
        Settings ac = settings.child("accessControl");
        String replyTo = required(exchange, REPLY_TO);
        String listType = ac.string("listType");
        String season = ac.string("seasonCode", "");
        String cursorKey = "exportList." + listType + "." + season;
        String cursor = state.get(NAMESPACE, cursorKey).orElse(null);
        SecutixService service = client.service(ac.string("service"));
        int pages = 0;
        long items = 0;
        for (int page = 1; page <= ac.integer("maxPagesPerRun"); page++) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("listType", listType);
            params.put("ticketType", ac.string("ticketType"));
            if (!season.isEmpty()) {
                params.put("seasonCode", season);
            }
            params.put("productCodes", ac.list("productCodes"));
            params.put("performanceCodes", ac.list("performanceCodes"));
            params.put("paginationStart", cursor);
            params.put("nbMaxResults", ac.longValue("nbMaxResults"));
            String start = cursor;
            Object result = guarded(() -> client.call(service, "exportList", params, null));
            JsonNode json = client.toJson(result);
            JsonNode data = json.path("accessControlListData");
            items += data.path("accessControlListItems").size();
            Exchange out = new DefaultExchange(context);
            out.getMessage().setBody(client.json().write(json));
            out.getMessage().setHeader(PAGE, page);
            if (start != null) {
                out.getMessage().setHeader(PAGINATION_START, start);
            }
            template.send("jms:queue:" + replyTo, out);
            if (out.getException() != null) {
                throw new IllegalStateException("cannot publish exportList page", out.getException());
            }
            pages++;
            String end = data.path("paginationEnd").isTextual() ? data.path("paginationEnd").asText() : null;
            if (end == null || end.isEmpty() || end.equals(cursor)) {
                break;
            }
            cursor = end;
            state.put(NAMESPACE, cursorKey, cursor);
        }
        LOG.info("vendor=secutix exportList {} published {} page(s), {} item(s); cursor persisted", listType, pages, items);
        exchange.getMessage().setBody("{\"pages\":" + pages + ",\"items\":" + items + "}");
    }

    /** The stored access-control cursor (opaque), for operators and tests. */
    public String cursor(String listType, String season) {
        return state.get(NAMESPACE, "exportList." + listType + "." + season).orElse(null);
    }

    /** {@code is<Service>Alive} for every monitored service (§7): per-service health and a gauge. */
    public void alive() {
        List<String> down = new java.util.ArrayList<>();
        for (var e : serviceHealth.entrySet()) {
            SecutixService service = client.service(e.getKey());
            try {
                client.call(service, service.aliveOperation(), Map.of(), null);
                e.getValue().up(service.aliveOperation() + " success");
                e.getValue().detail("lastAlive", Instant.now().toString());
                aliveState.put(e.getKey(), 1);
            } catch (VendorException failure) {
                e.getValue().down(service.aliveOperation() + " failed: " + failure.reason());
                aliveState.put(e.getKey(), 0);
                down.add(e.getKey());
                LOG.warn("vendor=secutix {} failed: {}", service.aliveOperation(), failure.reason());
            }
        }
        if (down.isEmpty()) {
            health.up("every monitored service answered is<Service>Alive");
        } else {
            health.down("is<Service>Alive failed for " + down);
        }
        health.detail("lastAliveCheck", Instant.now().toString());
    }

    private <T> T guarded(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (CredentialsExpiredException e) {
            // §12.4: a credential failure turns the health check red at once.
            health.down(e.getMessage());
            throw e;
        }
    }

    private void publish(String queue, JsonNode json, String key, String operation) {
        Exchange out = new DefaultExchange(context);
        out.getMessage().setBody(client.json().write(json));
        out.getMessage().setHeader(OPERATION, operation);
        out.getMessage().setHeader(CALL_KEY, key);
        template.send("jms:queue:" + queue, out);
        if (out.getException() != null) {
            throw new IllegalStateException("cannot publish the " + operation + " result to " + queue, out.getException());
        }
    }

    private Map<String, Object> parameters(Object body, String operation) {
        if (body == null) {
            return Map.of();
        }
        if (body instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : body.toString();
        if (text.isBlank()) {
            return Map.of();
        }
        try {
            return client.json().mapper().readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (Exception e) {
            throw new InvalidInputException(NAMESPACE, operation, "payload is not a JSON object of parameters");
        }
    }

    private String payloadText(Object body) {
        if (body == null) {
            return "{}";
        }
        if (body instanceof Map<?, ?> m) {
            return client.json().write(m);
        }
        String s = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : body.toString();
        return s.isBlank() ? "{}" : s;
    }

    private static String required(Exchange exchange, String header) {
        String v = exchange.getMessage().getHeader(header, String.class);
        return Settings.requireField(NAMESPACE, exchange.getMessage().getHeader(OPERATION, String.class), header, v);
    }

    private static Integer parseRequestId(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String statusJson(String status, Integer requestId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statusCode", status);
        m.put("requestId", requestId);
        return client.json().write(m);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Header names shared with the core's outcome ledger. */
    static final class OutcomeKeys {
        static final String MESSAGE_KEY = io.vendorlink.core.queue.OutcomeLedger.KEY;

        private OutcomeKeys() {
        }
    }
}
