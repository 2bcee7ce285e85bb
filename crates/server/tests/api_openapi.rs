//! The OpenAPI document at `/api/openapi.json` (version 3.1, every path under `/api/v1`,
//! every route of the API documented, and an insta snapshot of the whole document so any
//! change to the API contract shows up in review), and the operational endpoints:
//! `/healthz`, `/readyz` and the Prometheus `/metrics`.

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

async fn document(app: &TestApp) -> Value {
    let response = app.anonymous().get(app.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{:?}", app.backend);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    response.json().await.expect("the document is JSON")
}

#[tokio::test]
async fn the_openapi_document_describes_the_whole_api() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let doc = document(&app).await;
        let version = doc["openapi"].as_str().expect("an openapi version");
        assert!(version.starts_with("3.1."), "{backend:?}: OpenAPI {version}");
        assert_eq!(doc["info"]["title"], "Tributary API");
        let paths = doc["paths"].as_object().expect("paths");
        for path in paths.keys() {
            assert!(path.starts_with("/api/v1/"), "{backend:?}: {path} is outside /api/v1");
        }
        let documented: BTreeSet<(String, String)> = paths
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| ["get", "post", "put", "delete", "patch"].contains(&k.as_str()))
                    .map(move |method| (method.clone(), path.clone()))
            })
            .collect();
        let routes = [
            ("get", "/api/v1/me"),
            ("get", "/api/v1/partners"),
            ("post", "/api/v1/partners"),
            ("get", "/api/v1/partners/{id}"),
            ("put", "/api/v1/partners/{id}"),
            ("get", "/api/v1/users"),
            ("post", "/api/v1/users"),
            ("get", "/api/v1/users/{id}"),
            ("put", "/api/v1/users/{id}"),
            ("put", "/api/v1/users/{id}/password"),
            ("get", "/api/v1/products"),
            ("post", "/api/v1/products"),
            ("get", "/api/v1/products/{id}"),
            ("put", "/api/v1/products/{id}"),
            ("get", "/api/v1/accounts"),
            ("post", "/api/v1/accounts"),
            ("get", "/api/v1/accounts/{id}"),
            ("put", "/api/v1/accounts/{id}"),
            ("get", "/api/v1/accounts/{id}/children"),
            ("get", "/api/v1/regions"),
            ("put", "/api/v1/regions/{code}"),
            ("get", "/api/v1/verticals"),
            ("put", "/api/v1/verticals/{code}"),
            ("get", "/api/v1/fx-rates"),
            ("post", "/api/v1/fx-rates"),
            ("get", "/api/v1/segments"),
            ("post", "/api/v1/segments"),
            ("get", "/api/v1/segments/{id}"),
            ("put", "/api/v1/segments/{id}"),
            ("delete", "/api/v1/segments/{id}"),
            ("get", "/api/v1/sales-facts"),
            ("post", "/api/v1/sales-facts"),
            ("get", "/api/v1/sales-facts/totals"),
            ("post", "/api/v1/imports/{kind}"),
            ("get", "/api/v1/imports/{kind}/template"),
            ("get", "/api/v1/exports/{kind}"),
            ("get", "/api/v1/jobs/{id}"),
            ("get", "/api/v1/audit"),
            ("get", "/api/v1/audit/verify"),
            ("get", "/api/v1/audit/{entity_type}/{entity_id}"),
            ("get", "/api/v1/tokens"),
            ("post", "/api/v1/tokens"),
            ("delete", "/api/v1/tokens/{id}"),
            ("get", "/api/v1/tier-structures"),
            ("post", "/api/v1/tier-structures"),
            ("get", "/api/v1/tier-structures/{id}"),
            ("put", "/api/v1/tier-structures/{id}"),
            ("delete", "/api/v1/tier-structures/{id}"),
            ("get", "/api/v1/tier-structures/{id}/versions"),
            ("post", "/api/v1/tier-structures/{id}/drafts"),
            ("post", "/api/v1/tier-structures/{id}/publish"),
            ("post", "/api/v1/tier-structures/{id}/simulate"),
            ("get", "/api/v1/tier-structures/{id}/evaluations"),
            ("post", "/api/v1/tier-structures/{id}/evaluations"),
            ("get", "/api/v1/tier-structures/{id}/distribution"),
            ("get", "/api/v1/tier-structures/{id}/at-risk"),
            ("get", "/api/v1/tier-snapshots"),
            ("get", "/api/v1/tier-snapshots/export"),
            ("get", "/api/v1/partners/{id}/tier-status"),
            ("get", "/api/v1/tier-overrides"),
            ("post", "/api/v1/tier-overrides"),
            ("delete", "/api/v1/tier-overrides/{id}"),
            ("get", "/api/v1/tier-events"),
            ("get", "/api/v1/metric-facts"),
            ("post", "/api/v1/metric-facts"),
            ("post", "/api/v1/reservations/check"),
            ("get", "/api/v1/reservations"),
            ("post", "/api/v1/reservations"),
            ("post", "/api/v1/reservations/{id}/renew"),
            ("post", "/api/v1/reservations/{id}/release"),
            ("post", "/api/v1/registrations"),
            ("get", "/api/v1/registrations"),
            ("get", "/api/v1/registrations/{id}"),
            ("post", "/api/v1/registrations/{id}/approve"),
            ("post", "/api/v1/registrations/{id}/reject"),
            ("post", "/api/v1/registrations/{id}/lost"),
            ("post", "/api/v1/registrations/{id}/won"),
            ("post", "/api/v1/registrations/{id}/extension-request"),
            ("post", "/api/v1/registrations/{id}/extend"),
            ("get", "/api/v1/approvals"),
            ("get", "/api/v1/approvals/{id}"),
            ("post", "/api/v1/approvals/{id}/decision"),
            ("post", "/api/v1/approvals/decisions"),
            ("get", "/api/v1/approval-rules"),
            ("put", "/api/v1/approval-rules"),
            ("get", "/api/v1/incentive-plans"),
            ("post", "/api/v1/incentive-plans"),
            ("get", "/api/v1/incentive-plans/{id}"),
            ("put", "/api/v1/incentive-plans/{id}"),
            ("delete", "/api/v1/incentive-plans/{id}"),
            ("get", "/api/v1/incentive-plans/{id}/versions"),
            ("post", "/api/v1/incentive-plans/{id}/drafts"),
            ("post", "/api/v1/incentive-plans/{id}/publish"),
            ("get", "/api/v1/close-runs"),
            ("post", "/api/v1/close-runs"),
            ("get", "/api/v1/close-runs/{id}"),
            ("get", "/api/v1/statements"),
            ("get", "/api/v1/statements/export"),
            ("get", "/api/v1/statements/{id}"),
            ("get", "/api/v1/statements/{id}/download"),
            ("get", "/api/v1/statements/{id}/lines/{line_id}/facts"),
            ("post", "/api/v1/statements/{id}/submit"),
            ("get", "/api/v1/partners/{id}/earnings"),
            ("get", "/api/v1/incentives/spend"),
            ("get", "/api/v1/claims"),
            ("post", "/api/v1/claims"),
            ("get", "/api/v1/claims/export"),
            ("get", "/api/v1/claims/{id}"),
            ("post", "/api/v1/claims/{id}/attachments"),
            ("get", "/api/v1/claims/{id}/attachments/{attachment_id}"),
            ("post", "/api/v1/claims/{id}/withdraw"),
            ("get", "/api/v1/payout-batches"),
            ("post", "/api/v1/payout-batches"),
            ("get", "/api/v1/payout-batches/{id}"),
            ("get", "/api/v1/payout-batches/{id}/export"),
            ("get", "/api/v1/payout-batches/{id}/journal"),
            ("post", "/api/v1/payout-batches/{id}/mark-paid"),
            ("get", "/api/v1/payouts/reconciliation"),
            ("get", "/api/v1/payouts/journal-accounts"),
            ("put", "/api/v1/payouts/journal-accounts"),
            ("get", "/api/v1/withholding-rates"),
            ("put", "/api/v1/withholding-rates/{country}"),
            ("delete", "/api/v1/withholding-rates/{country}"),
            ("get", "/api/v1/webhooks"),
            ("post", "/api/v1/webhooks"),
            ("get", "/api/v1/webhooks/{id}"),
            ("put", "/api/v1/webhooks/{id}"),
            ("delete", "/api/v1/webhooks/{id}"),
            ("post", "/api/v1/webhooks/{id}/rotate-secret"),
            ("get", "/api/v1/webhooks/{id}/deliveries"),
            ("post", "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver"),
        ];
        let expected: BTreeSet<(String, String)> = routes.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
        assert_eq!(
            documented, expected,
            "{backend:?}: documented operations differ from the routes"
        );

        // Every operation documents its responses, and errors use the Problem schema.
        for (path, item) in paths {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object();
                assert!(
                    responses.is_some_and(|r| !r.is_empty()),
                    "{backend:?}: {method} {path} documents no responses"
                );
            }
        }
        let schemas = doc["components"]["schemas"].as_object().expect("component schemas");
        for schema in ["Problem", "PartnerInput", "Partner", "SalesBatch", "ImportOutcome"] {
            assert!(schemas.contains_key(schema), "{backend:?}: no {schema} schema");
        }
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

        // The document is stable: the snapshot changes only when the API does.
        insta::assert_json_snapshot!("openapi_document", doc);
    }
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let client = app.anonymous();
        let health = client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(health.text().await.unwrap(), "ok");
        let ready = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(ready.text().await.unwrap(), "ready");

        let admin = app.token_client("admin@vendor.example", &["read"]).await;
        let listed = admin.get(app.url("/api/v1/partners")).send().await.unwrap();
        assert_eq!(listed.status(), StatusCode::OK);
        let denied = client.get(app.url("/api/v1/partners")).send().await.unwrap();
        assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);

        let metrics = client.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(metrics.status(), StatusCode::OK, "{backend:?}");
        let content_type = metrics.headers()["content-type"].to_str().unwrap().to_string();
        assert!(
            content_type.starts_with("application/openmetrics-text") || content_type.starts_with("text/plain"),
            "{content_type}"
        );
        let text = metrics.text().await.unwrap();
        assert!(text.contains("tributary_http_requests_total"), "{backend:?}: {text}");
        let line = |status: &str| {
            text.lines()
                .filter(|l| l.starts_with("tributary_http_requests_total{"))
                .find(|l| {
                    l.contains("method=\"GET\"")
                        && l.contains("route=\"/api/v1/partners\"")
                        && l.contains(&format!("status=\"{status}\""))
                })
                .map(str::to_string)
        };
        let ok = line("200").unwrap_or_else(|| panic!("{backend:?}: no counter for GET /api/v1/partners 200:\n{text}"));
        assert!(ok.trim_end().ends_with(" 1"), "{backend:?}: {ok}");
        assert!(line("401").is_some(), "{backend:?}: no counter for the 401:\n{text}");
        assert!(
            text.contains("tributary_http_request_duration_seconds"),
            "{backend:?}: no latency histogram"
        );
        // Health checks are themselves counted.
        assert!(text.contains("route=\"/healthz\""), "{backend:?}");
    }
}

#[tokio::test]
async fn operation_ids_are_unique() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let doc = document(&app).await;
        // OpenAPI 3.1 §4.8.10.1: "The id MUST be unique among all operations described in
        // the API"; client generators name their methods after it.
        let mut seen: Vec<String> = Vec::new();
        let mut duplicates: BTreeSet<String> = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(id) = operation["operationId"].as_str() else {
                    continue;
                };
                if seen.iter().any(|s| s == id) {
                    duplicates.insert(format!("{id} ({method} {path})"));
                }
                seen.push(id.to_string());
            }
        }
        assert!(
            duplicates.is_empty(),
            "{backend:?}: operationIds used more than once: {duplicates:?}"
        );
    }
}

#[tokio::test]
async fn error_responses_are_documented_as_problem_json() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let doc = document(&app).await;
        // The server sends every error as `application/problem+json`; the document must say so.
        let mut wrong = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let is_problem = response["content"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .any(|(_, media)| media["schema"]["$ref"] == "#/components/schemas/Problem");
                    if is_problem && response["content"].get("application/problem+json").is_none() {
                        wrong.push(format!("{method} {path} {status}"));
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{backend:?}: {} error responses are documented as application/json, e.g. {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(3)]
        );
    }
}
