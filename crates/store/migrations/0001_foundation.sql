-- Foundation schema: identity, master data, sales facts, audit chain.
-- Written in the SQL both SQLite and PostgreSQL accept: text ids (UUIDv7), BIGINT
-- integers, BOOLEAN flags, exact decimals as text, dates as 'YYYY-MM-DD' text and
-- timestamps as fixed-width RFC 3339 UTC text (both sort correctly as text).

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    partner_id TEXT NULL,
    password_hash TEXT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_login_at TEXT NULL
);
CREATE INDEX users_partner ON users (partner_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NULL,
    revoked_at TEXT NULL,
    last_used_at TEXT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE region_countries (
    region_code TEXT NOT NULL REFERENCES regions (code) ON DELETE CASCADE,
    country_code TEXT NOT NULL,
    PRIMARY KEY (region_code, country_code)
);
CREATE INDEX region_countries_country ON region_countries (country_code);

CREATE TABLE verticals (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    partner_type TEXT NOT NULL,
    distributor_id TEXT NULL REFERENCES partners (id),
    size_band TEXT NOT NULL,
    address_line TEXT NULL,
    city TEXT NULL,
    postal_code TEXT NULL,
    country TEXT NOT NULL,
    latitude TEXT NULL,
    longitude TEXT NULL,
    website_domain TEXT NULL,
    payout_currency TEXT NOT NULL,
    tax_country TEXT NOT NULL,
    status TEXT NOT NULL,
    channel_manager_id TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX partners_manager ON partners (channel_manager_id);
CREATE INDEX partners_distributor ON partners (distributor_id);
CREATE INDEX partners_name ON partners (name);

CREATE TABLE partner_verticals (
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    vertical_code TEXT NOT NULL REFERENCES verticals (code),
    PRIMARY KEY (partner_id, vertical_code)
);

CREATE TABLE partner_countries (
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    country_code TEXT NOT NULL,
    PRIMARY KEY (partner_id, country_code)
);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    family TEXT NOT NULL,
    list_price TEXT NOT NULL,
    currency TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_family ON products (family);

CREATE TABLE customer_accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT NULL REFERENCES customer_accounts (id),
    domains TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    city TEXT NULL,
    is_house_account BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX customer_accounts_parent ON customer_accounts (parent_id);
CREATE INDEX customer_accounts_name ON customer_accounts (name);

CREATE TABLE fx_rates (
    from_currency TEXT NOT NULL,
    to_currency TEXT NOT NULL,
    rate_date TEXT NOT NULL,
    rate TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (from_currency, to_currency, rate_date)
);

CREATE TABLE segments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NULL,
    filter_json TEXT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE import_batches (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    content_sha256 TEXT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE sales_facts (
    id TEXT PRIMARY KEY,
    fact_date TEXT NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    distributor_id TEXT NULL REFERENCES partners (id),
    account_id TEXT NOT NULL REFERENCES customer_accounts (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    quantity BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    deal_ref TEXT NULL,
    source TEXT NOT NULL,
    deal_registered BOOLEAN NOT NULL DEFAULT FALSE,
    import_batch_id TEXT NULL REFERENCES import_batches (id),
    created_at TEXT NOT NULL
);
CREATE INDEX sales_facts_partner_date ON sales_facts (partner_id, fact_date);
CREATE INDEX sales_facts_distributor ON sales_facts (distributor_id);
CREATE INDEX sales_facts_date ON sales_facts (fact_date);

CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_fingerprint TEXT NOT NULL,
    response_status BIGINT NOT NULL,
    response_body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT NULL,
    after_json TEXT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
