-- Where each write-side policy has got in the log (decision 0013), and the event it stopped at
-- if one made it raise (NULL: healthy). The position only saves work: every command a policy
-- issues is exactly-once by its idempotency key.
CREATE TABLE policy_positions (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL DEFAULT 0,
    failed_notification_id BIGINT,
    failed_event TEXT,
    failed_error TEXT,
    failed_at TEXT
);
