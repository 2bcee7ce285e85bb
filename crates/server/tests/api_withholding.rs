//! Withholding rates (`/api/v1/withholding-rates` and the portal page `/withholding-rates`):
//! finance sets a rate per ISO 3166 tax country, a decimal in [0, 1); bad input is a 422
//! naming the field; every change is audited with before and after; the close reads them
//! all through the store; only finance and administrators see them.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;

use common::TestApp;
use common::http::{delete, fields, get, message, put};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tributary_store::repo::withholding_rates;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn countries(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|r| r["country"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn finance_sets_replaces_and_removes_rates_and_the_close_reads_them() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let saved = put(
            &app,
            &finance,
            "/api/v1/withholding-rates/br",
            &json!({ "rate": "0.150" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(saved["country"], "BR", "{backend:?}: {saved}");
        assert_eq!(saved["rate"], "0.15", "{backend:?}: stored as the exact decimal");
        assert_eq!(saved["updated_by"], app.cast.finance.as_str());
        put(
            &app,
            &finance,
            "/api/v1/withholding-rates/JP",
            &json!({ "rate": "0.2042" }),
        )
        .await
        .expect(StatusCode::OK);
        // The same country replaces its rate.
        put(
            &app,
            &finance,
            "/api/v1/withholding-rates/BR",
            &json!({ "rate": "0.1" }),
        )
        .await
        .expect(StatusCode::OK);
        let list = get(&app, &finance, "/api/v1/withholding-rates")
            .await
            .expect(StatusCode::OK);
        assert_eq!(countries(&list), ["BR", "JP"], "{backend:?}: {list}");
        assert_eq!(list[0]["rate"], "0.1");

        let all = {
            let mut pooled = app.db.acquire().await.unwrap();
            withholding_rates::all(&mut pooled.conn()).await.unwrap()
        };
        assert_eq!(
            all,
            BTreeMap::from([("BR".to_string(), dec("0.1")), ("JP".to_string(), dec("0.2042"))]),
            "{backend:?}"
        );

        let admin = app.session("admin@vendor.example").await;
        let history = get(&app, &admin, "/api/v1/audit/withholding_rate/BR")
            .await
            .expect(StatusCode::OK);
        let actions: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["withholding_rate.saved", "withholding_rate.saved"],
            "{backend:?}: {history}"
        );
        let latest = &history[0];
        assert!(
            latest["before_json"].as_str().unwrap().contains("0.15")
                && latest["after_json"].as_str().unwrap().contains("0.1"),
            "{backend:?}: {latest}"
        );

        delete(&app, &finance, "/api/v1/withholding-rates/br")
            .await
            .expect(StatusCode::NO_CONTENT);
        delete(&app, &finance, "/api/v1/withholding-rates/BR")
            .await
            .problem(StatusCode::NOT_FOUND);
        let list = get(&app, &finance, "/api/v1/withholding-rates")
            .await
            .expect(StatusCode::OK);
        assert_eq!(countries(&list), ["JP"], "{backend:?}");
        let history = get(&app, &admin, "/api/v1/audit/withholding_rate/BR")
            .await
            .expect(StatusCode::OK);
        assert_eq!(history[0]["action"], "withholding_rate.deleted", "{backend:?}");
    }
}

#[tokio::test]
async fn bad_rates_and_countries_are_refused_naming_the_field() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        for bad in ["1", "1.5", "-0.01", "15%", "", "abc"] {
            let problem = put(&app, &finance, "/api/v1/withholding-rates/DE", &json!({ "rate": bad }))
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), ["rate"], "{backend:?}: rate {bad:?}: {problem}");
        }
        let problem = put(
            &app,
            &finance,
            "/api/v1/withholding-rates/XX",
            &json!({ "rate": "0.1" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["country"], "{backend:?}: {problem}");
        assert!(message(&problem, "country").contains("ISO 3166"), "{problem}");
        let list = get(&app, &finance, "/api/v1/withholding-rates")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list, json!([]), "{backend:?}: nothing was stored");
    }
}

#[tokio::test]
async fn only_finance_and_administrators_see_or_set_rates() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        for email in [
            "cam.a@vendor.example",
            "marketing@vendor.example",
            "admin@alpha.example",
        ] {
            let client = app.session(email).await;
            get(&app, &client, "/api/v1/withholding-rates")
                .await
                .problem(StatusCode::FORBIDDEN);
            put(&app, &client, "/api/v1/withholding-rates/DE", &json!({ "rate": "0.1" }))
                .await
                .problem(StatusCode::FORBIDDEN);
        }
        let admin = app.session("admin@vendor.example").await;
        put(&app, &admin, "/api/v1/withholding-rates/DE", &json!({ "rate": "0.1" }))
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn the_portal_page_lists_edits_exports_and_removes_rates() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let form = |country: &'static str, rate: &'static str| [("country", country), ("rate", rate)];
        let response = finance
            .post(app.url("/withholding-rates"))
            .form(&form("IN", "0.10"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");
        let response = finance
            .post(app.url("/withholding-rates"))
            .form(&form("ZA", "0.15"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");

        let response = finance
            .post(app.url("/withholding-rates"))
            .form(&form("MX", "10"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("outside [0, 1)"),
            "{backend:?}: the error is shown:\n{body}"
        );
        assert!(body.contains("aria-invalid=\"true\""), "{backend:?}");

        let page = finance
            .get(app.url("/withholding-rates?sort=-rate"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let body = page.text().await.unwrap();
        let table = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
        let (za, india) = (
            table.find("South Africa (ZA)").expect("ZA listed"),
            table.find("India (IN)").expect("IN listed"),
        );
        assert!(za < india, "{backend:?}: sorted by rate, highest first");
        assert!(body.contains("Set a country’s rate"), "{backend:?}: finance may edit");

        let editing = finance
            .get(app.url("/withholding-rates?edit=za"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            editing.contains("value=\"0.15\""),
            "{backend:?}: the form holds ZA's rate"
        );

        let csv = finance
            .get(app.url("/withholding-rates.csv?country=IN"))
            .send()
            .await
            .unwrap();
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let text = csv.text().await.unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "country,rate,updated_at,updated_by", "{backend:?}");
        assert_eq!(lines.len(), 2, "{backend:?}: only the filtered country: {text}");
        assert!(lines[1].starts_with("IN,0.1,"), "{backend:?}: {text}");

        let response = finance
            .post(app.url("/withholding-rates/IN/delete"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{backend:?}");
        let list = get(&app, &finance, "/api/v1/withholding-rates")
            .await
            .expect(StatusCode::OK);
        assert_eq!(countries(&list), ["ZA"], "{backend:?}");

        let cam = app.session("cam.a@vendor.example").await;
        let refused = cam.get(app.url("/withholding-rates")).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend:?}");
    }
}
