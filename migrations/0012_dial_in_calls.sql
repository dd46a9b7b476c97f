-- Call detail records of the phone gateway (decision 0019): one row per call, with the room
-- and session once its PIN let it in. Duration and cost are computed by the view, because a
-- call is billed only up to its session's end (live_sessions.ended_at).
CREATE TABLE dial_in_calls (
    call_id TEXT PRIMARY KEY,
    provider_call_id TEXT NOT NULL,
    caller TEXT NOT NULL,
    gateway TEXT NOT NULL,
    toll_free BOOLEAN NOT NULL,
    started_at TEXT NOT NULL,
    room_id TEXT,
    session INTEGER,
    role TEXT,
    joined_at TEXT,
    ended_at TEXT
);
CREATE INDEX dial_in_calls_session ON dial_in_calls (room_id, session);
