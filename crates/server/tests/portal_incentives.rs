//! The incentive pages of the portal over HTTP, on every configured backend: the plan form
//! round-trips (bands typed in a table, a gap between bands shown at its row with what was
//! typed kept, publish and the version history in words), a close started from the portal
//! runs to completion and its statement explains every line (band math, multiplier, FX,
//! withholding), statements are submitted and approved through the workflow, a partner
//! sees its own statement and earnings — never another partner's — and every list exports CSV.

mod common;
mod earnings_data;
mod tiers_data;

use reqwest::StatusCode;
use reqwest::header::LOCATION;

use common::TestApp;
use common::http::{post, put};
use serde_json::json;
use tributary_server::fixtures::FIXTURE_PASSWORD;

/// Undoes the HTML escaping of the few characters our assertions look for.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, unescape(&response.text().await.unwrap()))
}

/// Asserts a 200 page containing every one of `expected`, and returns it.
async fn expect_page(client: &reqwest::Client, app: &TestApp, path: &str, expected: &[&str]) -> String {
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

async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(String, String)],
) -> (StatusCode, String, String) {
    let response = client.post(app.url(path)).form(form).send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, unescape(&response.text().await.unwrap()))
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The worked example's graduated commission as the plan form submits it, with the second
/// band starting at `second_from` (100000 closes the gap) and a blank row of each table.
fn plan_form(name: &str, second_from: &str) -> Vec<(String, String)> {
    let mut form = pairs(&[
        ("name", name),
        ("kind", "commission"),
        ("currency", "USD"),
        ("period", "quarter"),
        ("effective_from", "2026-01-01"),
        ("effective_until", ""),
        ("payee", "reseller"),
        ("holding_days", "0"),
        ("partner_types", "reseller"),
        ("segment_id", ""),
        ("skus", ""),
        ("measure", "net_amount"),
        ("measure_name", ""),
        ("calculation", "graduated"),
        ("rate", ""),
        ("unit_amount", ""),
    ]);
    for (from, to, rate) in [
        ("0", "100000", "2"),
        (second_from, "250000", "3"),
        ("250000", "", "5"),
        ("", "", ""),
    ] {
        form.extend(pairs(&[("band_from", from), ("band_to", to), ("band_rate", rate)]));
    }
    form.extend(pairs(&[
        ("step_target", ""),
        ("step_amount", ""),
        ("tier_structure_id", ""),
        ("minimum_tier", ""),
        ("cap", "12000"),
    ]));
    form
}

/// The id at the end of a redirect such as `/incentives/plans/{id}` or `…/{id}/edit`.
fn plan_id(location: &str) -> String {
    location
        .trim_start_matches("/incentives/plans/")
        .trim_end_matches("/edit")
        .to_string()
}

