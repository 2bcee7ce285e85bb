//! Incentive claims over the API, on SQLite and PostgreSQL: a partner submits a claim
//! with proof, the approval queue decides it (approved for the next close, or rejected with
//! the reason), a waiting claim can be withdrawn; bad amounts, unknown or ineligible plans
//! and unacceptable files are refused with the field named; nobody decides their own
//! claim; and a partner never sees another partner's claims or proof.

mod common;

use common::TestApp;
use common::http::{fields, get, message, post, send};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn claim(amount: &str, currency: &str) -> Value {
    json!({ "amount": amount, "currency": currency, "description": "SPIFF for the Globex renewal", "deal_ref": "DR-2026-000001" })
}

async fn submit(app: &TestApp, client: &Client, body: &Value) -> Value {
    post(app, client, "/api/v1/claims", body)
        .await
        .expect(StatusCode::CREATED)
}

async fn attach(
    app: &TestApp,
    client: &Client,
    claim_id: &str,
    name: &str,
    mime: &str,
    bytes: &[u8],
) -> common::http::Reply {
    let part = Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let request = client
        .post(app.url(&format!("/api/v1/claims/{claim_id}/attachments")))
        .multipart(Form::new().part("file", part));
    send(app, request).await
}

async fn decide(app: &TestApp, client: &Client, approval: &Value, body: Value) -> common::http::Reply {
    let id = approval.as_str().expect("an open approval request");
    post(app, client, &format!("/api/v1/approvals/{id}/decision"), &body).await
}

