-- The live room's feed (decision 0020): every room event, by room, in the log's order, with
-- what a room client is sent (kind, audience, payload as JSON), for resume and replay; and which
-- room, session and audience each room stream belongs to, set by its created event.
CREATE TABLE room_feed (
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    position BIGINT NOT NULL,
    stream_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (room_id, position)
);
CREATE TABLE room_streams (
    stream_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    audience TEXT NOT NULL
);
