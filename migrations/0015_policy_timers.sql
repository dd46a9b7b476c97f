-- Reactions time makes due (decision 0013, "Time"): a policy saw the event at notification_id
-- and reacts to it once the clock reaches due_at (microseconds since the epoch, UTC). A row is
-- written before the policy's position passes the event and deleted once the reaction ran,
-- so a crash fires each at least once; the reaction's idempotency key makes it exactly once.
CREATE TABLE policy_timers (
    policy TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    PRIMARY KEY (policy, notification_id)
);
CREATE INDEX policy_timers_due ON policy_timers (policy, due_at);
