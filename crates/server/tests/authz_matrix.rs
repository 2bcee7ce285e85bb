//! The authorisation matrix: every API endpoint × every role × the caller's own partner
//! organisation vs another one. Each cell states whether the call must succeed; a call on
//! another organisation's data by a scoped caller must never succeed, and lists and
//! exports must never contain the other organisation's records. The test fails when the
//! OpenAPI document names an endpoint that is not in the matrix, so a new endpoint cannot
//! ship without its row.

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// The roles of the matrix, with the fixture user that plays each.
const ROLES: [(&str, &str); 7] = [
    ("admin", "admin@vendor.example"),
    ("channel_manager", "cam.a@vendor.example"),
    ("finance", "finance@vendor.example"),
    ("legal", "legal@vendor.example"),
    ("marketing", "marketing@vendor.example"),
    ("partner_admin", "admin@alpha.example"),
    ("partner_user", "user@alpha.example"),
];

const ALL: &[&str] = &[
    "admin",
    "channel_manager",
    "finance",
    "legal",
    "marketing",
    "partner_admin",
    "partner_user",
];
const VENDOR: &[&str] = &["admin", "channel_manager", "finance", "legal", "marketing"];

/// Whose data a call targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Own,
    Other,
}

/// Ids the requests are built from: `own` belongs to partner A (managed by cam.a, the
/// partner roles' organisation), `other` to partner B.
struct World {
    partner: [String; 2],
    partner_user: [String; 2],
    manager: [String; 2],
    account: String,
    product: String,
    segment: String,
    /// A published, evaluated tier structure and a draft copied from it.
    structure: String,
    draft: String,
}

impl World {
    fn of(&self, target: Target) -> usize {
        match target {
            Target::Own => 0,
            Target::Other => 1,
        }
    }
}

struct Case {
    method: Method,
    template: &'static str,
    /// Roles allowed on their own organisation (or on the unscoped resource).
    own: &'static [&'static str],
    /// Roles allowed on the other organisation; `None` when the endpoint has no partner dimension.
    other: Option<&'static [&'static str]>,
    build: fn(&World, Target, &str) -> (String, Option<Value>),
}

/// A value unique within the test run, for names and e-mails that must not collide.
fn unique() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!("{:06}", COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

fn partner_body(name: &str) -> Value {
    json!({
        "name": name, "partner_type": "reseller", "size_band": "11-50", "country": "DE",
        "tax_country": "DE", "payout_currency": "EUR", "status": "active"
    })
}

fn structure_body(name: &str) -> Value {
    json!({
        "name": name, "currency": "USD", "cadence": "quarterly",
        "metrics": [{ "key": "revenue_12m", "kind": "net_revenue", "window": { "trailing_months": 12 } }],
        "levels": [
            { "name": "Registered", "requirements": [] },
            { "name": "Silver", "requirements": [{ "metric": "revenue_12m", "comparison": ">=", "target": "30" }] }
        ],
        "benefits": [
            { "discount_percent": "0", "rebate_multiplier": "1", "mdf_allocation": "0", "lead_priority": 0, "content_tags": [] },
            { "discount_percent": "5", "rebate_multiplier": "1.2", "mdf_allocation": "1000", "lead_priority": 1, "content_tags": ["silver"] }
        ],
        "region_overrides": [],
        "rules": { "grace": 1, "max_demotion_step": 1 },
        "valid_from": "2026-01-01", "valid_until": null
    })
}

const TIER_READERS: &[&str] = &["admin", "channel_manager", "finance", "marketing"];
const TIER_STATUS_READERS: &[&str] = &[
    "admin",
    "channel_manager",
    "finance",
    "marketing",
    "partner_admin",
    "partner_user",
];
const TIER_WRITERS: &[&str] = &["admin", "channel_manager"];

fn tier_cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/tier-structures",
            own: TIER_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/tier-structures".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tier-structures",
            own: TIER_WRITERS,
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/tier-structures".into(),
                    Some(structure_body(&format!("Program {}", unique()))),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-structures/{id}",
            own: TIER_READERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}", w.structure), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/tier-structures/{id}",
            own: TIER_WRITERS,
            other: None,
            build: |w, _, _| {
                (
                    format!("/api/v1/tier-structures/{}", w.draft),
                    Some(structure_body(&format!("Draft {}", unique()))),
                )
            },
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/tier-structures/{id}",
            own: TIER_WRITERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/tier-structures/{fresh}"), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-structures/{id}/versions",
            own: TIER_READERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}/versions", w.structure), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tier-structures/{id}/drafts",
            own: TIER_WRITERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}/drafts", w.structure), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tier-structures/{id}/publish",
            own: TIER_WRITERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/tier-structures/{fresh}/publish"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tier-structures/{id}/simulate",
            own: TIER_READERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}/simulate", w.draft), Some(json!({}))),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tier-structures/{id}/evaluations",
            own: TIER_WRITERS,
            other: None,
            build: |w, _, _| {
                (
                    format!("/api/v1/tier-structures/{}/evaluations", w.structure),
                    Some(json!({ "eval_date": "2026-03-31" })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-structures/{id}/evaluations",
            own: TIER_READERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}/evaluations", w.structure), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-structures/{id}/distribution",
            own: TIER_READERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}/distribution", w.structure), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-structures/{id}/at-risk",
            own: TIER_READERS,
            other: None,
            build: |w, _, _| (format!("/api/v1/tier-structures/{}/at-risk", w.structure), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-snapshots",
            own: TIER_STATUS_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/tier-snapshots".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-snapshots/export",
            own: TIER_STATUS_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/tier-snapshots/export".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/partners/{id}/tier-status",
            own: TIER_STATUS_READERS,
            other: Some(&["admin", "finance", "marketing"]),
            build: |w, t, _| (format!("/api/v1/partners/{}/tier-status", w.partner[w.of(t)]), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-overrides",
            own: TIER_STATUS_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/tier-overrides".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tier-overrides",
            own: TIER_WRITERS,
            other: Some(&["admin"]),
            build: |w, t, _| ("/api/v1/tier-overrides".into(), Some(override_body(w, t))),
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/tier-overrides/{id}",
            own: TIER_WRITERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/tier-overrides/{fresh}"), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tier-events",
            own: TIER_STATUS_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/tier-events".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/metric-facts",
            own: &["admin", "channel_manager", "finance", "partner_admin", "partner_user"],
            other: None,
            build: |_, _, _| ("/api/v1/metric-facts".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/metric-facts",
            own: TIER_WRITERS,
            other: Some(&["admin"]),
            build: |w, t, _| {
                let line = json!({ "partner_id": w.partner[w.of(t)], "metric": "certified_people", "fact_date": "2026-03-01", "value": "3" });
                ("/api/v1/metric-facts".into(), Some(json!({ "lines": [line] })))
            },
        },
    ]
}

const RESERVERS: &[&str] = &["admin", "channel_manager", "partner_admin", "partner_user"];
const RESERVATION_READERS: &[&str] = &["admin", "channel_manager", "legal", "partner_admin", "partner_user"];

fn conflict_cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::POST,
            template: "/api/v1/reservations/check",
            own: RESERVATION_READERS,
            other: Some(&["admin", "legal"]),
            build: |w, t, _| {
                let body = json!({ "account_id": w.account, "partner_id": w.partner[w.of(t)] });
                ("/api/v1/reservations/check".into(), Some(body))
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/reservations",
            own: RESERVATION_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/reservations".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/reservations",
            own: RESERVERS,
            other: Some(&["admin"]),
            build: |w, t, fresh| {
                let body = json!({ "account_id": fresh, "partner_id": w.partner[w.of(t)] });
                ("/api/v1/reservations".into(), Some(body))
            },
        },
        Case {
            method: Method::POST,
            template: "/api/v1/reservations/{id}/renew",
            own: RESERVERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/reservations/{fresh}/renew"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/reservations/{id}/release",
            own: RESERVERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/reservations/{fresh}/release"), None),
        },
    ]
}

