//! Statements over the API, on every backend: approval through the workflow (from 10,000
//! two different finance approvers, nobody approves their own request, rejection sends a
//! statement back to be recalculated, bulk decisions), partner isolation (a partner lists,
//! reads and downloads only its own organisation's statements — not even a distributor
//! its resellers'), the facts behind a line (exactly those its measure summed, paged),
//! CSV and JSON downloads, the earnings overview and spend by plan and region.

mod close_data;
mod common;

use close_data::{FIREWALL, SOFTWARE, dec, line, plan, rate};
use common::TestApp;
use common::http::{get, post, put, send};
use reqwest::{Client, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tributary_store::Scope;
use tributary_store::repo::events;

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn decide(app: &TestApp, client: &Client, request: &str, decision: Value) -> common::http::Reply {
    post(app, client, &format!("/api/v1/approvals/{request}/decision"), &decision).await
}

#[tokio::test]
async fn approval_needs_two_different_finance_users_from_ten_thousand_and_nobody_approves_their_own() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let finance = &world.finance;
        let second = json!({ "email": "second.finance@vendor.example", "display_name": "Second", "role": "finance",
            "password": tributary_server::fixtures::FIXTURE_PASSWORD });
        post(&app, &world.admin, "/api/v1/users", &second)
            .await
            .expect(StatusCode::CREATED);
        let finance2 = app.session("second.finance@vendor.example").await;
        let cam = app.session("cam.a@vendor.example").await;
        let big = world.partner(&app, "Big Co", "USD", "US").await;
        let small = world.partner(&app, "Small Co", "USD", "US").await;
        world.publish(&app, &plan("Ten percent", "USD", rate("0.1"))).await;
        world.sell(&app, &big, "2026-02-01", FIREWALL, "200000.00", "USD").await;
        world.sell(&app, &small, "2026-02-01", FIREWALL, "1000.00", "USD").await;
        world.closed(&app, "2026-Q1").await;
        let statement = world.statement(&app, &big, "2026-Q1").await.unwrap();
        let id = statement["id"].as_str().unwrap().to_string();
        assert_eq!(dec(&statement["net"]), d("20000.00"));

        let request = post(
            &app,
            &world.admin,
            &format!("/api/v1/statements/{id}/submit"),
            &json!({}),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(request["subject_type"], "statement");
        assert_eq!(dec(&request["amount"]), d("20000.00"));
        let request = request["id"].as_str().unwrap().to_string();
        post(
            &app,
            &world.admin,
            &format!("/api/v1/statements/{id}/submit"),
            &json!({}),
        )
        .await
        .problem(StatusCode::CONFLICT);
        let step = decide(&app, finance, &request, json!({ "decision": "approve" }))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (step["status"].as_str(), step["current_step"].as_i64()),
            (Some("pending"), Some(1))
        );
        let waiting = world.statement(&app, &big, "2026-Q1").await.unwrap();
        assert_eq!(waiting["status"], "pending_approval");
        let refused = decide(&app, finance, &request, json!({ "decision": "approve" }))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(
            refused["detail"].as_str().unwrap().contains("another person"),
            "{refused}"
        );
        decide(&app, &cam, &request, json!({ "decision": "approve" }))
            .await
            .problem(StatusCode::NOT_FOUND);
        let done = decide(&app, &finance2, &request, json!({ "decision": "approve" }))
            .await
            .expect(StatusCode::OK);
        assert_eq!(done["status"], "approved");
        let approved = world.statement(&app, &big, "2026-Q1").await.unwrap();
        assert_eq!(approved["status"], "approved");
        assert!(approved["approved_at"].is_string());
        let mut pooled = app.db.acquire().await.unwrap();
        let ready = events::recent(&mut pooled.conn(), &Scope::All, "statement.ready", 10)
            .await
            .unwrap();
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].subject_id, id);
        let payload: Value = serde_json::from_str(&ready[0].payload_json).unwrap();
        assert_eq!(
            (payload["partner_id"].as_str(), payload["status"].as_str()),
            (Some(big.as_str()), Some("approved"))
        );
        drop(pooled);

        let small_statement = world.statement(&app, &small, "2026-Q1").await.unwrap();
        let small_id = small_statement["id"].as_str().unwrap().to_string();
        let own = post(
            &app,
            finance,
            &format!("/api/v1/statements/{small_id}/submit"),
            &json!({}),
        )
        .await
        .expect(StatusCode::CREATED);
        let own = own["id"].as_str().unwrap().to_string();
        let refused = decide(&app, finance, &own, json!({ "decision": "approve" }))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(refused["detail"].as_str().unwrap().contains("their own"), "{refused}");
        decide(&app, &finance2, &own, json!({ "decision": "reject" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        decide(
            &app,
            &finance2,
            &own,
            json!({ "decision": "reject", "comment": "wrong quarter" }),
        )
        .await
        .expect(StatusCode::OK);
        let rejected = world.statement(&app, &small, "2026-Q1").await.unwrap();
        assert_eq!(rejected["status"], "rejected");
        world.closed(&app, "2026-Q1").await;
        let recalculated = world.statement(&app, &small, "2026-Q1").await.unwrap();
        assert_eq!(
            (recalculated["id"].as_str(), recalculated["status"].as_str()),
            (Some(small_id.as_str()), Some("calculated"))
        );
        let again = post(
            &app,
            &world.admin,
            &format!("/api/v1/statements/{small_id}/submit"),
            &json!({}),
        )
        .await
        .expect(StatusCode::CREATED);
        let bulk = post(
            &app,
            &finance2,
            "/api/v1/approvals/decisions",
            &json!({ "ids": [again["id"]], "decision": "approve" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(bulk[0]["status"], "approved", "{bulk}");
        let untouched = world.statement(&app, &big, "2026-Q1").await.unwrap();
        assert_eq!(untouched, approved, "the re-close left the approved statement alone");
    }
}

#[tokio::test]
async fn partners_see_only_their_own_organisations_statements() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        let cast = &app.cast;
        world.rate(&app, "USD", "EUR", "2026-03-31", "0.9").await;
        world.publish(&app, &plan("Ten percent", "USD", rate("0.1"))).await;
        world
            .sell(&app, &cast.partner_a, "2026-02-01", FIREWALL, "1000.00", "USD")
            .await;
        world
            .sell(&app, &cast.partner_b, "2026-02-01", FIREWALL, "2000.00", "USD")
            .await;
        let two_tier = json!({ "fact_date": "2026-02-03", "partner_id": cast.reseller, "distributor_id": cast.distributor,
            "account_id": world.account, "product_sku": FIREWALL, "quantity": "1", "amount": "3000.00", "currency": "USD" });
        post(
            &app,
            &world.admin,
            "/api/v1/sales-facts",
            &json!({ "lines": [two_tier] }),
        )
        .await
        .expect(StatusCode::CREATED);
        world.closed(&app, "2026-Q1").await;
        let theirs = world.statement(&app, &cast.partner_b, "2026-Q1").await.unwrap();
        let theirs_id = theirs["id"].as_str().unwrap();
        let their_line = theirs["lines"][0]["id"].as_str().unwrap();
        let resellers = world.statement(&app, &cast.reseller, "2026-Q1").await.unwrap();
        assert_eq!(dec(&resellers["gross"]), d("270.00"), "the reseller is the payee");

        let alpha = app.session("user@alpha.example").await;
        let listed = get(&app, &alpha, "/api/v1/statements").await.expect(StatusCode::OK);
        let partners: Vec<&str> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["partner_id"].as_str().unwrap())
            .collect();
        assert_eq!(partners, [cast.partner_a.as_str()]);
        let filtered = get(
            &app,
            &alpha,
            &format!("/api/v1/statements?partner_id={}", cast.partner_b),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(filtered["items"], json!([]));
        for path in [
            format!("/api/v1/statements/{theirs_id}"),
            format!("/api/v1/statements/{theirs_id}/download?format=csv"),
            format!("/api/v1/statements/{theirs_id}/download?format=json"),
            format!("/api/v1/statements/{theirs_id}/lines/{their_line}/facts"),
            format!("/api/v1/partners/{}/earnings", cast.partner_b),
        ] {
            get(&app, &alpha, &path).await.problem(StatusCode::NOT_FOUND);
        }
        let csv = get(&app, &alpha, "/api/v1/statements/export").await.csv();
        assert!(csv.contains(&cast.partner_a) && !csv.contains(&cast.partner_b), "{csv}");
        let own = get(&app, &alpha, &format!("/api/v1/partners/{}/earnings", cast.partner_a))
            .await
            .expect(StatusCode::OK);
        assert_eq!(dec(&own["periods"][0]["gross"]), d("90.00"));
        let own_id = own["periods"][0]["statement_id"].as_str().unwrap();
        post(&app, &alpha, &format!("/api/v1/statements/{own_id}/submit"), &json!({}))
            .await
            .problem(StatusCode::FORBIDDEN);
        get(&app, &alpha, "/api/v1/incentives/spend?period_key=2026-Q1")
            .await
            .problem(StatusCode::FORBIDDEN);

        let distributor = app.session("admin@delta.example").await;
        let listed = get(&app, &distributor, "/api/v1/statements")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            listed["items"],
            json!([]),
            "a distributor does not see its resellers' payouts"
        );
        get(
            &app,
            &distributor,
            &format!("/api/v1/statements/{}", resellers["id"].as_str().unwrap()),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
        let cam_b = app.session("cam.b@vendor.example").await;
        get(&app, &cam_b, &format!("/api/v1/statements/{theirs_id}"))
            .await
            .expect(StatusCode::OK);
        let managed = get(&app, &cam_b, "/api/v1/statements").await.expect(StatusCode::OK);
        assert_eq!(managed["items"].as_array().unwrap().len(), 1, "{managed}");
    }
}

#[tokio::test]
async fn a_line_drills_down_to_exactly_its_facts_and_statements_download_as_csv_and_json() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = close_data::world(&app).await;
        world.rate(&app, "EUR", "USD", "2026-01-01", "1.10").await;
        put(
            &app,
            &world.admin,
            "/api/v1/regions/amer",
            &json!({ "name": "Americas", "countries": ["US", "CA"] }),
        )
        .await
        .expect(StatusCode::OK);
        let partner = world.partner(&app, "Drill Co", "USD", "US").await;
        let mut firewalls = plan("Firewall commission", "USD", rate("0.1"));
        firewalls["filter"] = json!({ "product_families": ["Firewalls"] });
        let plan_id = world.publish(&app, &firewalls).await;
        let mut behind = vec![
            world
                .sell(&app, &partner, "2026-01-05", FIREWALL, "1000.00", "USD")
                .await,
            world
                .sell(&app, &partner, "2026-02-05", FIREWALL, "500.00", "EUR")
                .await,
            world
                .sell(&app, &partner, "2026-03-05", FIREWALL, "-200.00", "USD")
                .await,
            world
                .sell(&app, &partner, "2026-03-25", FIREWALL, "300.00", "USD")
                .await,
        ];
        world
            .sell(&app, &partner, "2026-02-10", SOFTWARE, "9000.00", "USD")
            .await;
        world
            .sell(&app, &partner, "2026-04-02", FIREWALL, "7000.00", "USD")
            .await;
        world.closed(&app, "2026-Q1").await;
        let statement = world.statement(&app, &partner, "2026-Q1").await.unwrap();
        let id = statement["id"].as_str().unwrap().to_string();
        let earning = line(&statement, "Firewall commission");
        assert_eq!(dec(&earning["measure"]), d("1650"));
        let facts = format!(
            "/api/v1/statements/{id}/lines/{}/facts",
            earning["id"].as_str().unwrap()
        );

        let all = get(&app, &world.finance, &facts).await.expect(StatusCode::OK);
        assert_eq!(all["count"], 4);
        assert_eq!(
            dec(&all["measure"]),
            d("1650"),
            "the facts add up to the line's measure"
        );
        let mut found: Vec<String> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fact_id"].as_str().unwrap().to_string())
            .collect();
        found.sort();
        behind.sort();
        assert_eq!(found, behind);
        let euro = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["currency"] == "EUR")
            .unwrap();
        assert_eq!((dec(&euro["rate"]), dec(&euro["contribution"])), (d("1.10"), d("550")));
        let ret = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == "return")
            .unwrap();
        assert_eq!(dec(&ret["contribution"]), d("-200"));

        let first = get(&app, &world.finance, &format!("{facts}?limit=3"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(first["items"].as_array().unwrap().len(), 3);
        let cursor = first["next_cursor"].as_str().expect("a second page");
        let rest = get(&app, &world.finance, &format!("{facts}?limit=3&cursor={cursor}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(rest["items"].as_array().unwrap().len(), 1);
        assert!(rest["next_cursor"].is_null());
        assert_eq!(rest["items"][0]["fact_date"], "2026-03-25");

        let csv = get(&app, &world.finance, &format!("/api/v1/statements/{id}/download"))
            .await
            .csv();
        let rows: Vec<&str> = csv.lines().collect();
        assert!(
            rows[0].starts_with("statement_id,partner_id,period_key,status,line_no,kind"),
            "{csv}"
        );
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(
            rows[1].contains("Firewall commission") && rows[1].contains("165.00"),
            "{csv}"
        );
        let json_reply = send(
            &app,
            world
                .finance
                .get(app.url(&format!("/api/v1/statements/{id}/download?format=json"))),
        )
        .await;
        assert_eq!(json_reply.content_type, "application/json");
        let downloaded = json_reply.expect(StatusCode::OK);
        assert_eq!(downloaded["lines"][0]["settlement"]["fact_count"], 4);
        assert_eq!(downloaded["lines"][0]["plan_id"], json!(plan_id));
        get(
            &app,
            &world.finance,
            &format!("/api/v1/statements/{id}/download?format=xml"),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let listed = get(&app, &world.finance, "/api/v1/statements?format=csv&period_key=2026-Q1")
            .await
            .csv();
        assert!(
            listed.starts_with("statement_id,partner_id,partner_name,period_key"),
            "{listed}"
        );
        assert!(listed.contains("Drill Co"), "{listed}");

        let earnings = get(&app, &world.finance, &format!("/api/v1/partners/{partner}/earnings"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(earnings["periods"][0]["period_key"], "2026-Q1");
        assert_eq!(
            (
                earnings["totals"][0]["currency"].as_str(),
                dec(&earnings["totals"][0]["net"])
            ),
            (Some("USD"), d("165.00"))
        );
        let by_plan = get(
            &app,
            &world.finance,
            "/api/v1/incentives/spend?period_key=2026-Q1&group=plan",
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(by_plan[0]["label"], "Firewall commission");
        assert_eq!(
            (dec(&by_plan[0]["gross"]), by_plan[0]["partners"].as_u64()),
            (d("165.00"), Some(1))
        );
        let by_region = get(
            &app,
            &world.finance,
            "/api/v1/incentives/spend?period_key=2026-Q1&group=region",
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            (by_region[0]["key"].as_str(), by_region[0]["unit"].as_str()),
            (Some("amer"), Some("USD"))
        );
        get(
            &app,
            &world.finance,
            "/api/v1/incentives/spend?period_key=2026-Q1&group=colour",
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
}
