-- Incentives: plans (drafts and published versions), withholding rates, close runs,
-- statements and their lines (earnings, adjustments, claims), claims with their proof
-- attachments, payout batches with one payment per statement, and signed webhooks that
-- deliver outbox events to partners' systems. Sales facts gain an optional cost for
-- margin plans.

ALTER TABLE sales_facts ADD COLUMN cost_minor BIGINT NULL;

CREATE TABLE incentive_plans (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    draft_of TEXT NULL REFERENCES incentive_plans (id),
    version BIGINT NOT NULL,
    definition_json TEXT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT NULL
);
CREATE INDEX incentive_plans_status ON incentive_plans (status);

CREATE TABLE incentive_plan_versions (
    plan_id TEXT NOT NULL REFERENCES incentive_plans (id),
    version BIGINT NOT NULL,
    definition_json TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_until TEXT NULL,
    published_by TEXT NULL REFERENCES users (id),
    published_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);

CREATE TABLE withholding_rates (
    country TEXT PRIMARY KEY,
    rate TEXT NOT NULL,
    updated_by TEXT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL
);

CREATE TABLE close_runs (
    id TEXT PRIMARY KEY,
    period_key TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    status TEXT NOT NULL,
    phase TEXT NOT NULL,
    progress_done BIGINT NOT NULL DEFAULT 0,
    progress_total BIGINT NOT NULL DEFAULT 0,
    started_by TEXT NULL REFERENCES users (id),
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    error TEXT NULL,
    summary_json TEXT NULL
);
CREATE UNIQUE INDEX close_runs_one_running ON close_runs (period_key) WHERE status = 'running';
CREATE INDEX close_runs_period ON close_runs (period_key, started_at);

CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    period_key TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    close_run_id TEXT NULL REFERENCES close_runs (id),
    gross TEXT NOT NULL,
    withholding TEXT NOT NULL,
    net TEXT NOT NULL,
    points TEXT NOT NULL,
    payable_on TEXT NOT NULL,
    approved_at TEXT NULL,
    paid_at TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX statements_partner_period ON statements (partner_id, period_key);
CREATE INDEX statements_status ON statements (status, payable_on);
CREATE INDEX statements_period ON statements (period_key);

CREATE TABLE statement_lines (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statements (id),
    line_no BIGINT NOT NULL,
    kind TEXT NOT NULL,
    plan_id TEXT NULL REFERENCES incentive_plans (id),
    plan_version BIGINT NULL,
    claim_id TEXT NULL,
    adjusts_period_key TEXT NULL,
    description TEXT NOT NULL,
    unit TEXT NOT NULL,
    measure TEXT NULL,
    carry_in TEXT NULL,
    carry_out TEXT NULL,
    gross TEXT NOT NULL,
    withholding TEXT NOT NULL,
    net TEXT NOT NULL,
    settlement_json TEXT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX statement_lines_statement ON statement_lines (statement_id, line_no);
CREATE INDEX statement_lines_plan ON statement_lines (plan_id, statement_id);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    partner_id TEXT NULL REFERENCES partners (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content_base64 TEXT NOT NULL,
    uploaded_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_subject ON attachments (subject_type, subject_id);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    plan_id TEXT NULL REFERENCES incentive_plans (id),
    kind TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    description TEXT NOT NULL,
    deal_ref TEXT NULL,
    status TEXT NOT NULL,
    statement_id TEXT NULL REFERENCES statements (id),
    submitted_by TEXT NULL REFERENCES users (id),
    decided_at TEXT NULL,
    decision_comment TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX claims_partner ON claims (partner_id, created_at);
CREATE INDEX claims_status ON claims (status);

CREATE TABLE payout_batches (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    payable_through TEXT NOT NULL,
    statement_count BIGINT NOT NULL DEFAULT 0,
    totals_json TEXT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    exported_at TEXT NULL,
    paid_at TEXT NULL
);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES payout_batches (id),
    statement_id TEXT NOT NULL UNIQUE REFERENCES statements (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    currency TEXT NOT NULL,
    gross TEXT NOT NULL,
    withholding TEXT NOT NULL,
    net TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX payments_batch ON payments (batch_id);
CREATE INDEX payments_partner ON payments (partner_id);

CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    partner_id TEXT NULL REFERENCES partners (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    event_kinds TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event_id TEXT NOT NULL REFERENCES events (id),
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_status_code BIGINT NULL,
    last_error TEXT NULL,
    created_at TEXT NOT NULL,
    delivered_at TEXT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
