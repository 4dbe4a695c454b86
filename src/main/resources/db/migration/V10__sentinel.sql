-- Sentinel licence sessions (routes/sentinel.camel.yaml): every session the runtime opened, so that the heartbeat
-- refreshes each one, a crash or a shutdown never leaks one, and a redelivered request never opens a second one.
-- reference = the application's name for the session (its idempotency key); session_id = Sentinel's opaque handle,
-- byte for byte (it contains / + = and CR LF). Portable SQL (H2 + PostgreSQL).
CREATE TABLE sentinel_session (
    reference     VARCHAR(200)  NOT NULL,
    session_id    TEXT,
    state         VARCHAR(20)   NOT NULL,
    owner         VARCHAR(200)  NOT NULL,
    customer      VARCHAR(200),
    user_name     VARCHAR(200),
    feature       VARCHAR(200),
    feature_version VARCHAR(50),
    units         INTEGER,
    opened_at     TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    refreshed_at  TIMESTAMP,
    detail        VARCHAR(1000),
    PRIMARY KEY (reference)
);
CREATE INDEX sentinel_session_state ON sentinel_session (state);
