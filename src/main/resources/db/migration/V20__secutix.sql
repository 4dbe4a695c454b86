-- SecuTix connector state. Portable SQL (H2 and PostgreSQL).

-- Client-side rate limiter shared by every replica (protocol note §6): one row per bucket, holding the bucket's
-- "theoretical arrival time" (GCRA) in epoch milliseconds. A call reserves its slot by moving tat forward inside one
-- transaction that locks the rows of all its buckets (SELECT ... FOR UPDATE), so replicas never hand out the same slot.
CREATE TABLE secutix_rate_bucket (
    bucket_key  VARCHAR(200) NOT NULL,
    tat_millis  BIGINT       NOT NULL,
    PRIMARY KEY (bucket_key)
);

-- Calls answered in_progress (§5), polled with their requestId until success or the deadline; survives restarts.
CREATE TABLE secutix_pending_call (
    call_key      VARCHAR(400) NOT NULL,
    service_key   VARCHAR(100) NOT NULL,
    operation     VARCHAR(200) NOT NULL,
    payload       TEXT,
    request_id    INTEGER,
    attempts      INTEGER      NOT NULL,
    started_at    BIGINT       NOT NULL,
    next_poll_at  BIGINT       NOT NULL,
    reply_to      VARCHAR(400) NOT NULL,
    correlation   VARCHAR(400),
    updated_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (call_key)
);
