//! Building blocks of the close and statement tests, all through the API: products of two
//! families, customer accounts, partners paid in a chosen currency, sales and returns,
//! FX rates, published plans, closes run to their end, and a partner's statement.

#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::common::TestApp;
use super::common::http::{get, post};

/// A product of family "Firewalls".
pub const FIREWALL: &str = "FW-100";
/// A product of family "Software".
pub const SOFTWARE: &str = "SW-200";

/// Vendor clients and the customer account sales go to.
pub struct World {
    pub admin: Client,
    pub finance: Client,
    pub account: String,
}

pub async fn world(app: &TestApp) -> World {
    let admin = app.session("admin@vendor.example").await;
    let finance = app.session("finance@vendor.example").await;
    for (sku, family) in [(FIREWALL, "Firewalls"), (SOFTWARE, "Software")] {
        post(
            app,
            &admin,
            "/api/v1/products",
            &json!({ "sku": sku, "name": sku, "family": family, "list_price": "100.00", "currency": "USD" }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let account = super::common::http::new_account(app, &admin).await;
    World {
        admin,
        finance,
        account,
    }
}

impl World {
    /// An active reseller paid in `payout`, taxed (and headquartered) in `country`.
    pub async fn partner(&self, app: &TestApp, name: &str, payout: &str, country: &str) -> String {
        let body = json!({
            "name": name, "partner_type": "reseller", "size_band": "11-50", "country": country,
            "tax_country": country, "payout_currency": payout, "status": "active"
        });
        post(app, &self.admin, "/api/v1/partners", &body)
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A sale (or, with a negative amount, a return) of one unit of `sku`; its id.
    pub async fn sell(
        &self,
        app: &TestApp,
        partner: &str,
        date: &str,
        sku: &str,
        amount: &str,
        currency: &str,
    ) -> String {
        let quantity = if amount.starts_with('-') { "-1" } else { "1" };
        let line = json!({ "fact_date": date, "partner_id": partner, "account_id": self.account,
            "product_sku": sku, "quantity": quantity, "amount": amount, "currency": currency });
        post(app, &self.admin, "/api/v1/sales-facts", &json!({ "lines": [line] }))
            .await
            .expect(StatusCode::CREATED)["ids"][0]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn rate(&self, app: &TestApp, from: &str, to: &str, date: &str, rate: &str) {
        let body = json!({ "from_currency": from, "to_currency": to, "rate_date": date, "rate": rate });
        post(app, &self.finance, "/api/v1/fx-rates", &body)
            .await
            .expect(StatusCode::OK);
    }

    pub async fn withholding(&self, app: &TestApp, country: &str, rate: &str) {
        let path = format!("/api/v1/withholding-rates/{country}");
        super::common::http::put(app, &self.finance, &path, &json!({ "rate": rate }))
            .await
            .expect(StatusCode::OK);
    }

    /// Creates and publishes `definition`; the plan's id.
    pub async fn publish(&self, app: &TestApp, definition: &Value) -> String {
        let draft = post(app, &self.finance, "/api/v1/incentive-plans", definition)
            .await
            .expect(StatusCode::CREATED);
        let id = draft["id"].as_str().unwrap().to_string();
        post(
            app,
            &self.finance,
            &format!("/api/v1/incentive-plans/{id}/publish"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        id
    }

    /// Closes `period` as finance and waits for the run to finish; the finished run.
    pub async fn close(&self, app: &TestApp, period: &str) -> Value {
        close(app, &self.finance, period).await
    }

    /// Closes `period` and asserts the close succeeded; the run.
    pub async fn closed(&self, app: &TestApp, period: &str) -> Value {
        let run = self.close(app, period).await;
        assert_eq!(run["status"], "succeeded", "{:?} close of {period}: {run}", app.backend);
        run
    }

    /// The statement (with lines) of `partner` for `period`, if there is one.
    pub async fn statement(&self, app: &TestApp, partner: &str, period: &str) -> Option<Value> {
        statement_of(app, &self.finance, partner, period).await
    }
}

/// A plan definition in `currency` paying `calculation` on net amounts, quarterly from
/// 2025 on, to resellers; tests adjust the rest.
pub fn plan(name: &str, currency: &str, calculation: Value) -> Value {
    json!({
        "name": name, "kind": "commission", "currency": currency, "period": "quarter",
        "effective_from": "2025-01-01", "measure": { "kind": "net_amount" },
        "calculation": calculation, "holding_days": 0, "payee": "reseller"
    })
}

pub fn rate(rate: &str) -> Value {
    json!({ "type": "rate", "rate": rate })
}

/// The worked example's bands: [0, 100 000) 2 %, [100 000, 250 000) 3 %, from 250 000 5 %.
pub fn worked_bands() -> Value {
    json!([
        { "from": "0", "to": "100000", "rate": "0.02" },
        { "from": "100000", "to": "250000", "rate": "0.03" },
        { "from": "250000", "to": null, "rate": "0.05" }
    ])
}

/// Starts a close of `period` and polls the run until it is no longer running.
pub async fn close(app: &TestApp, client: &Client, period: &str) -> Value {
    let run = post(app, client, "/api/v1/close-runs", &json!({ "period": period }))
        .await
        .expect(StatusCode::ACCEPTED);
    assert_eq!(run["status"], "running");
    let path = format!("/api/v1/close-runs/{}", run["id"].as_str().unwrap());
    for _ in 0..1200 {
        let run = get(app, client, &path).await.expect(StatusCode::OK);
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{path} did not finish");
}

/// The statement of `partner` for `period` as `client` sees it, with its lines.
pub async fn statement_of(app: &TestApp, client: &Client, partner: &str, period: &str) -> Option<Value> {
    let page = get(
        app,
        client,
        &format!("/api/v1/statements?partner_id={partner}&period_key={period}"),
    )
    .await
    .expect(StatusCode::OK);
    let id = page["items"].as_array().unwrap().first()?["id"].as_str()?.to_string();
    Some(
        get(app, client, &format!("/api/v1/statements/{id}"))
            .await
            .expect(StatusCode::OK),
    )
}

/// The earning line of plan `name` on a statement.
pub fn line<'a>(statement: &'a Value, description: &str) -> &'a Value {
    statement["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["description"] == description)
        .unwrap_or_else(|| panic!("no line '{description}' in {statement}"))
}

/// A decimal the API sent as a string.
pub fn dec(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a decimal string"))
        .parse()
        .unwrap()
}

/// `(kind, gross, withholding, net)` of every line, in order.
pub fn amounts(statement: &Value) -> Vec<(String, Decimal, Decimal, Decimal)> {
    statement["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap().to_string(),
                dec(&l["gross"]),
                dec(&l["withholding"]),
                dec(&l["net"]),
            )
        })
        .collect()
}
