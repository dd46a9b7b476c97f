-- The account a message is sent for, so its owner can see delivery status (GET /mail).
ALTER TABLE outbox ADD COLUMN account_id TEXT;
CREATE INDEX outbox_account ON outbox (account_id, queued_at);
