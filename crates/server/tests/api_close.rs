//! The period close over the API, on every backend, end to end from sales facts to
//! statements: PRODUCT.md's worked examples (graduated vs retroactive with a Gold
//! multiplier of 1.2 and a cap; the carry-forward over four quarterly closes; half-even
//! rounding in EUR and JPY), conversion at each fact's own date, returns netted inside
//! the holding period and clawbacks carried, a missing FX rate that fails the close with
//! the currency and date named and writes nothing, one close of a period at a time (an
//! abandoned one does not block it), a re-close that replaces a calculated statement, a
//! re-close after approval that leaves the approved statement untouched and posts
//! adjustment lines into the next period, approved claims put on statements once, and
//! margin plans reading each sale's cost (from the API and CSV imports).

mod close_data;
mod common;

use close_data::{FIREWALL, SOFTWARE, amounts, dec, line, plan, rate, worked_bands};
use common::TestApp;
use common::http::{get, post};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A published three-level structure in which `partner` holds Gold (level 2) on 2026-03-31.
async fn gold(app: &TestApp, world: &close_data::World, partner: &str) -> String {
    let level = |name: &str| json!({ "name": name, "requirements": [] });
    let benefit = json!({ "discount_percent": "0", "rebate_multiplier": "1", "mdf_allocation": "0", "lead_priority": 0, "content_tags": [] });
    let structure = json!({
        "name": "Partner program", "currency": "USD", "cadence": "quarterly",
        "metrics": [{ "key": "revenue_12m", "kind": "net_revenue", "window": { "trailing_months": 12 } }],
        "levels": [level("Registered"), level("Silver"), level("Gold")],
        "benefits": [benefit.clone(), benefit.clone(), benefit],
        "region_overrides": [], "rules": { "grace": 1, "max_demotion_step": 1 },
        "valid_from": "2026-01-01", "valid_until": null
    });
    let admin = &world.admin;
    let id = post(app, admin, "/api/v1/tier-structures", &structure)
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(app, admin, &format!("/api/v1/tier-structures/{id}/publish"), &json!({}))
        .await
        .expect(StatusCode::OK);
    let grant = json!({ "structure_id": id, "partner_id": partner, "level": 2, "reason": "worked example",
        "starts_on": "2026-01-01", "expires_on": "2027-01-01" });
    post(app, admin, "/api/v1/tier-overrides", &grant)
        .await
        .expect(StatusCode::CREATED);
    post(
        app,
        admin,
        &format!("/api/v1/tier-structures/{id}/evaluations"),
        &json!({ "eval_date": "2026-03-31" }),
    )
    .await
    .expect(StatusCode::CREATED);
    id
}

#[tokio::test]
async fn graduated_and_retroactive_with_gold_and_a_cap_match_the_worked_example() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let partner = world.partner(&app, "Gold Reseller", "USD", "US").await;
        let structure = gold(&app, &world, &partner).await;
        for (name, kind) in [("Graduated", "graduated"), ("Retroactive", "retroactive")] {
            let mut definition = plan(name, "USD", json!({ "type": kind, "bands": worked_bands() }));
            definition["tier"] = json!({ "structure_id": structure, "multipliers": ["1", "1.1", "1.2"] });
            definition["cap"] = json!("12000");
            world.publish(&app, &definition).await;
        }
        world
            .sell(&app, &partner, "2026-02-15", FIREWALL, "300000.00", "USD")
            .await;
        let run = world.closed(&app, "2026-Q1").await;
        assert_eq!(run["phase"], "done");
        assert_eq!(run["summary"]["plans"], 2);
        assert_eq!(run["summary"]["statements_created"], 1, "{run}");

        let statement = world.statement(&app, &partner, "2026-Q1").await.expect("a statement");
        assert_eq!(
            (statement["currency"].as_str(), statement["status"].as_str()),
            (Some("USD"), Some("calculated"))
        );
        let graduated = line(&statement, "Graduated");
        let settlement = &graduated["settlement"];
        assert_eq!(dec(&settlement["measure"]), d("300000"));
        let parts: Vec<Decimal> = settlement["calculation"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| dec(&p["amount"]))
            .collect();
        assert_eq!(parts, [d("2000"), d("4500"), d("2500")]);
        assert_eq!(dec(&settlement["calculation"]["amount"]), d("9000"));
        assert_eq!(dec(&settlement["multiplier"]), d("1.2"));
        assert_eq!(dec(&graduated["gross"]), d("10800.00"));
        let retroactive = line(&statement, "Retroactive");
        assert_eq!(dec(&retroactive["settlement"]["multiplied"]), d("18000"));
        assert_eq!(dec(&retroactive["settlement"]["capped"]), d("12000"));
        assert_eq!(dec(&retroactive["gross"]), d("12000.00"));
        assert_eq!(dec(&statement["gross"]), d("22800.00"));
        assert_eq!(dec(&statement["net"]), d("22800.00"));
        assert_eq!(graduated["plan_version"], 1);
        for other in [&app.cast.partner_a, &app.cast.partner_b] {
            assert!(
                world.statement(&app, other, "2026-Q1").await.is_none(),
                "nothing sold, nothing to say"
            );
        }
    }
}

