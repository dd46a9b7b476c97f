-- The projector as a Kafka consumer (decision 0035). Not read models: a rebuild leaves them.
-- The last version of each aggregate a consumer applied: a record at or below it is a
-- duplicate (the relay sends at least once) and changes nothing.
CREATE TABLE feed_applied (
    consumer TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (consumer, aggregate_id)
);
-- Where each partition was consumed to, written in the same transaction as the rows: the
-- consumer's real position (a notification id is not one across partitions), and its lag.
CREATE TABLE feed_offsets (
    consumer TEXT NOT NULL,
    topic TEXT NOT NULL,
    kafka_partition INTEGER NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (consumer, topic, kafka_partition)
);
-- A version that jumped: reported here (and logged), never applied out of order. The records
-- after the gap wait in feed_held and are applied, in order, once the missing one arrives.
CREATE TABLE feed_gaps (
    consumer TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    expected_version BIGINT NOT NULL,
    got_version BIGINT NOT NULL,
    notification_id BIGINT NOT NULL,
    topic TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (consumer, aggregate_id, expected_version)
);
CREATE TABLE feed_held (
    consumer TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (consumer, aggregate_id, version)
);
