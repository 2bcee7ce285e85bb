//! Tiering over the API, on every backend: the worked "tier grace" example driven by real
//! sales facts and monthly evaluations, overrides that expire and become the previous
//! level, region overrides, idempotent re-runs and immutable snapshots, tier events, the
//! what-if simulation, the reports, structure validation, and partner isolation.

mod common;

use common::TestApp;
use common::http::{delete, get, message, post, put};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const EVALUATIONS: [&str; 5] = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"];

fn structure() -> Value {
    let level = |name: &str, target: Option<&str>| match target {
        Some(t) => {
            json!({ "name": name, "requirements": [{ "metric": "revenue_1m", "comparison": ">=", "target": t }] })
        }
        None => json!({ "name": name, "requirements": [] }),
    };
    let benefits = |discount: &str, mdf: &str| json!({ "discount_percent": discount, "rebate_multiplier": "1", "mdf_allocation": mdf, "lead_priority": 0, "content_tags": [] });
    json!({
        "name": "Partner program", "currency": "USD", "cadence": "monthly",
        "metrics": [{ "key": "revenue_1m", "kind": "net_revenue", "window": { "trailing_months": 1 } }],
        "levels": [level("Registered", None), level("Silver", Some("50")), level("Gold", Some("500")), level("Platinum", Some("900"))],
        "benefits": [benefits("0", "0"), benefits("5", "100"), benefits("10", "500"), benefits("15", "1000")],
        "region_overrides": [{ "region": "dach", "level": 2, "metric": "revenue_1m", "target": "400" }],
        "rules": { "grace": 1, "max_demotion_step": 1 },
        "valid_from": "2026-01-01", "valid_until": null
    })
}

struct Program {
    id: String,
}

async fn sell(app: &TestApp, admin: &Client, account: &str, partner: &str, date: &str, amount: &str) {
    let line = json!({ "fact_date": date, "partner_id": partner, "account_id": account,
        "product_sku": "TIER-1", "quantity": "1", "amount": amount, "currency": "USD" });
    post(app, admin, "/api/v1/sales-facts", &json!({ "lines": [line] }))
        .await
        .expect(StatusCode::CREATED);
}