#[tokio::test]
async fn a_negative_balance_carries_forward_over_four_quarterly_closes() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let partner = world.partner(&app, "Carry Co", "USD", "US").await;
        world.publish(&app, &plan("Ten percent", "USD", rate("0.10"))).await;
        for (date, amount) in [
            ("2025-02-01", "50000.00"),
            ("2025-05-01", "10000.00"),
            ("2025-05-20", "-40000.00"),
            ("2025-08-01", "20000.00"),
            ("2025-11-01", "40000.00"),
        ] {
            world.sell(&app, &partner, date, FIREWALL, amount, "USD").await;
        }
        let mut paid = Vec::new();
        for quarter in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"] {
            world.closed(&app, quarter).await;
            let statement = world.statement(&app, &partner, quarter).await.expect("a statement");
            let line = line(&statement, "Ten percent");
            paid.push((
                dec(&line["measure"]),
                dec(&line["carry_in"]),
                dec(&line["gross"]),
                dec(&line["carry_out"]),
            ));
        }
        assert_eq!(
            paid,
            [
                (d("50000"), d("0"), d("5000.00"), d("0")),
                (d("-30000"), d("0"), d("0"), d("-3000")),
                (d("20000"), d("-3000"), d("0"), d("-1000")),
                (d("40000"), d("-1000"), d("3000.00"), d("0")),
            ]
        );
    }
}

#[tokio::test]
async fn payouts_round_half_even_once_in_the_payout_currency_and_fx_is_taken_at_each_fact_date() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        world.rate(&app, "EUR", "USD", "2026-01-01", "1.08").await;
        world.rate(&app, "JPY", "USD", "2026-01-01", "0.0068").await;
        world.rate(&app, "GBP", "USD", "2026-02-01", "1.25").await;
        world.rate(&app, "GBP", "USD", "2026-02-15", "1.30").await;
        world.rate(&app, "USD", "EUR", "2026-03-30", "0.92").await;
        world.withholding(&app, "DE", "0.1").await;
        for (code, countries) in [("dach", json!(["DE", "AT", "CH"])), ("japan", json!(["JP"]))] {
            let body = json!({ "name": code, "countries": countries });
            common::http::put(&app, &world.admin, &format!("/api/v1/regions/{code}"), &body)
                .await
                .expect(StatusCode::OK);
        }
        let firewalls_in = |mut definition: Value, region: &str| {
            definition["filter"] = json!({ "product_families": ["Firewalls"] });
            definition["eligibility"] = json!({ "regions": [region] });
            definition
        };
        world
            .publish(&app, &firewalls_in(plan("Half in EUR", "EUR", rate("0.5")), "dach"))
            .await;
        world
            .publish(&app, &firewalls_in(plan("Half in JPY", "JPY", rate("0.5")), "japan"))
            .await;
        let mut software = plan("Software in USD", "USD", rate("0.1"));
        software["filter"] = json!({ "product_families": ["Software"] });
        world.publish(&app, &software).await;
        let euro_one = world.partner(&app, "Euro One", "EUR", "DE").await;
        let euro_two = world.partner(&app, "Euro Two", "EUR", "DE").await;
        let yen = world.partner(&app, "Yen Co", "JPY", "JP").await;
        let pound = world.partner(&app, "Pound Co", "EUR", "DE").await;
        world
            .sell(&app, &euro_one, "2026-01-20", FIREWALL, "2469.13", "EUR")
            .await;
        world
            .sell(&app, &euro_two, "2026-01-20", FIREWALL, "2469.15", "EUR")
            .await;
        world.sell(&app, &yen, "2026-01-20", FIREWALL, "20001", "JPY").await;
        world.sell(&app, &pound, "2026-02-10", SOFTWARE, "1000.00", "GBP").await;
        world.closed(&app, "2026-Q1").await;

        let one = world.statement(&app, &euro_one, "2026-Q1").await.unwrap();
        assert_eq!(dec(&one["lines"][0]["settlement"]["payable"]), d("1234.565"));
        assert_eq!(
            (dec(&one["gross"]), dec(&one["withholding"]), dec(&one["net"])),
            (d("1234.56"), d("123.46"), d("1111.10"))
        );
        let two = world.statement(&app, &euro_two, "2026-Q1").await.unwrap();
        assert_eq!((dec(&two["gross"]), dec(&two["net"])), (d("1234.58"), d("1111.12")));
        let yen_statement = world.statement(&app, &yen, "2026-Q1").await.unwrap();
        assert_eq!(yen_statement["currency"], "JPY");
        assert_eq!(dec(&yen_statement["gross"]), d("10000"));
        assert_eq!(dec(&yen_statement["withholding"]), d("0"));

        let pound_statement = world.statement(&app, &pound, "2026-Q1").await.unwrap();
        let settlement = &line(&pound_statement, "Software in USD")["settlement"];
        assert_eq!(
            dec(&settlement["measure"]),
            d("1250"),
            "GBP converted at 2026-02-01's rate"
        );
        assert_eq!(dec(&settlement["fx_rate"]), d("0.92"));
        assert_eq!(settlement["fx_date"], "2026-03-31");
        assert_eq!(
            (dec(&pound_statement["gross"]), dec(&pound_statement["withholding"])),
            (d("115.00"), d("11.50"))
        );
    }
}

