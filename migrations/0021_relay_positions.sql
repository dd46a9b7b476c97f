-- How far the Kafka relay has published the log (decision 0031): moved only after every send
-- of a batch is acknowledged by the broker. Not a read model: a rebuild leaves it alone.
CREATE TABLE relay_positions (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