/// Region dach (DE), sales for Alpha and Rho, the structure published with an override for Beta.
async fn program(app: &TestApp, admin: &Client) -> Program {
    put(
        app,
        admin,
        "/api/v1/regions/dach",
        &json!({ "name": "DACH", "countries": ["DE", "AT", "CH"] }),
    )
    .await
    .expect(StatusCode::OK);
    post(
        app,
        admin,
        "/api/v1/products",
        &json!({ "sku": "TIER-1", "name": "Tier", "family": "Things", "list_price": "1.00", "currency": "USD" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let account = common::http::new_account(app, admin).await;
    let cast = &app.cast;
    for (date, amount) in [
        ("2026-01-15", "1000.00"),
        ("2026-02-15", "100.00"),
        ("2026-03-15", "100.00"),
        ("2026-04-15", "100.00"),
        ("2026-05-15", "1000.00"),
    ] {
        sell(app, admin, &account, &cast.partner_a, date, amount).await;
    }
    sell(app, admin, &account, &cast.reseller, "2026-01-20", "450.00").await;
    let draft = post(app, admin, "/api/v1/tier-structures", &structure())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(draft["status"], "draft");
    let id = draft["id"].as_str().unwrap().to_string();
    let published = post(app, admin, &format!("/api/v1/tier-structures/{id}/publish"), &json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (published["status"].as_str(), published["version"].as_i64()),
        (Some("published"), Some(1))
    );
    let grant = json!({ "structure_id": id, "partner_id": cast.partner_b, "level": 3, "reason": "strategic launch partner",
        "starts_on": "2026-02-01", "expires_on": "2026-04-30" });
    post(app, admin, "/api/v1/tier-overrides", &grant)
        .await
        .expect(StatusCode::CREATED);
    Program { id }
}

async fn evaluate(app: &TestApp, client: &Client, program: &Program, date: &str) -> (StatusCode, Value) {
    let reply = post(
        app,
        client,
        &format!("/api/v1/tier-structures/{}/evaluations", program.id),
        &json!({ "eval_date": date }),
    )
    .await;
    (reply.status, reply.body)
}

async fn snapshots(app: &TestApp, client: &Client, query: &str) -> Vec<Value> {
    let page = get(
        app,
        client,
        &format!("/api/v1/tier-snapshots?limit=1000&sort=eval_date&{query}"),
    )
    .await
    .expect(StatusCode::OK);
    page["items"].as_array().unwrap().clone()
}

fn levels_of(snapshots: &[Value], field: &str) -> Vec<Value> {
    snapshots.iter().map(|s| s[field].clone()).collect()
}

#[tokio::test]
async fn evaluations_follow_the_product_rules_end_to_end() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let program = program(&app, &admin).await;
        for date in EVALUATIONS {
            let (status, body) = evaluate(&app, &admin, &program, date).await;
            assert_eq!(status, StatusCode::CREATED, "{backend:?} {date}: {body}");
            assert_eq!(body["evaluation"]["partner_count"], 4, "{body}");
        }
        let cast = &app.cast;

        // The worked example: assigned 3, then qualifying 1, 1, 1, 3 → 3, 2, 2, 3.
        let alpha = snapshots(&app, &admin, &format!("partner_id={}", cast.partner_a)).await;
        assert_eq!(levels_of(&alpha, "assigned_level"), [3, 3, 2, 2, 3].map(|l| json!(l)));
        assert_eq!(levels_of(&alpha, "qualifying_level"), [3, 1, 1, 1, 3].map(|l| json!(l)));
        assert_eq!(
            levels_of(&alpha, "change_kind"),
            ["initial", "at_risk", "demoted", "at_risk", "promoted"].map(|c| json!(c))
        );
        let gold = &alpha[1]["checks"][2]["requirements"][0];
        assert_eq!(
            (gold["value"].clone(), gold["target"].clone()),
            (json!("100.00"), json!("400"))
        );
        assert_eq!(
            (gold["gap"].clone(), gold["met"].clone()),
            (json!("300.00"), json!(false))
        );
        assert_eq!(alpha[0]["region"], "dach");

        // The region override (Gold at 400 in DACH) lifts Rho's 450 to Gold, then grace and max step apply.
        let rho = snapshots(&app, &admin, &format!("partner_id={}", cast.reseller)).await;
        assert_eq!(levels_of(&rho, "assigned_level"), [2, 2, 1, 1, 0].map(|l| json!(l)));

        // Beta's override decides while active (Feb, Mar), then its level is the previous one.
        let beta = snapshots(&app, &admin, &format!("partner_id={}", cast.partner_b)).await;
        assert_eq!(levels_of(&beta, "assigned_level"), [0, 3, 3, 3, 2].map(|l| json!(l)));
        assert_eq!(
            levels_of(&beta, "change_kind"),
            ["initial", "overridden", "overridden", "at_risk", "demoted"].map(|c| json!(c))
        );
        assert_eq!(beta[1]["override_reason"], "strategic launch partner");

        // Tier changes are recorded as events for communications.
        let events = get(&app, &admin, "/api/v1/tier-events").await.expect(StatusCode::OK);
        let alpha_events: Vec<&str> = events
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["partner_id"] == json!(cast.partner_a))
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            alpha_events,
            ["tier.promoted", "tier.at_risk", "tier.demoted", "tier.at_risk"]
        );

        // Re-running a date returns the same evaluation and writes nothing; earlier dates are refused.
        let evaluations = get(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/evaluations", program.id),
        )
        .await
        .expect(StatusCode::OK);
        let march = evaluations
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["eval_date"] == "2026-03-31")
            .unwrap()
            .clone();
        let (status, again) = evaluate(&app, &admin, &program, "2026-03-31").await;
        assert_eq!((status, again["created"].clone()), (StatusCode::OK, json!(false)));
        assert_eq!(again["evaluation"], march);
        let (status, refused) = evaluate(&app, &admin, &program, "2026-05-15").await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains("never rewritten"),
            "{refused}"
        );
        let (status, _) = evaluate(&app, &admin, &program, "2099-01-31").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Snapshots are immutable: new facts for a past month change nothing already recorded.
        let before = snapshots(&app, &admin, "").await;
        let account = common::http::new_account(&app, &admin).await;
        sell(&app, &admin, &account, &cast.partner_a, "2026-03-10", "5000.00").await;
        evaluate(&app, &admin, &program, "2026-03-31").await;
        assert_eq!(snapshots(&app, &admin, "").await, before);
        assert_eq!(before.len(), 20);
    }
}

