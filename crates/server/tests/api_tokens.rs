//! API tokens (`/api/v1/tokens`) and how requests authenticate: a token's secret is shown
//! once and starts with `trb_`; it works as a bearer credential limited by its scopes and
//! its owner's role; revoked or unknown tokens get 401; bearer requests need no CSRF
//! token, while cookie-session requests need `X-CSRF-Token` and the same origin.

mod common;

use common::TestApp;
use common::http::{get, partner_body, post, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tributary_server::fixtures::FIXTURE_PASSWORD;

/// A plain client that sends `secret` as its bearer token.
fn bearer(secret: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "authorization",
        reqwest::header::HeaderValue::from_str(&format!("Bearer {secret}")).unwrap(),
    );
    Client::builder().default_headers(headers).build().unwrap()
}

#[tokio::test]
async fn a_token_is_shown_once_and_works_as_a_bearer_credential() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let cam = app.session("cam.a@vendor.example").await;
        let created = post(
            &app,
            &cam,
            "/api/v1/tokens",
            &json!({ "name": "CRM sync", "scopes": ["write", "read", "read"], "expires_in_days": 30 }),
        )
        .await
        .expect(StatusCode::CREATED);
        let secret = created["secret"].as_str().expect("the secret is returned").to_string();
        assert!(secret.starts_with("trb_") && secret.len() > 30, "{backend:?}: {secret}");
        let token = &created["token"];
        assert_eq!(token["name"], "CRM sync");
        assert_eq!(token["scopes"], "read write", "{backend:?}: {token}");
        assert_eq!(token["user_id"], app.cast.cam_a.as_str());
        assert!(token["expires_at"].is_string(), "{token}");
        assert_eq!(token["revoked_at"], Value::Null);
        let id = token["id"].as_str().unwrap().to_string();

        // Listed, but never with its secret again.
        let listed = get(&app, &cam, "/api/v1/tokens").await.expect(StatusCode::OK);
        assert_eq!(listed.as_array().unwrap().len(), 1, "{backend:?}: {listed}");
        assert_eq!(listed[0]["id"], id.as_str());
        assert!(
            !listed.to_string().contains(&secret),
            "{backend:?}: the secret is shown again"
        );
        assert!(listed[0].get("secret").is_none());

        let api = bearer(&secret);
        let me = get(&app, &api, "/api/v1/me").await.expect(StatusCode::OK);
        assert_eq!(me["user"]["email"], "cam.a@vendor.example", "{backend:?}");
        assert_eq!(me["authenticated_by"], "token");
        assert_eq!(me["csrf_token"], Value::Null);
        // The token acts with its owner's reach: only the CAM's partners.
        let partners = get(&app, &api, "/api/v1/partners").await.expect(StatusCode::OK);
        assert_eq!(partners["items"].as_array().unwrap().len(), 3, "{backend:?}");
        // Writes need no CSRF token with a bearer credential.
        let mut body = partner_body("Bearer GmbH");
        body["channel_manager_id"] = json!(app.cast.cam_a);
        post(&app, &api, "/api/v1/partners", &body)
            .await
            .expect(StatusCode::CREATED);
        let listed = get(&app, &cam, "/api/v1/tokens").await.expect(StatusCode::OK);
        assert!(listed[0]["last_used_at"].is_string(), "{backend:?}: {listed}");

        // Another user's token list does not include it; only the owner or an admin revokes it.
        let cam_b = app.session("cam.b@vendor.example").await;
        let theirs = get(&app, &cam_b, "/api/v1/tokens").await.expect(StatusCode::OK);
        assert_eq!(theirs, json!([]), "{backend:?}");
        send(&app, cam_b.delete(app.url(&format!("/api/v1/tokens/{id}"))))
            .await
            .problem(StatusCode::NOT_FOUND);
        let admin = app.session("admin@vendor.example").await;
        let all = get(&app, &admin, "/api/v1/tokens").await.expect(StatusCode::OK);
        assert!(all.as_array().unwrap().iter().any(|t| t["id"] == id.as_str()));

        let response = cam
            .delete(app.url(&format!("/api/v1/tokens/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{backend:?}");
        let problem = get(&app, &api, "/api/v1/me").await.problem(StatusCode::UNAUTHORIZED);
        assert_eq!(problem["type"], "urn:tributary:problem:unauthenticated", "{backend:?}");
        post(&app, &api, "/api/v1/partners", &partner_body("Too late"))
            .await
            .problem(StatusCode::UNAUTHORIZED);
        let listed = get(&app, &cam, "/api/v1/tokens").await.expect(StatusCode::OK);
        assert!(listed[0]["revoked_at"].is_string(), "{backend:?}: {listed}");

        for nonsense in ["trb_not-a-real-token", "", "Basic abc"] {
            let reply = get(&app, &bearer(nonsense), "/api/v1/me").await;
            reply.problem(StatusCode::UNAUTHORIZED);
        }
        // An admin may revoke someone else's token.
        let other = post(
            &app,
            &cam_b,
            "/api/v1/tokens",
            &json!({ "name": "b", "scopes": ["read"] }),
        )
        .await
        .expect(StatusCode::CREATED);
        let response = admin
            .delete(app.url(&format!("/api/v1/tokens/{}", other["token"]["id"].as_str().unwrap())))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        get(&app, &bearer(other["secret"].as_str().unwrap()), "/api/v1/me")
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn scopes_limit_what_a_token_may_do() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let read_only = app.token_client("admin@vendor.example", &["read"]).await;
        get(&app, &read_only, "/api/v1/partners").await.expect(StatusCode::OK);
        let problem = post(&app, &read_only, "/api/v1/partners", &partner_body("Read only"))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert_eq!(problem["type"], "urn:tributary:problem:forbidden");
        assert!(
            problem["detail"].as_str().unwrap().contains("'write'"),
            "{backend:?}: the refusal should name the missing scope: {problem}"
        );
        send(
            &app,
            read_only
                .put(app.url("/api/v1/verticals/retail"))
                .json(&json!({ "name": "Retail" })),
        )
        .await
        .problem(StatusCode::FORBIDDEN);

        let write_only = app.token_client("admin@vendor.example", &["write"]).await;
        post(&app, &write_only, "/api/v1/partners", &partner_body("Write only"))
            .await
            .expect(StatusCode::CREATED);
        let problem = get(&app, &write_only, "/api/v1/partners")
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(
            problem["detail"].as_str().unwrap().contains("'read'"),
            "{backend:?}: {problem}"
        );

        // A token never exceeds its owner's role, whatever its scopes.
        let partner = app
            .token_client("user@alpha.example", &["read", "write", "import"])
            .await;
        let problem = post(&app, &partner, "/api/v1/partners", &partner_body("Escalated"))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(
            problem["detail"].as_str().unwrap().contains("partner user"),
            "{backend:?}: {problem}"
        );
        let list = get(&app, &partner, "/api/v1/partners").await.expect(StatusCode::OK);
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{backend:?}");

        // Invalid token requests name the field.
        let session = app.session("admin@vendor.example").await;
        for (body, field) in [
            (json!({ "name": "x", "scopes": ["admin"] }), "scopes"),
            (json!({ "name": "x", "scopes": [] }), "scopes"),
            (json!({ "name": " ", "scopes": ["read"] }), "name"),
            (
                json!({ "name": "x", "scopes": ["read"], "expires_in_days": 0 }),
                "expires_in_days",
            ),
        ] {
            let problem = post(&app, &session, "/api/v1/tokens", &body)
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(problem["errors"][0]["field"], field, "{backend:?}: {body}: {problem}");
        }
    }
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_and_the_same_origin() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        // A browser-like client: signed in, cookie kept, but no CSRF header.
        let browser = app.anonymous();
        let signed_in = browser
            .post(app.url("/login"))
            .form(&[("email", "admin@vendor.example"), ("password", FIXTURE_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        let me = get(&app, &browser, "/api/v1/me").await.expect(StatusCode::OK);
        assert_eq!(me["authenticated_by"], "session");
        let csrf = me["csrf_token"]
            .as_str()
            .expect("a session has a CSRF token")
            .to_string();

        let problem = post(&app, &browser, "/api/v1/partners", &partner_body("No token"))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(
            problem["detail"].as_str().unwrap().contains("CSRF"),
            "{backend:?}: {problem}"
        );
        send(
            &app,
            browser
                .post(app.url("/api/v1/partners"))
                .header("x-csrf-token", "forged")
                .json(&partner_body("Forged token")),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        send(
            &app,
            browser
                .post(app.url("/api/v1/partners"))
                .header("x-csrf-token", &csrf)
                .header("origin", "http://evil.example")
                .json(&partner_body("Cross origin")),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        let session = app.session("admin@vendor.example").await;
        let problem = send(
            &app,
            session
                .post(app.url("/api/v1/partners"))
                .header("origin", "http://evil.example")
                .json(&partner_body("Cross origin")),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        assert!(
            problem["detail"].as_str().unwrap().contains("cross-origin"),
            "{backend:?}: {problem}"
        );
        // Reads need neither.
        get(&app, &browser, "/api/v1/partners").await.expect(StatusCode::OK);
        // With the token and the same origin the write goes through.
        let origin = app.base.clone();
        send(
            &app,
            browser
                .post(app.url("/api/v1/partners"))
                .header("x-csrf-token", &csrf)
                .header("origin", origin)
                .json(&partner_body("Same origin")),
        )
        .await
        .expect(StatusCode::CREATED);
        let list = get(&app, &browser, "/api/v1/partners?limit=100")
            .await
            .expect(StatusCode::OK);
        let names: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Same origin"), "{backend:?}");
        assert!(
            !names
                .iter()
                .any(|n| ["No token", "Forged token", "Cross origin"].contains(n)),
            "{backend:?}: a refused request created a partner: {names:?}"
        );

        // Without any credential the API answers 401.
        let anonymous = app.anonymous();
        post(&app, &anonymous, "/api/v1/partners", &partner_body("Anonymous"))
            .await
            .problem(StatusCode::UNAUTHORIZED);
        get(&app, &anonymous, "/api/v1/tokens")
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_read_only_token_cannot_change_a_password() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        // A read-only token must not change its owner's password (a write).
        let read_only = app.token_client("user@alpha.example", &["read"]).await;
        let own = format!("/api/v1/users/{}/password", app.cast.partner_a_user);
        let reply = send(
            &app,
            read_only
                .put(app.url(&own))
                .json(&json!({ "password": "set through a read-only token" })),
        )
        .await;
        let signed_in = app
            .anonymous()
            .post(app.url("/login"))
            .form(&[("email", "user@alpha.example"), ("password", FIXTURE_PASSWORD)])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(
            (reply.status, signed_in),
            (StatusCode::FORBIDDEN, StatusCode::SEE_OTHER),
            "{backend:?}: a read-only token changed its owner's password ({}); the old password now gives {signed_in}",
            reply.body
        );
    }
}

#[tokio::test]
async fn a_token_cannot_mint_a_token_with_more_scopes() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        // A token without the import scope must not mint itself one that has it.
        let write_only = app.token_client("admin@vendor.example", &["read", "write"]).await;
        let reply = post(
            &app,
            &write_only,
            "/api/v1/tokens",
            &json!({ "name": "broader", "scopes": ["read", "write", "import"] }),
        )
        .await;
        assert_ne!(
            reply.status,
            StatusCode::CREATED,
            "{backend:?}: a token without the 'import' scope created a token with it: {}",
            reply.body["token"]
        );
    }
}
