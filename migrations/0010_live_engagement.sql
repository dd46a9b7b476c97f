-- The live room's engagement read models (issue 8, section 3): each session's chat history and
-- its chat switch, the live question list, the hand queue, calls to action and their clicks.
-- Rows carry room_id and session (decision 0014); position is the notification id of the event
-- that made the row, which orders a session's chat and its hand queue.
CREATE TABLE chat_messages (
    message_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    position BIGINT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    role TEXT NOT NULL,
    audience TEXT NOT NULL,
    text TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    deleted_by TEXT,
    deleted_at TEXT
);
CREATE INDEX chat_messages_session ON chat_messages (room_id, session, position);
CREATE TABLE chat_switches (
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    chat_id TEXT NOT NULL UNIQUE,
    enabled BOOLEAN NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (room_id, session)
);
CREATE TABLE questions (
    question_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    position BIGINT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    text TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    status TEXT NOT NULL,
    answer TEXT,
    closed_by TEXT,
    closed_at TEXT
);
CREATE INDEX questions_session ON questions (room_id, session, position);
CREATE TABLE hands (
    hand_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    raised BOOLEAN NOT NULL,
    raised_at TEXT NOT NULL,
    position BIGINT NOT NULL,
    lowered_by TEXT,
    lowered_at TEXT
);
CREATE INDEX hands_queue ON hands (room_id, session, raised, position);
CREATE TABLE calls_to_action (
    cta_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    button_text TEXT NOT NULL,
    url TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    displayed_by TEXT NOT NULL,
    displayed_at TEXT NOT NULL,
    hides_at TEXT NOT NULL,
    hidden_how TEXT,
    hidden_at TEXT
);
CREATE INDEX calls_to_action_session ON calls_to_action (room_id, session, position);
CREATE TABLE cta_clicks (
    click_id TEXT PRIMARY KEY,
    cta_id TEXT NOT NULL,
    email TEXT NOT NULL,
    clicks INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL
);
CREATE INDEX cta_clicks_cta ON cta_clicks (cta_id);