#[tokio::test]
async fn returns_inside_the_holding_period_are_netted_and_clawbacks_carry() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let partner = world.partner(&app, "Held Co", "USD", "US").await;
        let mut held = plan("Held", "USD", rate("0.1"));
        held["holding_days"] = json!(30);
        world.publish(&app, &held).await;
        world
            .sell(&app, &partner, "2026-02-01", FIREWALL, "5000.00", "USD")
            .await;
        world
            .sell(&app, &partner, "2026-04-15", FIREWALL, "-2000.00", "USD")
            .await;
        world
            .sell(&app, &partner, "2026-05-20", FIREWALL, "-4000.00", "USD")
            .await;
        world.closed(&app, "2026-Q1").await;
        let q1 = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        assert_eq!(
            dec(&line(&q1, "Held")["measure"]),
            d("3000"),
            "the April return is netted in Q1"
        );
        assert_eq!(dec(&q1["gross"]), d("300.00"));
        assert_eq!(q1["payable_on"], "2026-04-30");
        world.closed(&app, "2026-Q2").await;
        let q2 = world.statement(&app, &partner, "2026-Q2").await.unwrap();
        let clawback = line(&q2, "Held");
        assert_eq!(dec(&clawback["measure"]), d("-4000"));
        assert_eq!(
            (dec(&clawback["gross"]), dec(&clawback["carry_out"])),
            (d("0"), d("-400"))
        );
    }
}

