//! Deal registration over the API, on every backend: each decision rule with its reason
//! (never naming the other partner), review by channel managers (never one's own), won
//! deals becoming `deal_registered` sales facts, lost, extensions and expiry, concurrent
//! registrations of one customer under spelling variants accepting exactly one, two-tier
//! visibility, and bad input.

mod common;

use common::TestApp;
use common::http::{fields, get, post};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn setup(app: &TestApp, admin: &Client) {
    for (sku, family) in [("FW-1", "Firewalls"), ("SW-1", "Switches")] {
        let body = json!({ "sku": sku, "name": sku, "family": family, "list_price": "1000.00", "currency": "EUR" });
        post(app, admin, "/api/v1/products", &body)
            .await
            .expect(StatusCode::CREATED);
    }
    for (name, domain, house) in [
        ("Globex GmbH", "globex.de", false),
        ("Initech AG", "initech.de", true),
        ("Hooli GmbH", "hooli.de", false),
    ] {
        let body = json!({ "name": name, "kind": "company", "country": "DE", "city": "Berlin", "domains": [domain], "is_house_account": house });
        post(app, admin, "/api/v1/accounts", &body)
            .await
            .expect(StatusCode::CREATED);
    }
}

fn registration(name: &str, website: &str, family: &str) -> Value {
    json!({ "customer_name": name, "website": website, "country": "DE", "city": "Berlin",
        "product_families": [family], "value": "48000.00", "currency": "EUR", "expected_close": "2027-03-31",
        "contact_name": "Anna Schmidt", "contact_email": "anna@example.com" })
}

async fn register(app: &TestApp, client: &Client, body: &Value) -> Value {
    post(app, client, "/api/v1/registrations", body)
        .await
        .expect(StatusCode::CREATED)
}

fn no_other_partner(value: &Value) {
    let text = value.to_string();
    for name in ["Alpha", "Beta", "Rho", "Delta"] {
        assert!(!text.contains(name), "{text}");
    }
}

