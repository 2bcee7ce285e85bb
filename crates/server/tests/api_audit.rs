//! The audit trail over the API: every mutation (partners, users, passwords, products,
//! accounts, regions, verticals, FX rates, segments, API tokens, sales batches) appends a
//! record with actor, action, entity and before/after JSON; `GET /api/v1/audit/{type}/{id}`
//! returns one record's history newest first to whoever may see the record;
//! `GET /api/v1/audit/verify` checks the hash chain; only auditors read the whole trail.

mod common;

use common::TestApp;
use common::http::{get, post, put};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A record's `before_json` / `after_json` parsed (null when absent).
fn snapshot(record: &Value, key: &str) -> Value {
    match record[key].as_str() {
        Some(text) => serde_json::from_str(text).expect("before/after are JSON documents"),
        None => Value::Null,
    }
}

fn actions(history: &Value) -> Vec<&str> {
    history
        .as_array()
        .expect("a history is a list")
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect()
}

fn partner_body(name: &str) -> Value {
    json!({
        "name": name, "partner_type": "reseller", "size_band": "11-50", "country": "DE",
        "tax_country": "DE", "payout_currency": "EUR", "city": "Berlin",
        "channel_manager_id": null
    })
}

#[tokio::test]
async fn a_partner_history_shows_each_change_with_before_and_after() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let mut body = partner_body("Audited GmbH");
        body["channel_manager_id"] = json!(app.cast.cam_a);
        let created = post(&app, &admin, "/api/v1/partners", &body)
            .await
            .expect(StatusCode::CREATED);
        let id = created["id"].as_str().unwrap().to_string();
        body["city"] = json!("Hamburg");
        put(&app, &admin, &format!("/api/v1/partners/{id}"), &body)
            .await
            .expect(StatusCode::OK);

        let history = get(&app, &admin, &format!("/api/v1/audit/partner/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            actions(&history),
            ["partner.updated", "partner.created"],
            "{backend:?}: {history}"
        );
        let [updated, created_record] = [&history[0], &history[1]];
        for record in [updated, created_record] {
            assert_eq!(record["entity_type"], "partner");
            assert_eq!(record["entity_id"], id.as_str());
            assert_eq!(record["actor_id"], app.cast.admin.as_str());
            assert_eq!(record["actor_label"], "admin@vendor.example");
            assert!(record["occurred_at"].as_str().is_some_and(|t| t.ends_with('Z')));
            assert_eq!(record["hash"].as_str().map(str::len), Some(64), "{record}");
        }
        assert!(updated["seq"].as_i64() > created_record["seq"].as_i64());
        assert_eq!(updated["prev_hash"].as_str().map(str::len), Some(64));
        assert_eq!(snapshot(created_record, "before_json"), Value::Null, "{backend:?}");
        let after = snapshot(created_record, "after_json");
        assert_eq!(after["name"], "Audited GmbH", "{backend:?}: {after}");
        assert_eq!(after["city"], "Berlin");
        assert_eq!(after["id"], id.as_str());
        let before = snapshot(updated, "before_json");
        let after = snapshot(updated, "after_json");
        assert_eq!(
            (before["city"].as_str(), after["city"].as_str()),
            (Some("Berlin"), Some("Hamburg")),
            "{backend:?}"
        );
        assert_eq!(
            (before["version"].as_i64(), after["version"].as_i64()),
            (Some(1), Some(2))
        );

        // A status change is recorded as such.
        body["status"] = json!("onboarding");
        put(&app, &admin, &format!("/api/v1/partners/{id}"), &body)
            .await
            .expect(StatusCode::OK);
        let history = get(&app, &admin, &format!("/api/v1/audit/partner/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            actions(&history),
            ["partner.status_changed", "partner.updated", "partner.created"],
            "{backend:?}"
        );
        let change = &history[0];
        assert_eq!(snapshot(change, "before_json")["status"], "prospect");
        assert_eq!(snapshot(change, "after_json")["status"], "onboarding");

        // A refused change leaves no record.
        body["status"] = json!("terminated");
        body["payout_currency"] = json!("EURO");
        put(&app, &admin, &format!("/api/v1/partners/{id}"), &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let history = get(&app, &admin, &format!("/api/v1/audit/partner/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history.as_array().unwrap().len(), 3, "{backend:?}");

        // Who may read it: anyone who can see the partner, nobody else.
        let cam_a = app.session("cam.a@vendor.example").await;
        let seen = get(&app, &cam_a, &format!("/api/v1/audit/partner/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(seen, history);
        let cam_b = app.session("cam.b@vendor.example").await;
        let problem = get(&app, &cam_b, &format!("/api/v1/audit/partner/{id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        assert_eq!(problem["type"], "urn:tributary:problem:not-found", "{backend:?}");
        get(&app, &cam_b, &format!("/api/v1/audit/partner/{}", app.cast.partner_a))
            .await
            .problem(StatusCode::NOT_FOUND);
        let alpha = app.session("user@alpha.example").await;
        let own = get(&app, &alpha, &format!("/api/v1/audit/partner/{}", app.cast.partner_a))
            .await
            .expect(StatusCode::OK);
        assert_eq!(actions(&own), ["partner.created"], "{backend:?}");
        get(&app, &alpha, &format!("/api/v1/audit/partner/{}", app.cast.partner_b))
            .await
            .problem(StatusCode::NOT_FOUND);
        get(&app, &alpha, &format!("/api/v1/audit/api_token/{id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        // Auditors read every history.
        let legal = app.session("legal@vendor.example").await;
        get(&app, &legal, &format!("/api/v1/audit/partner/{id}"))
            .await
            .expect(StatusCode::OK);
    }
}

/// The record of `action` on `entity_id` in the recent trail.
fn find<'a>(trail: &'a Value, action: &str, entity_id: &str) -> &'a Value {
    trail
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == action && r["entity_id"] == entity_id)
        .unwrap_or_else(|| panic!("no {action} record for {entity_id}"))
}

#[tokio::test]
async fn every_mutation_is_recorded_and_the_chain_verifies() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let finance = app.session("finance@vendor.example").await;
        let verified = get(&app, &finance, "/api/v1/audit/verify").await.expect(StatusCode::OK);
        assert_eq!(verified["intact"], true, "{backend:?}: {verified}");
        let seeded = verified["records"].as_i64().expect("a record count");
        assert!(seeded > 0, "the fixtures are audited too");

        let user = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({ "email": "audit@alpha.example", "display_name": "Audit", "role": "partner_user", "partner_id": app.cast.partner_a }),
        )
        .await
        .expect(StatusCode::CREATED);
        let user_id = user["id"].as_str().unwrap().to_string();
        let mut changed = user.clone();
        changed["display_name"] = json!("Audit Trail");
        put(&app, &admin, &format!("/api/v1/users/{user_id}"), &changed)
            .await
            .expect(StatusCode::OK);
        let response = admin
            .put(app.url(&format!("/api/v1/users/{user_id}/password")))
            .json(&json!({ "password": "a long enough password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let product = post(
            &app,
            &admin,
            "/api/v1/products",
            &json!({ "sku": "AUD-1", "name": "Audit", "family": "Kits", "list_price": "1.00", "currency": "EUR" }),
        )
        .await
        .expect(StatusCode::CREATED);
        let product_id = product["id"].as_str().unwrap().to_string();
        put(
            &app,
            &admin,
            &format!("/api/v1/products/{product_id}"),
            &json!({ "sku": "AUD-1", "name": "Audit", "family": "Kits", "list_price": "2.00", "currency": "EUR" }),
        )
        .await
        .expect(StatusCode::OK);
        let account = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &json!({ "name": "Audit Corp", "kind": "company", "country": "US" }),
        )
        .await
        .expect(StatusCode::CREATED);
        let account_id = account["id"].as_str().unwrap().to_string();
        for name in ["EMEA", "Europe, Middle East and Africa"] {
            put(
                &app,
                &admin,
                "/api/v1/regions/emea",
                &json!({ "name": name, "countries": ["DE"] }),
            )
            .await
            .expect(StatusCode::OK);
        }
        put(&app, &admin, "/api/v1/verticals/retail", &json!({ "name": "Retail" }))
            .await
            .expect(StatusCode::OK);
        post(
            &app,
            &finance,
            "/api/v1/fx-rates",
            &json!({ "from_currency": "EUR", "to_currency": "USD", "rate_date": "2026-01-02", "rate": "1.08" }),
        )
        .await
        .expect(StatusCode::OK);
        let segment = post(
            &app,
            &admin,
            "/api/v1/segments",
            &json!({ "name": "Audit segment", "filter": { "regions": ["emea"] } }),
        )
        .await
        .expect(StatusCode::CREATED);
        let segment_id = segment["id"].as_str().unwrap().to_string();
        let response = admin
            .delete(app.url(&format!("/api/v1/segments/{segment_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let token = post(
            &app,
            &admin,
            "/api/v1/tokens",
            &json!({ "name": "audit", "scopes": ["read"] }),
        )
        .await
        .expect(StatusCode::CREATED);
        let token_id = token["token"]["id"].as_str().unwrap().to_string();
        let response = admin
            .delete(app.url(&format!("/api/v1/tokens/{token_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let batch = post(
            &app,
            &admin,
            "/api/v1/sales-facts",
            &json!({ "lines": [{
                "fact_date": "2026-03-31", "partner_id": app.cast.partner_a, "account_id": account_id,
                "product_sku": "AUD-1", "quantity": "1", "amount": "2.00", "currency": "EUR"
            }]}),
        )
        .await
        .expect(StatusCode::CREATED);
        let batch_id = batch["import_batch_id"].as_str().unwrap().to_string();

        let trail = get(&app, &finance, "/api/v1/audit?limit=1000")
            .await
            .expect(StatusCode::OK);
        let created = find(&trail, "user.created", &user_id);
        assert_eq!(snapshot(created, "before_json"), Value::Null);
        assert_eq!(snapshot(created, "after_json")["email"], "audit@alpha.example");
        let updated = find(&trail, "user.updated", &user_id);
        assert_eq!(snapshot(updated, "before_json")["display_name"], "Audit");
        assert_eq!(snapshot(updated, "after_json")["display_name"], "Audit Trail");
        let password = find(&trail, "user.password_set", &user_id);
        let password_text = password.to_string();
        assert!(
            !password_text.contains("a long enough password") && !password_text.contains("argon2"),
            "{backend:?}: the audit trail holds the password: {password_text}"
        );
        let product_update = find(&trail, "product.updated", &product_id);
        assert_eq!(
            snapshot(product_update, "before_json")["list_price"],
            "1.00",
            "{backend:?}"
        );
        assert_eq!(snapshot(product_update, "after_json")["list_price"], "2.00");
        find(&trail, "product.created", &product_id);
        find(&trail, "account.created", &account_id);
        let regions: Vec<&Value> = trail
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == "region.saved" && r["entity_id"] == "emea")
            .collect();
        assert_eq!(regions.len(), 2, "{backend:?}");
        // Newest first: the second save has the first as its before.
        assert_eq!(snapshot(regions[0], "before_json")["name"], "EMEA");
        assert_eq!(
            snapshot(regions[0], "after_json")["name"],
            "Europe, Middle East and Africa"
        );
        assert_eq!(snapshot(regions[1], "before_json"), Value::Null);
        find(&trail, "vertical.saved", "retail");
        let rate = find(&trail, "fx_rate.saved", "EUR/USD/2026-01-02");
        assert_eq!(rate["actor_label"], "finance@vendor.example");
        find(&trail, "segment.created", &segment_id);
        let deleted = find(&trail, "segment.deleted", &segment_id);
        assert_eq!(snapshot(deleted, "before_json")["name"], "Audit segment");
        assert_eq!(snapshot(deleted, "after_json"), Value::Null);
        let token_created = find(&trail, "api_token.created", &token_id);
        assert!(
            !token_created.to_string().contains(token["secret"].as_str().unwrap()),
            "{backend:?}: the audit trail holds a token secret"
        );
        let revoked = find(&trail, "api_token.revoked", &token_id);
        assert!(snapshot(revoked, "after_json")["revoked_at"].is_string(), "{revoked}");
        let import = find(&trail, "import.completed", &batch_id);
        assert_eq!(snapshot(import, "after_json")["rows"], 1);

        // Newest first, gap-free sequence, linked hashes.
        let records = trail.as_array().unwrap();
        for pair in records.windows(2) {
            assert_eq!(
                pair[0]["seq"].as_i64().unwrap(),
                pair[1]["seq"].as_i64().unwrap() + 1,
                "{backend:?}"
            );
            assert_eq!(pair[0]["prev_hash"], pair[1]["hash"], "{backend:?}: broken link");
        }
        let paged = get(
            &app,
            &finance,
            &format!("/api/v1/audit?limit=5&before_seq={}", records[0]["seq"]),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(paged.as_array().unwrap().as_slice(), &records[1..6]);

        let verified = get(&app, &admin, "/api/v1/audit/verify").await.expect(StatusCode::OK);
        assert_eq!(verified["intact"], true, "{backend:?}: {verified}");
        assert_eq!(verified["records"].as_i64(), Some(records.len() as i64), "{backend:?}");
        assert_eq!(verified["broken_seq"], Value::Null);

        // Only auditors read the trail as a whole.
        for email in [
            "cam.a@vendor.example",
            "marketing@vendor.example",
            "admin@alpha.example",
        ] {
            let client = app.session(email).await;
            get(&app, &client, "/api/v1/audit").await.problem(StatusCode::FORBIDDEN);
            get(&app, &client, "/api/v1/audit/verify")
                .await
                .problem(StatusCode::FORBIDDEN);
        }
    }
}
