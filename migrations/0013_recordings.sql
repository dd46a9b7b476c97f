-- Recording control (issue 8 section 4, decision 0021): each session's recordings, the account's
-- recording default and allowance used, and the presenters-only periods of a session (nothing
-- is recorded in them; the view marks where they cut into a recording).
CREATE TABLE recorders (
    recorder_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    account_id TEXT NOT NULL
);
CREATE TABLE recordings (
    recorder_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    language TEXT NOT NULL,
    started_by TEXT NOT NULL,
    autostart BOOLEAN NOT NULL,
    started_at TEXT NOT NULL,
    stopped_at TEXT,
    stopped_by TEXT,
    stop_reason TEXT,
    seconds INTEGER,
    PRIMARY KEY (recorder_id, number)
);
CREATE INDEX recordings_room ON recordings (room_id, session, number);
CREATE TABLE recording_usage (
    stream_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL UNIQUE,
    autostart BOOLEAN NOT NULL,
    used_seconds INTEGER NOT NULL
);
CREATE TABLE presenters_only_periods (
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    PRIMARY KEY (room_id, session, started_at)
);
-- The interface language of each session that set one (the room's last choice carries on).
CREATE TABLE live_languages (
    stream_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    language TEXT NOT NULL
);
CREATE INDEX live_languages_room ON live_languages (room_id, session);
-- Which room and session each audio stream is (its mode changes make presenters-only periods).
CREATE TABLE recording_audio_streams (
    stream_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL
);
