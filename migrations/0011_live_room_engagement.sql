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
-- The whiteboard (decision 0018): each session's collaborate switch and clears, and the marks
-- (strokes and notes) drawn since the last clear, in the log's order (position).
CREATE TABLE whiteboards (
    board_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    collaborate INTEGER NOT NULL DEFAULT 0,
    generation INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX whiteboards_session ON whiteboards (room_id, session);
CREATE TABLE whiteboard_marks (
    mark_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    shape TEXT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    presenter INTEGER NOT NULL,
    drawn_at TEXT NOT NULL
);
CREATE INDEX whiteboard_marks_session ON whiteboard_marks (room_id, session, position);
-- The stage (decision 0018): what each session shows, the last word of each kind.
CREATE TABLE stages (
    stage_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    file_id TEXT,
    file_name TEXT,
    page INTEGER,
    video_id TEXT,
    video_position_ms BIGINT,
    video_playing INTEGER,
    video_at TEXT,
    changed_at TEXT
);
CREATE UNIQUE INDEX stages_session ON stages (room_id, session);
-- Camera feeds (decision 0018): who is on each session's stage, showing a camera or an avatar.
-- feeds_id is the session's CameraFeeds stream (derived from room + session).
CREATE TABLE camera_feeds (
    feeds_id TEXT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    shows TEXT NOT NULL,
    since TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (feeds_id, email)
);
