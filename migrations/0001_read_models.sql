-- Read models of the foundation slice. Every table here is derived from the event log and can
-- be dropped and rebuilt (`podium rebuild`). Amounts are integer cents; times ISO-8601 UTC text.

-- Where each projection has got to in the notification log (written with its rows).
CREATE TABLE projection_positions (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);

-- billing_history: the transaction history, one row per ledger entry, with the balance after it.
CREATE TABLE billing_ledgers (
    ledger_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL UNIQUE,
    currency TEXT NOT NULL,
    balance BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);

CREATE TABLE billing_entries (
    account_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    balance_after BIGINT NOT NULL,
    description TEXT NOT NULL,
    reference TEXT NOT NULL,
    at TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, sequence)
);

-- account_summary: plan, limits' inputs, add-ons, seats, subaccounts and logins.
CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner_email TEXT NOT NULL,
    nonprofit BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    plan_id TEXT,
    cycle TEXT,
    period_start TEXT,
    period_end TEXT,
    trial_ends TEXT,
    ends_at TEXT,
    scheduled_plan_id TEXT,
    scheduled_cycle TEXT,
    payment_method TEXT,
    add_ons TEXT NOT NULL,
    packages TEXT NOT NULL,
    promo_codes TEXT NOT NULL,
    opened_at TEXT NOT NULL
);
CREATE INDEX accounts_due ON accounts (status, period_end);

CREATE TABLE subaccounts (
    subaccount_id TEXT PRIMARY KEY,
    parent_id TEXT NOT NULL,
    page_name TEXT NOT NULL,
    user_name TEXT NOT NULL,
    email TEXT NOT NULL,
    package_size INTEGER NOT NULL,
    status TEXT NOT NULL,
    ends_at TEXT,
    assigned_at TEXT NOT NULL
);
CREATE INDEX subaccounts_parent ON subaccounts (parent_id);

CREATE TABLE logins (
    login_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX logins_account ON logins (account_id);

-- outbox: every message queued for sending, and how its delivery is going.
CREATE TABLE outbox (
    mail_id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    queued_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