#[tokio::test]
async fn progress_reports_and_what_if() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let program = program(&app, &admin).await;
        for date in EVALUATIONS {
            evaluate(&app, &admin, &program, date).await;
        }
        let cast = &app.cast;

        // Beta's card: Gold held, Platinum needs 900 (Beta has 0) by the end of June.
        let beta_user = app.session("user@beta.example").await;
        let status = get(
            &app,
            &beta_user,
            &format!("/api/v1/partners/{}/tier-status", cast.partner_b),
        )
        .await
        .expect(StatusCode::OK);
        let card = &status[0];
        assert_eq!(card["progress"]["level_name"], "Gold");
        assert_eq!(card["progress"]["benefits"]["mdf_allocation"], "500");
        assert_eq!(card["next_evaluation"], "2026-06-30");
        let next = &card["progress"]["next"];
        assert_eq!(
            (next["name"].clone(), next["requirements"][0]["gap"].clone()),
            (json!("Platinum"), json!("900"))
        );
        assert_eq!(card["summary"], "$900 more revenue to reach Platinum by 30 June 2026");

        // Partners never see each other's standing or snapshots.
        get(
            &app,
            &beta_user,
            &format!("/api/v1/partners/{}/tier-status", cast.partner_a),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
        let theirs = snapshots(&app, &beta_user, &format!("partner_id={}", cast.partner_a)).await;
        assert!(theirs.is_empty());
        assert_eq!(snapshots(&app, &beta_user, "").await.len(), 5);

        // Reports: distribution by level and region; Beta at risk (Gold target missed).
        let distribution = get(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/distribution", program.id),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(distribution["totals"], json!([2, 0, 1, 1]));
        assert_eq!(distribution["by_region"][0]["region"], "dach");
        let at_risk = get(&app, &admin, &format!("/api/v1/tier-structures/{}/at-risk", program.id))
            .await
            .expect(StatusCode::OK);
        let risky: Vec<(&str, &str)> = at_risk
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["partner_name"].as_str().unwrap(), r["status"].as_str().unwrap()))
            .collect();
        assert_eq!(risky, [("Beta Managed Services", "missing")]);
        let csv = common::http::send(
            &app,
            admin.get(app.url(&format!(
                "/api/v1/tier-snapshots/export?eval_date=2026-05-31&structure_id={}",
                program.id
            ))),
        )
        .await
        .csv();
        assert_eq!(csv.lines().count(), 5, "{csv}");
        assert!(
            csv.contains("Beta Managed Services") && csv.contains("revenue_1m=0"),
            "{csv}"
        );

        // What-if: Silver at 0 moves Beta down (its override-held Gold is not earned) and Delta and Rho up.
        let draft = post(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/drafts", program.id),
            &json!({}),
        )
        .await
        .expect(StatusCode::CREATED);
        let draft_id = draft["id"].as_str().unwrap().to_string();
        let mut edited = structure();
        edited["levels"][1]["requirements"][0]["target"] = json!("0");
        put(&app, &admin, &format!("/api/v1/tier-structures/{draft_id}"), &edited)
            .await
            .expect(StatusCode::OK);
        // Nothing reaches partners before publishing.
        let unchanged = get(
            &app,
            &beta_user,
            &format!("/api/v1/partners/{}/tier-status", cast.partner_b),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(unchanged, status);
        let simulation = post(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{draft_id}/simulate"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(simulation["metrics_source"], "snapshots");
        assert_eq!(simulation["now_counts"], json!([2, 0, 1, 1]));
        assert_eq!(simulation["draft_counts"], json!([0, 3, 0, 1]));
        assert_eq!(simulation["matrix"][2][1], 1);
        let mut movers: Vec<(String, String)> = simulation["movers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["partner_name"].as_str().unwrap().to_string(),
                    m["direction"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        movers.sort();
        assert_eq!(
            movers,
            [
                ("Beta Managed Services", "down"),
                ("Delta Distribution", "up"),
                ("Rho Resale", "up")
            ]
            .map(|(n, d)| (n.to_string(), d.to_string()))
        );
        assert_eq!(
            (
                simulation["cost_now"]["mdf"].clone(),
                simulation["cost_draft"]["mdf"].clone()
            ),
            (json!("1500"), json!("1300"))
        );
        // A channel manager sees the program-wide counts but only its own partners among the movers.
        let cam_b = app.session("cam.b@vendor.example").await;
        let scoped = post(
            &app,
            &cam_b,
            &format!("/api/v1/tier-structures/{draft_id}/simulate"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(scoped["draft_counts"], simulation["draft_counts"]);
        let names: Vec<&str> = scoped["movers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["partner_name"].as_str().unwrap())
            .collect();
        assert_eq!(
            (names, scoped["movers_not_listed"].clone()),
            (vec!["Beta Managed Services"], json!(2))
        );

        // Publishing consumes the draft and versions the structure.
        let published = post(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{draft_id}/publish"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (published["id"].as_str(), published["version"].as_i64()),
            (Some(program.id.as_str()), Some(2))
        );
        get(&app, &admin, &format!("/api/v1/tier-structures/{draft_id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        let versions = get(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/versions", program.id),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(versions.as_array().unwrap().len(), 2);
        let audit = get(&app, &admin, &format!("/api/v1/audit/tier_structure/{}", program.id))
            .await
            .expect(StatusCode::OK);
        assert!(audit.to_string().contains("tier_structure.published"), "{audit}");
    }
}

#[tokio::test]
async fn invalid_structures_and_overrides_are_refused_with_the_problem_named() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let program = program(&app, &admin).await;

        let mut unordered = structure();
        unordered["levels"][2]["requirements"][0]["target"] = json!("20");
        let problem = post(&app, &admin, "/api/v1/tier-structures", &unordered)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "levels").contains("easier than the lower level 'Silver'"),
            "{problem}"
        );

        let mut unknown = structure();
        unknown["levels"][1]["requirements"][0]["metric"] = json!("csat");
        let problem = post(&app, &admin, "/api/v1/tier-structures", &unknown)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "levels").contains("'csat': unknown metric"),
            "{problem}"
        );

        let mut yen = structure();
        yen["currency"] = json!("JPY");
        let problem = post(&app, &admin, "/api/v1/tier-structures", &yen)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "currency").contains("needs exchange rates from USD"),
            "{problem}"
        );

        let mut nowhere = structure();
        nowhere["region_overrides"][0]["region"] = json!("atlantis");
        let problem = post(&app, &admin, "/api/v1/tier-structures", &nowhere)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "region_overrides").contains("'atlantis' is not a known region"),
            "{problem}"
        );

        let bad_body = post(
            &app,
            &admin,
            "/api/v1/tier-structures",
            &json!({ "name": "x", "cadence": "weekly" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_body.to_string().contains("body"), "{bad_body}");

        // A second open-ended structure for the same partners overlaps the published one.
        let mut second = structure();
        second["name"] = json!("Second program");
        let draft = post(&app, &admin, "/api/v1/tier-structures", &second)
            .await
            .expect(StatusCode::CREATED);
        let problem = post(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/publish", draft["id"].as_str().unwrap()),
            &json!({}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "valid_from").contains("overlaps the published structure 'Partner program'"),
            "{problem}"
        );
        // Applying to distributors only and ending before … still overlaps in time, but not in partners.
        second["applicability"] = json!({ "partner_types": ["distributor"] });
        put(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}", draft["id"].as_str().unwrap()),
            &second,
        )
        .await
        .expect(StatusCode::OK);
        let still = post(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/publish", draft["id"].as_str().unwrap()),
            &json!({}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&still, "valid_from").contains("for 1 of the same partners"),
            "{still}"
        );

        // A published structure is edited only through a draft.
        let problem = put(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}", program.id),
            &structure(),
        )
        .await
        .problem(StatusCode::CONFLICT);
        assert!(
            problem["detail"].as_str().unwrap().contains("through a draft"),
            "{problem}"
        );

        // Overrides need a reason, a level that exists and an expiry after the start.
        let bad = json!({ "structure_id": program.id, "partner_id": app.cast.partner_a, "level": 9, "reason": " ",
            "starts_on": "2026-03-01", "expires_on": "2026-02-01" });
        let problem = post(&app, &admin, "/api/v1/tier-overrides", &bad)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(common::http::fields(&problem), ["reason", "level", "expires_on"]);
        // A channel manager cannot override a partner it does not manage.
        let cam_a = app.session("cam.a@vendor.example").await;
        let theirs = json!({ "structure_id": program.id, "partner_id": app.cast.partner_b, "level": 1, "reason": "x",
            "starts_on": "2026-03-01", "expires_on": "2026-04-01" });
        post(&app, &cam_a, "/api/v1/tier-overrides", &theirs)
            .await
            .problem(StatusCode::NOT_FOUND);

        // Metric facts: bad rows are named and nothing is stored.
        let lines = json!({ "lines": [
            { "partner_id": app.cast.partner_a, "metric": "certified_people", "fact_date": "2026-03-01", "value": "4" },
            { "partner_id": app.cast.partner_a, "metric": "9 lives", "fact_date": "2026-13-01", "value": "x" }
        ] });
        let problem = post(&app, &admin, "/api/v1/metric-facts", &lines)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(common::http::rows(&problem).len(), 3, "{problem}");
        let stored = get(&app, &admin, "/api/v1/metric-facts").await.expect(StatusCode::OK);
        assert!(stored["items"].as_array().unwrap().is_empty());

        // Discarding a draft deletes it.
        delete(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}", draft["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn concurrent_evaluations_of_one_date_write_it_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let program = program(&app, &admin).await;
        let runs = (0..4).map(|_| evaluate(&app, &admin, &program, "2026-01-31"));
        let outcomes = futures_util::future::join_all(runs).await;
        let created = outcomes
            .iter()
            .filter(|(status, _)| *status == StatusCode::CREATED)
            .count();
        assert_eq!(created, 1, "{backend:?}: {outcomes:?}");
        for (status, body) in &outcomes {
            assert!(status.is_success(), "{backend:?}: {status} {body}");
            assert_eq!(body["evaluation"]["eval_date"], "2026-01-31");
        }
        assert_eq!(snapshots(&app, &admin, "").await.len(), 4);
    }
}

