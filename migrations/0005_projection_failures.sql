-- A projection that cannot apply an event stops there and says why (issue 7): the event's
-- notification id, its stream and version, its topic, the exception, and when. NULL: healthy.
ALTER TABLE projection_positions ADD COLUMN failed_notification_id BIGINT;
ALTER TABLE projection_positions ADD COLUMN failed_event TEXT;
ALTER TABLE projection_positions ADD COLUMN failed_error TEXT;
ALTER TABLE projection_positions ADD COLUMN failed_at TEXT;
