//! Signing in and out: session rotation, throttling, cookie attributes, deactivation and
//! the CSRF and origin checks on cookie-authenticated requests.

mod common;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use tributary_server::fixtures::FIXTURE_PASSWORD;

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tributary_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("a session cookie is set")
}

async fn sign_in(app: &common::TestApp, email: &str, password: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app
        .anonymous()
        .post(app.url("/login"))
        .form(&[("email", email), ("password", password)]);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.send().await.unwrap()
}

async fn me_status(app: &common::TestApp, cookie: &str) -> StatusCode {
    app.anonymous()
        .get(app.url("/api/v1/me"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_ends_it() {
    for backend in common::backends() {
        let app = common::TestApp::spawn(backend).await;
        let first = sign_in(&app, "cam.a@vendor.example", FIXTURE_PASSWORD, None).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER);
        let set_cookie = first.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_string();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let old = session_cookie(&first);
        assert_eq!(me_status(&app, &old).await, StatusCode::OK);

        let second = sign_in(&app, "cam.a@vendor.example", FIXTURE_PASSWORD, Some(&old)).await;
        let new = session_cookie(&second);
        assert_ne!(old, new, "{backend:?}: sign-in must issue a new session token");
        assert_eq!(
            me_status(&app, &old).await,
            StatusCode::UNAUTHORIZED,
            "{backend:?}: the old session survived sign-in"
        );
        assert_eq!(me_status(&app, &new).await, StatusCode::OK);

        let me: serde_json::Value = app
            .anonymous()
            .get(app.url("/api/v1/me"))
            .header(COOKIE, &new)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let csrf = me["csrf_token"].as_str().unwrap();
        let out = app
            .anonymous()
            .post(app.url("/logout"))
            .header(COOKIE, &new)
            .form(&[("_csrf", csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            me_status(&app, &new).await,
            StatusCode::UNAUTHORIZED,
            "{backend:?}: sign-out left the session alive"
        );
    }
}

#[tokio::test]
async fn wrong_passwords_are_throttled() {
    for backend in common::backends() {
        let app = common::TestApp::spawn(backend).await;
        for _ in 0..5 {
            let response = sign_in(&app, "finance@vendor.example", "not the password", None).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
            assert!(response.text().await.unwrap().contains("not correct"));
        }
        let locked = sign_in(&app, "finance@vendor.example", FIXTURE_PASSWORD, None).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "{backend:?}");
        assert!(locked.headers().get("retry-after").is_some());
    }
}

#[tokio::test]
async fn unknown_users_and_deactivated_users_cannot_sign_in() {
    for backend in common::backends() {
        let app = common::TestApp::spawn(backend).await;
        let unknown = sign_in(&app, "nobody@vendor.example", FIXTURE_PASSWORD, None).await;
        assert_eq!(unknown.status(), StatusCode::FORBIDDEN);

        let admin = app.session("admin@vendor.example").await;
        let legal_id = app.cast.legal.clone();
        let cookie = session_cookie(&sign_in(&app, "legal@vendor.example", FIXTURE_PASSWORD, None).await);
        let deactivate = admin
            .put(app.url(&format!("/api/v1/users/{legal_id}")))
            .json(&serde_json::json!({
                "email": "legal@vendor.example", "display_name": "Legal", "role": "legal", "active": false
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            deactivate.status(),
            StatusCode::OK,
            "{}",
            deactivate.text().await.unwrap()
        );
        assert_eq!(
            me_status(&app, &cookie).await,
            StatusCode::UNAUTHORIZED,
            "{backend:?}: sessions must end"
        );
        let again = sign_in(&app, "legal@vendor.example", FIXTURE_PASSWORD, None).await;
        assert_eq!(
            again.status(),
            StatusCode::FORBIDDEN,
            "{backend:?}: an inactive user signed in"
        );
    }
}

#[tokio::test]
async fn cookie_requests_need_the_csrf_token_and_the_same_origin() {
    for backend in common::backends() {
        let app = common::TestApp::spawn(backend).await;
        let cookie = session_cookie(&sign_in(&app, "admin@vendor.example", FIXTURE_PASSWORD, None).await);
        let body = serde_json::json!({ "name": "Healthcare" });
        let without = app
            .anonymous()
            .put(app.url("/api/v1/verticals/health"))
            .header(COOKIE, &cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(without.status(), StatusCode::FORBIDDEN);
        let wrong = app
            .anonymous()
            .put(app.url("/api/v1/verticals/health"))
            .header(COOKIE, &cookie)
            .header("x-csrf-token", "forged")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
        let client = app.session("admin@vendor.example").await;
        let cross = client
            .put(app.url("/api/v1/verticals/health"))
            .header("origin", "http://evil.example")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            cross.status(),
            StatusCode::FORBIDDEN,
            "{backend:?}: cross-origin request accepted"
        );
        let ok = client
            .put(app.url("/api/v1/verticals/health"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{backend:?}");
    }
}

#[tokio::test]
async fn sign_in_only_follows_local_next_paths() {
    for backend in common::backends() {
        let app = common::TestApp::spawn(backend).await;
        for (next, expected) in [
            ("/partners", "/partners"),
            ("https://evil.example/", "/"),
            ("//evil.example", "/"),
        ] {
            let response = app
                .anonymous()
                .post(app.url("/login"))
                .form(&[
                    ("email", "admin@vendor.example"),
                    ("password", FIXTURE_PASSWORD),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.headers().get("location").unwrap().to_str().unwrap(),
                expected,
                "{backend:?} next={next}"
            );
        }
    }
}
