//! How the API reports errors: every refusal is an RFC 9457 `application/problem+json`
//! document with `type`, `title`, `status` and `detail` (and `errors[{field,message}]` on a
//! 422 naming each bad field); requests without credentials get 401; malformed JSON bodies
//! get 400 on every endpoint that takes JSON; unknown sort columns, foreign cursors and
//! out-of-range or non-numeric limits get 422 naming the parameter.

mod common;

use common::TestApp;
use common::http::{fields, get, send};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn requests_without_credentials_get_401_problems() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let anonymous = app.anonymous();
        for path in [
            "/api/v1/me",
            "/api/v1/partners",
            "/api/v1/users",
            "/api/v1/products",
            "/api/v1/sales-facts",
            "/api/v1/audit/verify",
            "/api/v1/exports/partners",
        ] {
            let problem = get(&app, &anonymous, path)
                .await
                .reasoned_problem(StatusCode::UNAUTHORIZED);
            assert_eq!(problem["type"], "urn:tributary:problem:unauthenticated", "{backend:?}");
            assert!(
                problem.get("errors").is_none() && problem.get("rows").is_none(),
                "{problem}"
            );
        }
        send(
            &app,
            anonymous
                .post(app.url("/api/v1/sales-facts"))
                .json(&json!({ "lines": [] })),
        )
        .await
        .reasoned_problem(StatusCode::UNAUTHORIZED);
        // A stale or made-up session cookie is no credential either.
        send(
            &app,
            anonymous
                .get(app.url("/api/v1/me"))
                .header("cookie", "tributary_session=made-up"),
        )
        .await
        .reasoned_problem(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn malformed_json_is_a_400_problem_everywhere() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.token_client("admin@vendor.example", &["read", "write"]).await;
        let broken = "{\"name\": \"Acme\", ";
        for (method, path) in [
            ("POST", "/api/v1/partners"),
            ("PUT", &*format!("/api/v1/partners/{}", app.cast.partner_a)),
            ("POST", "/api/v1/users"),
            ("POST", "/api/v1/products"),
            ("POST", "/api/v1/accounts"),
            ("PUT", "/api/v1/regions/emea"),
            ("POST", "/api/v1/fx-rates"),
            ("POST", "/api/v1/segments"),
            ("POST", "/api/v1/tokens"),
            ("POST", "/api/v1/sales-facts"),
        ] {
            let request = match method {
                "POST" => admin.post(app.url(path)),
                _ => admin.put(app.url(path)),
            };
            let problem = send(&app, request.header("content-type", "application/json").body(broken))
                .await
                .reasoned_problem(StatusCode::BAD_REQUEST);
            assert_eq!(
                problem["type"], "urn:tributary:problem:bad-request",
                "{backend:?} {method} {path}"
            );
        }
    }
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_422_naming_the_body() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let problem = send(
            &app,
            admin
                .post(app.url("/api/v1/partners"))
                .json(&json!({ "name": 42, "verticals": "retail" })),
        )
        .await
        .reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["body"], "{backend:?}: {problem}");
        // Without a JSON content type the body is not read at all.
        send(
            &app,
            admin
                .post(app.url("/api/v1/partners"))
                .header("content-type", "text/plain")
                .body("{}"),
        )
        .await
        .reasoned_problem(StatusCode::BAD_REQUEST);
        // An empty object is valid JSON: every required field is named.
        let problem = send(&app, admin.post(app.url("/api/v1/partners")).json(&json!({})))
            .await
            .reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["type"], "urn:tributary:problem:validation");
        let named = fields(&problem);
        for field in [
            "name",
            "partner_type",
            "size_band",
            "country",
            "tax_country",
            "payout_currency",
        ] {
            assert!(
                named.contains(&field.to_string()),
                "{backend:?}: {field} not in {problem}"
            );
        }
        for error in problem["errors"].as_array().unwrap() {
            assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
        }
    }
}

#[tokio::test]
async fn list_parameters_are_checked_and_named() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        for list in [
            "/api/v1/partners",
            "/api/v1/users",
            "/api/v1/products",
            "/api/v1/accounts",
            "/api/v1/sales-facts",
        ] {
            let problem = get(&app, &admin, &format!("{list}?sort=password_hash"))
                .await
                .reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), ["sort"], "{backend:?} {list}: {problem}");
            let message = problem["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains("password_hash"), "{message}");
            let problem = get(&app, &admin, &format!("{list}?sort=-nope"))
                .await
                .reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), ["sort"]);

            for cursor in ["zz", "00", "6e6f20736570617261746f72"] {
                let problem = get(&app, &admin, &format!("{list}?cursor={cursor}"))
                    .await
                    .reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(fields(&problem), ["cursor"], "{backend:?} {list}: {problem}");
            }
            for limit in ["0", "1001"] {
                let problem = get(&app, &admin, &format!("{list}?limit={limit}"))
                    .await
                    .reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(fields(&problem), ["limit"], "{backend:?} {list}: {problem}");
            }
        }
        let list = get(&app, &admin, "/api/v1/partners?limit=1000&sort=-created_at").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    }
}

#[tokio::test]
async fn a_non_numeric_limit_is_named_like_an_out_of_range_one() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        for list in ["/api/v1/partners", "/api/v1/sales-facts"] {
            let reply = get(&app, &admin, &format!("{list}?limit=ten")).await;
            let detail = reply.body["detail"].as_str().unwrap_or_default().to_string();
            assert!(detail.contains("limit"), "{backend:?}: {detail}");
            let problem = reply.reasoned_problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), ["limit"], "{backend:?} {list}: {problem}");
        }
    }
}

#[tokio::test]
async fn refusals_have_the_documented_kinds() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha = app.session("user@alpha.example").await;
        let admin = app.session("admin@vendor.example").await;
        let forbidden = get(&app, &alpha, "/api/v1/accounts")
            .await
            .reasoned_problem(StatusCode::FORBIDDEN);
        assert_eq!(forbidden["type"], "urn:tributary:problem:forbidden");
        assert!(
            forbidden["detail"].as_str().unwrap().contains("customer accounts"),
            "{backend:?}: {forbidden}"
        );
        let missing = get(&app, &admin, "/api/v1/users/nobody")
            .await
            .reasoned_problem(StatusCode::NOT_FOUND);
        assert_eq!(missing["type"], "urn:tributary:problem:not-found");
        assert_eq!(missing["detail"], "user not found");
        // Records of other organisations are "not found", never "forbidden", so their
        // existence does not leak.
        let hidden = get(&app, &alpha, &format!("/api/v1/partners/{}", app.cast.partner_b))
            .await
            .reasoned_problem(StatusCode::NOT_FOUND);
        assert_eq!(hidden["detail"], "partner not found");
        let conflict = send(
            &app,
            admin.post(app.url("/api/v1/users")).json(&json!({
                "email": "admin@vendor.example", "display_name": "Twin", "role": "admin"
            })),
        )
        .await
        .reasoned_problem(StatusCode::CONFLICT);
        assert_eq!(conflict["type"], "urn:tributary:problem:conflict");
    }
}
