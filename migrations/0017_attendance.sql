-- The attendance read model (decision 0027, docs/read-models.md): who was in each session, from
-- when to when, on what device and from where, and what each did. Browser, system, device and
-- country were derived when the join was written and are copied from the join events.
CREATE TABLE attendance_sessions (
    session_id TEXT NOT NULL UNIQUE,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    session_ref BIGINT NOT NULL UNIQUE,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    PRIMARY KEY (room_id, session)
);
CREATE TABLE attendances (
    attendance_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    position BIGINT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    role TEXT NOT NULL,
    via TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    left_at TEXT,
    present_since TEXT,
    seconds_present INTEGER NOT NULL DEFAULT 0,
    joins INTEGER NOT NULL DEFAULT 1,
    user_agent TEXT NOT NULL DEFAULT '',
    browser TEXT NOT NULL DEFAULT '',
    os TEXT NOT NULL DEFAULT '',
    device TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    questions INTEGER NOT NULL DEFAULT 0,
    chat_messages INTEGER NOT NULL DEFAULT 0,
    poll_answers INTEGER NOT NULL DEFAULT 0,
    ctas_clicked INTEGER NOT NULL DEFAULT 0,
    rating TEXT,
    rating_comment TEXT
);
CREATE INDEX attendances_session ON attendances (room_id, session);
CREATE TABLE attendance_joins (
    position BIGINT PRIMARY KEY,
    attendance_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    left_at TEXT,
    user_agent TEXT NOT NULL,
    browser TEXT NOT NULL,
    os TEXT NOT NULL,
    device TEXT NOT NULL,
    ip TEXT NOT NULL,
    country TEXT NOT NULL,
    country_from TEXT NOT NULL
);
CREATE INDEX attendance_joins_attendance ON attendance_joins (attendance_id);
CREATE TABLE attendance_calls (
    call_id TEXT PRIMARY KEY,
    caller TEXT NOT NULL,
    toll_free BOOLEAN NOT NULL,
    dialled_at TEXT NOT NULL,
    attendance_id TEXT,
    joined_at TEXT,
    ended_at TEXT
);
CREATE INDEX attendance_calls_attendance ON attendance_calls (attendance_id);
-- Poll answers per attendance, with the points they scored (a test's score), counted only while
-- their poll was open, as the polls read model counts them.
CREATE TABLE attendance_polls (
    poll_id TEXT PRIMARY KEY,
    open BOOLEAN NOT NULL
);
CREATE TABLE attendance_poll_answers (
    answer_id TEXT PRIMARY KEY,
    attendance_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    points INTEGER NOT NULL
);
CREATE INDEX attendance_poll_answers_attendance ON attendance_poll_answers (attendance_id);
