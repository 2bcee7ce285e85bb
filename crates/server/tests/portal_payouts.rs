//! The payout and claim pages of the portal over HTTP, on every configured backend: the
//! batch form carries an idempotency key made when it is shown, so sending it twice
//! creates one batch; the batch page with its payments, downloads and "mark paid"; the
//! reconciliation with its reasons and CSV; the journal accounts form; a partner's claim
//! with proof submitted in one form, decided by its channel manager on the claim's page,
//! and never shown to another partner.

mod common;
mod payouts_data;

use common::TestApp;
use payouts_data::{Row, statement, today};
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// Undoes the HTML escaping of the few characters our assertions look for.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn page(client: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, unescape(&response.text().await.unwrap()))
}

/// Asserts a 200 page containing every one of `expected`, and returns it.
async fn expect_page(client: &Client, app: &TestApp, path: &str, expected: &[&str]) -> String {
    let (status, body) = page(client, app, path).await;
    assert_eq!(status, StatusCode::OK, "{path} on {:?}:\n{body}", app.backend);
    for text in expected {
        assert!(
            body.contains(text),
            "{path} lacks {text:?} on {:?}:\n{body}",
            app.backend
        );
    }
    body
}

/// The response's status, `Location` and page text.
async fn sent(request: reqwest::RequestBuilder) -> (StatusCode, String, String) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, unescape(&response.text().await.unwrap()))
}

async fn post_form(client: &Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
    sent(client.post(app.url(path)).form(form)).await
}

/// The value of the hidden input `name` in a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in:\n{body}"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_string()
}

