-- Channel conflict: account reservations (at most one active per account, enforced by a
-- partial unique index on both backends) and deal registrations.

CREATE TABLE account_reservations (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES customer_accounts (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    reserved_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    renewals BIGINT NOT NULL DEFAULT 0,
    ended_on TEXT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX account_reservations_one_active ON account_reservations (account_id) WHERE status = 'active';
CREATE INDEX account_reservations_partner ON account_reservations (partner_id, status);
CREATE INDEX account_reservations_expiry ON account_reservations (status, expires_on);

CREATE TABLE deal_registrations (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    registered_by TEXT NULL REFERENCES users (id),
    account_id TEXT NULL REFERENCES customer_accounts (id),
    customer_name TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    website_domain TEXT NULL,
    contact_name TEXT NULL,
    contact_email TEXT NULL,
    country TEXT NOT NULL,
    city TEXT NULL,
    product_families TEXT NOT NULL,
    value TEXT NOT NULL,
    currency TEXT NOT NULL,
    expected_close TEXT NOT NULL,
    notes TEXT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    match_score BIGINT NULL,
    candidates_json TEXT NOT NULL,
    protected_until TEXT NULL,
    extensions BIGINT NOT NULL DEFAULT 0,
    extension_requested BOOLEAN NOT NULL DEFAULT FALSE,
    decided_by TEXT NULL REFERENCES users (id),
    decided_at TEXT NULL,
    closed_on TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deal_registrations_partner ON deal_registrations (partner_id, status);
CREATE INDEX deal_registrations_account ON deal_registrations (account_id, status);
CREATE INDEX deal_registrations_key ON deal_registrations (customer_key, status);
CREATE INDEX deal_registrations_status ON deal_registrations (status, created_at);

-- Rows locked to serialise decisions that must see each other (registrations of one
-- customer under spelling variants); SQLite serialises writers anyway.
CREATE TABLE conflict_gates (
    name TEXT PRIMARY KEY
);
INSERT INTO conflict_gates (name) VALUES ('deal_registration');
