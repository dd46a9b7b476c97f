-- Read models of events (rooms), their access, the address book and the account timeline.

-- rooms: every room with its settings (JSON) for the active/inactive lists and room reads.
CREATE TABLE rooms (
    room_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    number BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_url TEXT NOT NULL,
    room_type TEXT NOT NULL,
    access_type TEXT NOT NULL,
    permanent BOOLEAN NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    timezone TEXT NOT NULL,
    status TEXT NOT NULL,
    locked BOOLEAN NOT NULL,
    settings TEXT NOT NULL,
    secrets TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX rooms_account ON rooms (account_id, status);

CREATE TABLE access_tokens (
    token_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    token TEXT NOT NULL,
    sent_to TEXT,
    used_by TEXT,
    first_use TEXT,
    active BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX access_tokens_room ON access_tokens (room_id, created_at);

CREATE TABLE registrations (
    registration_id TEXT PRIMARY KEY,
    number BIGINT NOT NULL,
    room_id TEXT NOT NULL,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    answers TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX registrations_room ON registrations (room_id, registered_at);

CREATE TABLE invitations (
    invitation_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    lang TEXT NOT NULL,
    template TEXT NOT NULL,
    token TEXT,
    sends INTEGER NOT NULL,
    last_sent_at TEXT NOT NULL
);
CREATE INDEX invitations_room ON invitations (room_id);

CREATE TABLE admissions (
    admission_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    email TEXT NOT NULL,
    nickname TEXT NOT NULL,
    role TEXT NOT NULL,
    via TEXT NOT NULL,
    visits INTEGER NOT NULL,
    admitted_at TEXT NOT NULL
);
CREATE INDEX admissions_room ON admissions (room_id);

-- contacts: the address book.
CREATE TABLE contacts (
    contact_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    email TEXT NOT NULL,
    details TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contacts_account ON contacts (account_id, email);

CREATE TABLE contact_groups (
    group_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    emails TEXT NOT NULL
);

-- timeline: every event of an account, newest first by position (the log's order).
CREATE TABLE timeline_owners (
    aggregate_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL
);

CREATE TABLE timeline (
    position BIGINT PRIMARY KEY,
    account_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX timeline_account ON timeline (account_id, position);
