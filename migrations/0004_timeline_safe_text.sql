-- The timeline is written again from the log: its rows held whatever an event carried,
-- card numbers in payment tokens included (issue 7). Emptying it and its position makes the
-- projector rebuild it with the allowlisted text (projections/timeline/text.py), and each row
-- now says whether only the account's owner may see it (billing, subaccounts).
DELETE FROM timeline;
DELETE FROM timeline_owners;
DELETE FROM projection_positions WHERE name = 'timeline';
ALTER TABLE timeline ADD COLUMN owner_only BOOLEAN NOT NULL DEFAULT FALSE;
