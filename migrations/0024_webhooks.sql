-- Webhooks (decision 0034, docs/read-models.md). Read models first: rebuilt from the log like
-- every projection's tables.
CREATE TABLE webhook_endpoints (
    endpoint_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    url TEXT NOT NULL,
    kinds TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    generation INTEGER NOT NULL,
    previous_generation INTEGER,
    rotated_at TEXT,
    registered_position BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id);
CREATE TABLE webhook_replays (
    endpoint_id TEXT NOT NULL,
    replay INTEGER NOT NULL,
    position BIGINT,
    since TEXT,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (endpoint_id, replay)
);
-- Which account each stream belongs to, and each public event of an account by position.
CREATE TABLE account_streams (
    stream_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL
);
CREATE TABLE account_events (
    position BIGINT PRIMARY KEY,
    account_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    occurred_at_us BIGINT NOT NULL
);
CREATE INDEX account_events_account ON account_events (account_id, position);
CREATE INDEX account_events_time ON account_events (account_id, occurred_at_us);
-- The delivery worker's own state (not read models: a rebuild leaves them alone, as it does
-- policy_positions). Times are microseconds since the epoch, UTC.
CREATE TABLE webhook_cursors (
    endpoint_id TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    run INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
    endpoint_id TEXT NOT NULL,
    run INTEGER NOT NULL,
    position BIGINT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at_us BIGINT NOT NULL,
    next_attempt_us BIGINT NOT NULL,
    claimed_until_us BIGINT,
    claimed_by TEXT,
    delivered_at_us BIGINT,
    last_code INTEGER,
    last_error TEXT,
    PRIMARY KEY (endpoint_id, run, position)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_us);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, status, position);
CREATE TABLE webhook_attempts (
    endpoint_id TEXT NOT NULL,
    run INTEGER NOT NULL,
    position BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    at_us BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    response_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (endpoint_id, run, position, attempt)
);
