package io.vendorlink.sentinel;

import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.sentinel.SentinelSessions.Session;
import io.vendorlink.sentinel.SentinelSessions.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The licence-session workflow on top of {@link SentinelClient}: sessions are recorded durably before and after the
 * POST, refreshed by the heartbeat, released on close, on graceful shutdown and after a crash (per settings), so that
 * no session is leaked. Events are plain maps ({@code event}: opened, closed, lost, released) for the outcome queue.
 */
public final class SentinelLicensing {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelLicensing.class);

    private final SentinelClient client;
    private final SentinelSessions sessions;
    private final VendorMetrics metrics;
    private final String owner;
    private final int parallelism;
    private final java.time.Duration unknownOutcomeHold;
    /** Sessions opened before this instant belong to a previous run: only those are recovered. */
    private final java.time.Instant startedAt = java.time.Instant.now();

    public SentinelLicensing(SentinelClient client, SentinelSessions sessions, VendorMetrics metrics, String owner,
                             int parallelism, java.time.Duration unknownOutcomeHold) {
        this.unknownOutcomeHold = unknownOutcomeHold;
        this.client = client;
        this.sessions = sessions;
        this.metrics = metrics;
        this.owner = owner;
        this.parallelism = Math.max(1, parallelism);
    }

    public SentinelSessions sessions() {
        return sessions;
    }

    /** Opens a session under the application's reference; an open session of that reference is answered again. */
    public Map<String, Object> open(Map<String, Object> request) {
        String reference = required(request, "reference");
        String customer = required(request, "customer");
        String user = required(request, "user");
        String feature = required(request, "feature");
        String version = request.get("version") == null ? null : request.get("version").toString();
        int units;
        try {
            units = request.get("units") == null ? 1 : Integer.parseInt(request.get("units").toString());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(SentinelFailures.VENDOR, "open", "units is not a number: " + request.get("units"));
        }
        if (!sessions.claim(reference, owner, customer, user, feature, version, units)) {
            Session existing = sessions.find(reference).orElseThrow();
            if (existing.state() == State.OPEN) {
                return event("opened", existing, "already open");
            }
            if (existing.state() == State.OPENING || existing.state() == State.FAILED) {
                // The POST of this reference went out and its outcome is unknown: in flight elsewhere, cut by a crash
                // or a timeout. Sentinel may hold a seat for it without our knowing the handle (§13.15); a second POST
                // now could hold two. The reference is refused until Sentinel's cleaner has surely freed that seat.
                java.time.Instant freeAt = existing.openedAt().plus(unknownOutcomeHold);
                if (java.time.Instant.now().isBefore(freeAt)) {
                    if (existing.state() == State.OPENING && existing.openedAt().isBefore(startedAt)) {
                        sessions.mark(reference, State.FAILED, "the runtime stopped while the session was being opened");
                    }
                    throw new UnknownOutcomeException(SentinelFailures.VENDOR, "open", null, null, "session " + reference
                            + " was already being opened at " + existing.openedAt() + " and that outcome is unknown (a "
                            + "crash, a timeout or a concurrent request); not opened twice. Sentinel frees an unrefreshed "
                            + "seat by itself: send the request again after " + freeAt
                            + " (vendorlink.sentinel.session.unknownOutcomeHold)", null);
                }
            }
            sessions.forget(reference); // closed, lost or failed before: the reference starts over
            sessions.claim(reference, owner, customer, user, feature, version, units);
        }
        String id;
        try {
            id = client.openSession(customer, user, feature, version, units);
        } catch (VendorException e) {
            if (e instanceof UnknownOutcomeException) {
                sessions.mark(reference, State.FAILED, e.getMessage());
            } else {
                sessions.forget(reference);
            }
            throw e;
        }
        sessions.opened(reference, id);
        metrics.event(SentinelFailures.VENDOR, "session", "opened");
        LOG.info("vendor=sentinel session {} opened ({} for {}/{})", reference, feature, customer, user);
        return event("opened", sessions.find(reference).orElseThrow(), null);
    }

    /** Releases the session of a reference (DELETE); an unknown or finished reference is answered as closed. */
    public Map<String, Object> close(Map<String, Object> request) {
        String reference = required(request, "reference");
        Session s = sessions.find(reference).orElse(null);
        if (s == null || s.state() != State.OPEN) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("event", "closed");
            out.put("reference", reference);
            out.put("detail", s == null ? "no such session" : "already " + s.state().name().toLowerCase());
            return out;
        }
        boolean released = client.releaseSession(s.sessionId());
        sessions.mark(reference, State.CLOSED, released ? "released" : "already closed at Sentinel");
        metrics.event(SentinelFailures.VENDOR, "session", "closed");
        LOG.info("vendor=sentinel session {} closed", reference);
        return event("closed", s, released ? null : "already closed at Sentinel");
    }

    /**
     * PATCHes every open session (all replicas' sessions: the heartbeat runs on the leader). A session Sentinel
     * terminated is marked lost and answered as a {@code lost} event; a transient failure leaves it for the next beat.
     */
    public List<Map<String, Object>> heartbeat() {
        List<Session> open = sessions.inState(State.OPEN);
        List<Map<String, Object>> lost = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        forEach(open, s -> {
            try {
                client.refreshSession(s.sessionId());
                sessions.refreshed(s.reference());
            } catch (SentinelFailures.SessionGoneException gone) {
                sessions.mark(s.reference(), State.LOST, gone.getMessage());
                metrics.event(SentinelFailures.VENDOR, "session", "lost");
                LOG.warn("vendor=sentinel session {} lost: {}", s.reference(), gone.getMessage());
                lost.add(event("lost", s, gone.getMessage()));
            } catch (VendorException e) {
                failed.incrementAndGet();
                LOG.warn("vendor=sentinel heartbeat of session {} failed ({}); next beat tries again", s.reference(),
                        e.getMessage());
            }
        });
        if (!open.isEmpty()) {
            LOG.info("vendor=sentinel heartbeat: {} session(s) refreshed, {} lost, {} failed (retried next beat)",
                    open.size() - lost.size() - failed.get(), lost.size(), failed.get());
        }
        return lost;
    }

    /**
     * After a restart: sessions this runtime had open ({@code owner}) are refreshed (the heartbeat's job, done now)
     * or released, per {@code vendorlink.sentinel.recovery.mode}; sessions left half-open (OPENING) are marked failed.
     */
    public List<Map<String, Object>> recover(String mode) {
        // Only sessions of a previous run: requests may already be opening sessions while this runs.
        for (Session s : sessions.inState(State.OPENING, owner, startedAt)) {
            sessions.mark(s.reference(), State.FAILED, "the runtime stopped while the session was being opened");
        }
        List<Session> mine = sessions.inState(State.OPEN, owner, startedAt);
        if (mine.isEmpty() || mode.equals("none")) {
            return List.of();
        }
        LOG.info("vendor=sentinel recovery: {} session(s) left open by the previous run, mode {}", mine.size(), mode);
        if (mode.equals("refresh")) {
            return heartbeat();
        }
        List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
        forEach(mine, s -> {
            try {
                client.releaseSession(s.sessionId());
                sessions.mark(s.reference(), State.CLOSED, "released after a restart");
                events.add(event("released", s, "released after a restart"));
            } catch (VendorException e) {
                LOG.warn("vendor=sentinel recovery could not release session {} ({}); the heartbeat keeps it alive",
                        s.reference(), e.getMessage());
            }
        });
        return events;
    }

    /** Graceful shutdown: releases the sessions this runtime opened. */
    public int releaseOwn() {
        List<Session> mine = sessions.inState(State.OPEN, owner);
        AtomicInteger released = new AtomicInteger();
        forEach(mine, s -> {
            try {
                client.releaseSession(s.sessionId());
                sessions.mark(s.reference(), State.CLOSED, "released at shutdown");
                released.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.warn("vendor=sentinel could not release session {} at shutdown: {}", s.reference(), e.getMessage());
            }
        });
        if (!mine.isEmpty()) {
            LOG.info("vendor=sentinel shutdown: released {} of {} open session(s)", released.get(), mine.size());
        }
        return released.get();
    }

    private void forEach(List<Session> list, java.util.function.Consumer<Session> action) {
        if (list.size() <= 1 || parallelism == 1) {
            list.forEach(action);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, list.size()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Session s : list) {
                futures.add(pool.submit(() -> action.accept(s)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get(10, TimeUnit.MINUTES);
                } catch (Exception e) {
                    LOG.warn("vendor=sentinel session task failed: {}", e.toString());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> event(String type, Session s, String detail) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", type);
        out.put("reference", s.reference());
        out.put("customer", s.customer());
        out.put("user", s.user());
        out.put("feature", s.feature());
        if (detail != null) {
            out.put("detail", detail);
        }
        return out;
    }

    private static String required(Map<String, Object> request, String field) {
        Object v = request == null ? null : request.get(field);
        if (v == null || v.toString().isBlank()) {
            throw new InvalidInputException(SentinelFailures.VENDOR, "request", "missing field '" + field + "'");
        }
        if (!(v instanceof String) && !(v instanceof Number)) {
            throw new InvalidInputException(SentinelFailures.VENDOR, "request", "field '" + field + "' must be a string");
        }
        return v.toString();
    }

    static RejectedException unknownAction(Object action) {
        return new RejectedException(SentinelFailures.VENDOR, "request", "unknown action '" + action
                + "': expected open or close");
    }
}
