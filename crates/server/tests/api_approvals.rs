//! Approval workflows over the API, on every backend: amount bands choosing the steps,
//! each step decided only by its roles and never by the requester, the owning object
//! (a deal registration) following the outcome, bulk decisions, SLA reminders queued as
//! events, and rules refused with the problem named.

mod common;

use common::TestApp;
use common::http::{get, post, put};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn two_bands() -> Value {
    let cam = json!({ "name": "Channel manager", "roles": ["channel_manager", "admin"], "sla_hours": 48 });
    let finance = json!({ "name": "Finance", "roles": ["finance"], "sla_hours": 24 });
    json!({ "rules": [
        { "subject": "deal_registration", "min_amount": null, "max_amount": "100000", "steps": [cam] },
        { "subject": "deal_registration", "min_amount": "100000", "max_amount": null, "steps": [cam, finance] }
    ] })
}

async fn register(app: &TestApp, client: &Client, name: &str, value: &str) -> Value {
    let body = json!({ "customer_name": name, "country": "FR", "product_families": ["Firewalls"],
        "value": value, "currency": "EUR", "expected_close": "2030-01-31" });
    post(app, client, "/api/v1/registrations", &body)
        .await
        .expect(StatusCode::CREATED)
}

async fn approval_of(app: &TestApp, client: &Client, registration: &Value) -> Value {
    let queue = get(app, client, "/api/v1/approvals").await.expect(StatusCode::OK);
    queue
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subject_id"] == registration["id"])
        .cloned()
        .expect("an open approval request")
}

#[tokio::test]
async fn steps_by_amount_band_roles_bulk_and_reminders() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        post(
            &app,
            &admin,
            "/api/v1/products",
            &json!({ "sku": "FW-1", "name": "FW", "family": "Firewalls", "list_price": "1.00", "currency": "EUR" }),
        )
        .await
        .expect(StatusCode::CREATED);
        put(&app, &admin, "/api/v1/approval-rules", &two_bands())
            .await
            .expect(StatusCode::OK);
        let alpha = app.session("user@alpha.example").await;
        let cam = app.session("cam.a@vendor.example").await;
        let finance = app.session("finance@vendor.example").await;

        // A large deal goes through the channel manager, then finance.
        let big = register(&app, &alpha, "Obsidian Freight", "150000.00").await;
        assert_eq!(big["status"], "pending_review");
        let request = approval_of(&app, &cam, &big).await;
        let id = request["id"].as_str().unwrap();
        assert!(request["summary"].as_str().unwrap().contains("Obsidian Freight"));
        let mine = get(&app, &finance, "/api/v1/approvals?mine=true")
            .await
            .expect(StatusCode::OK);
        assert!(
            mine.as_array().unwrap().is_empty(),
            "finance decides only the second step: {mine}"
        );
        let wrong = post(
            &app,
            &finance,
            &format!("/api/v1/approvals/{id}/decision"),
            &json!({ "decision": "approve" }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        assert!(
            wrong["detail"]
                .as_str()
                .unwrap()
                .contains("'Channel manager' is decided by"),
            "{wrong}"
        );
        let first = post(
            &app,
            &cam,
            &format!("/api/v1/approvals/{id}/decision"),
            &json!({ "decision": "approve" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (first["status"].clone(), first["current_step"].clone()),
            (json!("pending"), json!(1))
        );
        let waiting = get(
            &app,
            &alpha,
            &format!("/api/v1/registrations/{}", big["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(waiting["status"], "pending_review");
        assert!(
            waiting["reason"].as_str().unwrap().contains("awaiting Finance"),
            "{waiting}"
        );
        post(
            &app,
            &cam,
            &format!("/api/v1/approvals/{id}/decision"),
            &json!({ "decision": "approve" }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        let mine = get(&app, &finance, "/api/v1/approvals?mine=true")
            .await
            .expect(StatusCode::OK);
        assert_eq!(mine.as_array().unwrap().len(), 1);
        let done = post(
            &app,
            &finance,
            &format!("/api/v1/approvals/{id}/decision"),
            &json!({ "decision": "approve" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(done["status"], "approved");
        let detail = get(&app, &admin, &format!("/api/v1/approvals/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(detail["decisions"].as_array().unwrap().len(), 2);
        let approved = get(
            &app,
            &alpha,
            &format!("/api/v1/registrations/{}", big["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(approved["status"], "approved");

        // Bulk: two small deals rejected with one comment; a comment is required.
        let small: Vec<Value> = vec![
            register(&app, &alpha, "Juniper Analytics", "5000").await,
            register(&app, &alpha, "Tundra Logistics", "7000").await,
        ];
        let mut ids = Vec::new();
        for registration in &small {
            ids.push(approval_of(&app, &cam, registration).await["id"].clone());
        }
        let without = post(
            &app,
            &cam,
            "/api/v1/approvals/decisions",
            &json!({ "ids": ids, "decision": "reject" }),
        )
        .await
        .expect(StatusCode::OK);
        assert!(
            without
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["error"].as_str().unwrap().contains("why")),
            "{without}"
        );
        let outcomes = post(
            &app,
            &cam,
            "/api/v1/approvals/decisions",
            &json!({ "ids": ids, "decision": "reject", "comment": "outside the program's territory" }),
        )
        .await
        .expect(StatusCode::OK);
        assert!(
            outcomes.as_array().unwrap().iter().all(|o| o["status"] == "rejected"),
            "{outcomes}"
        );
        let rejected = get(&app, &alpha, "/api/v1/registrations?status=rejected")
            .await
            .expect(StatusCode::OK);
        assert_eq!(rejected["items"].as_array().unwrap().len(), 2);
        assert!(rejected["items"][0]["reason"].as_str().unwrap().contains("territory"));

        // Partners have no queue.
        get(&app, &alpha, "/api/v1/approvals")
            .await
            .problem(StatusCode::FORBIDDEN);

        // SLA: a step past its due time is announced once.
        register(&app, &alpha, "Saffron Mills", "9000").await;
        let later = chrono::Utc::now() + chrono::Duration::hours(72);
        assert_eq!(
            tributary_server::services::approvals::remind_overdue(&app.db, later)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            tributary_server::services::approvals::remind_overdue(&app.db, later)
                .await
                .unwrap(),
            0
        );

        // Unusable rules are refused with the rule named.
        let mut bad = two_bands();
        bad["rules"][1]["steps"][1]["roles"] = json!(["partner_user"]);
        let problem = put(&app, &admin, "/api/v1/approval-rules", &bad)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            common::http::message(&problem, "rules").contains("partners cannot approve"),
            "{problem}"
        );
        put(&app, &cam, "/api/v1/approval-rules", &two_bands())
            .await
            .problem(StatusCode::FORBIDDEN);
    }
}
