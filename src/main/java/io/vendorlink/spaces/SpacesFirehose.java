package io.vendorlink.spaces;

import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.Outcome;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.http.VendorHttp;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.retry.Backoff;
import io.vendorlink.core.state.StateStore;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Firehose consumer (protocol note Part B): one long-lived {@code GET <base>/api/partners/v1/firehose/events} with
 * {@code X-API-Key}, read as NDJSON ({@link SpacesNdjson}: split chunks reassembled, a broken last line discarded).
 * <ul>
 *   <li>KEEP_A* lines only feed the watchdog; after {@code firehose.idleTimeout} without any line (3 × 15 s) the
 *       stream is aborted and reopened (§B5, §E9, §E12);</li>
 *   <li>reconnect with {@link Backoff} (exponential + jitter) on I/O errors, 5xx and 429 (a 429 waits at least
 *       {@code firehose.rateLimitedMinDelay}); 400/401/403 stop the consumer and turn the health DOWN with the reason
 *       (§B4, §E6, §E7);</li>
 *   <li>resume from {@code fromTimestamp} = the last processed {@code recordTimestamp} (persisted) minus
 *       {@code firehose.overlap}; beyond {@code firehose.replayWindow} resume from now and report a data gap (§E11);</li>
 *   <li>{@code recordUid} de-duplicated through {@link SpacesDedupeWindow}; an id is remembered only after its event was
 *       handed to {@code firehose.publishUri}, and ids are persisted in a batch just before each checkpoint
 *       ({@code firehose.checkpointEvery}, every disconnect, stop). A crash (not a stop) can therefore re-publish up to
 *       that many events - at-least-once, never lost; the header {@code VendorlinkMessageKey} lets consumers drop them;</li>
 *   <li>unknown event types are counted and skipped, never fatal (§B6).</li>
 * </ul>
 */
