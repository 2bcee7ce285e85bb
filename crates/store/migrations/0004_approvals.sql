-- Approval workflows: one request per object awaiting a person's yes, the decisions taken
-- at each step, and program settings (such as the approval rules) as JSON documents.

CREATE TABLE approval_requests (
    id TEXT PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    partner_id TEXT NULL REFERENCES partners (id),
    requested_by TEXT NULL REFERENCES users (id),
    summary TEXT NOT NULL,
    amount TEXT NULL,
    currency TEXT NULL,
    steps_json TEXT NOT NULL,
    current_step BIGINT NOT NULL,
    status TEXT NOT NULL,
    due_at TEXT NOT NULL,
    reminded_at TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX approval_requests_one_open ON approval_requests (subject_type, subject_id) WHERE status = 'pending';
CREATE INDEX approval_requests_queue ON approval_requests (status, due_at);

CREATE TABLE approval_decisions (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES approval_requests (id),
    step BIGINT NOT NULL,
    decided_by TEXT NULL REFERENCES users (id),
    decision TEXT NOT NULL,
    comment TEXT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX approval_decisions_request ON approval_decisions (request_id);

CREATE TABLE program_settings (
    name TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_by TEXT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL
);
