//! Incentive data for the portal and browser tests, created through the API: the worked
//! example's graduated commission in USD (bands 0–100,000 at 2 %, 100,000–250,000 at 3 %,
//! from 250,000 at 5 %) published, 2026-Q1 sales of Alpha Resellers worth 300,000 USD in
//! three transactions and of Beta Managed Services worth 50,000 USD, the USD→EUR rate of
//! the quarter's last day (both partners are paid in EUR) and German withholding of 10 %.
//! Alpha's statement: 9,000.00 USD × 0.92 = 8,280.00 EUR gross, 828.00 withholding,
//! 7,452.00 net.

#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use super::common::TestApp;
use super::common::http::{get, new_account, post, put, send};

/// The plan's name.
pub const PLAN_NAME: &str = "Resale commission";
/// The closed period.
pub const PERIOD: &str = "2026-Q1";

/// What the tests refer to.
pub struct EarningsWorld {
    pub plan_id: String,
}

/// Alpha's and Beta's sales of the quarter, the rate, withholding and the published plan.
pub async fn seed(app: &TestApp) -> EarningsWorld {
    let admin = app.session("admin@vendor.example").await;
    let finance = app.session("finance@vendor.example").await;
    post(
        app,
        &admin,
        "/api/v1/products",
        &json!({ "sku": "FW-100", "name": "Firewall", "family": "Firewalls", "list_price": "1000.00", "currency": "USD" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let account = new_account(app, &admin).await;
    let sale = |partner: &str, date: &str, quantity: &str, amount: &str| {
        json!({
            "fact_date": date, "partner_id": partner, "account_id": account, "product_sku": "FW-100",
            "quantity": quantity, "amount": amount, "currency": "USD"
        })
    };
    let lines = json!({ "lines": [
        sale(&app.cast.partner_a, "2026-01-15", "120", "120000.00"),
        sale(&app.cast.partner_a, "2026-02-10", "130", "130000.00"),
        sale(&app.cast.partner_a, "2026-03-20", "50", "50000.00"),
        sale(&app.cast.partner_b, "2026-02-01", "50", "50000.00"),
    ]});
    send(
        app,
        admin
            .post(app.url("/api/v1/sales-facts"))
            .header("idempotency-key", "earnings-data")
            .json(&lines),
    )
    .await
    .expect(StatusCode::CREATED);
    post(
        app,
        &finance,
        "/api/v1/fx-rates",
        &json!({ "from_currency": "USD", "to_currency": "EUR", "rate_date": "2026-03-31", "rate": "0.92" }),
    )
    .await
    .expect(StatusCode::OK);
    put(app, &finance, "/api/v1/withholding-rates/DE", &json!({ "rate": "0.1" }))
        .await
        .expect(StatusCode::OK);
    let plan = plan(&finance, app).await;
    EarningsWorld { plan_id: plan }
}

/// The worked example's graduated plan, created and published by finance.
async fn plan(finance: &Client, app: &TestApp) -> String {
    let band = |from: &str, to: Option<&str>, rate: &str| json!({ "from": from, "to": to, "rate": rate });
    let definition = json!({
        "name": PLAN_NAME, "kind": "commission", "currency": "USD", "period": "quarter",
        "effective_from": "2026-01-01",
        "measure": { "kind": "net_amount" },
        "calculation": { "type": "graduated", "bands": [
            band("0", Some("100000"), "0.02"), band("100000", Some("250000"), "0.03"), band("250000", None, "0.05")
        ] },
        "holding_days": 0, "payee": "reseller"
    });
    let draft = post(app, finance, "/api/v1/incentive-plans", &definition)
        .await
        .expect(StatusCode::CREATED);
    let id = draft["id"].as_str().unwrap().to_string();
    post(
        app,
        finance,
        &format!("/api/v1/incentive-plans/{id}/publish"),
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    id
}

/// Closes `period` through the API and waits for the run to finish; the finished run.
pub async fn close(app: &TestApp, client: &Client, period: &str) -> Value {
    let run = post(app, client, "/api/v1/close-runs", &json!({ "period": period }))
        .await
        .expect(StatusCode::ACCEPTED);
    let id = run["id"].as_str().unwrap().to_string();
    wait_for_run(app, client, &id).await
}

/// Polls close run `id` until it is no longer running.
pub async fn wait_for_run(app: &TestApp, client: &Client, id: &str) -> Value {
    for _ in 0..600 {
        let run = get(app, client, &format!("/api/v1/close-runs/{id}"))
            .await
            .expect(StatusCode::OK);
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("close run {id} did not finish");
}