#[tokio::test]
async fn each_rule_review_and_lifecycle() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        setup(&app, &admin).await;
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;

        // 1. House account.
        let house = register(
            &app,
            &alpha,
            &registration("Initech", "https://www.initech.de", "Firewalls"),
        )
        .await;
        assert_eq!(house["status"], "declined");
        assert!(house["reason"].as_str().unwrap().contains("house account"), "{house}");

        // 6. A clear match, nothing in the way: pending approval.
        let first = register(&app, &alpha, &registration("Globex GmbH", "globex.de", "Firewalls")).await;
        assert_eq!(first["status"], "pending_review", "{first}");
        assert!(first["account_id"].is_string(), "{first}");
        // 2. Another partner, same customer under another spelling, overlapping family: auto-declined.
        let duplicate = register(&app, &beta, &registration("GLOBEX", "http://globex.de/", "Firewalls")).await;
        assert_eq!(duplicate["status"], "declined", "{duplicate}");
        let reason = duplicate["reason"].as_str().unwrap();
        assert!(
            reason.contains("Duplicate") && reason.contains(&first["created_at"].as_str().unwrap()[..10]),
            "{reason}"
        );
        no_other_partner(&duplicate);
        // Another family does not overlap.
        let switches = register(&app, &beta, &registration("Globex", "globex.de", "Switches")).await;
        assert_eq!(switches["status"], "pending_review", "{switches}");
        // 3. The same partner again: its own duplicate, named.
        let again = register(&app, &alpha, &registration("Globex GmbH", "globex.de", "Firewalls")).await;
        assert_eq!(again["status"], "declined");
        assert!(
            again["reason"]
                .as_str()
                .unwrap()
                .contains(first["reference"].as_str().unwrap()),
            "{again}"
        );

        // 4. Reserved by another partner.
        let accounts = get(&app, &admin, "/api/v1/accounts?q=Hooli")
            .await
            .expect(StatusCode::OK);
        let hooli = accounts["items"][0]["id"].as_str().unwrap().to_string();
        post(&app, &beta, "/api/v1/reservations", &json!({ "account_id": hooli }))
            .await
            .expect(StatusCode::CREATED);
        let reserved = register(&app, &alpha, &registration("Hooli", "hooli.de", "Firewalls")).await;
        assert_eq!(reserved["status"], "declined");
        assert!(
            reserved["reason"]
                .as_str()
                .unwrap()
                .contains("reserved by another partner"),
            "{reserved}"
        );
        no_other_partner(&reserved);

        // A new customer: no account, pending approval.
        let fresh = register(
            &app,
            &alpha,
            &registration("Brand New Robotics", "brandnew-robotics.io", "Switches"),
        )
        .await;
        assert_eq!(
            (fresh["status"].clone(), fresh["account_id"].clone()),
            (json!("pending_review"), Value::Null)
        );

        // Review: partners cannot approve; channel managers approve the partners they manage.
        let id = first["id"].as_str().unwrap();
        post(&app, &alpha, &format!("/api/v1/registrations/{id}/approve"), &json!({}))
            .await
            .problem(StatusCode::FORBIDDEN);
        let cam_b = app.session("cam.b@vendor.example").await;
        post(&app, &cam_b, &format!("/api/v1/registrations/{id}/approve"), &json!({}))
            .await
            .problem(StatusCode::NOT_FOUND);
        let cam_a = app.session("cam.a@vendor.example").await;
        let detail = get(&app, &cam_a, &format!("/api/v1/registrations/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(detail["candidates"][0]["score"].as_u64().unwrap() > 0, "{detail}");
        let partner_view = get(&app, &alpha, &format!("/api/v1/registrations/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(partner_view["candidates"].is_null());
        let approved = post(
            &app,
            &cam_a,
            &format!("/api/v1/registrations/{id}/approve"),
            &json!({ "comment": "good fit" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(approved["status"], "approved");
        assert!(approved["protected_until"].is_string());
        let fresh_id = fresh["id"].as_str().unwrap();
        let problem = post(
            &app,
            &cam_a,
            &format!("/api/v1/registrations/{fresh_id}/reject"),
            &json!({}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["comment"]);
        // Nobody approves their own registration.
        let own = register(
            &app,
            &cam_a,
            &json!({ "partner_id": app.cast.partner_a, "customer_name": "Umbrella Corp", "country": "DE",
                "product_families": ["Switches"], "value": "1000", "currency": "EUR", "expected_close": "2027-01-31" }),
        )
        .await;
        post(
            &app,
            &cam_a,
            &format!("/api/v1/registrations/{}/approve", own["id"].as_str().unwrap()),
            &json!({}),
        )
        .await
        .problem(StatusCode::FORBIDDEN);

        // Extension: requested by the partner, granted by the channel manager up to the limit.
        post(
            &app,
            &alpha,
            &format!("/api/v1/registrations/{id}/extension-request"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        post(&app, &alpha, &format!("/api/v1/registrations/{id}/extend"), &json!({}))
            .await
            .problem(StatusCode::FORBIDDEN);
        let extended = post(&app, &cam_a, &format!("/api/v1/registrations/{id}/extend"), &json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(extended["extensions"], 1);
        assert!(extended["protected_until"].as_str() > approved["protected_until"].as_str());

        // Won: the lines become sales facts flagged deal_registered.
        let won = post(
            &app,
            &alpha,
            &format!("/api/v1/registrations/{id}/won"),
            &json!({ "fact_date": "2026-11-20", "lines": [{ "product_sku": "FW-1", "quantity": "4", "amount": "40000.00" }] }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(won["registration"]["status"], "won");
        let facts = get(
            &app,
            &admin,
            &format!("/api/v1/sales-facts?deal_ref={}", first["reference"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(facts["items"][0]["deal_registered"], true);
        assert_eq!(facts["items"][0]["amount_minor"], 4_000_000);
        post(&app, &alpha, &format!("/api/v1/registrations/{id}/lost"), &json!({}))
            .await
            .problem(StatusCode::CONFLICT);

        // Expiry: approved registrations past their protection expire.
        let switches_id = switches["id"].as_str().unwrap();
        post(
            &app,
            &cam_b,
            &format!("/api/v1/registrations/{switches_id}/approve"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        let later = chrono::Utc::now().date_naive() + chrono::Days::new(400);
        let expired = tributary_server::services::conflict::registrations::expire_lapsed(&app.db, later)
            .await
            .unwrap();
        assert_eq!(expired, 1);
        let listed = get(&app, &beta, "/api/v1/registrations?status=expired")
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);

        // Partners see only their own.
        get(&app, &beta, &format!("/api/v1/registrations/{id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        let theirs = get(&app, &beta, "/api/v1/registrations").await.expect(StatusCode::OK);
        assert!(
            theirs["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["partner_id"] == json!(app.cast.partner_b))
        );
    }
}

#[tokio::test]
async fn concurrent_registrations_of_one_customer_accept_exactly_one() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        setup(&app, &admin).await;
        let mut clients = Vec::new();
        for email in [
            "user@alpha.example",
            "user@beta.example",
            "user@rho.example",
            "admin@delta.example",
        ] {
            clients.push(app.session(email).await);
        }
        let names = ["Contoso Ltd", "Contoso Limited", "CONTOSO", "Contoso Ltd."];
        let bodies: Vec<Value> = names
            .iter()
            .map(|n| registration(n, "contoso.co.uk", "Firewalls"))
            .collect();
        let attempts = clients
            .iter()
            .zip(&bodies)
            .map(|(client, body)| post(&app, client, "/api/v1/registrations", body));
        let replies = futures_util::future::join_all(attempts).await;
        let statuses: Vec<String> = replies
            .into_iter()
            .map(|r| r.expect(StatusCode::CREATED)["status"].as_str().unwrap().to_string())
            .collect();
        let accepted = statuses.iter().filter(|s| *s != "declined").count();
        assert_eq!(accepted, 1, "{backend:?}: {statuses:?}");
    }
}

#[tokio::test]
async fn bad_input_and_two_tier_visibility() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        setup(&app, &admin).await;
        let alpha = app.session("user@alpha.example").await;
        let bad = json!({ "customer_name": "Acme", "website": "not a domain", "country": "DE",
            "product_families": ["Firewalls"], "value": "-5", "currency": "EUR", "expected_close": "2020-01-01" });
        let problem = post(&app, &alpha, "/api/v1/registrations", &bad)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["website", "value", "expected_close"]);
        let unknown = post(
            &app,
            &alpha,
            "/api/v1/registrations",
            &registration("Acme", "acme.de", "Toasters"),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            common::http::message(&unknown, "product_families").contains("'Toasters'"),
            "{unknown}"
        );
        let listed = get(&app, &alpha, "/api/v1/registrations").await.expect(StatusCode::OK);
        assert!(listed["items"].as_array().unwrap().is_empty(), "nothing was stored");

        // A distributor registers for its reseller; the reseller sees it, other partners do not.
        let delta = app.session("admin@delta.example").await;
        let mut body = registration("Wayne Enterprises", "wayne.com", "Switches");
        body["partner_id"] = json!(app.cast.reseller);
        let created = register(&app, &delta, &body).await;
        assert_eq!(created["partner_id"], json!(app.cast.reseller));
        let rho = app.session("user@rho.example").await;
        let own = get(&app, &rho, "/api/v1/registrations").await.expect(StatusCode::OK);
        assert_eq!(own["items"].as_array().unwrap().len(), 1);
        let delta_view = get(&app, &delta, "/api/v1/registrations").await.expect(StatusCode::OK);
        assert_eq!(delta_view["items"].as_array().unwrap().len(), 1);
        let alpha_view = get(&app, &alpha, "/api/v1/registrations").await.expect(StatusCode::OK);
        assert!(alpha_view["items"].as_array().unwrap().is_empty());
        // Alpha cannot register for Rho.
        let problem = post(&app, &alpha, "/api/v1/registrations", &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["partner_id"]);
    }
}