const REGISTRATION_READERS: &[&str] = &[
    "admin",
    "channel_manager",
    "finance",
    "legal",
    "partner_admin",
    "partner_user",
];

/// A customer name unlike every other one the matrix registers (so none is a duplicate).
fn customer_name() -> String {
    const WORDS: [&str; 24] = [
        "Amber",
        "Falcon",
        "Cobalt",
        "Riverstone",
        "Quartz",
        "Meadow",
        "Harbor",
        "Juniper",
        "Vortex",
        "Summit",
        "Lantern",
        "Orchid",
        "Granite",
        "Willow",
        "Nimbus",
        "Saffron",
        "Tundra",
        "Beacon",
        "Ember",
        "Mosaic",
        "Pioneer",
        "Zephyr",
        "Cascade",
        "Obsidian",
    ];
    let n: usize = unique().parse().unwrap();
    format!("{} {} {}", WORDS[n % 24], WORDS[(n / 24 + 7) % 24], n)
}

fn registration_body(partner: &str) -> Value {
    json!({ "partner_id": partner, "customer_name": customer_name(), "country": "FR",
        "product_families": ["Things"], "value": "1000.00", "currency": "EUR", "expected_close": "2030-01-31" })
}

fn registration_action(method: &'static str) -> fn(&World, Target, &str) -> (String, Option<Value>) {
    match method {
        "approve" => |_, _, fresh| (format!("/api/v1/registrations/{fresh}/approve"), Some(json!({}))),
        "reject" => |_, _, fresh| {
            (
                format!("/api/v1/registrations/{fresh}/reject"),
                Some(json!({ "comment": "no" })),
            )
        },
        "lost" => |_, _, fresh| (format!("/api/v1/registrations/{fresh}/lost"), Some(json!({}))),
        "extension-request" => |_, _, fresh| {
            (
                format!("/api/v1/registrations/{fresh}/extension-request"),
                Some(json!({})),
            )
        },
        "extend" => |_, _, fresh| (format!("/api/v1/registrations/{fresh}/extend"), Some(json!({}))),
        _ => |_, _, fresh| {
            let line = json!({ "product_sku": "MATRIX-1", "quantity": "1", "amount": "10.00" });
            (
                format!("/api/v1/registrations/{fresh}/won"),
                Some(json!({ "lines": [line] })),
            )
        },
    }
}