public final class SpacesFirehose extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(SpacesFirehose.class);
    public static final String EVENT_TYPE = "SpacesEventType";
    public static final String RECORD_UID = "SpacesRecordUid";
    public static final String RECORD_TIMESTAMP = "SpacesRecordTimestamp";
    static final String CHECKPOINT = "firehose.checkpoint";

    private final CamelContext context;
    private final VendorHttp http;
    private final SpacesActivation activation;
    private final StateStore state;
    private final VendorMetrics metrics;
    private final VendorHealthCheck health;
    private final Clock clock;
    private final Settings settings;
    private final Backoff backoff;
    private final Duration idleTimeout;
    private final Duration overlap;
    private final Duration replayWindow;
    private final Duration rateLimitedMin;
    private final Set<String> knownTypes;
    private final int minPartition;
    private final int maxPartition;
    private final int checkpointEvery;
    private final String publishUri;
    private final SpacesDedupeWindow dedupe;

    private final Object signal = new Object();
    private volatile boolean running;
    private volatile String stoppedReason;
    private volatile Thread worker;
    private volatile InputStream current;
    private volatile long lastLineNanos;
    private volatile boolean watchdogFired;
    /** True only while the worker is blocked in a read: an interrupt must never land inside a publish. */
    private volatile boolean reading;
    private ProducerTemplate producer;
    private SpacesEventSink sink;
    private final String publishMode;
    private final int publishBatch;
    private final java.util.List<String> uncommitted = new java.util.ArrayList<>();
    private long pendingCheckpoint = -1;
    private int uncommittedPublished;
    private final Map<String, Integer> uncommittedByType = new java.util.HashMap<>();
    private volatile long[] stageNanos;
    private long checkpoint = -1;
    private long sinceCheckpoint;
    private boolean progressed;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong keepAlives = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    public SpacesFirehose(CamelContext context, VendorHttp http, SpacesActivation activation, StateStore state,
                          VendorMetrics metrics, VendorHealthCheck health, Settings settings, javax.sql.DataSource dataSource,
                          Clock clock) {
        this.context = context;
        this.http = http;
        this.activation = activation;
        this.state = state;
        this.metrics = metrics;
        this.health = health;
        this.settings = settings;
        this.clock = clock;
        Settings f = settings.child("firehose");
        this.backoff = Backoff.from(f.child("backoff"));
        this.idleTimeout = f.duration("idleTimeout");
        this.overlap = f.duration("overlap");
        this.replayWindow = f.duration("replayWindow");
        this.rateLimitedMin = f.duration("rateLimitedMinDelay");
        this.knownTypes = Set.copyOf(f.list("eventTypes"));
        this.minPartition = f.integer("minPartition");
        this.maxPartition = f.integer("maxPartition");
        // §B3: partitions 1-12, at most 12 receivers.
        if (minPartition < 1 || maxPartition > 12 || minPartition > maxPartition) {
            throw new IllegalStateException("vendorlink.spaces.firehose.minPartition/maxPartition must satisfy 1 <= min <= max <= 12");
        }
        if (overlap.toMillis() < 1) {
            throw new IllegalStateException("vendorlink.spaces.firehose.overlap must be at least 1 ms (events share timestamps)");
        }
        this.checkpointEvery = f.integer("checkpointEvery");
        this.publishUri = f.string("publishUri");
        this.publishMode = f.string("publishMode");
        this.publishBatch = f.integer("publishBatch");
        if (!publishMode.equals("route") && !publishMode.equals("jms-batch")) {
            throw new IllegalStateException("vendorlink.spaces.firehose.publishMode must be route or jms-batch");
        }
        this.dedupe = new SpacesDedupeWindow(dataSource, f.integer("dedupe.maxEntries"), f.duration("dedupe.maxAge"));
        metrics.gauge("vendorlink_spaces_firehose_published", "Firehose events published", "spaces", published::get);
        metrics.gauge("vendorlink_spaces_firehose_duplicates", "Firehose duplicates dropped", "spaces", duplicates::get);
        metrics.gauge("vendorlink_spaces_firehose_unknown_types", "Firehose events of unknown type skipped", "spaces", unknown::get);
        metrics.gauge("vendorlink_spaces_firehose_reconnects", "Firehose reconnects", "spaces", reconnects::get);
    }

    public long published() {
        return published.get();
    }

    /** Lines that were not events (not JSON, wrong types, over the line cap): counted and skipped, never fatal. */
    public long malformed() {
        return malformed.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long unknownTypes() {
        return unknown.get();
    }

    public long keepAlives() {
        return keepAlives.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    /** Why the consumer stopped by itself (401/403/400), or null while it runs. */
    public String stoppedReason() {
        return stoppedReason;
    }

    /** Wakes the consumer (a new apiKey was stored). Restarts it after a 401 stop. */
    public void wake() {
        if (stoppedReason != null && isStarted()) {
            stoppedReason = null;
            startWorker();
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    protected void doStart() {
        LOG.info("Spaces Firehose consumer starting (partitions {}-{})", minPartition, maxPartition);
        producer = context.createProducerTemplate();
        sink = publishMode.equals("route") ? new SpacesEventSink.Route(producer, publishUri, settings.bool("queue.deliveryPersistent"))
                : new SpacesEventSink.JmsBatch(context.getRegistry().lookupByNameAndType("jmsConnectionFactory",
                jakarta.jms.ConnectionFactory.class), settings.string("queue.events"), settings.bool("queue.deliveryPersistent"));
        checkpoint = state.get(SpacesActivation.NS, CHECKPOINT).map(Long::parseLong).orElse(-1L);
        startWorker();
    }

    private synchronized void startWorker() {
        running = true;
        Thread t = new Thread(this::run, "spaces-firehose");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> {
            LOG.error("Spaces Firehose consumer failed", e);
            health.down("Firehose consumer failed: " + e);
        });
        worker = t;
        t.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Thread t = worker;
        abortStream();
        synchronized (signal) {
            signal.notifyAll();
        }
        if (t != null) {
            if (reading) {
                t.interrupt();
            }
            t.join(10_000);
        }
        saveCheckpoint();
        if (sink != null) {
            sink.close();
        }
        if (producer != null) {
            producer.stop();
        }
    }

    private void run() {
        int attempt = 0;
        waitFor(() -> context.getStatus().isStarted(), Duration.ofMinutes(5));
        while (running) {
            Optional<String> apiKey = activation.apiKey();
            if (apiKey.isEmpty()) {
                health.detail("firehose", "waiting for an activation (no apiKey yet)");
                pause(Duration.ofSeconds(1));
                continue;
            }
            Duration delay;
            try {
                URI uri = uri();
                LOG.info("Spaces Firehose connecting: {}", uri.getRawQuery());
                HttpResponse<InputStream> r = http.stream("firehose", http.request(uri)
                        .header("X-API-Key", apiKey.get()).header("Accept", "application/x-ndjson").GET().build());
                int status = r.statusCode();
                LOG.info("Spaces Firehose answered HTTP {}", status);
                if (status == 200) {
                    health.up("Firehose streaming (partitions " + minPartition + "-" + maxPartition + ")");
                    progressed = false;
                    read(r.body());
                    if (progressed) {
                        attempt = 0;
                    }
                    delay = backoff.delay(attempt++);
                } else {
                    close(r.body());
                    if (status == 400 || status == 401 || status == 403) {
                        stop(status);
                        return;
                    }
                    delay = status == 429 ? backoff.delay(attempt++, rateLimitedMin) : backoff.delay(attempt++);
                    metrics.retry("spaces", status == 429 ? Outcome.RATE_LIMITED : Outcome.TRANSIENT);
                    if (status == 429) {
                        metrics.throttleWait("spaces", "firehose", delay);
                    }
                    health.detail("firehose", "HTTP " + status + " on connect; reconnecting in " + delay.toMillis() + " ms");
                }
            } catch (TransientException e) {
                delay = backoff.delay(attempt++);
                metrics.retry("spaces", Outcome.TRANSIENT);
                health.detail("firehose", "cannot connect (" + e.getMessage() + "); reconnecting in " + delay.toMillis() + " ms");
            } catch (RuntimeException e) {
                // a publish failure: the event is not remembered, the replay brings it again
                delay = backoff.delay(attempt++);
                LOG.warn("Spaces Firehose: {}; reconnecting in {} ms", e.toString(), delay.toMillis());
            }
            saveCheckpoint();
            if (running) {
                reconnects.incrementAndGet();
                pause(delay);
            }
        }
    }

    private void stop(int status) {
        running = false;
        stoppedReason = switch (status) {
            case 401 -> "Firehose refused the API key (HTTP 401: missing, invalid or revoked, e.g. after a reactivation "
                    + "elsewhere); consumer stopped - activate again with a fresh token";
            case 403 -> "Firehose refused this endpoint type for the activation (HTTP 403); consumer stopped";
            default -> "Firehose refused the request (HTTP 400, e.g. replicaId on a cloud activation); consumer stopped";
        };
        metrics.outcome("spaces", "firehose", Outcome.REJECTED);
        health.down(stoppedReason);
        LOG.error("Spaces {}", stoppedReason);
    }

    private URI uri() {
        String base = settings.optional("firehose.baseUrl").or(activation::activatedBaseUrl)
                .orElseThrow(() -> new IllegalStateException("no Firehose base URL: activate first or set vendorlink.spaces.firehose.baseUrl"));
        StringBuilder q = new StringBuilder("?minPartition=").append(minPartition).append("&maxPartition=").append(maxPartition);
        long now = clock.millis();
        if (checkpoint >= 0) {
            long from = checkpoint - overlap.toMillis();
            if (now - from > replayWindow.toMillis()) {
                // §E11: beyond the replay window; resume from now and say so.
                LOG.error("Spaces Firehose: last processed event at {} is beyond the replay window ({}); resuming from now - "
                        + "possible data gap", java.time.Instant.ofEpochMilli(checkpoint), replayWindow);
                health.detail("firehose.dataGap", "possible data gap after " + java.time.Instant.ofEpochMilli(checkpoint));
                metrics.event("spaces", "firehose", "data_gap");
                from = now;
            }
            q.append("&fromTimestamp=").append(from);
        } else {
            settings.optional("firehose.startFromTimestamp").ifPresent(t -> q.append("&fromTimestamp=").append(t));
        }
        return URI.create(base.replaceAll("/+$", "") + "/api/partners/v1/firehose/events" + q);
    }

    private void read(InputStream in) {
        current = in;
        watchdogFired = false;
        lastLineNanos = System.nanoTime();
        SpacesNdjson framing = new SpacesNdjson();
        Thread watchdog = new Thread(() -> watch(in), "spaces-firehose-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while (running) {
                reading = true;
                n = in.read(buf);
                reading = false;
                if (n < 0) {
                    break;
                }
                long before = framing.oversizedLines();
                framing.feed(buf, n, this::onLine);
                if (framing.oversizedLines() > before) {
                    long dropped = framing.oversizedLines() - before;
                    malformed.addAndGet(dropped);
                    metrics.event("spaces", "malformed", "oversized_line_skipped");
                    LOG.warn("Spaces Firehose: skipped {} line(s) longer than {} bytes", dropped, SpacesNdjson.MAX_LINE);
                }
                commitBatch(); // before blocking on the next read: bounded latency
            }
        } catch (IOException e) {
            if (running && !watchdogFired) {
                LOG.info("Spaces Firehose stream broke: {}", e.toString());
            }
        } catch (RuntimeException e) {
            abandonBatch();
            throw e;
        } finally {
            reading = false;
            Thread.interrupted(); // clear a watchdog interrupt
            try {
                commitBatch();
            } catch (RuntimeException e) {
                abandonBatch();
            }
            watchdog.interrupt();
            current = null;
            int partial = framing.discardPartial();
            if (partial > 0) {
                metrics.event("spaces", "partial_line", "discarded");
            }
            close(in);
        }
    }

    private void watch(InputStream in) {
        while (running && current == in && !Thread.currentThread().isInterrupted()) {
            if (System.nanoTime() - lastLineNanos > idleTimeout.toNanos()) {
                watchdogFired = true;
                metrics.event("spaces", "firehose", "watchdog_reconnect");
                LOG.warn("Spaces Firehose silent for more than {}: reconnecting", idleTimeout);
                abortStream();
                return;
            }
            try {
                Thread.sleep(Math.max(10, idleTimeout.toMillis() / 5));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void abortStream() {
        InputStream in = current;
        if (in != null) {
            close(in);
            Thread t = worker;
            if (t != null && t != Thread.currentThread() && reading) {
                t.interrupt();
            }
        }
    }

    /** One NDJSON line: keep-alive, duplicate, unknown type, or an event to publish. Public for the benchmark only. */
    public void onLine(String line) {
        lastLineNanos = System.nanoTime();
        long t0 = stageNanos == null ? 0 : System.nanoTime();
        if (line.isBlank()) {
            return;
        }
        SpacesFirehoseEvent e = SpacesFirehoseEvent.parse(line);
        if (e == null) {
            malformed.incrementAndGet();
            metrics.event("spaces", "malformed", "skipped");
            return;
        }
        String type = e.eventType();
        if (type.regionMatches(true, 0, "KEEP_A", 0, 6)) {
            keepAlives.incrementAndGet();
            return;
        }
        String uid = e.recordUid();
        long ts = e.recordTimestamp();
        if (uid == null || uid.isEmpty() || ts < 0) {
            malformed.incrementAndGet();
            metrics.event("spaces", "malformed", "skipped");
            return;
        }
        long t1 = stage(0, t0);
        if (dedupe.seen(uid)) {
            duplicates.incrementAndGet();
            stage(1, t1);
            return;
        }
        long t2 = stage(1, t1);
        if (!knownTypes.contains(type)) {
            unknown.incrementAndGet();
            metrics.event("spaces", "unknown_type", "skipped");
        } else {
            try {
                sink.publish(type, uid, ts, line);
            } catch (RuntimeException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new IllegalStateException("cannot publish a Firehose event: " + ex, ex);
            }
            uncommittedPublished++;
            uncommittedByType.merge(type, 1, Integer::sum);
        }
        long t3 = stage(2, t2);
        dedupe.remember(uid, ts);
        uncommitted.add(uid);
        pendingCheckpoint = ts;
        progressed = true;
        stage(1, t3);
        if (uncommitted.size() >= publishBatch) {
            commitBatch();
        }
    }

    /** Adds the time since {@code since} to a stage of {@link #stageNanos} (when measured) and returns now. */
    private long stage(int index, long since) {
        long[] stages = stageNanos;
        if (stages == null) {
            return 0;
        }
        long now = System.nanoTime();
        stages[index] += now - since;
        return now;
    }

    /**
     * For the benchmark: from now on, add the nanoseconds spent per stage to {@code stages} = [parse, de-duplicate
     * (look-up and remember), publish (JMS send), commit (JMS commit and metrics), checkpoint (persist window and
     * checkpoint)]; null turns it off. Off by default (one branch per stage).
     */
    public void measureStages(long[] stages) {
        this.stageNanos = stages;
    }

    /** For the benchmark: commits what {@link #onLine} handed so far (the stream reader does this after each chunk). */
    public void commitPending() {
        commitBatch();
    }

    /** Commits the events handed since the last commit; only then do they count and move the checkpoint. */
    private void commitBatch() {
        if (uncommitted.isEmpty()) {
            return;
        }
        long t0 = stageNanos == null ? 0 : System.nanoTime();
        try {
            sink.commit();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot commit Firehose events: " + e, e);
        }
        published.addAndGet(uncommittedPublished);
        uncommittedPublished = 0;
        // counted per committed batch: a counter look-up per event cost more than the JMS send of it (issue 6)
        uncommittedByType.forEach((type, n) -> metrics.event("spaces", type, "published", n));
        uncommittedByType.clear();
        sinceCheckpoint += uncommitted.size();
        uncommitted.clear();
        checkpoint = pendingCheckpoint;
        long t1 = stage(3, t0);
        if (sinceCheckpoint >= checkpointEvery) {
            saveCheckpoint();
            stage(4, t1);
        }
    }

    /** A publish or commit failed: roll back and forget those ids, so that the replay brings them again. */
    private void abandonBatch() {
        if (!uncommitted.isEmpty()) {
            sink.rollback();
            dedupe.forget(uncommitted);
            uncommitted.clear();
            uncommittedPublished = 0;
            uncommittedByType.clear();
            pendingCheckpoint = checkpoint;
        }
    }

    private synchronized void saveCheckpoint() {
        if (!uncommitted.isEmpty() && !reading && Thread.currentThread() == worker) {
            commitBatch();
        }
        dedupe.flush(); // ids first: a persisted checkpoint never runs ahead of the persisted window
        if (checkpoint >= 0 && sinceCheckpoint > 0) {
            state.put(SpacesActivation.NS, CHECKPOINT, Long.toString(checkpoint));
            sinceCheckpoint = 0;
        }
    }

    private void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        synchronized (signal) {
            while (running && System.nanoTime() < until) {
                try {
                    signal.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
                if (activation.apiKey().isPresent() && d.toMillis() >= 1000 && checkpoint < 0 && published.get() == 0) {
                    return; // woken by an activation while waiting for the key
                }
            }
        }
    }

    private void waitFor(java.util.function.BooleanSupplier ready, Duration max) {
        long until = System.nanoTime() + max.toNanos();
        while (running && !ready.getAsBoolean() && System.nanoTime() < until) {
            pause(Duration.ofMillis(50));
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing a broken stream
        }
    }
}