async fn api(client: &Client, app: &TestApp, path: &str) -> Value {
    client.get(app.url(path)).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_batch_form_creates_one_batch_however_often_it_is_sent() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        statement(&app, Row::approved(&app.cast.partner_a, "2026-Q1", "1000.00", "150.00")).await;
        statement(&app, Row::approved(&app.cast.partner_b, "2026-Q1", "200.00", "0.00")).await;
        statement(
            &app,
            Row {
                payable_on: "2099-10-30",
                ..Row::approved(&app.cast.partner_a, "2026-Q2", "300.00", "0.00")
            },
        )
        .await;
        let finance = app.session("finance@vendor.example").await;

        let form = expect_page(
            &finance,
            &app,
            "/payouts",
            &["Create a batch", "Journal accounts", "Nothing matches."],
        )
        .await;
        let key = hidden(&form, "idempotency_key");
        assert_eq!(key.len(), 36, "a fresh UUID");
        let through = today();
        let fields = [("payable_through", through.as_str()), ("idempotency_key", key.as_str())];
        let (status, first, _) = post_form(&finance, &app, "/payouts", &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{backend:?}");
        let (status, second, _) = post_form(&finance, &app, "/payouts", &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(first, second, "{backend:?}: the second submission shows the same batch");
        let batches = api(&finance, &app, "/api/v1/payout-batches").await;
        assert_eq!(batches["items"].as_array().unwrap().len(), 1);
        // A fresh form (new key) has nothing left to pay.
        let again = expect_page(&finance, &app, "/payouts", &[]).await;
        let fresh = hidden(&again, "idempotency_key");
        assert_ne!(fresh, key);
        let (status, _, body) = post_form(
            &finance,
            &app,
            "/payouts",
            &[("payable_through", &through), ("idempotency_key", &fresh)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("no approved statement with a positive net is payable"),
            "{body}"
        );
        let (status, _, body) = post_form(
            &finance,
            &app,
            "/payouts",
            &[("payable_through", "2099-01-01"), ("idempotency_key", &fresh)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("must not be after today"), "{body}");

        let batch = expect_page(
            &finance,
            &app,
            &first,
            &[
                "Alpha Resellers",
                "Beta Managed Services",
                "850.00 EUR",
                "1,050.00 EUR",
                "Payment file (CSV)",
                "Journal (CSV)",
                "Mark paid",
            ],
        )
        .await;
        let alpha = batch.find("Alpha Resellers</th>").unwrap();
        let beta = batch.find("Beta Managed Services</th>").unwrap();
        assert!(alpha < beta, "payments by partner name");
        let by_net = expect_page(&finance, &app, &format!("{first}?sort=-net"), &[]).await;
        assert!(by_net.find("Alpha Resellers</th>").unwrap() < by_net.find("Beta Managed Services</th>").unwrap());
        let ascending = expect_page(&finance, &app, &format!("{first}?sort=net"), &[]).await;
        assert!(
            ascending.find("Beta Managed Services</th>").unwrap() < ascending.find("Alpha Resellers</th>").unwrap()
        );

        let (status, location, _) = post_form(&finance, &app, &format!("{first}/mark-paid"), &[]).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, first.as_str()));
        let paid = expect_page(&finance, &app, &first, &["badge status-paid"]).await;
        assert!(
            !paid.contains("id=\"mark-paid-form\""),
            "a paid batch is not paid again"
        );
        let (status, _, body) = post_form(&finance, &app, &format!("{first}/mark-paid"), &[]).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body.contains("already marked paid"), "{body}");

        let report = expect_page(
            &finance,
            &app,
            "/payouts/reconciliation",
            &["Alpha Resellers", "held until 2099-10-30", "0.00 EUR unexplained"],
        )
        .await;
        assert!(
            !report.contains("badge-no"),
            "{backend:?}: nothing unexplained:\n{report}"
        );
        let q1 = expect_page(
            &finance,
            &app,
            "/payouts/reconciliation?period_key=2026-Q1",
            &["Reconciliation of 2026-Q1"],
        )
        .await;
        assert!(!q1.contains("held until"));
        let csv = finance
            .get(app.url("/payouts/reconciliation.csv?sort=-difference"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("partner_id,partner_name,currency,"));
        assert!(
            lines[1].contains("Alpha Resellers") && lines[1].contains("held until 2099-10-30"),
            "{csv}"
        );

        let (status, _, body) = post_form(
            &finance,
            &app,
            "/payouts/accounts",
            &[
                ("expense_code", "6100"),
                ("expense_name", "Partner programs"),
                ("payable_code", "6100"),
                ("payable_name", "Partner payable"),
                ("withholding_code", "2300"),
                ("withholding_name", "Withholding"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("must differ from the payable accounts"), "{body}");
        assert!(body.contains("value=\"Partner programs\""), "what was typed is kept");

        let cam = app.session("cam.a@vendor.example").await;
        let read_only = expect_page(&cam, &app, "/payouts", &["Payout batches"]).await;
        assert!(!read_only.contains("Create a batch"));
        let share = expect_page(&cam, &app, &first, &["Alpha Resellers"]).await;
        assert!(
            !share.contains("Beta Managed Services"),
            "{backend:?}: a channel manager sees its partners only"
        );
        let partner = app.session("user@alpha.example").await;
        assert_eq!(page(&partner, &app, "/payouts").await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            page(&partner, &app, "/payouts/reconciliation").await.0,
            StatusCode::FORBIDDEN
        );
    }
}

const PDF: &[u8] = b"%PDF-1.4\n% proof of the Globex deal\n%%EOF\n";

fn claim_form(key: &str, amount: &str, file: Option<(&str, &str, &[u8])>) -> Form {
    let mut form = Form::new()
        .text("plan_id", "")
        .text("kind", "spiff")
        .text("amount", amount.to_string())
        .text("currency", "EUR")
        .text("description", "SPIFF for the Globex renewal\nSigned on 3 March.")
        .text("deal_ref", "DR-2026-000042")
        .text("idempotency_key", key.to_string());
    if let Some((name, mime, bytes)) = file {
        form = form.part(
            "proof",
            Part::bytes(bytes.to_vec())
                .file_name(name.to_string())
                .mime_str(mime)
                .unwrap(),
        );
    }
    form
}

#[tokio::test]
async fn a_partner_claims_with_proof_and_reads_the_decision() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let partner = app.session("user@alpha.example").await;
        let home = expect_page(&partner, &app, "/claims", &["My claims", "Submit a claim"]).await;
        assert!(
            home.contains("href=\"/claims\" aria-current=\"page\""),
            "the partner's Claims navigation entry"
        );
        let form = expect_page(&partner, &app, "/claims/new", &["Proof", "What is the claim for?"]).await;
        let key = hidden(&form, "idempotency_key");

        let (status, _, body) = sent(partner.post(app.url("/claims")).multipart(claim_form(
            &key,
            "250.005",
            Some(("invoice.pdf", "application/pdf", PDF)),
        )))
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert!(body.contains("more decimals than EUR allows"), "{body}");
        assert!(body.contains("SPIFF for the Globex renewal"), "what was typed is kept");
        let (status, _, body) = sent(partner.post(app.url("/claims")).multipart(claim_form(
            &key,
            "250.00",
            Some(("run.exe", "application/x-msdownload", b"MZ")),
        )))
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("are not accepted"), "{body}");

        let submit = || {
            partner.post(app.url("/claims")).multipart(claim_form(
                &key,
                "250.00",
                Some(("invoice.pdf", "application/pdf", PDF)),
            ))
        };
        let (status, location, _) = sent(submit()).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{backend:?}");
        let (_, again, _) = sent(submit()).await;
        assert_eq!(location, again, "{backend:?}: a double submit files one claim");
        let mine = api(&partner, &app, "/api/v1/claims").await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        let id = location.trim_start_matches("/claims/").to_string();
        let detail = expect_page(
            &partner,
            &app,
            &location,
            &["Awaiting decision", "invoice.pdf", "250.00 EUR", "Withdraw the claim"],
        )
        .await;
        assert!(!detail.contains("id=\"decision-form\""), "partners do not decide");
        let download = detail
            .split("href=\"")
            .find(|s| s.starts_with("/api/v1/claims/"))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let file = partner.get(app.url(&download)).send().await.unwrap();
        assert_eq!(file.status(), StatusCode::OK);
        assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

        let beta = app.session("user@beta.example").await;
        assert_eq!(page(&beta, &app, &location).await.0, StatusCode::NOT_FOUND);
        let theirs = expect_page(&beta, &app, "/claims", &[]).await;
        assert!(!theirs.contains(&id));

        let cam = app.session("cam.a@vendor.example").await;
        expect_page(
            &cam,
            &app,
            "/claims",
            &["Claims", "SPIFF for the Globex renewal", "Alpha Resellers"],
        )
        .await;
        expect_page(&cam, &app, &location, &["id=\"decision-form\"", "Approve", "Reject"]).await;
        let (status, _, body) = post_form(
            &cam,
            &app,
            &format!("{location}/decision"),
            &[("decision", "reject"), ("comment", "")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("say why the claim is rejected"), "{body}");
        let (status, _, _) = post_form(
            &cam,
            &app,
            &format!("{location}/decision"),
            &[
                ("decision", "reject"),
                ("comment", "The deal closed in the previous quarter"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let decided = expect_page(
            &partner,
            &app,
            &location,
            &["Rejected", "The deal closed in the previous quarter"],
        )
        .await;
        assert!(!decided.contains("Withdraw the claim"));
        let rows = expect_page(
            &partner,
            &app,
            "/claims?status=rejected",
            &["The deal closed in the previous quarter"],
        )
        .await;
        assert!(rows.contains(&id));
        let csv = partner
            .get(app.url("/claims/export.csv?status=rejected"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(csv::Reader::from_reader(csv.as_bytes()).records().count(), 1, "{csv}");
        assert!(csv.contains(&id));

        // A second claim, without proof at first, then proof added, then withdrawn.
        let form = expect_page(&partner, &app, "/claims/new", &[]).await;
        let (_, second, _) = sent(partner.post(app.url("/claims")).multipart(claim_form(
            &hidden(&form, "idempotency_key"),
            "80",
            None,
        )))
        .await;
        assert!(second.starts_with("/claims/"), "{second}");
        let proof = Form::new().part(
            "proof",
            Part::bytes(b"sku,qty\nA-1,2\n".to_vec())
                .file_name("lines.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
        let (status, _, _) = sent(partner.post(app.url(&format!("{second}/attachments"))).multipart(proof)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        expect_page(&partner, &app, &second, &["lines.csv"]).await;
        let (status, _, _) = post_form(&partner, &app, &format!("{second}/withdraw"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        expect_page(&partner, &app, &second, &["Withdrawn"]).await;
        let (status, _, body) = post_form(&partner, &app, &format!("{second}/withdraw"), &[]).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            body.contains("only a claim awaiting its decision can be withdrawn"),
            "{body}"
        );
    }
}