fn registration_cases() -> Vec<Case> {
    const REVIEWERS: &[&str] = &["admin", "channel_manager"];
    let mut cases = vec![
        Case {
            method: Method::POST,
            template: "/api/v1/registrations",
            own: RESERVERS,
            other: Some(&["admin"]),
            build: |w, t, _| {
                (
                    "/api/v1/registrations".into(),
                    Some(registration_body(&w.partner[w.of(t)])),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/registrations",
            own: REGISTRATION_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/registrations".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/registrations/{id}",
            own: REGISTRATION_READERS,
            other: Some(&["admin", "finance", "legal"]),
            build: |_, _, fresh| (format!("/api/v1/registrations/{fresh}"), None),
        },
    ];
    for (template, action, own) in [
        ("/api/v1/registrations/{id}/approve", "approve", REVIEWERS),
        ("/api/v1/registrations/{id}/reject", "reject", REVIEWERS),
        ("/api/v1/registrations/{id}/lost", "lost", RESERVERS),
        ("/api/v1/registrations/{id}/won", "won", RESERVERS),
        (
            "/api/v1/registrations/{id}/extension-request",
            "extension-request",
            RESERVERS,
        ),
        ("/api/v1/registrations/{id}/extend", "extend", REVIEWERS),
    ] {
        cases.push(Case {
            method: Method::POST,
            template,
            own,
            other: Some(&["admin"]),
            build: registration_action(action),
        });
    }
    cases
}

/// A registration of the target partner submitted by its own user, approved by the
/// administrator when the action needs an approved one.
async fn fresh_registration(
    app: &TestApp,
    admin: &Client,
    submitter: &Client,
    partner: &str,
    approved: bool,
) -> String {
    let id = created_id(app, submitter, "/api/v1/registrations", registration_body(partner)).await;
    if approved {
        let (status, text) = send(
            app,
            admin,
            &Method::POST,
            &format!("/api/v1/registrations/{id}/approve"),
            Some(&json!({})),
        )
        .await;
        assert!(status.is_success(), "setup approval failed: {text}");
    }
    id
}

fn approval_cases() -> Vec<Case> {
    const DECIDERS: &[&str] = &["admin", "channel_manager", "finance"];
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/approvals",
            own: DECIDERS,
            other: None,
            build: |_, _, _| ("/api/v1/approvals".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/approvals/{id}",
            own: DECIDERS,
            other: Some(&["admin", "finance"]),
            build: |_, _, fresh| (format!("/api/v1/approvals/{fresh}"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/approvals/{id}/decision",
            own: &["admin", "channel_manager"],
            other: Some(&["admin"]),
            build: |_, _, fresh| {
                (
                    format!("/api/v1/approvals/{fresh}/decision"),
                    Some(json!({ "decision": "approve" })),
                )
            },
        },
        Case {
            method: Method::POST,
            template: "/api/v1/approvals/decisions",
            own: DECIDERS,
            other: None,
            build: |_, _, fresh| {
                (
                    "/api/v1/approvals/decisions".into(),
                    Some(json!({ "ids": [fresh], "decision": "approve" })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/approval-rules",
            own: &["admin", "channel_manager", "finance", "legal"],
            other: None,
            build: |_, _, _| ("/api/v1/approval-rules".into(), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/approval-rules",
            own: &["admin"],
            other: None,
            build: |_, _, _| {
                let step = json!({ "name": "Channel manager", "roles": ["channel_manager", "admin"], "sla_hours": 48 });
                let rule =
                    json!({ "subject": "deal_registration", "min_amount": null, "max_amount": null, "steps": [step] });
                ("/api/v1/approval-rules".into(), Some(json!({ "rules": [rule] })))
            },
        },
    ]
}

const PLAN_READERS: &[&str] = &[
    "admin",
    "channel_manager",
    "finance",
    "marketing",
    "partner_admin",
    "partner_user",
];
const INCENTIVE_WRITERS: &[&str] = &["admin", "finance"];

fn plan_body(name: &str) -> Value {
    json!({
        "name": name, "kind": "commission", "currency": "USD", "period": "quarter",
        "effective_from": "2026-01-01", "measure": { "kind": "net_amount" },
        "calculation": { "type": "rate", "rate": "0.05" }, "payee": "reseller"
    })
}

fn incentive_plan_cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/incentive-plans",
            own: PLAN_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/incentive-plans".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/incentive-plans",
            own: INCENTIVE_WRITERS,
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/incentive-plans".into(),
                    Some(plan_body(&format!("Plan {}", unique()))),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/incentive-plans/{id}",
            own: PLAN_READERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/incentive-plans/{fresh}"), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/incentive-plans/{id}",
            own: INCENTIVE_WRITERS,
            other: None,
            build: |_, _, fresh| {
                (
                    format!("/api/v1/incentive-plans/{fresh}"),
                    Some(plan_body(&format!("Renamed {}", unique()))),
                )
            },
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/incentive-plans/{id}",
            own: INCENTIVE_WRITERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/incentive-plans/{fresh}"), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/incentive-plans/{id}/versions",
            own: PLAN_READERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/incentive-plans/{fresh}/versions"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/incentive-plans/{id}/drafts",
            own: INCENTIVE_WRITERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/incentive-plans/{fresh}/drafts"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/incentive-plans/{id}/publish",
            own: INCENTIVE_WRITERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/incentive-plans/{fresh}/publish"), None),
        },
    ]
}

const CLAIM_READERS: &[&str] = &["admin", "channel_manager", "finance", "partner_admin", "partner_user"];
const CLAIM_WRITERS: &[&str] = &["admin", "channel_manager", "partner_admin", "partner_user"];

fn claim_body(partner: &str) -> Value {
    json!({ "partner_id": partner, "amount": "125.00", "currency": "EUR", "description": "Matrix SPIFF" })
}

fn claim_cases() -> Vec<Case> {
    let read = |template: &'static str, other, build: fn(&World, Target, &str) -> (String, Option<Value>)| Case {
        method: Method::GET,
        template,
        own: CLAIM_READERS,
        other,
        build,
    };
    let write = |template: &'static str, build: fn(&World, Target, &str) -> (String, Option<Value>)| Case {
        method: Method::POST,
        template,
        own: CLAIM_WRITERS,
        other: Some(&["admin"]),
        build,
    };
    vec![
        write("/api/v1/claims", |w, t, _| {
            ("/api/v1/claims".into(), Some(claim_body(&w.partner[w.of(t)])))
        }),
        read("/api/v1/claims", None, |_, _, _| ("/api/v1/claims".into(), None)),
        read("/api/v1/claims/export", None, |_, _, _| {
            ("/api/v1/claims/export".into(), None)
        }),
        read("/api/v1/claims/{id}", Some(&["admin", "finance"]), |_, _, fresh| {
            (format!("/api/v1/claims/{fresh}"), None)
        }),
        write("/api/v1/claims/{id}/withdraw", |_, _, fresh| {
            (format!("/api/v1/claims/{fresh}/withdraw"), None)
        }),
        write("/api/v1/claims/{id}/attachments", |_, _, fresh| {
            (format!("/api/v1/claims/{fresh}/attachments"), None)
        }),
        read(
            "/api/v1/claims/{id}/attachments/{attachment_id}",
            Some(&["admin", "finance"]),
            |_, _, fresh| (format!("/api/v1/claims/{fresh}"), None),
        ),
    ]
}

/// A claim of the target partner submitted by its own user; with `proof`, the path of
/// its proof file below `/api/v1/claims/`.
async fn fresh_claim(app: &TestApp, submitter: &Client, partner: &str, proof: bool) -> String {
    let id = created_id(app, submitter, "/api/v1/claims", claim_body(partner)).await;
    if !proof {
        return id;
    }
    let path = format!("/api/v1/claims/{id}/attachments");
    let attachment = created_id(app, submitter, &path, Value::Null).await;
    format!("{id}/attachments/{attachment}")
}

const PAYOUT_READERS: &[&str] = &["admin", "channel_manager", "finance"];
const PAYOUT_WRITERS: &[&str] = &["admin", "finance"];

fn payout_cases() -> Vec<Case> {
    let read = |template: &'static str, build: fn(&World, Target, &str) -> (String, Option<Value>)| Case {
        method: Method::GET,
        template,
        own: PAYOUT_READERS,
        other: None,
        build,
    };
    vec![
        Case {
            method: Method::POST,
            template: "/api/v1/payout-batches",
            own: PAYOUT_WRITERS,
            other: None,
            build: |_, _, _| {
                let through = chrono::Utc::now().date_naive().to_string();
                (
                    "/api/v1/payout-batches".into(),
                    Some(json!({ "payable_through": through })),
                )
            },
        },
        read("/api/v1/payout-batches", |_, _, _| {
            ("/api/v1/payout-batches".into(), None)
        }),
        read("/api/v1/payout-batches/{id}", |_, _, fresh| {
            (format!("/api/v1/payout-batches/{fresh}"), None)
        }),
        read("/api/v1/payout-batches/{id}/export", |_, _, fresh| {
            (format!("/api/v1/payout-batches/{fresh}/export"), None)
        }),
        read("/api/v1/payout-batches/{id}/journal", |_, _, fresh| {
            (format!("/api/v1/payout-batches/{fresh}/journal?format=json"), None)
        }),
        Case {
            method: Method::POST,
            template: "/api/v1/payout-batches/{id}/mark-paid",
            own: PAYOUT_WRITERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/payout-batches/{fresh}/mark-paid"), None),
        },
        read("/api/v1/payouts/reconciliation", |_, _, _| {
            ("/api/v1/payouts/reconciliation".into(), None)
        }),
        read("/api/v1/payouts/journal-accounts", |_, _, _| {
            ("/api/v1/payouts/journal-accounts".into(), None)
        }),
        Case {
            method: Method::PUT,
            template: "/api/v1/payouts/journal-accounts",
            own: PAYOUT_WRITERS,
            other: None,
            build: |_, _, _| {
                let account = |code: &str| json!({ "code": code, "name": format!("Account {code}") });
                let body = json!({ "incentive_expense": account("6400"), "partner_payable": account("2110"),
                    "withholding_payable": account("2310") });
                ("/api/v1/payouts/journal-accounts".into(), Some(body))
            },
        },
    ]
}

/// An approved statement of `partner`, payable now, as a period close leaves it.
async fn approved_statement(app: &TestApp, partner: &str) {
    use tributary_store::repo::statements::{self, Statement, StatementStatus};
    let now = tributary_store::time::now_text();
    let statement = Statement {
        id: tributary_domain::ids::new_id(),
        partner_id: partner.to_string(),
        partner_name: String::new(),
        period_key: format!("M{}", unique()),
        period_start: "2026-01-01".into(),
        period_end: "2026-01-31".into(),
        currency: "EUR".into(),
        status: StatementStatus::Approved,
        close_run_id: None,
        gross: rust_decimal::Decimal::new(10000, 2),
        withholding: rust_decimal::Decimal::ZERO,
        net: rust_decimal::Decimal::new(10000, 2),
        points: rust_decimal::Decimal::ZERO,
        payable_on: "2026-01-31".into(),
        approved_at: Some(now.clone()),
        paid_at: None,
        created_at: now.clone(),
        updated_at: now,
        version: 1,
    };
    let mut tx = app.db.begin().await.unwrap();
    statements::insert(&mut tx.conn(), &statement).await.unwrap();
    tx.commit().await.unwrap();
}

/// A payout batch paying a statement of each partner (so scoped readers must see only theirs).
async fn fresh_batch(app: &TestApp, admin: &Client, world: &World) -> String {
    for partner in &world.partner {
        approved_statement(app, partner).await;
    }
    let through = chrono::Utc::now().date_naive().to_string();
    created_id(
        app,
        admin,
        "/api/v1/payout-batches",
        json!({ "payable_through": through }),
    )
    .await
}

const CLOSE_READERS: &[&str] = &["admin", "channel_manager", "finance"];

fn close_run_cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/close-runs",
            own: CLOSE_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/close-runs".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/close-runs",
            own: INCENTIVE_WRITERS,
            other: None,
            build: |_, _, fresh| ("/api/v1/close-runs".into(), Some(json!({ "period": fresh }))),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/close-runs/{id}",
            own: CLOSE_READERS,
            other: None,
            build: |_, _, fresh| (format!("/api/v1/close-runs/{fresh}"), None),
        },
    ]
}

