//! The channel-conflict world of the portal tests (and the browser test): products in two
//! families, and customer accounts in Berlin — Globex GmbH (free), Initech AG (a house
//! account) and Hooli GmbH (reserved by partner B, Beta) — all set up through the API as
//! the administrator and Beta.

#![allow(dead_code)]

use reqwest::Client;
use serde_json::{Value, json};

use super::common::TestApp;

pub const FAMILIES: [&str; 2] = ["Firewalls", "Switches"];

pub struct ConflictWorld {
    pub globex: String,
    pub initech: String,
    pub hooli: String,
}

async fn api(client: &Client, app: &TestApp, path: &str, body: Value) -> Value {
    let response = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub async fn seed(app: &TestApp) -> ConflictWorld {
    let admin = app.session("admin@vendor.example").await;
    for (sku, name, family) in [
        ("FW-100", "Firewall 100", "Firewalls"),
        ("FW-200", "Firewall 200", "Firewalls"),
        ("SW-1", "Switch", "Switches"),
    ] {
        api(
            &admin,
            app,
            "/api/v1/products",
            json!({ "sku": sku, "name": name, "family": family, "list_price": "1000.00", "currency": "EUR" }),
        )
        .await;
    }
    let mut ids = Vec::new();
    for (name, domain, house) in [
        ("Globex GmbH", "globex.de", false),
        ("Initech AG", "initech.de", true),
        ("Hooli GmbH", "hooli.de", false),
    ] {
        let created = api(
            &admin,
            app,
            "/api/v1/accounts",
            json!({ "name": name, "kind": "company", "country": "DE", "city": "Berlin", "domains": [domain], "is_house_account": house }),
        )
        .await;
        ids.push(created["id"].as_str().unwrap().to_string());
    }
    let beta = app.session("user@beta.example").await;
    api(&beta, app, "/api/v1/reservations", json!({ "account_id": ids[2] })).await;
    ConflictWorld {
        globex: ids[0].clone(),
        initech: ids[1].clone(),
        hooli: ids[2].clone(),
    }
}
