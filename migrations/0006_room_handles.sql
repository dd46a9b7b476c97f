-- The account handle of room URLs, stored and indexed (domain.ids.account_handle): 16 hex digits
-- of the account id, skipping its version (13th) and variant (17th) digits. legacy_handle is the
-- 8-digit handle of the URLs issued before; the projection sets it only for rooms whose address
-- was claimed with it, which is every room this table holds when the migration runs.
ALTER TABLE rooms ADD COLUMN handle TEXT;
ALTER TABLE rooms ADD COLUMN legacy_handle TEXT;
UPDATE rooms SET
    handle = substr(replace(account_id, '-', ''), 1, 12)
        || substr(replace(account_id, '-', ''), 14, 3)
        || substr(replace(account_id, '-', ''), 18, 1),
    legacy_handle = substr(replace(account_id, '-', ''), 1, 8);
CREATE INDEX rooms_handle ON rooms (handle, name_url);
CREATE INDEX rooms_legacy_handle ON rooms (legacy_handle, name_url);
