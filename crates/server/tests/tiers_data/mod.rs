//! The tier world of the portal tests (and the browser test): sales and certifications of
//! partners A (Alpha) and B (Beta), and the published structure "Partner program"
//! (Registered < Silver < Gold) evaluated on 2026-09-30 — Alpha at Silver, $120,400 of
//! revenue and one certified person short of Gold; Beta at Gold; the others Registered.

#![allow(dead_code)]

use reqwest::Client;
use serde_json::{Value, json};

use super::common::TestApp;

pub const STRUCTURE_NAME: &str = "Partner program";
pub const FIRST_EVALUATION: &str = "2026-09-30";
pub const ALPHA_SUMMARY: &str = "$120,400 more revenue and 1 more certified person to reach Gold by 31 December 2026";

pub struct TierWorld {
    pub structure: String,
}

async fn api(client: &Client, app: &TestApp, method: reqwest::Method, path: &str, body: Value) -> Value {
    let response = client.request(method, app.url(path)).json(&body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// The structure's API body with Silver and Gold revenue targets.
pub fn structure_body(name: &str, silver: &str, gold: &str) -> Value {
    json!({
        "name": name, "currency": "USD", "cadence": "quarterly",
        "metrics": [
            { "key": "revenue_12m", "kind": "net_revenue", "window": { "trailing_months": 12 } },
            { "key": "certified", "kind": "certified_people", "window": "at_date" }
        ],
        "levels": [
            { "name": "Registered", "requirements": [] },
            { "name": "Silver", "requirements": [{ "metric": "revenue_12m", "comparison": ">=", "target": silver }] },
            { "name": "Gold", "requirements": [
                { "metric": "revenue_12m", "comparison": ">=", "target": gold },
                { "metric": "certified", "comparison": ">=", "target": "5" }
            ] }
        ],
        "benefits": [
            { "discount_percent": "0", "rebate_multiplier": "1", "mdf_allocation": "0", "lead_priority": 0, "content_tags": [] },
            { "discount_percent": "5", "rebate_multiplier": "1.2", "mdf_allocation": "1000", "lead_priority": 1, "content_tags": ["silver"] },
            { "discount_percent": "10", "rebate_multiplier": "1.5", "mdf_allocation": "5000", "lead_priority": 2, "content_tags": ["gold", "playbooks"] }
        ],
        "region_overrides": [],
        "rules": { "grace": 1, "max_demotion_step": 1 },
        "valid_from": "2026-01-01", "valid_until": null
    })
}

/// Sales, certifications and the published, evaluated structure, all through the API as
/// the administrator.
pub async fn seed(app: &TestApp) -> TierWorld {
    use reqwest::Method;
    let admin = app.session("admin@vendor.example").await;
    api(
        &admin,
        app,
        Method::PUT,
        "/api/v1/regions/dach",
        json!({ "name": "Germany, Austria, Switzerland", "countries": ["DE", "AT", "CH"] }),
    )
    .await;
    api(
        &admin,
        app,
        Method::POST,
        "/api/v1/products",
        json!({ "sku": "TIER-1", "name": "Tier product", "family": "Things", "list_price": "10.00", "currency": "USD" }),
    )
    .await;
    let account = api(
        &admin,
        app,
        Method::POST,
        "/api/v1/accounts",
        json!({ "name": "Globex", "kind": "company", "country": "US" }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let line = |partner: &str, date: &str, amount: &str| {
        json!({ "fact_date": date, "partner_id": partner, "account_id": account, "product_sku": "TIER-1",
            "quantity": "1", "amount": amount, "currency": "USD" })
    };
    let (a, b) = (&app.cast.partner_a, &app.cast.partner_b);
    api(
        &admin,
        app,
        Method::POST,
        "/api/v1/sales-facts",
        json!({ "lines": [
            line(a, "2025-10-15", "279600.00"),
            line(a, "2026-06-15", "100000.00"),
            line(b, "2026-06-15", "700000.00"),
        ] }),
    )
    .await;
    let certified = |partner: &str, value: &str| json!({ "partner_id": partner, "metric": "certified_people", "fact_date": "2026-06-01", "value": value });
    api(
        &admin,
        app,
        Method::POST,
        "/api/v1/metric-facts",
        json!({ "lines": [certified(a, "4"), certified(b, "6")] }),
    )
    .await;
    let structure = api(
        &admin,
        app,
        Method::POST,
        "/api/v1/tier-structures",
        structure_body(STRUCTURE_NAME, "150000", "500000"),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    api(
        &admin,
        app,
        Method::POST,
        &format!("/api/v1/tier-structures/{structure}/publish"),
        json!({}),
    )
    .await;
    api(
        &admin,
        app,
        Method::POST,
        &format!("/api/v1/tier-structures/{structure}/evaluations"),
        json!({ "eval_date": FIRST_EVALUATION }),
    )
    .await;
    TierWorld { structure }
}