#[tokio::test]
async fn metric_facts_import_from_csv_names_bad_rows_and_feeds_metrics() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let alpha = &app.cast.partner_a;
        let bad = format!(
            "partner_id,metric,fact_date,value\n{alpha},certified_people,2026-03-01,4\n{alpha},csat,2026-03-01,four\nnobody,csat,2026-03-01,4\n"
        );
        let reply = common::http::send(
            &app,
            admin
                .post(app.url("/api/v1/imports/metric-facts"))
                .header("content-type", "text/csv")
                .body(bad),
        )
        .await;
        let problem = reply.problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            common::http::rows(&problem),
            [(3, "value".to_string()), (4, "partner_id".to_string())]
        );
        let good = format!("partner_id,metric,fact_date,value\n{alpha},certified_people,2026-03-01,4\n");
        common::http::send(
            &app,
            admin
                .post(app.url("/api/v1/imports/metric-facts"))
                .header("content-type", "text/csv")
                .body(good),
        )
        .await
        .expect(StatusCode::CREATED);
        let alpha_user = app.session("user@alpha.example").await;
        let own = get(&app, &alpha_user, "/api/v1/metric-facts")
            .await
            .expect(StatusCode::OK);
        assert_eq!(own["items"][0]["value"], "4");
        let beta_user = app.session("user@beta.example").await;
        let theirs = get(&app, &beta_user, "/api/v1/metric-facts")
            .await
            .expect(StatusCode::OK);
        assert!(theirs["items"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_schedule_evaluates_each_period_end_once() {
    use tributary_server::services::tiering::schedule::run_due;
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let program = program(&app, &admin).await;
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        // Monthly cadence: on 15 March the February evaluation is due.
        let ran = run_due(&app.db, day("2026-03-15")).await.unwrap();
        assert_eq!(ran.len(), 1);
        assert_eq!(ran[0].evaluation.eval_date, "2026-02-28");
        assert_eq!(ran[0].evaluation.run_trigger, "scheduled");
        assert!(run_due(&app.db, day("2026-03-20")).await.unwrap().is_empty());
        let ran = run_due(&app.db, day("2026-04-01")).await.unwrap();
        assert_eq!(ran[0].evaluation.eval_date, "2026-03-31");
        let evaluations = get(
            &app,
            &admin,
            &format!("/api/v1/tier-structures/{}/evaluations", program.id),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(evaluations.as_array().unwrap().len(), 2);
    }
}