/// A published plan; `partner_types` narrows who is eligible.
async fn published_plan(app: &TestApp, admin: &Client, name: &str, kind: &str, partner_types: &[&str]) -> String {
    let calculation = if kind == "commission" {
        json!({ "type": "rate", "rate": "0.05" })
    } else {
        json!({ "type": "threshold_bonus", "steps": [{ "target": "1", "amount": "100" }] })
    };
    let body = json!({
        "name": name, "kind": kind, "currency": "USD", "period": "quarter", "effective_from": "2020-01-01",
        "eligibility": { "partner_types": partner_types }, "measure": { "kind": "quantity" },
        "calculation": calculation, "payee": "reseller"
    });
    let draft = post(app, admin, "/api/v1/incentive-plans", &body)
        .await
        .expect(StatusCode::CREATED);
    let path = format!("/api/v1/incentive-plans/{}/publish", draft["id"].as_str().unwrap());
    let published = send(app, admin.post(app.url(&path))).await;
    assert!(published.status.is_success(), "{}", published.text);
    published.body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn claims_are_decided_through_the_approval_queue() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let partner = app.session("user@alpha.example").await;
        let cam = app.session("cam.a@vendor.example").await;

        let first = submit(&app, &partner, &claim("250.00", "EUR")).await;
        assert_eq!(first["status"], "submitted");
        assert_eq!(first["kind"], "spiff");
        assert_eq!(first["partner_id"], json!(app.cast.partner_a));
        let id = first["id"].as_str().unwrap();
        let proof = attach(&app, &partner, id, "invoice.pdf", "application/pdf", PDF)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(proof["content_type"], "application/pdf");
        assert_eq!(proof["size_bytes"], PDF.len());
        let detail = get(&app, &partner, &format!("/api/v1/claims/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(detail["attachments"][0]["file_name"], "invoice.pdf");
        let download = send(
            &app,
            partner.get(app.url(&format!(
                "/api/v1/claims/{id}/attachments/{}",
                proof["id"].as_str().unwrap()
            ))),
        )
        .await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.content_type, "application/pdf");
        assert_eq!(download.text.as_bytes(), PDF);

        let queue = get(&app, &cam, "/api/v1/approvals?subject_type=claim")
            .await
            .expect(StatusCode::OK);
        let request = queue
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["subject_id"] == json!(id))
            .expect("the claim is in the approval queue");
        assert_eq!(request["amount"], "250.00");
        assert_eq!(request["id"], detail["approval_id"]);
        decide(&app, &partner, &detail["approval_id"], json!({ "decision": "approve" }))
            .await
            .problem(StatusCode::FORBIDDEN);
        decide(
            &app,
            &cam,
            &detail["approval_id"],
            json!({ "decision": "approve", "comment": "Deal confirmed" }),
        )
        .await
        .expect(StatusCode::OK);
        let approved = get(&app, &partner, &format!("/api/v1/claims/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(approved["status"], "approved");
        assert_eq!(approved["decision_comment"], "Deal confirmed");
        assert!(approved["decided_at"].is_string());
        assert_eq!(approved["approval_id"], Value::Null);
        // Decided claims take no more proof and cannot be withdrawn.
        attach(&app, &partner, id, "more.pdf", "application/pdf", PDF)
            .await
            .problem(StatusCode::CONFLICT);
        post(&app, &partner, &format!("/api/v1/claims/{id}/withdraw"), &json!({}))
            .await
            .problem(StatusCode::CONFLICT);

        let second = submit(&app, &partner, &claim("99.90", "USD")).await;
        let no_reason = decide(&app, &cam, &second["approval_id"], json!({ "decision": "reject" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&no_reason), ["comment"]);
        decide(
            &app,
            &cam,
            &second["approval_id"],
            json!({ "decision": "reject", "comment": "No registered deal" }),
        )
        .await
        .expect(StatusCode::OK);
        let rejected = get(
            &app,
            &partner,
            &format!("/api/v1/claims/{}", second["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (rejected["status"].as_str(), rejected["decision_comment"].as_str()),
            (Some("rejected"), Some("No registered deal"))
        );

        let third = submit(&app, &partner, &claim("10", "EUR")).await;
        let third_id = third["id"].as_str().unwrap();
        let withdrawn = post(
            &app,
            &partner,
            &format!("/api/v1/claims/{third_id}/withdraw"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(withdrawn["status"], "withdrawn");
        decide(&app, &cam, &third["approval_id"], json!({ "decision": "approve" }))
            .await
            .problem(StatusCode::CONFLICT);
        let pending = get(&app, &cam, "/api/v1/approvals?subject_type=claim")
            .await
            .expect(StatusCode::OK);
        assert!(pending.as_array().unwrap().is_empty(), "{backend:?}: {pending}");

        let listed = get(&app, &partner, "/api/v1/claims?status=approved")
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let csv = get(&app, &partner, "/api/v1/claims/export?sort=created_at").await.csv();
        let rows: Vec<&str> = csv.lines().collect();
        assert!(rows[0].starts_with("id,partner_name,partner_id,plan_id,kind,amount,currency,description,"));
        assert_eq!(rows.len(), 4);
        assert!(
            rows[1].contains(",Alpha Resellers,") && rows[1].contains(",approved,Deal confirmed,"),
            "{csv}"
        );

        let admin = app.session("admin@vendor.example").await;
        let audit = get(&app, &admin, &format!("/api/v1/audit/claim/{id}"))
            .await
            .expect(StatusCode::OK)
            .to_string();
        for action in ["claim.submitted", "claim.proof_added", "claim.approved"] {
            assert!(audit.contains(action), "{backend:?}: {action} missing from {audit}");
        }
    }
}

#[tokio::test]
async fn a_retried_submission_with_its_key_creates_one_claim() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let partner = app.session("admin@alpha.example").await;
        let send_once = || {
            partner
                .post(app.url("/api/v1/claims"))
                .header("Idempotency-Key", "claim-1")
                .json(&claim("40.00", "EUR"))
        };
        let first = send(&app, send_once()).await.expect(StatusCode::CREATED);
        let again = send(&app, send_once()).await;
        assert_eq!(again.replayed.as_deref(), Some("true"));
        assert_eq!(again.body["id"], first["id"]);
        let listed = get(&app, &partner, "/api/v1/claims").await.expect(StatusCode::OK);
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn bad_claims_are_refused_with_the_field_named() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        let refused = |body: Value, client: Client| {
            let app = &app;
            async move {
                post(app, &client, "/api/v1/claims", &body)
                    .await
                    .problem(StatusCode::UNPROCESSABLE_ENTITY)
            }
        };
        let negative = refused(claim("-5.00", "EUR"), alpha.clone()).await;
        assert_eq!(fields(&negative), ["amount"]);
        let decimals = refused(claim("10.005", "EUR"), alpha.clone()).await;
        assert!(
            message(&decimals, "amount").contains("more decimals than EUR allows"),
            "{decimals}"
        );
        assert_eq!(fields(&refused(claim("10.5", "JPY"), alpha.clone()).await), ["amount"]);
        let mut blank = claim("10", "XXY");
        blank["description"] = json!(" ");
        assert_eq!(
            fields(&refused(blank, alpha.clone()).await),
            ["currency", "description"]
        );
        let mut unknown = claim("10", "EUR");
        unknown["plan_id"] = json!("0190c0de-0000-7000-8000-000000000000");
        assert_eq!(fields(&refused(unknown, alpha.clone()).await), ["plan_id"]);

        let msp_spiff = published_plan(&app, &admin, "MSP SPIFF", "spiff", &["msp"]).await;
        let commission = published_plan(&app, &admin, "Resale commission", "commission", &[]).await;
        let mut ineligible = claim("100", "USD");
        ineligible["plan_id"] = json!(msp_spiff);
        let problem = refused(ineligible.clone(), alpha.clone()).await;
        assert!(
            message(&problem, "plan_id").contains("Alpha Resellers is not eligible for 'MSP SPIFF'"),
            "{problem}"
        );
        let eligible = submit(&app, &beta, &ineligible).await;
        assert_eq!(
            (eligible["kind"].as_str(), eligible["plan_name"].as_str()),
            (Some("spiff"), Some("MSP SPIFF"))
        );
        let mut calculated = claim("100", "USD");
        calculated["plan_id"] = json!(commission);
        assert_eq!(fields(&refused(calculated, beta.clone()).await), ["plan_id"]);

        let id = submit(&app, &alpha, &claim("10", "EUR")).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let exe = attach(
            &app,
            &alpha,
            &id,
            "setup.exe",
            "application/x-msdownload",
            b"MZ\x90\x00",
        )
        .await;
        assert_eq!(fields(&exe.problem(StatusCode::UNPROCESSABLE_ENTITY)), ["proof"]);
        let disguised = attach(&app, &alpha, &id, "photo.png", "image/png", PDF).await;
        assert_eq!(fields(&disguised.problem(StatusCode::UNPROCESSABLE_ENTITY)), ["proof"]);
        let big = vec![b'x'; (5 << 20) + 1];
        let oversize = attach(&app, &alpha, &id, "big.txt", "text/plain", &big)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message(&oversize, "proof").contains("larger than 5 MB"));
        let detail = get(&app, &alpha, &format!("/api/v1/claims/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            detail["attachments"],
            json!([]),
            "{backend:?}: nothing refused was stored"
        );
    }
}

#[tokio::test]
async fn nobody_decides_their_own_claim() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let cam = app.session("cam.a@vendor.example").await;
        let mut on_behalf = claim("75.00", "EUR");
        on_behalf["partner_id"] = json!(app.cast.partner_a);
        let submitted = submit(&app, &cam, &on_behalf).await;
        let own = decide(&app, &cam, &submitted["approval_id"], json!({ "decision": "approve" }))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(own["detail"].as_str().unwrap().contains("own request"), "{own}");
        let admin = app.session("admin@vendor.example").await;
        decide(
            &app,
            &admin,
            &submitted["approval_id"],
            json!({ "decision": "approve" }),
        )
        .await
        .expect(StatusCode::OK);
        let claim_id = submitted["id"].as_str().unwrap();
        let approved = get(&app, &cam, &format!("/api/v1/claims/{claim_id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(approved["status"], "approved");
        // Vendor staff claim only for partners they manage.
        let mut elsewhere = claim("75.00", "EUR");
        elsewhere["partner_id"] = json!(app.cast.partner_b);
        let refused = post(&app, &cam, "/api/v1/claims", &elsewhere)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&refused), ["partner_id"]);
    }
}

#[tokio::test]
async fn a_partner_never_sees_another_partners_claims_or_proof() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        let b_claim = submit(&app, &beta, &claim("500.00", "EUR")).await;
        let b_id = b_claim["id"].as_str().unwrap();
        let b_proof = attach(&app, &beta, b_id, "secret.pdf", "application/pdf", PDF)
            .await
            .expect(StatusCode::CREATED);
        let b_file = b_proof["id"].as_str().unwrap();
        let a_id = submit(&app, &alpha, &claim("5.00", "EUR")).await["id"]
            .as_str()
            .unwrap()
            .to_string();

        get(&app, &alpha, &format!("/api/v1/claims/{b_id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        get(&app, &alpha, &format!("/api/v1/claims/{b_id}/attachments/{b_file}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        // Another claim's file under one's own claim is not found either.
        get(&app, &alpha, &format!("/api/v1/claims/{a_id}/attachments/{b_file}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        post(&app, &alpha, &format!("/api/v1/claims/{b_id}/withdraw"), &json!({}))
            .await
            .problem(StatusCode::NOT_FOUND);
        attach(&app, &alpha, b_id, "x.pdf", "application/pdf", PDF)
            .await
            .problem(StatusCode::NOT_FOUND);
        let mut for_beta = claim("1.00", "EUR");
        for_beta["partner_id"] = json!(app.cast.partner_b);
        post(&app, &alpha, "/api/v1/claims", &for_beta)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        for path in ["/api/v1/claims", "/api/v1/claims/export"] {
            let text = get(&app, &alpha, path).await.text;
            assert!(
                !text.contains(b_id) && !text.contains(&app.cast.partner_b),
                "{backend:?} {path}: {text}"
            );
        }
        let cam_b = app.session("cam.b@vendor.example").await;
        get(&app, &cam_b, &format!("/api/v1/claims/{a_id}"))
            .await
            .problem(StatusCode::NOT_FOUND);

        // A distributor claims for its reseller and sees the reseller's claims.
        let distributor = app.session("admin@delta.example").await;
        let mut for_reseller = claim("12.00", "EUR");
        for_reseller["partner_id"] = json!(app.cast.reseller);
        let r = submit(&app, &distributor, &for_reseller).await;
        let reseller = app.session("user@rho.example").await;
        get(
            &app,
            &reseller,
            &format!("/api/v1/claims/{}", r["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        let mine = get(&app, &reseller, "/api/v1/claims").await.expect(StatusCode::OK);
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    }
}
