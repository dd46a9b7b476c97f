-- Recordings in storage (decision 0025): one row per composed take, and the bytes an account's
-- recordings take of its plan's storage.
CREATE TABLE stored_recordings (
    recording_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    number INTEGER NOT NULL,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (room_id, session, number)
);
CREATE INDEX stored_recordings_account ON stored_recordings (account_id, created_at);
ALTER TABLE recording_usage ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;
