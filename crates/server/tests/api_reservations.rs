//! Account reservations over the API, on every backend: the availability answer, every
//! refusal rule including the hierarchy cases, renewals and release, expiry, concurrency
//! (exactly one of many simultaneous requests wins), acting for resellers, and messages
//! that never reveal the other partner.

mod common;

use common::TestApp;
use common::http::{get, post};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn account(app: &TestApp, admin: &Client, name: &str, parent: Option<&str>, house: bool) -> String {
    let kind = if parent.is_some() { "subsidiary" } else { "company" };
    let body = json!({ "name": name, "kind": kind, "parent_id": parent, "country": "DE", "is_house_account": house });
    post(app, admin, "/api/v1/accounts", &body)
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn availability(app: &TestApp, client: &Client, account: &str) -> Value {
    post(
        app,
        client,
        "/api/v1/reservations/check",
        &json!({ "account_id": account }),
    )
    .await
    .expect(StatusCode::OK)["availability"]
        .clone()
}

async fn reserve(app: &TestApp, client: &Client, account: &str, scope: &str) -> (StatusCode, Value) {
    let reply = post(
        app,
        client,
        "/api/v1/reservations",
        &json!({ "account_id": account, "scope": scope }),
    )
    .await;
    (reply.status, reply.body)
}

fn refused(outcome: &(StatusCode, Value), words: &str) {
    assert_eq!(outcome.0, StatusCode::CONFLICT, "{}", outcome.1);
    let detail = outcome.1["detail"].as_str().unwrap();
    assert!(detail.contains(words), "{detail}");
    assert!(!detail.contains("Alpha") && !detail.contains("Beta"), "{detail}");
}

#[tokio::test]
async fn refusal_rules_availability_and_lifecycle() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        let group = account(&app, &admin, "Globex Group", None, false).await;
        let sub = account(&app, &admin, "Globex Germany", Some(&group), false).await;
        let office = account(&app, &admin, "Globex Berlin", Some(&sub), false).await;
        let house = account(&app, &admin, "Initech", None, true).await;
        let house_below = account(&app, &admin, "Initech Labs", Some(&house), false).await;

        assert_eq!(availability(&app, &alpha, &sub).await, "available");
        assert_eq!(availability(&app, &alpha, &house).await, "house_account");
        refused(&reserve(&app, &alpha, &house, "account").await, "house account");

        // Beta reserves the subsidiary alone; Alpha cannot take it or the whole group.
        let (status, beta_sub) = reserve(&app, &beta, &sub, "account").await;
        assert_eq!(status, StatusCode::CREATED, "{beta_sub}");
        assert_eq!(beta_sub["expires_on"].as_str().unwrap().len(), 10);
        assert_eq!(availability(&app, &alpha, &sub).await, "taken");
        assert_eq!(availability(&app, &beta, &sub).await, "yours");
        refused(
            &reserve(&app, &alpha, &sub, "account").await,
            "reserved by another partner",
        );
        refused(
            &reserve(&app, &alpha, &group, "hierarchy").await,
            "below this one is reserved",
        );
        // The group alone and the office are still free; Beta holding only the subsidiary does not block below it.
        let (status, alpha_office) = reserve(&app, &alpha, &office, "account").await;
        assert_eq!(status, StatusCode::CREATED, "{alpha_office}");
        refused(&reserve(&app, &alpha, &office, "account").await, "renew it instead");

        // A house account below refuses the wider scope only.
        let (status, _) = reserve(&app, &alpha, &house_below, "account").await;
        assert_eq!(status, StatusCode::CREATED);
        let house_group = account(&app, &admin, "Hooli", None, false).await;
        account(&app, &admin, "Hooli Direct", Some(&house_group), true).await;
        refused(
            &reserve(&app, &alpha, &house_group, "hierarchy").await,
            "below this one is a house account",
        );
        let (status, _) = reserve(&app, &alpha, &group, "account").await;
        assert_eq!(status, StatusCode::CREATED);

        // Beta's wide reservation of another group blocks Alpha below it.
        let other = account(&app, &admin, "Umbrella", None, false).await;
        let other_child = account(&app, &admin, "Umbrella Retail", Some(&other), false).await;
        let (status, _) = reserve(&app, &beta, &other, "hierarchy").await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(availability(&app, &alpha, &other_child).await, "taken");
        assert_eq!(availability(&app, &beta, &other_child).await, "yours");
        refused(
            &reserve(&app, &alpha, &other_child, "account").await,
            "parent account is reserved",
        );

        // Renewals up to the limit (two by default), then release frees the account.
        let id = alpha_office["id"].as_str().unwrap();
        for _ in 0..2 {
            post(&app, &alpha, &format!("/api/v1/reservations/{id}/renew"), &json!({}))
                .await
                .expect(StatusCode::OK);
        }
        let limit = post(&app, &alpha, &format!("/api/v1/reservations/{id}/renew"), &json!({}))
            .await
            .problem(StatusCode::CONFLICT);
        assert!(
            limit["detail"].as_str().unwrap().contains("renewed 2 time(s)"),
            "{limit}"
        );
        // Beta cannot touch Alpha's reservation, nor see it.
        post(&app, &beta, &format!("/api/v1/reservations/{id}/release"), &json!({}))
            .await
            .problem(StatusCode::NOT_FOUND);
        let listed = get(&app, &beta, "/api/v1/reservations").await.expect(StatusCode::OK);
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["partner_id"] == json!(app.cast.partner_b))
        );
        let released = post(&app, &alpha, &format!("/api/v1/reservations/{id}/release"), &json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(released["status"], "released");
        assert_eq!(availability(&app, &beta, &office).await, "available");

        // Lapsed reservations expire (the scheduled job) and free their account.
        let later = chrono::Utc::now().date_naive() + chrono::Days::new(400);
        let expired = tributary_server::services::conflict::reservations::expire_lapsed(&app.db, later)
            .await
            .unwrap();
        assert_eq!(expired, 4);
        assert_eq!(availability(&app, &alpha, &sub).await, "available");

        // By the customer's details: resolved by matching, never naming the holder.
        let by_details = post(
            &app,
            &alpha,
            "/api/v1/reservations/check",
            &json!({ "customer": { "name": "GLOBEX germany gmbh", "country": "DE" } }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (by_details["resolution"].clone(), by_details["account_id"].clone()),
            (json!("same"), json!(sub))
        );
        let unknown = post(
            &app,
            &alpha,
            "/api/v1/reservations/check",
            &json!({ "customer": { "name": "Completely Unrelated Robotics", "country": "JP" } }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (unknown["resolution"].clone(), unknown["availability"].clone()),
            (json!("none"), Value::Null)
        );

        // Bad input is named.
        let problem = post(
            &app,
            &alpha,
            "/api/v1/reservations",
            &json!({ "account_id": "nope", "scope": "galaxy" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(common::http::fields(&problem), ["scope"]);
        let problem = post(&app, &alpha, "/api/v1/reservations", &json!({ "account_id": "nope" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(common::http::fields(&problem), ["account_id"]);
        // A partner cannot act for another organisation.
        let problem = post(
            &app,
            &alpha,
            "/api/v1/reservations",
            &json!({ "account_id": sub, "partner_id": app.cast.partner_b }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(common::http::fields(&problem), ["partner_id"]);
    }
}

#[tokio::test]
async fn simultaneous_reservations_of_one_account_accept_exactly_one() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let group = account(&app, &admin, "Contested Group", None, false).await;
        let child = account(&app, &admin, "Contested Child", Some(&group), false).await;
        let mut clients = Vec::new();
        for email in [
            "user@alpha.example",
            "user@beta.example",
            "user@rho.example",
            "admin@delta.example",
        ] {
            clients.push(app.session(email).await);
        }
        for round in 0..3 {
            let target = if round == 2 { &child } else { &group };
            let attempts = clients
                .iter()
                .flat_map(|c| [reserve(&app, c, target, "account"), reserve(&app, c, target, "account")]);
            let outcomes = futures_util::future::join_all(attempts).await;
            let won = outcomes.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
            assert_eq!(won, 1, "{backend:?} round {round}: {outcomes:?}");
            assert!(
                outcomes
                    .iter()
                    .all(|(s, _)| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT)
            );
            if round == 0 {
                // Free the group again for a hierarchy race next.
                let listed = get(&app, &admin, "/api/v1/reservations?status=active")
                    .await
                    .expect(StatusCode::OK);
                let id = listed[0]["id"].as_str().unwrap().to_string();
                post(&app, &admin, &format!("/api/v1/reservations/{id}/release"), &json!({}))
                    .await
                    .expect(StatusCode::OK);
            }
        }
        // Whoever holds the group (alone) and whoever holds the child: never one partner's
        // hierarchy reservation overlapping another's.
        let active = get(&app, &admin, "/api/v1/reservations?status=active")
            .await
            .expect(StatusCode::OK);
        assert_eq!(active.as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_wide_and_a_narrow_reservation_racing_in_one_hierarchy_accept_one() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        for round in 0..4 {
            let group = account(&app, &admin, &format!("Race {round}"), None, false).await;
            let child = account(&app, &admin, &format!("Race {round} child"), Some(&group), false).await;
            let (wide, narrow) = tokio::join!(
                reserve(&app, &alpha, &group, "hierarchy"),
                reserve(&app, &beta, &child, "account")
            );
            let won = [&wide, &narrow]
                .iter()
                .filter(|(s, _)| *s == StatusCode::CREATED)
                .count();
            assert_eq!(won, 1, "{backend:?} round {round}: {wide:?} {narrow:?}");
        }
    }
}
