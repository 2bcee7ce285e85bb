//! The user API (`/api/v1/users`): creating vendor and partner users, e-mail uniqueness,
//! role/organisation rules, who may hand out which role (administrator, channel manager,
//! partner administrator), deactivation ending sessions, and password changes (length
//! rule, own change followed by signing in with the new password).

mod common;

use common::TestApp;
use common::http::{fields, get, post, put};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tributary_server::fixtures::FIXTURE_PASSWORD;

/// Signs in through the portal form; returns the status (303 on success).
async fn sign_in(app: &TestApp, email: &str, password: &str) -> StatusCode {
    app.anonymous()
        .post(app.url("/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

fn emails(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list has items")
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn vendor_and_partner_users_are_created_and_e_mails_are_unique() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;

        let vendor = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({
                "email": "  Nina.Finance@Vendor.Example ", "display_name": "Nina", "role": "finance",
                "password": FIXTURE_PASSWORD
            }),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(vendor["email"], "nina.finance@vendor.example", "{backend:?}: {vendor}");
        assert_eq!(vendor["display_name"], "Nina");
        assert_eq!(vendor["role"], "finance");
        assert_eq!(vendor["partner_id"], Value::Null);
        assert_eq!(vendor["active"], true);
        assert!(vendor.get("password").is_none() && vendor.get("password_hash").is_none());
        let id = vendor["id"].as_str().unwrap();
        let read = get(&app, &admin, &format!("/api/v1/users/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(read, vendor, "{backend:?}");
        // The initial password works.
        let nina = app.session("nina.finance@vendor.example").await;
        let me = get(&app, &nina, "/api/v1/me").await.expect(StatusCode::OK);
        assert_eq!(me["user"]["role"], "finance");

        let partner_user = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({
                "email": "buyer@alpha.example", "display_name": "Buyer", "role": "partner_user",
                "partner_id": app.cast.partner_a
            }),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(partner_user["partner_id"], app.cast.partner_a.as_str());
        // Created without a password: cannot sign in yet.
        assert_eq!(
            sign_in(&app, "buyer@alpha.example", FIXTURE_PASSWORD).await,
            StatusCode::FORBIDDEN
        );

        for email in ["nina.finance@vendor.example", "NINA.FINANCE@vendor.example"] {
            let problem = post(
                &app,
                &admin,
                "/api/v1/users",
                &json!({ "email": email, "display_name": "Twin", "role": "legal" }),
            )
            .await
            .problem(StatusCode::CONFLICT);
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("nina.finance@vendor.example"),
                "{backend:?}: {problem}"
            );
        }

        // Role and organisation must agree; every bad field is named.
        let problem = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({ "email": "orphan@example.com", "display_name": "Orphan", "role": "partner_user" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["partner_id"], "{backend:?}: {problem}");
        let problem = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({
                "email": "staff@vendor.example", "display_name": "Staff", "role": "legal",
                "partner_id": app.cast.partner_a
            }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["partner_id"]);
        let problem = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({ "email": "not-an-address", "display_name": " ", "role": "boss", "password": "short" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let named = fields(&problem);
        for field in ["email", "display_name", "role", "password"] {
            assert!(
                named.contains(&field.to_string()),
                "{backend:?}: {field} not in {problem}"
            );
        }
        let problem = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({
                "email": "ghost@example.com", "display_name": "Ghost", "role": "partner_user",
                "partner_id": "0190d0d0-0000-7000-8000-00000000dead"
            }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["partner_id"]);

        let list = get(&app, &admin, "/api/v1/users?q=vendor.example&role=finance")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            emails(&list),
            ["finance@vendor.example", "nina.finance@vendor.example"],
            "{backend:?}"
        );
        let list = get(
            &app,
            &admin,
            &format!("/api/v1/users?partner_id={}&sort=-email", app.cast.partner_a),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            emails(&list),
            ["user@alpha.example", "buyer@alpha.example", "admin@alpha.example"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn who_may_create_which_user() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let cam = app.session("cam.a@vendor.example").await;
        let problem = post(
            &app,
            &cam,
            "/api/v1/users",
            &json!({ "email": "boss@vendor.example", "display_name": "Boss", "role": "admin" }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        assert_eq!(problem["type"], "urn:tributary:problem:forbidden");
        assert!(
            problem["detail"].as_str().unwrap().contains("channel manager"),
            "{backend:?}: {problem}"
        );
        // A CAM adds users to partners it manages, not to others.
        post(
            &app,
            &cam,
            "/api/v1/users",
            &json!({
                "email": "new@alpha.example", "display_name": "New", "role": "partner_admin",
                "partner_id": app.cast.partner_a
            }),
        )
        .await
        .expect(StatusCode::CREATED);
        let refused = post(
            &app,
            &cam,
            "/api/v1/users",
            &json!({
                "email": "new@beta.example", "display_name": "New", "role": "partner_user",
                "partner_id": app.cast.partner_b
            }),
        )
        .await;
        assert!(
            matches!(
                refused.status,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{backend:?}: a CAM created a user in a partner it does not manage: {}",
            refused.body
        );

        let alpha_admin = app.session("admin@alpha.example").await;
        let created = post(
            &app,
            &alpha_admin,
            "/api/v1/users",
            &json!({
                "email": "colleague@alpha.example", "display_name": "Colleague", "role": "partner_user",
                "partner_id": app.cast.partner_a
            }),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(created["partner_id"], app.cast.partner_a.as_str());
        let problem = post(
            &app,
            &alpha_admin,
            "/api/v1/users",
            &json!({
                "email": "mole@beta.example", "display_name": "Mole", "role": "partner_admin",
                "partner_id": app.cast.partner_b
            }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        assert_eq!(problem["type"], "urn:tributary:problem:forbidden", "{backend:?}");
        post(
            &app,
            &alpha_admin,
            "/api/v1/users",
            &json!({ "email": "staff@alpha.example", "display_name": "Staff", "role": "finance" }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);

        // Partner users and vendor roles without user rights create nobody.
        for email in [
            "user@alpha.example",
            "finance@vendor.example",
            "marketing@vendor.example",
        ] {
            let client = app.session(email).await;
            post(
                &app,
                &client,
                "/api/v1/users",
                &json!({
                    "email": "x@alpha.example", "display_name": "X", "role": "partner_user",
                    "partner_id": app.cast.partner_a
                }),
            )
            .await
            .problem(StatusCode::FORBIDDEN);
        }

        // A partner administrator sees only its organisation's users.
        let list = get(&app, &alpha_admin, "/api/v1/users?limit=100")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            emails(&list),
            [
                "admin@alpha.example",
                "colleague@alpha.example",
                "new@alpha.example",
                "user@alpha.example"
            ],
            "{backend:?}"
        );
        get(
            &app,
            &alpha_admin,
            &format!("/api/v1/users/{}", app.cast.partner_b_user),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn deactivating_a_user_ends_its_sessions() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let beta = app.session("user@beta.example").await;
        get(&app, &beta, "/api/v1/me").await.expect(StatusCode::OK);
        let beta_token = app.token_client("user@beta.example", &["read"]).await;
        get(&app, &beta_token, "/api/v1/me").await.expect(StatusCode::OK);

        let path = format!("/api/v1/users/{}", app.cast.partner_b_user);
        let mut user = get(&app, &admin, &path).await.expect(StatusCode::OK);
        user["active"] = json!(false);
        let saved = put(&app, &admin, &path, &user).await.expect(StatusCode::OK);
        assert_eq!(saved["active"], false, "{backend:?}: {saved}");

        let problem = get(&app, &beta, "/api/v1/me").await.problem(StatusCode::UNAUTHORIZED);
        assert_eq!(problem["type"], "urn:tributary:problem:unauthenticated");
        get(&app, &beta_token, "/api/v1/me")
            .await
            .problem(StatusCode::UNAUTHORIZED);
        assert_eq!(
            sign_in(&app, "user@beta.example", FIXTURE_PASSWORD).await,
            StatusCode::FORBIDDEN,
            "{backend:?}: a deactivated user signed in"
        );

        // Reactivated, the user signs in again.
        user["active"] = json!(true);
        put(&app, &admin, &path, &user).await.expect(StatusCode::OK);
        assert_eq!(
            sign_in(&app, "user@beta.example", FIXTURE_PASSWORD).await,
            StatusCode::SEE_OTHER
        );

        // The partner administrator of Beta can deactivate its own users, not Alpha's.
        let beta_admin = app.session("admin@beta.example").await;
        let mut deactivated = user.clone();
        deactivated["active"] = json!(false);
        let saved = put(&app, &beta_admin, &path, &deactivated).await.expect(StatusCode::OK);
        assert_eq!(saved["active"], false);
        let alpha_path = format!("/api/v1/users/{}", app.cast.partner_a_user);
        let alpha_user = get(&app, &admin, &alpha_path).await.expect(StatusCode::OK);
        put(&app, &beta_admin, &alpha_path, &alpha_user)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn passwords_follow_the_rules_and_can_be_changed() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha = app.session("user@alpha.example").await;
        let own = format!("/api/v1/users/{}/password", app.cast.partner_a_user);

        let problem = put(&app, &alpha, &own, &json!({ "password": "too short" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["password"], "{backend:?}: {problem}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("12"));
        put(&app, &alpha, &own, &json!({ "pass": "no password field" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        // Still signed in with the old password after the refusals.
        get(&app, &alpha, "/api/v1/me").await.expect(StatusCode::OK);

        // A partner user cannot set someone else's password.
        let other = format!("/api/v1/users/{}/password", app.cast.partner_a_admin);
        put(&app, &alpha, &other, &json!({ "password": "taken over account" }))
            .await
            .problem(StatusCode::FORBIDDEN);

        let response = alpha
            .put(app.url(&own))
            .json(&json!({ "password": "a much longer new passphrase" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{backend:?}");
        // Changing a password ends the user's sessions, this one included.
        get(&app, &alpha, "/api/v1/me").await.problem(StatusCode::UNAUTHORIZED);
        assert_eq!(
            sign_in(&app, "user@alpha.example", FIXTURE_PASSWORD).await,
            StatusCode::FORBIDDEN,
            "{backend:?}: the old password still works"
        );
        assert_eq!(
            sign_in(&app, "user@alpha.example", "a much longer new passphrase").await,
            StatusCode::SEE_OTHER,
            "{backend:?}: the new password does not work"
        );

        // An administrator resets another user's password.
        let admin = app.session("admin@vendor.example").await;
        let response = admin
            .put(app.url(&format!("/api/v1/users/{}/password", app.cast.partner_b_user)))
            .json(&json!({ "password": "reset by the administrator" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{backend:?}");
        assert_eq!(
            sign_in(&app, "user@beta.example", "reset by the administrator").await,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn changing_an_e_mail_to_a_taken_one_is_a_plain_conflict() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let path = format!("/api/v1/users/{}", app.cast.partner_a_user);
        let mut user = get(&app, &admin, &path).await.expect(StatusCode::OK);
        user["email"] = json!("admin@alpha.example");
        let problem = put(&app, &admin, &path, &user).await.problem(StatusCode::CONFLICT);
        let detail = problem["detail"].as_str().unwrap();
        // Like creating a user with a taken address: the message names the address and does
        // not expose database internals.
        assert!(
            detail.contains("admin@alpha.example") && !detail.to_lowercase().contains("constraint"),
            "{backend:?}: {detail}"
        );
        let unchanged = get(&app, &admin, &path).await.expect(StatusCode::OK);
        assert_eq!(unchanged["email"], "user@alpha.example");
    }
}