/// A month never closed before in this run ("2001-01", "2001-02", …).
fn fresh_month() -> String {
    static MONTHS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = MONTHS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{:02}", 2001 + n / 12, n % 12 + 1)
}

const STATEMENT_READERS: &[&str] = &["admin", "channel_manager", "finance", "partner_admin", "partner_user"];
const STATEMENT_READERS_OF_OTHERS: &[&str] = &["admin", "finance"];

/// The parts of a fresh statement's `statement_id/line_id/period_key`.
fn statement_parts(fresh: &str) -> (&str, &str, &str) {
    let mut parts = fresh.splitn(3, '/');
    let mut next = || parts.next().unwrap_or_default();
    (next(), next(), next())
}

fn statement_cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/statements",
            own: STATEMENT_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/statements".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/statements/export",
            own: STATEMENT_READERS,
            other: None,
            build: |_, _, _| ("/api/v1/statements/export".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/statements/{id}",
            own: STATEMENT_READERS,
            other: Some(STATEMENT_READERS_OF_OTHERS),
            build: |_, _, fresh| (format!("/api/v1/statements/{}", statement_parts(fresh).0), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/statements/{id}/download",
            own: STATEMENT_READERS,
            other: Some(STATEMENT_READERS_OF_OTHERS),
            build: |_, _, fresh| {
                let id = statement_parts(fresh).0;
                (format!("/api/v1/statements/{id}/download?format=json"), None)
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/statements/{id}/lines/{line_id}/facts",
            own: STATEMENT_READERS,
            other: Some(STATEMENT_READERS_OF_OTHERS),
            build: |_, _, fresh| {
                let (id, line, _) = statement_parts(fresh);
                (format!("/api/v1/statements/{id}/lines/{line}/facts"), None)
            },
        },
        Case {
            method: Method::POST,
            template: "/api/v1/statements/{id}/submit",
            own: INCENTIVE_WRITERS,
            other: Some(INCENTIVE_WRITERS),
            build: |_, _, fresh| (format!("/api/v1/statements/{}/submit", statement_parts(fresh).0), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/partners/{id}/earnings",
            own: STATEMENT_READERS,
            other: Some(STATEMENT_READERS_OF_OTHERS),
            build: |w, t, _| (format!("/api/v1/partners/{}/earnings", w.partner[w.of(t)]), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/incentives/spend",
            own: CLOSE_READERS,
            other: None,
            build: |_, _, fresh| {
                let period = statement_parts(fresh).2;
                (format!("/api/v1/incentives/spend?period_key={period}&group=plan"), None)
            },
        },
    ]
}

/// A calculated statement of `partner` (period `period_key`) with one earning line of a
/// fresh published plan; `statement_id/line_id/period_key`.
async fn fresh_statement(app: &TestApp, admin: &Client, partner: &str, period_key: &str) -> String {
    use rust_decimal::Decimal;
    use tributary_store::repo::statements::{self, LineKind, Statement, StatementLine, StatementStatus};
    let plan = fresh_plan(app, admin, true).await;
    let now = tributary_store::time::now_text();
    let statement = Statement {
        id: tributary_domain::ids::new_id(),
        partner_id: partner.to_string(),
        partner_name: String::new(),
        period_key: period_key.to_string(),
        period_start: "2026-01-01".into(),
        period_end: "2026-01-31".into(),
        currency: "EUR".into(),
        status: StatementStatus::Calculated,
        close_run_id: None,
        gross: Decimal::new(1000, 2),
        withholding: Decimal::ZERO,
        net: Decimal::new(1000, 2),
        points: Decimal::ZERO,
        payable_on: "2026-01-31".into(),
        approved_at: None,
        paid_at: None,
        created_at: now.clone(),
        updated_at: now.clone(),
        version: 1,
    };
    let line = StatementLine {
        id: tributary_domain::ids::new_id(),
        statement_id: statement.id.clone(),
        line_no: 1,
        kind: LineKind::Earning,
        plan_id: Some(plan),
        plan_version: Some(1),
        claim_id: None,
        adjusts_period_key: None,
        description: "Matrix plan".into(),
        unit: "EUR".into(),
        measure: Some(Decimal::new(10000, 2)),
        carry_in: Some(Decimal::ZERO),
        carry_out: Some(Decimal::ZERO),
        gross: Decimal::new(1000, 2),
        withholding: Decimal::ZERO,
        net: Decimal::new(1000, 2),
        settlement: None,
        created_at: now,
    };
    let mut tx = app.db.begin().await.unwrap();
    statements::insert(&mut tx.conn(), &statement).await.unwrap();
    statements::insert_lines(&mut tx.conn(), std::slice::from_ref(&line))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    format!("{}/{}/{period_key}", statement.id, line.id)
}

/// Fresh statements of both partners in a new period; the target's `statement/line/period`.
async fn fresh_statements(app: &TestApp, admin: &Client, world: &World, target: Target) -> String {
    static MONTHS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = MONTHS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let period = format!("{}-{:02}", 3001 + n / 12, n % 12 + 1);
    let own = fresh_statement(app, admin, &world.partner[0], &period).await;
    let other = fresh_statement(app, admin, &world.partner[1], &period).await;
    if target == Target::Own { own } else { other }
}

/// A fresh incentive plan: a draft, or published (what partners may read).
async fn fresh_plan(app: &TestApp, admin: &Client, published: bool) -> String {
    let id = created_id(
        app,
        admin,
        "/api/v1/incentive-plans",
        plan_body(&format!("Plan {}", unique())),
    )
    .await;
    if published {
        let path = format!("/api/v1/incentive-plans/{id}/publish");
        let (status, text) = send(app, admin, &Method::POST, &path, None).await;
        assert!(status.is_success(), "setup publish failed: {text}");
    }
    id
}

/// The open approval request of a fresh pending registration of the target partner.
const WEBHOOK_OWNERS: &[&str] = &["admin", "partner_admin"];

fn webhook_body() -> Value {
    json!({ "url": "https://hooks.alpha.example/tributary", "event_kinds": ["statement.ready"] })
}

fn webhook_cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/webhooks",
            own: WEBHOOK_OWNERS,
            other: None,
            build: |_, _, _| ("/api/v1/webhooks".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/webhooks",
            own: WEBHOOK_OWNERS,
            other: None,
            build: |_, _, _| ("/api/v1/webhooks".into(), Some(webhook_body())),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/webhooks/{id}",
            own: WEBHOOK_OWNERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/webhooks/{fresh}"), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/webhooks/{id}",
            own: WEBHOOK_OWNERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/webhooks/{fresh}"), Some(webhook_body())),
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/webhooks/{id}",
            own: WEBHOOK_OWNERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/webhooks/{fresh}"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/webhooks/{id}/rotate-secret",
            own: WEBHOOK_OWNERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/webhooks/{fresh}/rotate-secret"), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/webhooks/{id}/deliveries",
            own: WEBHOOK_OWNERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/webhooks/{fresh}/deliveries"), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            own: WEBHOOK_OWNERS,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/webhooks/{fresh}/redeliver"), None),
        },
    ]
}

