-- Core state shared by every connector. Portable SQL: runs unchanged on H2 (embedded default) and PostgreSQL.
-- Connector migrations are numbered by vendor: V10 sentinel, V20 secutix, V30 certna, V40 spaces, V50 centagate,
-- V60 scale-out (leases, shared buckets).

-- Small named values: URLs learned from vendors, cursors, tokens (encrypted when encrypted = TRUE).
CREATE TABLE vl_state (
    namespace   VARCHAR(100)  NOT NULL,
    state_key   VARCHAR(400)  NOT NULL,
    state_value TEXT,
    encrypted   BOOLEAN       NOT NULL DEFAULT FALSE,
    version     BIGINT        NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (namespace, state_key)
);

-- Keys of inbound messages already taken (Camel IdempotentRepository).
CREATE TABLE vl_idempotency (
    repository  VARCHAR(100)  NOT NULL,
    message_key VARCHAR(400)  NOT NULL,
    created_at  TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (repository, message_key)
);

-- The recorded outcome of each inbound message per workflow: a message is acknowledged only after this row exists.
CREATE TABLE vl_outcome (
    workflow    VARCHAR(200)  NOT NULL,
    message_key VARCHAR(400)  NOT NULL,
    outcome     VARCHAR(40)   NOT NULL,
    detail      TEXT,
    recorded_at TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (workflow, message_key)
);
