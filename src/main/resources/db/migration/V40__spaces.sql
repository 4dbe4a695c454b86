-- Cisco Spaces Firehose: the bounded de-duplication window on recordUid (protocol note §B5). seq orders the window
-- (oldest evicted first); record_timestamp lets an operator see how far back it reaches.
CREATE TABLE spaces_firehose_seen (
    record_uid       VARCHAR(200) NOT NULL PRIMARY KEY,
    record_timestamp BIGINT       NOT NULL,
    seq              BIGINT       NOT NULL
);
CREATE INDEX spaces_firehose_seen_seq ON spaces_firehose_seen (seq);