/// A webhook endpoint of `partner_id` at `host` (written directly: creating one per cell
/// through a partner administrator's session would sign in hundreds of times).
async fn fresh_webhook(app: &TestApp, partner_id: &str, host: &str) -> String {
    use tributary_server::services::webhooks::endpoints::{self, WebhookInput};
    let input = WebhookInput {
        url: format!("https://{host}/hook"),
        event_kinds: vec!["statement.ready".into()],
        active: true,
    }
    .validate(true)
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let actor = tributary_store::audit::Actor::system("matrix");
    let (endpoint, _) = endpoints::create(&mut tx.conn(), &actor, Some(partner_id.to_string()), input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    endpoint.id
}

/// `{endpoint}/deliveries/{delivery}`: a fresh endpoint of `partner_id` whose one
/// delivery failed.
async fn fresh_failed_delivery(app: &TestApp, partner_id: &str, host: &str) -> String {
    use tributary_store::repo::events::{self, Event};
    use tributary_store::repo::webhooks::{self, Attempt};
    let endpoint = fresh_webhook(app, partner_id, host).await;
    let now = tributary_store::time::now_text();
    let event = Event {
        id: tributary_domain::ids::new_id(),
        kind: "statement.ready".into(),
        partner_id: Some(partner_id.to_string()),
        subject_type: "statement".into(),
        subject_id: "matrix".into(),
        payload_json: "{}".into(),
        created_at: now.clone(),
        delivered_at: Some(now.clone()),
    };
    let delivery = tributary_domain::ids::new_id();
    let mut tx = app.db.begin().await.unwrap();
    let mut conn = tx.conn();
    events::insert_many(&mut conn, std::slice::from_ref(&event))
        .await
        .unwrap();
    webhooks::queue(&mut conn, &[(delivery.clone(), endpoint.clone(), event.id)], &now)
        .await
        .unwrap();
    let failed = Attempt {
        status: "failed",
        next_attempt_at: now,
        status_code: Some(500),
        error: Some("HTTP 500".into()),
        delivered_at: None,
    };
    assert!(webhooks::record(&mut conn, &delivery, 0, &failed).await.unwrap());
    tx.commit().await.unwrap();
    format!("{endpoint}/deliveries/{delivery}")
}

async fn fresh_approval(app: &TestApp, admin: &Client, submitter: &Client, partner: &str) -> String {
    let registration = created_id(app, submitter, "/api/v1/registrations", registration_body(partner)).await;
    let (status, text) = send(app, admin, &Method::GET, "/api/v1/approvals", None).await;
    assert!(status.is_success(), "{text}");
    let queue: Value = serde_json::from_str(&text).unwrap();
    queue
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subject_id"] == json!(registration))
        .and_then(|r| r["id"].as_str())
        .expect("the registration opened an approval request")
        .to_string()
}

async fn fresh_account(app: &TestApp, admin: &Client) -> String {
    let body = json!({ "name": format!("Prospect {}", unique()), "kind": "company", "country": "DE" });
    created_id(app, admin, "/api/v1/accounts", body).await
}

fn override_body(w: &World, t: Target) -> Value {
    json!({ "structure_id": w.structure, "partner_id": w.partner[w.of(t)], "level": 1,
        "reason": "strategic account", "starts_on": "2026-01-01", "expires_on": "2027-01-01" })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            method: Method::GET,
            template: "/api/v1/me",
            own: ALL,
            other: None,
            build: |_, _, _| ("/api/v1/me".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/partners",
            own: ALL,
            other: None,
            build: |_, _, _| ("/api/v1/partners".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/partners",
            own: &["admin", "channel_manager"],
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/partners".into(),
                    Some(partner_body(&format!("New {}", unique()))),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/partners/{id}",
            own: ALL,
            other: Some(&["admin", "finance", "legal", "marketing"]),
            build: |w, t, _| (format!("/api/v1/partners/{}", w.partner[w.of(t)]), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/partners/{id}",
            own: &["admin", "channel_manager", "partner_admin"],
            other: Some(&["admin"]),
            build: |w, t, _| {
                let mut body = partner_body(if t == Target::Own {
                    "Alpha Resellers"
                } else {
                    "Beta Managed Services"
                });
                body["partner_type"] = json!(if t == Target::Own { "reseller" } else { "msp" });
                body["channel_manager_id"] = json!(w.manager[w.of(t)]);
                (format!("/api/v1/partners/{}", w.partner[w.of(t)]), Some(body))
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/users",
            own: &["admin", "channel_manager", "legal", "partner_admin", "partner_user"],
            other: None,
            build: |_, _, _| ("/api/v1/users".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/users",
            own: &["admin", "channel_manager", "partner_admin"],
            other: Some(&["admin"]),
            build: |w, t, _| {
                let body = json!({
                    "email": format!("new-{}@example.com", unique()), "display_name": "New", "role": "partner_user",
                    "partner_id": w.partner[w.of(t)]
                });
                ("/api/v1/users".into(), Some(body))
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/users/{id}",
            own: &["admin", "channel_manager", "legal", "partner_admin", "partner_user"],
            other: Some(&["admin", "legal"]),
            build: |w, t, _| (format!("/api/v1/users/{}", w.partner_user[w.of(t)]), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/users/{id}",
            own: &["admin", "channel_manager", "partner_admin"],
            other: Some(&["admin"]),
            build: |w, t, _| {
                let org = if t == Target::Own { "alpha" } else { "beta" };
                let body = json!({
                    "email": format!("target@{org}.example"), "display_name": format!("Target {}", unique()),
                    "role": "partner_user", "partner_id": w.partner[w.of(t)], "active": true
                });
                (format!("/api/v1/users/{}", w.partner_user[w.of(t)]), Some(body))
            },
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/users/{id}/password",
            own: &["admin", "channel_manager", "partner_admin"],
            other: Some(&["admin"]),
            build: |w, t, _| {
                (
                    format!("/api/v1/users/{}/password", w.partner_user[w.of(t)]),
                    Some(json!({ "password": "a brand new password" })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/products",
            own: ALL,
            other: None,
            build: |_, _, _| ("/api/v1/products".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/products",
            own: &["admin"],
            other: None,
            build: |_, _, _| {
                let body = json!({ "sku": format!("SKU-{}", unique()), "name": "Thing", "family": "Things", "list_price": "10.00", "currency": "USD" });
                ("/api/v1/products".into(), Some(body))
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/products/{id}",
            own: ALL,
            other: None,
            build: |w, _, _| (format!("/api/v1/products/{}", w.product), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/products/{id}",
            own: &["admin"],
            other: None,
            build: |w, _, _| {
                let body = json!({ "sku": "MATRIX-1", "name": format!("Matrix {}", unique()), "family": "Things", "list_price": "10.00", "currency": "USD" });
                (format!("/api/v1/products/{}", w.product), Some(body))
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/accounts",
            own: &["admin", "channel_manager", "finance"],
            other: None,
            build: |_, _, _| ("/api/v1/accounts".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/accounts",
            own: &["admin", "channel_manager"],
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/accounts".into(),
                    Some(json!({ "name": format!("Acme {}", unique()), "kind": "company", "country": "US" })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/accounts/{id}",
            own: &["admin", "channel_manager", "finance"],
            other: None,
            build: |w, _, _| (format!("/api/v1/accounts/{}", w.account), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/accounts/{id}",
            own: &["admin", "channel_manager"],
            other: None,
            build: |w, _, _| {
                (
                    format!("/api/v1/accounts/{}", w.account),
                    Some(json!({ "name": format!("Globex {}", unique()), "kind": "company", "country": "US" })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/accounts/{id}/children",
            own: &["admin", "channel_manager", "finance"],
            other: None,
            build: |w, _, _| (format!("/api/v1/accounts/{}/children", w.account), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/regions",
            own: VENDOR,
            other: None,
            build: |_, _, _| ("/api/v1/regions".into(), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/regions/{code}",
            own: &["admin"],
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/regions/dach".into(),
                    Some(json!({ "name": "DACH", "countries": ["DE", "AT", "CH"] })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/verticals",
            own: VENDOR,
            other: None,
            build: |_, _, _| ("/api/v1/verticals".into(), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/verticals/{code}",
            own: &["admin"],
            other: None,
            build: |_, _, _| ("/api/v1/verticals/health".into(), Some(json!({ "name": "Healthcare" }))),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/fx-rates",
            own: &["admin", "channel_manager", "finance"],
            other: None,
            build: |_, _, _| ("/api/v1/fx-rates".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/fx-rates",
            own: &["admin", "finance"],
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/fx-rates".into(),
                    Some(
                        json!({ "from_currency": "EUR", "to_currency": "USD", "rate_date": "2026-01-02", "rate": "1.0842" }),
                    ),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/withholding-rates",
            own: &["admin", "finance"],
            other: None,
            build: |_, _, _| ("/api/v1/withholding-rates".into(), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/withholding-rates/{country}",
            own: &["admin", "finance"],
            other: None,
            build: |_, _, _| ("/api/v1/withholding-rates/BR".into(), Some(json!({ "rate": "0.15" }))),
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/withholding-rates/{country}",
            own: &["admin", "finance"],
            other: None,
            build: |_, _, fresh| (format!("/api/v1/withholding-rates/{fresh}"), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/segments",
            own: &["admin", "channel_manager", "marketing"],
            other: None,
            build: |_, _, _| ("/api/v1/segments".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/segments",
            own: &["admin", "channel_manager", "marketing"],
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/segments".into(),
                    Some(json!({ "name": format!("Segment {}", unique()), "filter": { "countries": ["DE"] } })),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/segments/{id}",
            own: &["admin", "channel_manager", "marketing"],
            other: None,
            build: |w, _, _| (format!("/api/v1/segments/{}", w.segment), None),
        },
        Case {
            method: Method::PUT,
            template: "/api/v1/segments/{id}",
            own: &["admin", "channel_manager", "marketing"],
            other: None,
            build: |w, _, _| {
                (
                    format!("/api/v1/segments/{}", w.segment),
                    Some(json!({ "name": format!("Renamed {}", unique()), "filter": {} })),
                )
            },
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/segments/{id}",
            own: &["admin", "channel_manager", "marketing"],
            other: None,
            build: |_, _, fresh| (format!("/api/v1/segments/{fresh}"), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/sales-facts",
            own: &["admin", "channel_manager", "finance", "partner_admin", "partner_user"],
            other: None,
            build: |_, _, _| ("/api/v1/sales-facts".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/sales-facts/totals",
            own: &["admin", "channel_manager", "finance", "partner_admin", "partner_user"],
            other: None,
            build: |_, _, _| ("/api/v1/sales-facts/totals".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/sales-facts",
            own: &["admin", "finance"],
            other: None,
            build: |w, _, _| {
                let line = json!({ "fact_date": "2026-03-01", "partner_id": w.partner[0], "account_id": w.account,
                    "product_sku": "MATRIX-1", "quantity": "1", "amount": "10.00", "currency": "USD" });
                ("/api/v1/sales-facts".into(), Some(json!({ "lines": [line] })))
            },
        },
        Case {
            method: Method::POST,
            template: "/api/v1/imports/{kind}",
            own: &["admin", "finance"],
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/imports/fx-rates".into(),
                    Some(Value::String(
                        "from_currency,to_currency,rate_date,rate\nGBP,USD,2026-01-05,1.27\n".into(),
                    )),
                )
            },
        },
        Case {
            method: Method::GET,
            template: "/api/v1/imports/{kind}/template",
            own: &["admin", "channel_manager", "finance"],
            other: None,
            build: |_, _, _| ("/api/v1/imports/fx-rates/template".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/exports/{kind}",
            own: ALL,
            other: None,
            build: |_, _, _| ("/api/v1/exports/partners".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/jobs/{id}",
            own: &[],
            other: None,
            build: |_, _, _| ("/api/v1/jobs/0190f0f0-0000-7000-8000-000000000000".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/audit",
            own: &["admin", "finance", "legal"],
            other: None,
            build: |_, _, _| ("/api/v1/audit".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/audit/verify",
            own: &["admin", "finance", "legal"],
            other: None,
            build: |_, _, _| ("/api/v1/audit/verify".into(), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/audit/{entity_type}/{entity_id}",
            own: ALL,
            other: Some(&["admin", "finance", "legal", "marketing"]),
            build: |w, t, _| (format!("/api/v1/audit/partner/{}", w.partner[w.of(t)]), None),
        },
        Case {
            method: Method::GET,
            template: "/api/v1/tokens",
            own: ALL,
            other: None,
            build: |_, _, _| ("/api/v1/tokens".into(), None),
        },
        Case {
            method: Method::POST,
            template: "/api/v1/tokens",
            own: ALL,
            other: None,
            build: |_, _, _| {
                (
                    "/api/v1/tokens".into(),
                    Some(json!({ "name": "matrix", "scopes": ["read"] })),
                )
            },
        },
        Case {
            method: Method::DELETE,
            template: "/api/v1/tokens/{id}",
            own: ALL,
            other: Some(&["admin"]),
            build: |_, _, fresh| (format!("/api/v1/tokens/{fresh}"), None),
        },
    ]
    .into_iter()
    .chain(tier_cases())
    .chain(conflict_cases())
    .chain(registration_cases())
    .chain(approval_cases())
    .chain(incentive_plan_cases())
    .chain(close_run_cases())
    .chain(statement_cases())
    .chain(payout_cases())
    .chain(claim_cases())
    .chain(webhook_cases())
    .collect()
}

async fn send(
    app: &TestApp,
    client: &Client,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, String) {
    let mut request = client.request(method.clone(), app.url(path));
    if *method == Method::POST && path == "/api/v1/payout-batches" {
        request = request.header("Idempotency-Key", format!("matrix-{}", unique()));
    }
    if *method == Method::POST && path.ends_with("/attachments") {
        let proof = reqwest::multipart::Part::bytes(b"%PDF-1.7 matrix".to_vec())
            .file_name("proof.pdf")
            .mime_str("application/pdf")
            .unwrap();
        request = request.multipart(reqwest::multipart::Form::new().part("file", proof));
    }
    match body {
        Some(Value::Null) => {}
        Some(Value::String(csv)) => request = request.header("content-type", "text/csv").body(csv.clone()),
        Some(json) => request = request.json(json),
        None => {}
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn created_id(app: &TestApp, client: &Client, path: &str, body: Value) -> String {
    let (status, text) = send(app, client, &Method::POST, path, Some(&body)).await;
    assert!(status.is_success(), "setup POST {path} failed: {status} {text}");
    let value: Value = serde_json::from_str(&text).unwrap();
    value["id"]
        .as_str()
        .or(value["token"]["id"].as_str())
        .unwrap()
        .to_string()
}

async fn world(app: &TestApp, admin: &Client) -> World {
    let product = created_id(
        app,
        admin,
        "/api/v1/products",
        json!({ "sku": "MATRIX-1", "name": "Matrix", "family": "Things", "list_price": "10.00", "currency": "USD" }),
    )
    .await;
    let account = created_id(
        app,
        admin,
        "/api/v1/accounts",
        json!({ "name": "Globex", "kind": "company", "country": "US" }),
    )
    .await;
    let segment = created_id(
        app,
        admin,
        "/api/v1/segments",
        json!({ "name": "All of DE", "filter": { "countries": ["DE"] } }),
    )
    .await;
    let mut partner_user = Vec::new();
    for (org, partner) in [("alpha", &app.cast.partner_a), ("beta", &app.cast.partner_b)] {
        let body = json!({ "email": format!("target@{org}.example"), "display_name": "Target", "role": "partner_user", "partner_id": partner });
        partner_user.push(created_id(app, admin, "/api/v1/users", body).await);
    }
    for partner in [&app.cast.partner_a, &app.cast.partner_b] {
        let line = json!({ "fact_date": "2026-02-01", "partner_id": partner, "account_id": account,
            "product_sku": "MATRIX-1", "quantity": "2", "amount": "20.00", "currency": "USD" });
        let (status, text) = send(
            app,
            admin,
            &Method::POST,
            "/api/v1/sales-facts",
            Some(&json!({ "lines": [line] })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
    let structure = created_id(app, admin, "/api/v1/tier-structures", structure_body("Partner program")).await;
    let path = format!("/api/v1/tier-structures/{structure}/publish");
    let (status, text) = send(app, admin, &Method::POST, &path, None).await;
    assert!(status.is_success(), "{text}");
    let path = format!("/api/v1/tier-structures/{structure}/evaluations");
    let (status, text) = send(
        app,
        admin,
        &Method::POST,
        &path,
        Some(&json!({ "eval_date": "2026-03-31" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let draft = created_id(
        app,
        admin,
        &format!("/api/v1/tier-structures/{structure}/drafts"),
        json!({}),
    )
    .await;
    World {
        structure,
        draft,
        partner: [app.cast.partner_a.clone(), app.cast.partner_b.clone()],
        partner_user: [partner_user[0].clone(), partner_user[1].clone()],
        manager: [app.cast.cam_a.clone(), app.cast.cam_b.clone()],
        account,
        product,
        segment,
    }
}

/// What must never appear in responses to callers scoped away from partner B.
fn other_markers(app: &TestApp, world: &World) -> Vec<String> {
    vec![
        app.cast.partner_b.clone(),
        "Beta Managed Services".into(),
        world.partner_user[1].clone(),
        app.cast.partner_b_user.clone(),
        "beta.example".into(),
    ]
}

#[tokio::test]
async fn every_endpoint_every_role_own_and_other() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let mut clients = Vec::new();
        for (role, email) in ROLES {
            clients.push((role, app.session(email).await));
        }
        let admin = clients[0].1.clone();
        let world = world(&app, &admin).await;
        let markers = other_markers(&app, &world);
        let beta_client = app.session("user@beta.example").await;
        let alpha_client = app.session("user@alpha.example").await;

        let openapi: Value = app
            .anonymous()
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let documented: BTreeSet<(String, String)> = openapi["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.to_uppercase(), path.clone()))
            })
            .collect();
        let matrix = cases();
        let covered: BTreeSet<(String, String)> = matrix
            .iter()
            .map(|c| (c.method.to_string(), c.template.to_string()))
            .collect();
        let missing: Vec<_> = documented.difference(&covered).collect();
        assert!(
            missing.is_empty(),
            "endpoints missing from the authorisation matrix: {missing:?}"
        );
        let stale: Vec<_> = covered.difference(&documented).collect();
        assert!(
            stale.is_empty(),
            "matrix rows for endpoints that do not exist: {stale:?}"
        );

        let mut failures = Vec::new();
        let mut leaks = Vec::new();
        let mut checked = 0;
        for case in &matrix {
            for (role, client) in &clients {
                let targets: &[Target] = if case.other.is_some() {
                    &[Target::Own, Target::Other]
                } else {
                    &[Target::Own]
                };
                for &target in targets {
                    let fresh = match (case.method.clone(), case.template) {
                        (Method::POST, "/api/v1/payout-batches") => {
                            approved_statement(&app, &world.partner[0]).await;
                            String::new()
                        }
                        (_, template) if template.starts_with("/api/v1/claims/{id}") => {
                            let submitter = if target == Target::Own {
                                &alpha_client
                            } else {
                                &beta_client
                            };
                            let proof = template.ends_with("{attachment_id}");
                            fresh_claim(&app, submitter, &world.partner[world.of(target)], proof).await
                        }
                        (_, template) if template.starts_with("/api/v1/payout-batches/{id}") => {
                            fresh_batch(&app, &admin, &world).await
                        }
                        (Method::DELETE, "/api/v1/segments/{id}") => {
                            created_id(
                                &app,
                                &admin,
                                "/api/v1/segments",
                                json!({ "name": format!("Doomed {}", unique()), "filter": {} }),
                            )
                            .await
                        }
                        (Method::DELETE, "/api/v1/tokens/{id}") => {
                            let owner = if target == Target::Own { client } else { &beta_client };
                            created_id(
                                &app,
                                owner,
                                "/api/v1/tokens",
                                json!({ "name": "doomed", "scopes": ["read"] }),
                            )
                            .await
                        }
                        (Method::DELETE, "/api/v1/tier-structures/{id}")
                        | (Method::POST, "/api/v1/tier-structures/{id}/publish") => {
                            let path = format!("/api/v1/tier-structures/{}/drafts", world.structure);
                            created_id(&app, &admin, &path, json!({})).await
                        }
                        (Method::POST, "/api/v1/reservations") => fresh_account(&app, &admin).await,
                        (_, template)
                            if template.starts_with("/api/v1/statements")
                                || template == "/api/v1/partners/{id}/earnings"
                                || template == "/api/v1/incentives/spend" =>
                        {
                            fresh_statements(&app, &admin, &world, target).await
                        }
                        (Method::POST, "/api/v1/close-runs") => fresh_month(),
                        (_, "/api/v1/close-runs/{id}") => {
                            created_id(&app, &admin, "/api/v1/close-runs", json!({ "period": fresh_month() })).await
                        }
                        (method, template) if template.starts_with("/api/v1/incentive-plans/{id}") => {
                            let published = method == Method::GET || template.ends_with("/drafts");
                            fresh_plan(&app, &admin, published).await
                        }
                        (_, "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver") => {
                            let (partner, host) = if target == Target::Own {
                                (&world.partner[0], "hooks.alpha.example")
                            } else {
                                (&world.partner[1], "hooks.beta.example")
                            };
                            fresh_failed_delivery(&app, partner, host).await
                        }
                        (_, template) if template.starts_with("/api/v1/webhooks/{id}") => {
                            let host = if target == Target::Own {
                                "hooks.alpha.example"
                            } else {
                                "hooks.beta.example"
                            };
                            fresh_webhook(&app, &world.partner[world.of(target)], host).await
                        }
                        (Method::DELETE, "/api/v1/withholding-rates/{country}") => {
                            let path = "/api/v1/withholding-rates/JP";
                            let (status, text) =
                                send(&app, &admin, &Method::PUT, path, Some(&json!({ "rate": "0.2" }))).await;
                            assert!(status.is_success(), "{text}");
                            "JP".to_string()
                        }
                        (_, template) if template.starts_with("/api/v1/approvals/") => {
                            let submitter = if target == Target::Own {
                                &alpha_client
                            } else {
                                &beta_client
                            };
                            fresh_approval(&app, &admin, submitter, &world.partner[world.of(target)]).await
                        }
                        (_, template) if template.starts_with("/api/v1/registrations/{id}") => {
                            let submitter = if target == Target::Own {
                                &alpha_client
                            } else {
                                &beta_client
                            };
                            let approved = ["/lost", "/won", "/extension-request", "/extend"]
                                .iter()
                                .any(|suffix| template.ends_with(suffix));
                            let partner = &world.partner[world.of(target)];
                            fresh_registration(&app, &admin, submitter, partner, approved).await
                        }
                        (Method::POST, "/api/v1/reservations/{id}/renew")
                        | (Method::POST, "/api/v1/reservations/{id}/release") => {
                            let account = fresh_account(&app, &admin).await;
                            let body = json!({ "account_id": account, "partner_id": world.partner[world.of(target)] });
                            created_id(&app, &admin, "/api/v1/reservations", body).await
                        }
                        (Method::DELETE, "/api/v1/tier-overrides/{id}") => {
                            created_id(&app, &admin, "/api/v1/tier-overrides", override_body(&world, target)).await
                        }
                        _ => String::new(),
                    };
                    let (path, body) = (case.build)(&world, target, &fresh);
                    let (status, text) = send(&app, client, &case.method, &path, body.as_ref()).await;
                    checked += 1;
                    let allowed = match target {
                        Target::Own => case.own.contains(role),
                        Target::Other => case.other.unwrap_or(&[]).contains(role),
                    };
                    if allowed != status.is_success() {
                        failures.push(format!(
                            "{role} {} {path} ({target:?}): got {status}, expected {} — {text}",
                            case.method,
                            if allowed { "success" } else { "refusal" }
                        ));
                    }
                    if !allowed && status.is_success() && target == Target::Other {
                        leaks.push(format!("{role} {} {path}", case.method));
                    }
                    let scoped = matches!(*role, "channel_manager" | "partner_admin" | "partner_user");
                    if scoped
                        && status.is_success()
                        && case.method == Method::GET
                        && let Some(marker) = markers.iter().find(|m| text.contains(m.as_str()))
                    {
                        leaks.push(format!("{role} GET {path} revealed '{marker}'"));
                    }
                }
            }
        }
        assert!(
            leaks.is_empty(),
            "{backend:?}: data of another organisation leaked:\n{}",
            leaks.join("\n")
        );
        assert!(
            failures.is_empty(),
            "{backend:?}: {} of {checked} cells wrong:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(checked > 300, "the matrix checked only {checked} cells");
    }
}