#[tokio::test]
async fn a_missing_rate_fails_the_close_naming_currency_and_date_and_writes_nothing() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let partner = world.partner(&app, "Pound Seller", "USD", "US").await;
        let other = world.partner(&app, "Dollar Seller", "USD", "US").await;
        world.publish(&app, &plan("Ten percent", "USD", rate("0.1"))).await;
        world.sell(&app, &other, "2026-07-02", FIREWALL, "1000.00", "USD").await;
        world
            .sell(&app, &partner, "2026-07-14", FIREWALL, "500.00", "GBP")
            .await;
        let run = world.close(&app, "2026-Q3").await;
        assert_eq!(run["status"], "failed", "{run}");
        let error = run["error"].as_str().unwrap();
        assert!(
            error.contains("no GBP→USD exchange rate on or before 2026-07-14"),
            "{error}"
        );
        assert!(error.contains("Ten percent"), "{error}");
        assert!(run["summary"].is_null());
        let listed = get(&app, &world.finance, "/api/v1/statements?period_key=2026-Q3")
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["items"], json!([]), "a failed close writes no statement");
        let audit = get(
            &app,
            &world.admin,
            &format!("/api/v1/audit/close_run/{}", run["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(audit[0]["action"], "close.failed");

        world.rate(&app, "GBP", "USD", "2026-07-01", "1.27").await;
        let run = world.closed(&app, "2026-Q3").await;
        assert_eq!(run["summary"]["statements_created"], 2);
        let fixed = world.statement(&app, &partner, "2026-Q3").await.unwrap();
        assert_eq!(dec(&fixed["gross"]), d("63.50"));
    }
}

#[tokio::test]
async fn closes_are_refused_for_unfinished_periods_and_run_one_at_a_time() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        for (period, message) in [("2026-Q5", "is not a period"), ("2999-Q1", "close it after that day")] {
            let problem = post(&app, &world.finance, "/api/v1/close-runs", &json!({ "period": period }))
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(common::http::fields(&problem), ["period"]);
            assert!(common::http::message(&problem, "period").contains(message), "{problem}");
        }
        let cam = app.session("cam.a@vendor.example").await;
        post(&app, &cam, "/api/v1/close-runs", &json!({ "period": "2026-Q1" }))
            .await
            .problem(StatusCode::FORBIDDEN);
        let first = common::http::send(
            &app,
            world
                .finance
                .post(app.url("/api/v1/close-runs"))
                .header("idempotency-key", "close-2026-q1")
                .json(&json!({ "period": "2026-Q1" })),
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let replay = common::http::send(
            &app,
            world
                .finance
                .post(app.url("/api/v1/close-runs"))
                .header("idempotency-key", "close-2026-q1")
                .json(&json!({ "period": "2026-Q1" })),
        )
        .await;
        assert_eq!(replay.replayed.as_deref(), Some("true"));
        assert_eq!(replay.expect(StatusCode::ACCEPTED)["id"], first["id"]);
        let runs = get(&app, &cam, "/api/v1/close-runs?period_key=2026-Q1")
            .await
            .expect(StatusCode::OK);
        assert_eq!(runs.as_array().unwrap().len(), 1, "the retry started nothing: {runs}");

        let abandoned = abandoned_run(&app, "2025-Q4").await;
        let run = world.closed(&app, "2025-Q4").await;
        assert_ne!(run["id"], json!(abandoned));
        let old = get(&app, &cam, &format!("/api/v1/close-runs/{abandoned}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(old["status"], "failed");
        assert!(
            old["error"].as_str().unwrap().contains("stopped without finishing"),
            "{old}"
        );
    }
}

/// A close of `period` left "running" three hours ago by a server that stopped; its id.
async fn abandoned_run(app: &TestApp, period: &str) -> String {
    use tributary_store::repo::close_runs::{self, CloseRun, CloseStatus};
    let three_hours_ago = chrono::Utc::now() - chrono::TimeDelta::hours(3);
    let run = CloseRun {
        id: tributary_domain::ids::new_id(),
        period_key: period.to_string(),
        period_kind: "quarter".into(),
        period_start: "2025-10-01".into(),
        period_end: "2025-12-31".into(),
        status: CloseStatus::Running,
        phase: "calculating".into(),
        progress_done: 1,
        progress_total: 3,
        started_by: None,
        started_at: tributary_store::time::format_timestamp(three_hours_ago),
        finished_at: None,
        error: None,
        summary: None,
    };
    let mut tx = app.db.begin().await.unwrap();
    close_runs::insert(&mut tx.conn(), &run).await.unwrap();
    tx.commit().await.unwrap();
    run.id
}

#[tokio::test]
async fn a_reclose_replaces_a_calculated_statement_and_corrects_an_approved_one_in_the_next_period() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let partner = world.partner(&app, "Reclose Co", "USD", "US").await;
        world.publish(&app, &plan("Ten percent", "USD", rate("0.1"))).await;
        world
            .sell(&app, &partner, "2026-01-10", FIREWALL, "1000.00", "USD")
            .await;
        world.closed(&app, "2026-Q1").await;
        let first = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        assert_eq!(dec(&first["gross"]), d("100.00"));

        world
            .sell(&app, &partner, "2026-03-01", FIREWALL, "500.00", "USD")
            .await;
        let run = world.closed(&app, "2026-Q1").await;
        assert_eq!(run["summary"]["statements_recalculated"], 1);
        let replaced = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        assert_eq!(replaced["id"], first["id"], "the same statement, rewritten");
        assert_eq!(dec(&replaced["gross"]), d("150.00"));
        assert_eq!(replaced["lines"].as_array().unwrap().len(), 1);
        let id = replaced["id"].as_str().unwrap().to_string();
        let history = get(&app, &world.admin, &format!("/api/v1/audit/statement/{id}"))
            .await
            .expect(StatusCode::OK);
        let actions: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["action"].as_str())
            .collect();
        assert!(actions.contains(&"statement.recalculated"), "{actions:?}");

        post(
            &app,
            &world.admin,
            &format!("/api/v1/statements/{id}/submit"),
            &json!({}),
        )
        .await
        .expect(StatusCode::CREATED);
        let queue = get(&app, &world.finance, "/api/v1/approvals?subject_type=statement")
            .await
            .expect(StatusCode::OK);
        let request = queue[0]["id"].as_str().unwrap().to_string();
        post(
            &app,
            &world.finance,
            &format!("/api/v1/approvals/{request}/decision"),
            &json!({ "decision": "approve" }),
        )
        .await
        .expect(StatusCode::OK);
        let approved = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        assert_eq!(approved["status"], "approved");

        world
            .sell(&app, &partner, "2026-03-15", FIREWALL, "-300.00", "USD")
            .await;
        world
            .sell(&app, &partner, "2026-03-20", SOFTWARE, "2000.00", "USD")
            .await;
        let run = world.closed(&app, "2026-Q1").await;
        assert_eq!(run["summary"]["adjustment_lines"], 1, "{run}");
        let untouched = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        assert_eq!(untouched, approved, "an approved statement is never edited");
        let q2 = world
            .statement(&app, &partner, "2026-Q2")
            .await
            .expect("the next period");
        assert_eq!(q2["status"], "calculated");
        assert_eq!(amounts(&q2), [("adjustment".to_string(), d("170"), d("0"), d("170"))]);
        let correction = &q2["lines"][0];
        assert_eq!(correction["adjusts_period_key"], "2026-Q1");
        assert_eq!(dec(&correction["settlement"]["measure"]), d("3200"));

        let run = world.closed(&app, "2026-Q1").await;
        assert_eq!(run["summary"]["adjustment_lines"], 0, "corrections are posted once");

        world
            .sell(&app, &partner, "2026-04-02", FIREWALL, "100.00", "USD")
            .await;
        world.closed(&app, "2026-Q2").await;
        let q2 = world.statement(&app, &partner, "2026-Q2").await.unwrap();
        let kinds: Vec<(String, Decimal)> = q2["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["kind"].as_str().unwrap().to_string(), dec(&l["gross"])))
            .collect();
        assert_eq!(
            kinds,
            [
                ("earning".to_string(), d("10.00")),
                ("adjustment".to_string(), d("170.00"))
            ]
        );
        assert_eq!(dec(&q2["gross"]), d("180.00"));
    }
}

