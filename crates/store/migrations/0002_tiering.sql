-- Program tiering: structures (drafts and published versions), imported metric facts,
-- evaluations with their immutable per-partner snapshots, manual overrides, and the
-- event outbox that tier changes are announced through.

CREATE TABLE tier_structures (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    draft_of TEXT NULL REFERENCES tier_structures (id),
    version BIGINT NOT NULL,
    definition_json TEXT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT NULL
);
CREATE INDEX tier_structures_status ON tier_structures (status);

CREATE TABLE tier_structure_versions (
    structure_id TEXT NOT NULL REFERENCES tier_structures (id),
    version BIGINT NOT NULL,
    definition_json TEXT NOT NULL,
    published_by TEXT NULL REFERENCES users (id),
    published_at TEXT NOT NULL,
    PRIMARY KEY (structure_id, version)
);

CREATE TABLE metric_facts (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    metric TEXT NOT NULL,
    fact_date TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    import_batch_id TEXT NULL REFERENCES import_batches (id),
    created_at TEXT NOT NULL
);
CREATE INDEX metric_facts_partner ON metric_facts (partner_id, metric, fact_date);
CREATE INDEX metric_facts_date ON metric_facts (fact_date);

CREATE TABLE tier_evaluations (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES tier_structures (id),
    structure_version BIGINT NOT NULL,
    eval_date TEXT NOT NULL,
    run_trigger TEXT NOT NULL,
    partner_count BIGINT NOT NULL,
    promoted BIGINT NOT NULL,
    demoted BIGINT NOT NULL,
    at_risk BIGINT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (structure_id, eval_date)
);

CREATE TABLE tier_snapshots (
    id TEXT PRIMARY KEY,
    evaluation_id TEXT NOT NULL REFERENCES tier_evaluations (id),
    structure_id TEXT NOT NULL REFERENCES tier_structures (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    eval_date TEXT NOT NULL,
    region TEXT NULL,
    qualifying_level BIGINT NOT NULL,
    previous_level BIGINT NULL,
    assigned_level BIGINT NOT NULL,
    misses BIGINT NOT NULL,
    change_kind TEXT NOT NULL,
    override_reason TEXT NULL,
    metrics_json TEXT NOT NULL,
    checks_json TEXT NOT NULL,
    UNIQUE (structure_id, partner_id, eval_date)
);
CREATE INDEX tier_snapshots_evaluation ON tier_snapshots (evaluation_id, partner_id);
CREATE INDEX tier_snapshots_partner ON tier_snapshots (partner_id, eval_date);

CREATE TABLE tier_overrides (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES tier_structures (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    level BIGINT NOT NULL,
    reason TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    created_by TEXT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);
CREATE INDEX tier_overrides_partner ON tier_overrides (structure_id, partner_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    partner_id TEXT NULL REFERENCES partners (id),
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    delivered_at TEXT NULL
);
CREATE INDEX events_undelivered ON events (delivered_at, created_at);
CREATE INDEX events_partner ON events (partner_id, created_at);