#[tokio::test]
async fn the_plan_form_round_trips_shows_band_errors_and_publishes() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        expect_page(
            &finance,
            &app,
            "/incentives/plans/new",
            &["New incentive plan", "name=\"band_from\"", "Add band", "Tier structure"],
        )
        .await;

        // A gap between the first two bands: 422, the message at the first band's row, the
        // bands as typed.
        let (status, _, body) = post_form(&finance, &app, "/incentives/plans", &plan_form("Resale", "120000")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("id=\"f-band_1\""), "{body}");
        assert!(
            body.contains("the next band must start where this one ends (100000)"),
            "{body}"
        );
        assert!(body.contains("value=\"120000\""), "the typed band is kept: {body}");
        assert!(body.contains("href=\"#f-band_1\""), "the summary links the row: {body}");

        // Fixed: the draft is saved and shown in words.
        let (status, location, body) =
            post_form(&finance, &app, "/incentives/plans", &plan_form("Resale", "100000")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let id = plan_id(&location);
        expect_page(
            &finance,
            &app,
            &location,
            &[
                "Resale",
                "Draft",
                "Graduated: 0–100,000 at 2 %, 100,000–250,000 at 3 %, from 250,000 at 5 %",
                "12,000 USD per partner per period",
                "Reseller",
            ],
        )
        .await;

        // The edit form shows the bands back; saving it unchanged keeps the plan.
        let edit = expect_page(
            &finance,
            &app,
            &format!("/incentives/plans/{id}/edit"),
            &["Edit Resale"],
        )
        .await;
        for value in ["value=\"100000\"", "value=\"250000\"", "value=\"3\"", "value=\"12000\""] {
            assert!(edit.contains(value), "{value} missing from the edit form: {edit}");
        }
        let (status, location, _) = post_form(
            &finance,
            &app,
            &format!("/incentives/plans/{id}"),
            &plan_form("Resale", "100000"),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, format!("/incentives/plans/{id}").as_str())
        );

        // Publish: version 1 with its definition in the history; a channel manager reads it
        // but has no actions; a partner sees the published plan and never a draft.
        let (status, location, body) = post_form(&finance, &app, &format!("/incentives/plans/{id}/publish"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let published = expect_page(
            &finance,
            &app,
            &location,
            &["Published", "Version history", "Version 1", "Copy into a draft"],
        )
        .await;
        assert!(published.matches("from 250,000 at 5 %").count() >= 2, "{published}");
        let cam = app.session("cam.a@vendor.example").await;
        let read_only = expect_page(&cam, &app, &location, &["Version 1"]).await;
        assert!(!read_only.contains("Copy into a draft"), "{read_only}");
        let (status, _) = page(&cam, &app, "/incentives/plans/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Copy into a draft, raise the top rate, publish: version 2.
        let (status, location, _) = post_form(&finance, &app, &format!("/incentives/plans/{id}/draft"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let draft = plan_id(&location);
        let mut raised = plan_form("Resale", "100000");
        for (key, value) in raised.iter_mut() {
            if key == "band_rate" && value == "5" {
                *value = "6".into();
            }
        }
        let (status, _, body) = post_form(&finance, &app, &format!("/incentives/plans/{draft}"), &raised).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let partner = app.session("user@alpha.example").await;
        let (status, _) = page(&partner, &app, &format!("/incentives/plans/{draft}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a partner never sees a draft");
        let (status, location, _) = post_form(&finance, &app, &format!("/incentives/plans/{draft}/publish"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(plan_id(&location), id, "publishing a draft updates the published plan");
        expect_page(
            &finance,
            &app,
            &location,
            &["Version 2", "from 250,000 at 6 %", "from 250,000 at 5 %"],
        )
        .await;

        // The list filters by kind and status and exports what it shows.
        expect_page(
            &finance,
            &app,
            "/incentives/plans?kind=commission&status=published",
            &["Resale"],
        )
        .await;
        let (_, none) = page(&finance, &app, "/incentives/plans?kind=rebate").await;
        assert!(none.contains("Nothing matches."), "{none}");
        let csv = finance
            .get(app.url("/incentives/plans/export.csv?status=published"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.unwrap();
        assert!(text.starts_with("id,name,kind,status,version"), "{text}");
        assert!(
            text.contains(&format!("{id},Resale,commission,published,2,quarter,USD")),
            "{text}"
        );
    }
}

/// The id of the statement whose link reads `partner` on a statements list page.
fn statement_of(list: &str, partner: &str) -> String {
    let end = list
        .find(&format!("\">{partner}</a>"))
        .unwrap_or_else(|| panic!("no statement of {partner} in {list}"));
    let start = list[..end].rfind("/incentives/statements/").unwrap() + "/incentives/statements/".len();
    list[start..end].to_string()
}

#[tokio::test]
async fn a_close_from_the_portal_explains_each_statement_line_to_its_partner_only() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        earnings_data::seed(&app).await;
        let finance = app.session("finance@vendor.example").await;
        expect_page(&finance, &app, "/incentives/close", &["Close a period", "2026-Q3"]).await;

        // A period that is not one, or has not ended, is refused at the field.
        for (typed, message) in [("2026-Q9", "is not a period"), ("2099-Q1", "close it after that day")] {
            let (status, _, body) = post_form(&finance, &app, "/incentives/close", &pairs(&[("period", typed)])).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(
                body.contains(message) && body.contains(&format!("value=\"{typed}\"")),
                "{body}"
            );
        }

        // The close runs in the background; its page polls until it is done.
        let (status, location, _) = post_form(
            &finance,
            &app,
            "/incentives/close",
            &pairs(&[("period", earnings_data::PERIOD)]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let run_id = location.trim_start_matches("/incentives/close/").to_string();
        let run = earnings_data::wait_for_run(&app, &finance, &run_id).await;
        assert_eq!(run["status"], "succeeded", "{run}");
        let done = expect_page(
            &finance,
            &app,
            &location,
            &[
                "Close of 2026-Q1",
                "Done",
                "2 created",
                "Review the statements of 2026-Q1",
            ],
        )
        .await;
        assert!(!done.contains("every 1s"), "a finished close stops polling: {done}");
        expect_page(
            &finance,
            &app,
            "/incentives/close?period=2026-q1",
            &["2026-Q1", "Succeeded"],
        )
        .await;

        // The review list and its CSV.
        let list = expect_page(
            &finance,
            &app,
            "/incentives/statements?period=2026-Q1",
            &["Alpha Resellers", "Beta Managed Services", "7,452.00 EUR", "Calculated"],
        )
        .await;
        let alpha = statement_of(&list, "Alpha Resellers");
        let beta = statement_of(&list, "Beta Managed Services");
        let csv = finance
            .get(app.url("/incentives/statements.csv?period=2026-Q1&sort=partner"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.starts_with("statement_id,partner_id,partner_name,period_key"),
            "{csv}"
        );
        assert!(
            csv.contains(&format!(
                "{alpha},{},Alpha Resellers,2026-Q1,2026-01-01,2026-03-31,EUR,calculated,8280.00,828.00,7452.00,",
                app.cast.partner_a
            )),
            "{csv}"
        );

        // The statement explains the line band by band, with FX and withholding.
        let explanation = [
            "Resale commission",
            "300,000.00 USD",
            "from 3 transactions",
            "100,000.00 × 2 % = 2,000.00",
            "150,000.00 × 3 % = 4,500.00",
            "50,000.00 × 5 % = 2,500.00",
            "9,000.00 USD",
            "1 USD = 0.92 EUR (rate on or before 2026-03-31)",
            "9,000.00 × 0.92 = 8,280.00 → 8,280.00 EUR (half-even)",
            "10 % of 8,280.00 EUR = 828.00 EUR",
            "7,452.00 EUR",
            "Transactions behind this line",
        ];
        expect_page(&finance, &app, &format!("/incentives/statements/{alpha}"), &explanation).await;

        // Alpha's user sees its earnings and its statement; Beta's is not found for it.
        let partner = app.session("user@alpha.example").await;
        let earnings = expect_page(
            &partner,
            &app,
            "/earnings",
            &["Latest statement", "2026-Q1", "7,452.00 EUR"],
        )
        .await;
        assert!(!earnings.contains("Beta Managed Services"), "{earnings}");
        expect_page(&partner, &app, &format!("/incentives/statements/{alpha}"), &explanation).await;
        let (status, _) = page(&partner, &app, &format!("/incentives/statements/{beta}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let home = expect_page(&partner, &app, "/", &["Earnings", "7,452.00 EUR"]).await;
        assert!(home.contains(&format!("/incentives/statements/{alpha}")), "{home}");
        let csv = partner
            .get(app.url("/earnings.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.contains("Alpha Resellers") && !csv.contains("Beta"), "{csv}");
        let (status, _) = page(&partner, &app, "/incentives/statements").await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "partners review nothing: the list sends them to their earnings"
        );

        // The transactions behind Alpha's line: the fragment htmx loads, and a page without script.
        let statement = expect_page(&finance, &app, &format!("/incentives/statements/{alpha}"), &[]).await;
        let start = statement.find("/lines/").expect("a drill-down link");
        let length = statement[start..].find("/transactions").unwrap() + "/transactions".len();
        let href = format!("/incentives/statements/{alpha}{}", &statement[start..start + length]);
        let fragment = partner
            .get(app.url(&href))
            .header("hx-request", "true")
            .send()
            .await
            .unwrap();
        assert_eq!(fragment.status(), StatusCode::OK);
        let fragment = unescape(&fragment.text().await.unwrap());
        assert!(!fragment.contains("<html"), "htmx gets a fragment: {fragment}");
        assert!(
            fragment.contains("3 facts behind this line, adding up to a measure of 300,000.00"),
            "{fragment}"
        );
        for (date, amount) in [
            ("2026-01-15", "120,000.00 USD"),
            ("2026-02-10", "130,000.00 USD"),
            ("2026-03-20", "50,000.00 USD"),
        ] {
            assert!(
                fragment.contains(date) && fragment.contains(amount),
                "{date} {amount}: {fragment}"
            );
        }
        expect_page(
            &partner,
            &app,
            &format!("{href}?limit=2"),
            &["Transactions behind a statement line", "Next page"],
        )
        .await;
        let (status, _) = page(&app.session("user@beta.example").await, &app, &href).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another partner cannot drill into Alpha's line"
        );

        // Spend by plan and by region, with its CSV.
        expect_page(
            &finance,
            &app,
            "/incentives/spend?period=2026-Q1",
            &[
                "Resale commission",
                "9,200.00 EUR",
                "spend-plan-chart-eur",
                "spend-region-chart-eur",
            ],
        )
        .await;
        let csv = finance
            .get(app.url("/incentives/spend.csv?period=2026-Q1&group=plan"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.starts_with("period,group,key,label,currency,partners,lines,gross,withholding,net"),
            "{csv}"
        );
        assert!(
            csv.contains(",Resale commission,EUR,2,2,9200.00,920.00,8280.00"),
            "{csv}"
        );
    }
}

#[tokio::test]
async fn a_failed_close_names_the_missing_rate() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        earnings_data::seed(&app).await;
        let admin = app.session("admin@vendor.example").await;
        let account = common::http::new_account(&app, &admin).await;
        common::http::send(
            &app,
            admin
                .post(app.url("/api/v1/sales-facts"))
                .json(&serde_json::json!({ "lines": [{
                    "fact_date": "2026-05-04", "partner_id": app.cast.partner_a, "account_id": account,
                    "product_sku": "FW-100", "quantity": "1", "amount": "900.00", "currency": "GBP"
                }]})),
        )
        .await
        .expect(StatusCode::CREATED);
        let finance = app.session("finance@vendor.example").await;
        let (status, location, _) =
            post_form(&finance, &app, "/incentives/close", &pairs(&[("period", "2026-Q2")])).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let run = earnings_data::wait_for_run(&app, &finance, location.trim_start_matches("/incentives/close/")).await;
        assert_eq!(run["status"], "failed", "{run}");
        expect_page(
            &finance,
            &app,
            &format!("{location}/status"),
            &["The close failed", "GBP→USD", "2026-05-04", "Nothing was written"],
        )
        .await;
    }
}

/// Sets the statement approval threshold to 1,000 and adds a second finance approver.
async fn two_approvers_from_1000(app: &TestApp) -> reqwest::Client {
    let admin = app.session("admin@vendor.example").await;
    let step = |name: &str| json!({ "name": name, "roles": ["finance", "admin"], "sla_hours": 72 });
    let rules = json!({ "rules": [
        { "subject": "statement", "min_amount": null, "max_amount": "1000", "steps": [step("Finance")] },
        { "subject": "statement", "min_amount": "1000", "max_amount": null, "steps": [step("Finance"), step("Second finance approver")] },
    ]});
    put(app, &admin, "/api/v1/approval-rules", &rules)
        .await
        .expect(StatusCode::OK);
    post(
        app,
        &admin,
        "/api/v1/users",
        &json!({ "email": "finance2@vendor.example", "display_name": "Second Finance", "role": "finance", "password": FIXTURE_PASSWORD }),
    )
    .await
    .expect(StatusCode::CREATED);
    admin
}

#[tokio::test]
async fn statements_are_submitted_and_approved_by_two_different_finance_approvers() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        earnings_data::seed(&app).await;
        let admin = two_approvers_from_1000(&app).await;
        let run = earnings_data::close(&app, &admin, earnings_data::PERIOD).await;
        assert_eq!(run["status"], "succeeded", "{run}");
        let list = expect_page(
            &admin,
            &app,
            "/incentives/statements?period=2026-Q1",
            &["Submit checked for approval"],
        )
        .await;
        let (alpha, beta) = (
            statement_of(&list, "Alpha Resellers"),
            statement_of(&list, "Beta Managed Services"),
        );

        // Bulk submission of both by the administrator.
        let form = vec![
            ("ids".to_string(), alpha.clone()),
            ("ids".to_string(), beta.clone()),
            ("back".to_string(), "/incentives/statements?period=2026-Q1".to_string()),
        ];
        let (status, _, body) = post_form(&admin, &app, "/incentives/statements/submit", &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Submitted 2 statements for approval"), "{body}");
        assert!(body.contains("Awaiting approval"), "{body}");
        let (status, _, body) = post_form(&admin, &app, &format!("/incentives/statements/{alpha}/submit"), &[]).await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "a statement awaiting approval is not submitted twice: {body}"
        );

        // Alpha's 7,452.00 EUR needs two finance approvers; the first cannot decide both steps.
        let finance = app.session("finance@vendor.example").await;
        let path = format!("/incentives/statements/{alpha}");
        expect_page(
            &finance,
            &app,
            &path,
            &[
                "Approval",
                "Finance",
                "Second finance approver",
                "waiting",
                "name=\"decision\"",
            ],
        )
        .await;
        let approve = pairs(&[("decision", "approve"), ("comment", "")]);
        let (status, _, body) = post_form(&finance, &app, &format!("{path}/decide"), &approve).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("the next step decides now"), "{body}");
        assert!(body.contains("Approved by finance"), "{body}");
        assert!(
            !body.contains("name=\"decision\""),
            "the first approver is not offered the second step: {body}"
        );
        let (status, _, body) = post_form(&finance, &app, &format!("{path}/decide"), &approve).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let second = app.session("finance2@vendor.example").await;
        let (status, _, body) = post_form(&second, &app, &format!("{path}/decide"), &approve).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Approved: the statement is final"), "{body}");
        assert!(
            body.contains("Approved by finance") && body.contains("Approved by Second Finance"),
            "{body}"
        );
        assert!(body.contains("status-approved"), "{body}");
        assert!(
            !body.contains("Submit for approval"),
            "an approved statement is not submitted again"
        );

        // Beta's 920.00 EUR needs one; a rejection needs a reason.
        let beta_path = format!("/incentives/statements/{beta}");
        let reject = |comment: &str| pairs(&[("decision", "reject"), ("comment", comment)]);
        let (status, _, body) = post_form(&finance, &app, &format!("{beta_path}/decide"), &reject(" ")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("say why the statement is rejected"), "{body}");
        let (status, _, body) = post_form(
            &finance,
            &app,
            &format!("{beta_path}/decide"),
            &reject("Returns pending"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            body.contains("Rejected by finance") && body.contains("Returns pending"),
            "{body}"
        );

        // The partner sees its approved statement, without the vendor's approval controls.
        let partner = app.session("user@alpha.example").await;
        let own = expect_page(&partner, &app, &path, &["Approved", "7,452.00 EUR"]).await;
        assert!(
            !own.contains("name=\"decision\"") && !own.contains("Submit for approval"),
            "{own}"
        );
        let (status, _, _) = post_form(&partner, &app, &format!("{path}/decide"), &approve).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A sale of the approved quarter that arrives late: closing the quarter again leaves
        // the approved statement as it was and posts the difference into Alpha's next open
        // period, saying which period it corrects.
        let account = common::http::new_account(&app, &admin).await;
        common::http::send(
            &app,
            admin.post(app.url("/api/v1/sales-facts")).json(&json!({ "lines": [{
                "fact_date": "2026-03-25", "partner_id": app.cast.partner_a, "account_id": account,
                "product_sku": "FW-100", "quantity": "10", "amount": "10000.00", "currency": "USD"
            }]})),
        )
        .await
        .expect(StatusCode::CREATED);
        let run = earnings_data::close(&app, &admin, earnings_data::PERIOD).await;
        assert_eq!(run["status"], "succeeded", "{run}");
        expect_page(&partner, &app, &path, &["Approved", "7,452.00 EUR", "300,000.00 USD"]).await;
        let earnings = expect_page(&partner, &app, "/earnings", &["2026-Q2"]).await;
        let start = earnings.find("/incentives/statements/").unwrap();
        let next = &earnings[start..start + earnings[start..].find('"').unwrap()];
        assert_ne!(next, path, "the latest statement is the correcting one");
        expect_page(
            &partner,
            &app,
            next,
            &[
                "Adjustment",
                "Corrects the approved statement of",
                "310,000.00 USD",
                "it had approved 8,280.00 EUR gross (7,452.00 EUR net), so this line is 460.00 EUR gross, 46.00 EUR withholding, 414.00 EUR net",
                &path,
            ],
        )
        .await;

        // The downloads are the API's CSV and JSON of the statement.
        assert!(
            own.contains(&format!("/api/v1/statements/{alpha}/download?format=json")),
            "{own}"
        );
        let csv = partner
            .get(app.url(&format!("/api/v1/statements/{alpha}/download?format=csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_plan_form_takes_a_minimum_level_and_multipliers_per_level() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let draft = post(
            &app,
            &admin,
            "/api/v1/tier-structures",
            &tiers_data::structure_body("Partner program", "100000", "500000"),
        )
        .await
        .expect(StatusCode::CREATED);
        let structure = draft["id"].as_str().unwrap().to_string();
        post(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{structure}/publish"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);

        // Choosing the structure reloads its levels into the form (htmx).
        let fragment = admin
            .get(app.url(&format!("/incentives/plans/tier-levels?tier_structure_id={structure}")))
            .header("hx-request", "true")
            .send()
            .await
            .unwrap();
        assert_eq!(fragment.status(), StatusCode::OK);
        let fragment = unescape(&fragment.text().await.unwrap());
        for text in [
            "Minimum level to be eligible",
            "Multiplier at Registered",
            "Multiplier at Silver",
            "Multiplier at Gold",
        ] {
            assert!(fragment.contains(text), "{text}: {fragment}");
        }

        let mut form = plan_form("Tiered", "100000");
        form.retain(|(key, _)| key != "tier_structure_id" && key != "minimum_tier");
        form.extend(pairs(&[
            ("tier_structure_id", &structure),
            ("minimum_tier", "1"),
            ("multiplier", ""),
            ("multiplier", "1.1"),
            ("multiplier", "1.2"),
        ]));
        let (status, location, body) = post_form(&admin, &app, "/incentives/plans", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        expect_page(
            &admin,
            &app,
            &location,
            &[
                "Reseller, at Silver or above",
                "Partner program: Registered × 1, Silver × 1.1, Gold × 1.2 (other levels × 1)",
            ],
        )
        .await;
        let edit = expect_page(&admin, &app, &format!("{location}/edit"), &["Multiplier at Gold"]).await;
        assert!(
            edit.contains("value=\"1.2\"") && edit.contains("<option value=\"1\" selected>Silver</option>"),
            "{edit}"
        );

        // A multiplier that is not a number is shown at the multipliers, naming the level.
        form.iter_mut()
            .filter(|(key, value)| key == "multiplier" && value == "1.2")
            .for_each(|(_, value)| *value = "x1.2".into());
        let (status, _, body) = post_form(&admin, &app, "/incentives/plans", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains("id=\"f-multipliers\"") && body.contains("level 3: 'x1.2' is not a decimal number"),
            "{body}"
        );
    }
}
