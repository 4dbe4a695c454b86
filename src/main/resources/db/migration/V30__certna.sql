-- CeRTNA submissions (routes/certna.camel.yaml, workflow certna-submit): where each document is in
-- checksum -> send -> finalize, so that a redelivery never sends it twice and a failed finalize is retried on the
-- remembered .tmp name without re-sending (protocol note §12.6). Portable SQL (H2 + PostgreSQL).
CREATE TABLE certna_submission (
    message_key   VARCHAR(400)  NOT NULL,
    repository    VARCHAR(200)  NOT NULL,
    payload_name  VARCHAR(400)  NOT NULL,
    state         VARCHAR(20)   NOT NULL,
    checksum_keys TEXT,
    prepared      TEXT,
    tmp_name      VARCHAR(400),
    final_name    VARCHAR(400),
    updated_at    TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (message_key)
);
