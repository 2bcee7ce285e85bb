//! The sales ledger (`/api/v1/sales-facts`, `/api/v1/sales-facts/totals`): appending lines
//! (all or nothing, every bad line reported by row and column, unknown references named),
//! idempotency keys (replay, reuse for another request, concurrent duplicates), filters,
//! totals per currency, and who sees which facts (partner users their own organisation,
//! a distributor its resellers, channel managers their partners).

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use common::http::{Reply, get, new_account, post, row_message, rows, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn post_keyed(app: &TestApp, client: &Client, key: &str, body: &Value) -> Reply {
    send(
        app,
        client
            .post(app.url("/api/v1/sales-facts"))
            .header("idempotency-key", key)
            .json(body),
    )
    .await
}

/// Ids of the facts a client sees.
async fn fact_ids(app: &TestApp, client: &Client, query: &str) -> BTreeSet<String> {
    let list = get(app, client, &format!("/api/v1/sales-facts?limit=1000{query}"))
        .await
        .expect(StatusCode::OK);
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The fact dates a client sees, oldest first.
async fn dates(app: &TestApp, client: &Client, query: &str) -> Vec<String> {
    let list = get(app, client, &format!("/api/v1/sales-facts?sort=fact_date{query}"))
        .await
        .expect(StatusCode::OK);
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fact_date"].as_str().unwrap().to_string())
        .collect()
}

fn ids(result: &Value) -> BTreeSet<String> {
    result["ids"]
        .as_array()
        .expect("the result lists the new ids")
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect()
}

/// Master data the facts refer to: an account and two products.
struct Setup {
    admin: Client,
    account: String,
}

async fn setup(app: &TestApp) -> Setup {
    let admin = app.session("admin@vendor.example").await;
    let account = new_account(app, &admin).await;
    for (sku, currency) in [("FW-100", "USD"), ("SW-200", "EUR")] {
        post(
            app,
            &admin,
            "/api/v1/products",
            &json!({ "sku": sku, "name": sku, "family": "Kit", "list_price": "100.00", "currency": currency }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    Setup { admin, account }
}

fn line(partner: &str, account: &str, date: &str, sku: &str, quantity: &str, amount: &str, currency: &str) -> Value {
    json!({
        "fact_date": date, "partner_id": partner, "account_id": account, "product_sku": sku,
        "quantity": quantity, "amount": amount, "currency": currency
    })
}

#[tokio::test]
async fn lines_are_appended_and_read_back() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { admin, account } = setup(&app).await;
        let mut two_tier = line(
            &app.cast.reseller,
            &account,
            "2026-03-30",
            "sw-200",
            "3",
            "450.50",
            "eur",
        );
        two_tier["distributor_id"] = json!(app.cast.distributor);
        two_tier["deal_ref"] = json!("DR-2026-0042");
        two_tier["source"] = json!("distributor-feed");
        let batch = json!({ "lines": [
            line(&app.cast.partner_a, &account, "2026-03-31", "fw-100", "2", "2598.00", "USD"),
            two_tier,
            line(&app.cast.partner_a, &account, "2026-04-02", "FW-100", "-1", "-1299.00", "USD"),
        ]});
        let result = post(&app, &admin, "/api/v1/sales-facts", &batch)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(result["lines"], 3, "{backend:?}: {result}");
        let new_ids = ids(&result);
        assert_eq!(new_ids.len(), 3);
        let batch_id = result["import_batch_id"].as_str().expect("a batch id").to_string();

        let list = get(&app, &admin, "/api/v1/sales-facts").await.expect(StatusCode::OK);
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "{backend:?}: {list}");
        // Newest fact date first by default.
        let dates: Vec<&str> = items.iter().map(|f| f["fact_date"].as_str().unwrap()).collect();
        assert_eq!(dates, ["2026-04-02", "2026-03-31", "2026-03-30"], "{backend:?}");
        let sale = &items[1];
        assert!(new_ids.contains(sale["id"].as_str().unwrap()));
        assert_eq!(sale["partner_id"], app.cast.partner_a.as_str());
        assert_eq!(sale["account_id"], account.as_str());
        assert_eq!(sale["quantity"], 2);
        assert_eq!(sale["amount_minor"], 259800, "{backend:?}: {sale}");
        assert_eq!(sale["currency"], "USD");
        assert_eq!(sale["source"], "import");
        assert_eq!(sale["import_batch_id"], batch_id.as_str());
        let ret = &items[0];
        assert_eq!(
            (ret["quantity"].as_i64(), ret["amount_minor"].as_i64()),
            (Some(-1), Some(-129900))
        );
        let two_tier = &items[2];
        assert_eq!(two_tier["distributor_id"], app.cast.distributor.as_str());
        assert_eq!(two_tier["amount_minor"], 45050);
        assert_eq!(two_tier["currency"], "EUR");
        assert_eq!(two_tier["deal_ref"], "DR-2026-0042");
        assert_eq!(two_tier["source"], "distributor-feed");

        let list = get(&app, &admin, "/api/v1/sales-facts?sort=fact_date&limit=2")
            .await
            .expect(StatusCode::OK);
        let first: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fact_date"].as_str().unwrap())
            .collect();
        assert_eq!(first, ["2026-03-30", "2026-03-31"]);
        let cursor = list["next_cursor"].as_str().expect("a second page").to_string();
        let list = get(
            &app,
            &admin,
            &format!("/api/v1/sales-facts?sort=fact_date&limit=2&cursor={cursor}"),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        assert_eq!(list["items"][0]["fact_date"], "2026-04-02");
        assert_eq!(list["next_cursor"], Value::Null);

        // An empty batch, too many lines and a body that is not a batch are refused.
        let problem = post(&app, &admin, "/api/v1/sales-facts", &json!({ "lines": [] }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], "lines", "{backend:?}: {problem}");
        post(&app, &admin, "/api/v1/sales-facts", &json!({ "rows": [] }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn a_bad_line_stores_nothing_and_every_problem_is_reported() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { admin, account } = setup(&app).await;
        let a = &app.cast.partner_a;
        let mut wrong_distributor = line(a, &account, "2026-03-31", "FW-100", "1", "1.00", "USD");
        wrong_distributor["distributor_id"] = json!(app.cast.partner_b);
        let batch = json!({ "lines": [
            line(a, &account, "2026-03-31", "FW-100", "1", "1299.00", "USD"),
            line(a, &account, "2026-03-31", "FW-100", "1", "1299.00", "XXX"),
            line("no-such-partner", "no-such-account", "2026-03-31", "NOPE-1", "1", "5.00", "USD"),
            line(a, &account, "2026-02-30", "FW-100", "1.5", "1.001", "USD"),
            line(a, &account, "2026-03-31", "FW-100", "-1", "10.00", "USD"),
            line(a, &account, "2026-03-31", "FW-100", "1", "100.5", "JPY"),
            wrong_distributor,
        ]});
        let problem = post(&app, &admin, "/api/v1/sales-facts", &batch)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["type"], "urn:tributary:problem:invalid-rows");
        let found: BTreeSet<(u64, String)> = rows(&problem).into_iter().collect();
        let expected: BTreeSet<(u64, String)> = [
            (2, "currency"),
            (3, "partner_id"),
            (3, "account_id"),
            (3, "product_sku"),
            (4, "fact_date"),
            (4, "quantity"),
            (4, "amount"),
            (5, "amount"),
            (6, "amount"),
            (7, "distributor_id"),
        ]
        .into_iter()
        .map(|(r, c)| (r, c.to_string()))
        .collect();
        assert_eq!(found, expected, "{backend:?}: {problem}");
        assert!(row_message(&problem, 2, "currency").contains("XXX"));
        assert!(row_message(&problem, 3, "partner_id").contains("no-such-partner"));
        assert!(row_message(&problem, 3, "account_id").contains("no-such-account"));
        assert!(row_message(&problem, 3, "product_sku").contains("NOPE-1"));
        assert!(row_message(&problem, 6, "amount").contains("JPY"));
        assert!(row_message(&problem, 7, "distributor_id").contains("not a distributor"));

        // The valid first line was not stored either.
        assert!(
            fact_ids(&app, &admin, "").await.is_empty(),
            "{backend:?}: a bad batch half-imported"
        );
        let totals = get(&app, &admin, "/api/v1/sales-facts/totals")
            .await
            .expect(StatusCode::OK);
        assert_eq!(totals, json!([]));
    }
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retry_safe() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { account, .. } = setup(&app).await;
        let client = app.token_client("finance@vendor.example", &["read", "write"]).await;
        let batch = json!({ "lines": [
            line(&app.cast.partner_a, &account, "2026-03-31", "FW-100", "2", "2598.00", "USD"),
            line(&app.cast.partner_b, &account, "2026-03-31", "SW-200", "1", "100.00", "EUR"),
        ]});

        let first = post_keyed(&app, &client, "retry-1", &batch).await;
        assert_eq!(first.replayed, None);
        let first = first.expect(StatusCode::CREATED);
        let again = post_keyed(&app, &client, "retry-1", &batch).await;
        assert_eq!(again.replayed.as_deref(), Some("true"), "{backend:?}");
        assert_eq!(again.content_type, "application/json");
        let again = again.expect(StatusCode::CREATED);
        assert_eq!(again, first, "{backend:?}: the replay differs from the first response");
        assert_eq!(
            fact_ids(&app, &client, "").await,
            ids(&first),
            "{backend:?}: stored twice"
        );

        let mut other = batch.clone();
        other["lines"][0]["quantity"] = json!("3");
        other["lines"][0]["amount"] = json!("3897.00");
        let problem = post_keyed(&app, &client, "retry-1", &other)
            .await
            .problem(StatusCode::CONFLICT);
        assert!(
            problem["detail"].as_str().unwrap().contains("Idempotency-Key"),
            "{backend:?}: {problem}"
        );
        assert_eq!(fact_ids(&app, &client, "").await.len(), 2);

        // A new key is a new request; no key means no protection.
        let third = post_keyed(&app, &client, "retry-2", &batch)
            .await
            .expect(StatusCode::CREATED);
        assert!(ids(&third).is_disjoint(&ids(&first)));
        post(&app, &client, "/api/v1/sales-facts", &batch)
            .await
            .expect(StatusCode::CREATED);
        post(&app, &client, "/api/v1/sales-facts", &batch)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(fact_ids(&app, &client, "").await.len(), 8, "{backend:?}");

        // Keys are per user: another user's identical key is a different request.
        let admin = app.token_client("admin@vendor.example", &["read", "write"]).await;
        let theirs = post_keyed(&app, &admin, "retry-1", &batch).await;
        assert_eq!(theirs.replayed, None, "{backend:?}");
        theirs.expect(StatusCode::CREATED);

        // A refused request does not burn its key: fixed, the same key goes through.
        let mut bad = batch.clone();
        bad["lines"][0]["currency"] = json!("XXX");
        post_keyed(&app, &client, "retry-3", &bad)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        post_keyed(&app, &client, "retry-3", &batch)
            .await
            .expect(StatusCode::CREATED);
        let bad_key = send(
            &app,
            client
                .post(app.url("/api/v1/sales-facts"))
                .header("idempotency-key", "has spaces")
                .json(&batch),
        )
        .await
        .problem(StatusCode::BAD_REQUEST);
        assert!(bad_key["detail"].as_str().unwrap().contains("Idempotency-Key"));
    }
}

#[tokio::test]
async fn concurrent_duplicates_with_one_key_store_the_facts_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { account, .. } = setup(&app).await;
        let client = app.token_client("admin@vendor.example", &["read", "write"]).await;
        let lines: Vec<Value> = (1..=100)
            .map(|n| {
                line(
                    &app.cast.partner_a,
                    &account,
                    "2026-03-31",
                    "FW-100",
                    "1",
                    &format!("{n}.00"),
                    "USD",
                )
            })
            .collect();
        let batch = json!({ "lines": lines });
        // The race is timing-dependent, so it is run a few times with fresh keys.
        let mut before = BTreeSet::new();
        for round in 1..=4 {
            let key = format!("race-{round}");
            let (a, b, c, d, e, f) = tokio::join!(
                post_keyed(&app, &client, &key, &batch),
                post_keyed(&app, &client, &key, &batch),
                post_keyed(&app, &client, &key, &batch),
                post_keyed(&app, &client, &key, &batch),
                post_keyed(&app, &client, &key, &batch),
                post_keyed(&app, &client, &key, &batch),
            );
            let replies = [a, b, c, d, e, f];
            let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
            let stored = fact_ids(&app, &client, "").await;
            let new: BTreeSet<String> = stored.difference(&before).cloned().collect();
            assert_eq!(
                new.len(),
                100,
                "{backend:?} round {round}: concurrent duplicates stored {} facts (statuses {statuses:?})",
                new.len()
            );
            // Every duplicate gets the first response back, not an error.
            let errors: Vec<&Value> = replies
                .iter()
                .filter(|r| r.status != StatusCode::CREATED)
                .map(|r| &r.body["detail"])
                .collect();
            assert_eq!(
                statuses,
                [StatusCode::CREATED; 6],
                "{backend:?} round {round}: concurrent duplicates were not answered with the first response: \
                 {errors:?}"
            );
            for reply in &replies {
                assert_eq!(ids(&reply.body), new, "{backend:?} round {round}: {}", reply.body);
            }
            assert_eq!(
                replies.iter().filter(|r| r.replayed.is_none()).count(),
                1,
                "{backend:?} round {round}: exactly one request did the work"
            );
            before = stored;
        }
    }
}

/// Facts for partners A, B and the reseller Rho (through the distributor Delta).
async fn ledger(app: &TestApp, admin: &Client, account: &str) -> [BTreeSet<String>; 3] {
    let mut rho_line = line(
        &app.cast.reseller,
        account,
        "2026-02-15",
        "SW-200",
        "4",
        "400.00",
        "EUR",
    );
    rho_line["distributor_id"] = json!(app.cast.distributor);
    let batches = [
        json!({ "lines": [
            line(&app.cast.partner_a, account, "2026-01-15", "FW-100", "1", "1000.00", "USD"),
            line(&app.cast.partner_a, account, "2026-02-15", "FW-100", "2", "2000.00", "USD"),
            line(&app.cast.partner_a, account, "2026-03-15", "SW-200", "1", "150.00", "EUR"),
        ]}),
        json!({ "lines": [
            line(&app.cast.partner_b, account, "2026-02-01", "FW-100", "5", "5000.00", "USD"),
        ]}),
        json!({ "lines": [rho_line] }),
    ];
    let mut out = Vec::new();
    for batch in &batches {
        let result = post(app, admin, "/api/v1/sales-facts", batch)
            .await
            .expect(StatusCode::CREATED);
        out.push(ids(&result));
    }
    [out[0].clone(), out[1].clone(), out[2].clone()]
}

#[tokio::test]
async fn facts_filter_by_date_and_currency_and_total_per_currency() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { admin, account } = setup(&app).await;
        let [alpha, beta, rho] = ledger(&app, &admin, &account).await;
        let everything: BTreeSet<String> = alpha.iter().chain(&beta).chain(&rho).cloned().collect();
        assert_eq!(fact_ids(&app, &admin, "").await, everything);

        assert_eq!(
            dates(&app, &admin, "&date_from=2026-02-01").await,
            ["2026-02-01", "2026-02-15", "2026-02-15", "2026-03-15"],
            "{backend:?}"
        );
        assert_eq!(
            dates(&app, &admin, "&date_to=2026-02-01").await,
            ["2026-01-15", "2026-02-01"],
            "{backend:?}"
        );
        assert_eq!(
            dates(&app, &admin, "&date_from=2026-02-02&date_to=2026-02-28").await,
            ["2026-02-15", "2026-02-15"]
        );
        assert_eq!(
            dates(&app, &admin, "&currency=eur").await,
            ["2026-02-15", "2026-03-15"],
            "{backend:?}"
        );
        assert_eq!(
            dates(
                &app,
                &admin,
                &format!("&partner_id={}&currency=USD", app.cast.partner_a)
            )
            .await,
            ["2026-01-15", "2026-02-15"]
        );
        for (query, field) in [("date_from=2026-02-30", "date_from"), ("date_to=yesterday", "date_to")] {
            let problem = get(&app, &admin, &format!("/api/v1/sales-facts?{query}"))
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(problem["errors"][0]["field"], field, "{backend:?}: {problem}");
            get(&app, &admin, &format!("/api/v1/sales-facts/totals?{query}"))
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
        }

        let totals = get(&app, &admin, "/api/v1/sales-facts/totals")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            totals,
            json!([
                { "currency": "EUR", "lines": 2, "amount_minor": 55000 },
                { "currency": "USD", "lines": 3, "amount_minor": 800000 },
            ]),
            "{backend:?}"
        );
        let totals = get(
            &app,
            &admin,
            "/api/v1/sales-facts/totals?date_from=2026-02-01&currency=usd",
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            totals,
            json!([{ "currency": "USD", "lines": 2, "amount_minor": 700000 }]),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn partners_see_only_their_own_facts() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { admin, account } = setup(&app).await;
        let [alpha, beta, rho] = ledger(&app, &admin, &account).await;

        let alpha_user = app.session("user@alpha.example").await;
        assert_eq!(fact_ids(&app, &alpha_user, "").await, alpha, "{backend:?}");
        // Asking for another partner's facts yields nothing, not the facts.
        let foreign = format!("&partner_id={}", app.cast.partner_b);
        assert!(fact_ids(&app, &alpha_user, &foreign).await.is_empty(), "{backend:?}");
        let totals = get(&app, &alpha_user, "/api/v1/sales-facts/totals")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            totals,
            json!([
                { "currency": "EUR", "lines": 1, "amount_minor": 15000 },
                { "currency": "USD", "lines": 2, "amount_minor": 300000 },
            ]),
            "{backend:?}"
        );

        let beta_admin = app.session("admin@beta.example").await;
        assert_eq!(fact_ids(&app, &beta_admin, "").await, beta, "{backend:?}");
        let delta_admin = app.session("admin@delta.example").await;
        assert_eq!(
            fact_ids(&app, &delta_admin, "").await,
            rho,
            "{backend:?}: the distributor sees its reseller"
        );
        let rho_user = app.session("user@rho.example").await;
        assert_eq!(fact_ids(&app, &rho_user, "").await, rho, "{backend:?}");

        let cam_a = app.session("cam.a@vendor.example").await;
        let managed: BTreeSet<String> = alpha.union(&rho).cloned().collect();
        assert_eq!(fact_ids(&app, &cam_a, "").await, managed, "{backend:?}");
        let cam_b = app.session("cam.b@vendor.example").await;
        assert_eq!(fact_ids(&app, &cam_b, "").await, beta, "{backend:?}");

        // Only finance and administrators append facts.
        let batch =
            json!({ "lines": [line(&app.cast.partner_a, &account, "2026-03-31", "FW-100", "1", "1.00", "USD")] });
        for client in [&alpha_user, &beta_admin, &cam_a] {
            post(&app, client, "/api/v1/sales-facts", &batch)
                .await
                .problem(StatusCode::FORBIDDEN);
        }
        let legal = app.session("legal@vendor.example").await;
        get(&app, &legal, "/api/v1/sales-facts")
            .await
            .problem(StatusCode::FORBIDDEN);
        let finance = app.session("finance@vendor.example").await;
        post(&app, &finance, "/api/v1/sales-facts", &batch)
            .await
            .expect(StatusCode::CREATED);
    }
}

#[tokio::test]
async fn the_refusal_counts_invalid_lines_not_problems() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let Setup { admin, account } = setup(&app).await;
        let a = &app.cast.partner_a;
        // Two bad lines, with three problems between them.
        let batch = json!({ "lines": [
            line(a, &account, "2026-02-30", "FW-100", "1", "1.00", "XXX"),
            line(a, &account, "2026-03-31", "FW-100", "1", "1.00", "USD"),
            line(a, &account, "2026-03-31", "NOPE-1", "1", "1.00", "USD"),
        ]});
        let problem = post(&app, &admin, "/api/v1/sales-facts", &batch)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["rows"].as_array().unwrap().len(), 3, "{backend:?}: {problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("2 invalid"),
            "{backend:?}: two lines are invalid but the detail says: {detail}"
        );
    }
}
