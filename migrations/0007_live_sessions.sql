-- A room's live sessions (decision 0012): one row per run of a room, and the session each
-- admission belongs to. Admissions recorded before sessions existed were session 1's.
CREATE TABLE live_sessions (
    session_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_how TEXT,
    ended_at TEXT
);
CREATE INDEX live_sessions_room ON live_sessions (room_id, number);
ALTER TABLE admissions ADD COLUMN session INTEGER NOT NULL DEFAULT 1;
ALTER TABLE admissions ADD COLUMN left_at TEXT;
