-- Cisco Spaces Firehose: the recordUid window is persisted as one row per checkpoint (the ids remembered since the
-- previous one) instead of one row per id: at Firehose rates the per-id rows and their two indexes cost more than the
-- rest of the pipeline (issue 6). record_uids = the ids, oldest first, separated by a line feed; a backslash or line
-- feed inside an id is escaped as \\ or \n. record_timestamp = the newest recordTimestamp of the batch (age eviction
-- after a restart may keep a batch slightly longer, never shorter). The window is pruned by last_seq.
CREATE TABLE spaces_firehose_seen_batch (
    first_seq        BIGINT NOT NULL PRIMARY KEY,
    last_seq         BIGINT NOT NULL,
    record_timestamp BIGINT NOT NULL,
    record_uids      TEXT   NOT NULL
);
CREATE INDEX spaces_firehose_seen_batch_last ON spaces_firehose_seen_batch (last_seq);
INSERT INTO spaces_firehose_seen_batch (first_seq, last_seq, record_timestamp, record_uids)
    SELECT seq, seq, record_timestamp, REPLACE(REPLACE(record_uid, '\', '\\'), CHR(10), '\n') FROM spaces_firehose_seen;
DROP TABLE spaces_firehose_seen;
