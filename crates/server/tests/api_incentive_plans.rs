//! Incentive plans over the API, on every backend: drafts created, edited and discarded,
//! published as version 1, copied into a draft and republished as version 2 (the published
//! definition never edited in place), bad plans refused with the field named (bands with a
//! gap, a negative cap, a minimum tier without a tier structure, an unknown tier structure,
//! unknown regions, a currency without rates), and partners reading published plans only.

mod common;

use common::TestApp;
use common::http::{delete, fields, get, message, post, put};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn plan(name: &str) -> Value {
    json!({
        "name": name, "kind": "commission", "currency": "USD", "period": "quarter",
        "effective_from": "2026-01-01", "effective_until": null,
        "eligibility": { "partner_types": ["reseller"] },
        "filter": { "product_families": ["Firewalls"] },
        "measure": { "kind": "net_amount" },
        "calculation": { "type": "graduated", "bands": [
            { "from": "0", "to": "100000", "rate": "0.02" },
            { "from": "100000", "to": "250000", "rate": "0.03" },
            { "from": "250000", "to": null, "rate": "0.05" }
        ] },
        "cap": "12000", "holding_days": 30, "payee": "reseller"
    })
}

#[tokio::test]
async fn drafts_are_published_as_versions_and_never_edited_in_place() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let draft = post(&app, &finance, "/api/v1/incentive-plans", &plan("Resale commission"))
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            (draft["status"].as_str(), draft["version"].as_i64()),
            (Some("draft"), Some(0))
        );
        let id = draft["id"].as_str().unwrap().to_string();

        let mut edited = plan("Resale commission");
        edited["cap"] = json!("15000");
        let saved = put(&app, &finance, &format!("/api/v1/incentive-plans/{id}"), &edited)
            .await
            .expect(StatusCode::OK);
        assert_eq!(saved["definition"]["cap"], "15000");

        let published = post(
            &app,
            &finance,
            &format!("/api/v1/incentive-plans/{id}/publish"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (published["status"].as_str(), published["version"].as_i64()),
            (Some("published"), Some(1))
        );
        let refused = put(
            &app,
            &finance,
            &format!("/api/v1/incentive-plans/{id}"),
            &plan("Changed"),
        )
        .await
        .problem(StatusCode::CONFLICT);
        assert!(
            refused["detail"].as_str().unwrap().contains("through a draft"),
            "{refused}"
        );
        delete(&app, &finance, &format!("/api/v1/incentive-plans/{id}"))
            .await
            .problem(StatusCode::CONFLICT);

        let copy = post(
            &app,
            &finance,
            &format!("/api/v1/incentive-plans/{id}/drafts"),
            &json!({}),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(copy["draft_of"], json!(id));
        assert_eq!(copy["definition"]["name"], "Resale commission (draft)");
        let copy_id = copy["id"].as_str().unwrap().to_string();
        let mut second = copy["definition"].clone();
        second["cap"] = json!("20000");
        put(&app, &finance, &format!("/api/v1/incentive-plans/{copy_id}"), &second)
            .await
            .expect(StatusCode::OK);
        let v2 = post(
            &app,
            &finance,
            &format!("/api/v1/incentive-plans/{copy_id}/publish"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (v2["id"].as_str(), v2["version"].as_i64()),
            (Some(id.as_str()), Some(2))
        );
        assert_eq!(v2["definition"]["name"], "Resale commission");
        get(&app, &finance, &format!("/api/v1/incentive-plans/{copy_id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        let versions = get(&app, &finance, &format!("/api/v1/incentive-plans/{id}/versions"))
            .await
            .expect(StatusCode::OK);
        let caps: Vec<(i64, &str)> = versions
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["version"].as_i64().unwrap(), v["definition"]["cap"].as_str().unwrap()))
            .collect();
        assert_eq!(caps, [(2, "20000"), (1, "15000")]);

        let throwaway = post(&app, &finance, "/api/v1/incentive-plans", &plan("Throwaway"))
            .await
            .expect(StatusCode::CREATED);
        let path = format!("/api/v1/incentive-plans/{}", throwaway["id"].as_str().unwrap());
        delete(&app, &finance, &path).await.expect(StatusCode::NO_CONTENT);
        get(&app, &finance, &path).await.problem(StatusCode::NOT_FOUND);

        let listed = get(
            &app,
            &finance,
            "/api/v1/incentive-plans?status=published&kind=commission",
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        get(&app, &finance, "/api/v1/incentive-plans?kind=salary")
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let audit = get(&app, &finance, &format!("/api/v1/audit/incentive_plan/{id}"))
            .await
            .expect(StatusCode::OK);
        let actions: Vec<&str> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["action"].as_str())
            .collect();
        assert!(actions.contains(&"incentive_plan.published"), "{actions:?}");
    }
}

#[tokio::test]
async fn bad_plans_are_refused_with_the_field_named() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let refused = |body: Value| {
            let (app, admin) = (&app, &admin);
            async move {
                post(app, admin, "/api/v1/incentive-plans", &body)
                    .await
                    .problem(StatusCode::UNPROCESSABLE_ENTITY)
            }
        };
        let mut gap = plan("Gap");
        gap["calculation"]["bands"][1]["from"] = json!("120000");
        let problem = refused(gap).await;
        assert_eq!(fields(&problem), ["calculation.bands[0]"]);
        assert!(
            message(&problem, "calculation.bands[0]").contains("100000"),
            "{problem}"
        );

        let mut negative_cap = plan("Negative cap");
        negative_cap["cap"] = json!("-1");
        assert_eq!(fields(&refused(negative_cap).await), ["cap"]);

        let mut minimum_tier = plan("Gold only");
        minimum_tier["eligibility"]["minimum_tier"] = json!(2);
        assert_eq!(fields(&refused(minimum_tier).await), ["eligibility.minimum_tier"]);

        let mut unknown_structure = plan("Tiered");
        unknown_structure["tier"] = json!({ "structure_id": "no-such-structure", "multipliers": ["1", "1.2"] });
        let problem = refused(unknown_structure).await;
        assert_eq!(fields(&problem), ["tier.structure_id"]);
        assert!(
            message(&problem, "tier.structure_id").contains("does not exist"),
            "{problem}"
        );

        let mut regions = plan("Regional");
        regions["eligibility"]["regions"] = json!(["atlantis"]);
        regions["filter"]["customer_regions"] = json!(["atlantis"]);
        assert_eq!(
            fields(&refused(regions).await),
            ["eligibility.regions", "filter.customer_regions"]
        );

        let mut euro = plan("Euro plan");
        euro["currency"] = json!("EUR");
        let problem = refused(euro.clone()).await;
        assert_eq!(fields(&problem), ["currency"]);
        post(
            &app,
            &admin,
            "/api/v1/fx-rates",
            &json!({ "from_currency": "EUR", "to_currency": "USD", "rate_date": "2026-01-02", "rate": "1.08" }),
        )
        .await
        .expect(StatusCode::OK);
        post(&app, &admin, "/api/v1/incentive-plans", &euro)
            .await
            .expect(StatusCode::CREATED);

        let mut no_name = plan(" ");
        no_name["calculation"] = json!({ "type": "threshold_bonus", "steps": [] });
        assert_eq!(fields(&refused(no_name).await), ["name", "calculation.steps"]);
        let unparseable = post(&app, &admin, "/api/v1/incentive-plans", &json!({ "name": "x" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!unparseable["detail"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn partners_read_published_plans_only_and_never_write() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let partner = app.session("user@alpha.example").await;
        let published = post(&app, &finance, "/api/v1/incentive-plans", &plan("Published plan"))
            .await
            .expect(StatusCode::CREATED);
        let published_id = published["id"].as_str().unwrap().to_string();
        post(
            &app,
            &finance,
            &format!("/api/v1/incentive-plans/{published_id}/publish"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        let draft = post(&app, &finance, "/api/v1/incentive-plans", &plan("Secret draft"))
            .await
            .expect(StatusCode::CREATED);
        let draft_id = draft["id"].as_str().unwrap().to_string();

        let listed = get(&app, &partner, "/api/v1/incentive-plans")
            .await
            .expect(StatusCode::OK);
        let names: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["definition"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Published plan"]);
        let drafts = get(&app, &partner, "/api/v1/incentive-plans?status=draft")
            .await
            .expect(StatusCode::OK);
        assert_eq!(drafts, json!([]));
        get(&app, &partner, &format!("/api/v1/incentive-plans/{published_id}"))
            .await
            .expect(StatusCode::OK);
        get(&app, &partner, &format!("/api/v1/incentive-plans/{draft_id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        get(&app, &partner, &format!("/api/v1/incentive-plans/{draft_id}/versions"))
            .await
            .problem(StatusCode::NOT_FOUND);
        post(&app, &partner, "/api/v1/incentive-plans", &plan("Mine"))
            .await
            .problem(StatusCode::FORBIDDEN);
        post(
            &app,
            &partner,
            &format!("/api/v1/incentive-plans/{draft_id}/publish"),
            &json!({}),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        let legal = app.session("legal@vendor.example").await;
        get(&app, &legal, "/api/v1/incentive-plans")
            .await
            .problem(StatusCode::FORBIDDEN);
    }
}