/// Submits a claim as `partner` and has `manager` approve it; the claim's id.
async fn approved_claim(app: &TestApp, partner: &str, manager: &str, amount: &str, currency: &str) -> String {
    let client = app.session(partner).await;
    let body = json!({ "amount": amount, "currency": currency, "description": "SPIFF for the Globex renewal" });
    let claim = post(app, &client, "/api/v1/claims", &body)
        .await
        .expect(StatusCode::CREATED);
    let manager = app.session(manager).await;
    let request = claim["approval_id"].as_str().unwrap();
    post(
        app,
        &manager,
        &format!("/api/v1/approvals/{request}/decision"),
        &json!({ "decision": "approve" }),
    )
    .await
    .expect(StatusCode::OK);
    claim["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn approved_claims_go_on_the_next_statement_once_converted_and_withheld() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let cast = &app.cast;
        world.rate(&app, "USD", "EUR", "2026-03-31", "0.9").await;
        world.withholding(&app, "DE", "0.1").await;
        world.publish(&app, &plan("Ten percent", "USD", rate("0.1"))).await;
        world
            .sell(&app, &cast.partner_a, "2026-02-01", FIREWALL, "1000.00", "USD")
            .await;
        let in_euro = approved_claim(&app, "user@alpha.example", "cam.a@vendor.example", "40.00", "EUR").await;
        let in_dollars = approved_claim(&app, "user@alpha.example", "cam.a@vendor.example", "100.00", "USD").await;
        let only_claim = approved_claim(&app, "user@beta.example", "cam.b@vendor.example", "25.00", "EUR").await;
        let run = world.closed(&app, "2026-Q1").await;
        assert_eq!(run["summary"]["claims"], 3, "{run}");

        let alpha = world.statement(&app, &cast.partner_a, "2026-Q1").await.unwrap();
        assert_eq!(
            amounts(&alpha),
            [
                ("earning".to_string(), d("90.00"), d("9.00"), d("81.00")),
                ("claim".to_string(), d("40.00"), d("4.00"), d("36.00")),
                ("claim".to_string(), d("90.00"), d("9.00"), d("81.00")),
            ]
        );
        assert_eq!(alpha["lines"][1]["claim_id"], json!(in_euro));
        assert_eq!(alpha["lines"][2]["claim_id"], json!(in_dollars));
        assert_eq!(dec(&alpha["net"]), d("198.00"));
        let beta = world.statement(&app, &cast.partner_b, "2026-Q1").await.unwrap();
        assert_eq!(
            amounts(&beta),
            [("claim".to_string(), d("25.00"), d("2.50"), d("22.50"))]
        );
        let claim = get(&app, &world.admin, &format!("/api/v1/claims/{only_claim}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (claim["status"].as_str(), claim["statement_id"].as_str()),
            (Some("on_statement"), beta["id"].as_str())
        );

        let run = world.closed(&app, "2026-Q1").await;
        assert_eq!(run["summary"]["claims"], 0, "a claim is put on a statement once");
        let again = world.statement(&app, &cast.partner_a, "2026-Q1").await.unwrap();
        assert_eq!(amounts(&again), amounts(&alpha), "the re-close keeps the claim lines");
    }
}

#[tokio::test]
async fn margin_plans_read_the_cost_of_each_sale_from_the_api_and_csv_imports() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let partner = world.partner(&app, "Margin Co", "USD", "US").await;
        let mut margin = plan("Margin share", "USD", rate("0.1"));
        margin["measure"] = json!({ "kind": "margin" });
        world.publish(&app, &margin).await;
        let sale = json!({ "fact_date": "2026-02-01", "partner_id": partner, "account_id": world.account,
            "product_sku": FIREWALL, "quantity": "2", "amount": "2000.00", "cost": "1200.00", "currency": "USD" });
        post(&app, &world.admin, "/api/v1/sales-facts", &json!({ "lines": [sale] }))
            .await
            .expect(StatusCode::CREATED);
        let csv = format!(
            "fact_date,partner_id,account_id,product_sku,quantity,amount,currency,cost\n\
             2026-03-01,{partner},{},{FIREWALL},-1,-1000.00,USD,-600.00\n",
            world.account
        );
        let imported = common::http::send(
            &app,
            world
                .admin
                .post(app.url("/api/v1/imports/sales-facts"))
                .header("content-type", "text/csv")
                .body(csv),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(imported["rows"], 1, "{imported}");
        let listed = get(&app, &world.finance, "/api/v1/sales-facts?sort=fact_date")
            .await
            .expect(StatusCode::OK);
        let costs: Vec<i64> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["cost_minor"].as_i64().unwrap())
            .collect();
        assert_eq!(costs, [120000, -60000]);
        world.closed(&app, "2026-Q1").await;
        let statement = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        assert_eq!(
            dec(&line(&statement, "Margin share")["measure"]),
            d("400"),
            "(2000 − 1200) + (−1000 + 600)"
        );
        assert_eq!(dec(&statement["gross"]), d("40.00"));

        world
            .sell(&app, &partner, "2026-05-05", FIREWALL, "500.00", "USD")
            .await;
        let run = world.close(&app, "2026-Q2").await;
        assert_eq!(run["status"], "failed");
        let error = run["error"].as_str().unwrap();
        assert!(error.contains("FW-100 sale on 2026-05-05 has none"), "{error}");
    }
}
