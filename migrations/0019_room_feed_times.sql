-- Each room event's time on the feed (decision 0029): the replay of a room answers "at an
-- instant" and the playback socket keeps the events' original spacing, both from the feed.
-- ``at`` is the event's own time (the injected clock's, as every report shows it), or for an
-- event that carries none the time of the timed event its command wrote next (null until it
-- comes); the feed is emptied with its position so the projector writes it again with times.
DELETE FROM room_feed;
DELETE FROM room_streams;
DELETE FROM projection_positions WHERE name = 'room_feed';
ALTER TABLE room_feed ADD COLUMN at TEXT;
CREATE INDEX room_feed_session ON room_feed (room_id, session, position);
CREATE INDEX room_feed_untimed ON room_feed (room_id, session) WHERE at IS NULL;
