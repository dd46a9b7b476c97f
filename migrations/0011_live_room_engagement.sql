-- Polls and tests (decision 0018): one row per poll, one per person's answer to a question.
-- JSON columns are text (questions, answer_key, choices), so both stores hold them alike.
CREATE TABLE polls (
    poll_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    created_session INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    questions TEXT NOT NULL,
    answer_key TEXT,
    status TEXT NOT NULL,
    opened_in INTEGER,
    results_shared INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    opened_at TEXT,
    closed_at TEXT
);
CREATE INDEX polls_room ON polls (room_id, created_at);
CREATE TABLE poll_answers (
    answer_id TEXT PRIMARY KEY,
    poll_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    choices TEXT NOT NULL,
    answer_text TEXT,
    points INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    changes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX poll_answers_poll ON poll_answers (poll_id, question_id);
