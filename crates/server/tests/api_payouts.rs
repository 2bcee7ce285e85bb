//! Payout batches over the API, on SQLite and PostgreSQL: a batch pays every approved,
//! payable statement with a positive net exactly once — under the same key twice, under
//! concurrent requests with different keys, and after a batch killed before it committed;
//! zero and negative nets and held statements are reported, not paid; points are
//! reported, not paid; the payment file and the journal (balanced per currency); mark
//! paid; the reconciliation with a reason for every difference; and who may do what.

mod common;
mod payouts_data;

use std::collections::BTreeMap;
use std::str::FromStr;

use common::TestApp;
use common::http::{fields, get, post, send};
use payouts_data::{Row, statement, today};
use reqwest::{Client, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tributary_server::services::incentives::payouts::batch;
use tributary_store::audit::Actor;
use tributary_store::repo::payouts;
use tributary_store::repo::statements::{self, StatementStatus};

async fn create_batch(app: &TestApp, client: &Client, key: &str, through: &str) -> common::http::Reply {
    let request = client
        .post(app.url("/api/v1/payout-batches"))
        .header("Idempotency-Key", key)
        .json(&json!({ "payable_through": through }));
    send(app, request).await
}

fn decimal(value: &Value) -> Decimal {
    Decimal::from_str(value.as_str().unwrap_or_else(|| panic!("a decimal string: {value}"))).unwrap()
}

/// Every payment of every batch: statement id → number of payments.
async fn payments_per_statement(app: &TestApp, finance: &Client) -> BTreeMap<String, usize> {
    let list = get(app, finance, "/api/v1/payout-batches?limit=1000")
        .await
        .expect(StatusCode::OK);
    let mut paid = BTreeMap::new();
    for b in list["items"].as_array().unwrap() {
        let detail = get(
            app,
            finance,
            &format!("/api/v1/payout-batches/{}", b["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        for p in detail["payments"].as_array().unwrap() {
            *paid.entry(p["statement_id"].as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    paid
}

#[tokio::test]
async fn a_batch_pays_each_payable_statement_once_under_its_key() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let (a, b) = (app.cast.partner_a.clone(), app.cast.partner_b.clone());
        let finance = app.session("finance@vendor.example").await;
        let paid_a = statement(&app, Row::approved(&a, "2025-12", "1000.00", "150.00")).await;
        let paid_b = statement(
            &app,
            Row {
                currency: "USD",
                points: "250",
                ..Row::approved(&b, "2025-12", "20.50", "0.00")
            },
        )
        .await;
        let held = statement(
            &app,
            Row {
                payable_on: "2099-01-31",
                ..Row::approved(&a, "2026-01", "40.00", "0.00")
            },
        )
        .await;
        let zero = statement(&app, Row::approved(&b, "2026-01", "0.00", "0.00")).await;
        let pending = statement(
            &app,
            Row {
                status: StatementStatus::PendingApproval,
                ..Row::approved(&a, "2026-02", "70.00", "0.00")
            },
        )
        .await;

        let missing = post(
            &app,
            &finance,
            "/api/v1/payout-batches",
            &json!({ "payable_through": today() }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&missing), ["Idempotency-Key"]);
        let future = create_batch(&app, &finance, "k-future", "2099-12-31")
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&future), ["payable_through"]);

        let created = create_batch(&app, &finance, "k-1", &today())
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(created["status"], "created");
        assert_eq!(created["statement_count"], 2);
        let totals = &created["totals"];
        let currencies: Vec<(&str, &str)> = totals["currencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["currency"].as_str().unwrap(), c["net"].as_str().unwrap()))
            .collect();
        assert_eq!(currencies, [("EUR", "850.00"), ("USD", "20.50")]);
        assert_eq!(totals["points"], "250", "points are reported, not paid");
        let not_paid: Vec<&str> = totals["not_paid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["statement_id"].as_str().unwrap())
            .collect();
        assert_eq!(not_paid, [zero.as_str()], "the zero net is reported");

        // The same request again: the same batch, not a second one.
        let again = create_batch(&app, &finance, "k-1", &today())
            .await
            .expect(StatusCode::OK);
        assert_eq!(again["id"], created["id"]);
        let reused = create_batch(&app, &finance, "k-1", "2026-01-01")
            .await
            .problem(StatusCode::CONFLICT);
        assert!(reused["detail"].as_str().unwrap().contains("Idempotency-Key"));
        // A new key finds nothing left to pay.
        let nothing = create_batch(&app, &finance, "k-2", &today())
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&nothing), ["payable_through"]);

        let paid = payments_per_statement(&app, &finance).await;
        assert_eq!(paid, BTreeMap::from([(paid_a.clone(), 1), (paid_b.clone(), 1)]));
        for unpaid in [&held, &zero, &pending] {
            assert!(!paid.contains_key(unpaid));
        }
        let id = created["id"].as_str().unwrap();
        let detail = get(&app, &finance, &format!("/api/v1/payout-batches/{id}"))
            .await
            .expect(StatusCode::OK);
        let payment = detail["payments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["statement_id"] == json!(paid_a))
            .unwrap();
        assert_eq!(
            (
                payment["gross"].as_str(),
                payment["withholding"].as_str(),
                payment["net"].as_str()
            ),
            (Some("1000.00"), Some("150.00"), Some("850.00"))
        );
        assert_eq!(payment["partner_name"], "Alpha Resellers");
        let audit = get(
            &app,
            &app.session("admin@vendor.example").await,
            &format!("/api/v1/audit/payout_batch/{id}"),
        )
        .await
        .expect(StatusCode::OK);
        assert!(audit.to_string().contains("payout_batch.created"), "{audit}");
    }
}

#[tokio::test]
async fn concurrent_batches_pay_each_statement_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let mut ids = Vec::new();
        for (i, partner) in [&app.cast.partner_a, &app.cast.partner_b, &app.cast.reseller]
            .iter()
            .enumerate()
        {
            for month in 1..=4 {
                let period = format!("2025-{:02}", month + i * 4);
                ids.push(statement(&app, Row::approved(partner, &period, "100.00", "10.00")).await);
            }
        }
        // Four different keys and the first key twice more, all at once.
        let keys = ["race-1", "race-2", "race-3", "race-4", "race-1", "race-1"];
        let through = today();
        let replies =
            futures_util::future::join_all(keys.iter().map(|key| create_batch(&app, &finance, key, &through))).await;
        let mut created = 0;
        let mut batch_of_race_1 = Vec::new();
        for (key, reply) in keys.iter().zip(replies) {
            match reply.status {
                StatusCode::CREATED => created += 1,
                StatusCode::OK => assert_eq!(*key, "race-1", "only a repeated key finds a batch"),
                StatusCode::UNPROCESSABLE_ENTITY => {}
                other => panic!("{backend:?} {key}: unexpected {other}: {}", reply.text),
            }
            if *key == "race-1" && reply.status.is_success() {
                batch_of_race_1.push(reply.body["id"].clone());
            }
        }
        assert!(created >= 1, "{backend:?}: some batch was created");
        batch_of_race_1.dedup();
        assert!(batch_of_race_1.len() <= 1, "{backend:?}: one key, one batch");
        let paid = payments_per_statement(&app, &finance).await;
        assert_eq!(paid.len(), ids.len(), "{backend:?}: every statement is paid");
        assert!(paid.values().all(|n| *n == 1), "{backend:?}: and each once: {paid:?}");
    }
}

#[tokio::test]
async fn a_batch_killed_before_it_commits_leaves_nothing_and_the_retry_pays_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        for month in 1..=6 {
            let period = format!("2025-{month:02}");
            statement(&app, Row::approved(&app.cast.partner_a, &period, "50.00", "5.00")).await;
        }
        let through = chrono::Utc::now().date_naive();
        {
            // The batch's own steps, then the process "dies": the transaction is dropped
            // after half the payments were written.
            let mut tx = app.db.begin().await.unwrap();
            let mut conn = tx.conn();
            let actor = Actor::system("test");
            let opened = batch::open(&mut conn, &actor, "crash-key", through).await.unwrap();
            let unpaid = payouts::unpaid(&mut conn, &through.to_string()).await.unwrap();
            assert_eq!(unpaid.len(), 6);
            for s in &unpaid[..3] {
                assert!(matches!(
                    batch::pay(&mut conn, &opened, s).await.unwrap(),
                    batch::Paid::Paid(_)
                ));
            }
        }
        let listed = get(&app, &finance, "/api/v1/payout-batches")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            listed["items"],
            json!([]),
            "{backend:?}: nothing of the dead batch remains"
        );
        assert!(payments_per_statement(&app, &finance).await.is_empty());

        let retried = create_batch(&app, &finance, "crash-key", &today())
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(retried["statement_count"], 6);
        let paid = payments_per_statement(&app, &finance).await;
        assert_eq!(paid.len(), 6);
        assert!(paid.values().all(|n| *n == 1));
    }
}

#[tokio::test]
async fn the_journal_balances_per_currency_and_the_payment_file_has_a_row_per_payment() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let a = app.cast.partner_a.clone();
        statement(&app, Row::approved(&a, "2025-10", "1234.57", "185.19")).await;
        statement(&app, Row::approved(&a, "2025-11", "10.01", "0.00")).await;
        statement(
            &app,
            Row {
                currency: "JPY",
                ..Row::approved(&app.cast.partner_b, "2025-11", "10001", "1500")
            },
        )
        .await;
        statement(
            &app,
            Row {
                currency: "USD",
                ..Row::approved(&app.cast.reseller, "2025-11", "99.99", "0.01")
            },
        )
        .await;
        let created = create_batch(&app, &finance, "journal", &today())
            .await
            .expect(StatusCode::CREATED);
        let id = created["id"].as_str().unwrap();

        let journal = get(
            &app,
            &finance,
            &format!("/api/v1/payout-batches/{id}/journal?format=json"),
        )
        .await
        .expect(StatusCode::OK);
        let mut sums: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
        for line in journal["lines"].as_array().unwrap() {
            let sum = sums.entry(line["currency"].as_str().unwrap().to_string()).or_default();
            sum.0 += decimal(&line["debit"]);
            sum.1 += decimal(&line["credit"]);
        }
        assert_eq!(sums.keys().collect::<Vec<_>>(), ["EUR", "JPY", "USD"]);
        for (currency, (debit, credit)) in &sums {
            assert_eq!(debit, credit, "{backend:?}: {currency} debits equal credits");
        }
        assert_eq!(sums["EUR"].0, Decimal::from_str("1244.58").unwrap());
        let accounts: Vec<&str> = journal["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["account_code"].as_str().unwrap())
            .collect();
        assert_eq!(
            accounts.iter().filter(|a| **a == "6400").count(),
            4,
            "one expense debit per payment"
        );
        assert_eq!(accounts.len(), 4 + 4 + 3, "no zero withholding line");

        // The accounts are the program's: finance renames one and the journal follows.
        let mut chart = get(&app, &finance, "/api/v1/payouts/journal-accounts")
            .await
            .expect(StatusCode::OK);
        chart["incentive_expense"]["code"] = json!("6150");
        send(
            &app,
            finance.put(app.url("/api/v1/payouts/journal-accounts")).json(&chart),
        )
        .await
        .expect(StatusCode::OK);
        chart["partner_payable"]["code"] = json!("6150");
        let clash = send(
            &app,
            finance.put(app.url("/api/v1/payouts/journal-accounts")).json(&chart),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&clash), ["incentive_expense.code"]);
        let csv = get(&app, &finance, &format!("/api/v1/payout-batches/{id}/journal"))
            .await
            .csv();
        assert!(csv.starts_with("journal_entry,line,date,account_code,account_name,entity_id,entity_name,"));
        assert!(csv.contains(",6150,Partner incentive expense,"), "{csv}");
        assert_eq!(csv.lines().count(), 1 + 11);

        let file = get(
            &app,
            &finance,
            &format!("/api/v1/payout-batches/{id}/export?format=csv"),
        )
        .await
        .csv();
        let mut lines = file.lines();
        assert_eq!(
            lines.next().unwrap(),
            "external_id,batch_id,vendor_id,vendor_name,statement_id,period,bill_date,due_date,currency,gross_amount,withholding_amount,net_amount,tax_country,memo"
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().any(|r| r.contains(",JPY,10001,1500,8501,DE,")), "{file}");
        assert!(rows.iter().any(|r| r.contains(",EUR,10.01,0.00,10.01,DE,")), "{file}");
        // Finance's first export marked the batch exported.
        let after = get(&app, &finance, &format!("/api/v1/payout-batches/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(after["status"], "exported");
        assert!(after["exported_at"].is_string());
    }
}

async fn reconciliation(app: &TestApp, client: &Client, query: &str) -> Value {
    get(app, client, &format!("/api/v1/payouts/reconciliation{query}"))
        .await
        .expect(StatusCode::OK)
}

fn reasons(row: &Value) -> Vec<String> {
    row["explained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["amount"].as_str().unwrap(), e["reason"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn marking_paid_and_the_reconciliation_explain_every_difference() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let a = app.cast.partner_a.clone();
        let paid = statement(&app, Row::approved(&a, "2026-Q1", "1000.00", "150.00")).await;
        statement(
            &app,
            Row {
                payable_on: "2099-10-30",
                ..Row::approved(&a, "2026-Q2", "300.00", "0.00")
            },
        )
        .await;
        statement(
            &app,
            Row {
                status: StatementStatus::PendingApproval,
                ..Row::approved(&a, "2026-Q3", "70.00", "0.00")
            },
        )
        .await;
        statement(&app, Row::approved(&app.cast.partner_b, "2026-Q1", "20.00", "0.00")).await;

        let created = create_batch(&app, &finance, "reconcile", &today())
            .await
            .expect(StatusCode::CREATED);
        let id = created["id"].as_str().unwrap();
        let report = reconciliation(&app, &finance, "").await;
        let alpha = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["partner_id"] == json!(a))
            .unwrap();
        assert_eq!(alpha["calculated"], "1220.00");
        assert_eq!(alpha["approved"], "1150.00");
        assert_eq!(alpha["in_batches"], "850.00");
        assert_eq!(alpha["paid"], "0.00");
        assert_eq!(
            reasons(alpha),
            [
                format!("850.00 in batch {id} not yet marked paid"),
                "300.00 held until 2099-10-30".to_string(),
                "70.00 awaiting approval".to_string(),
            ]
        );
        for row in report["rows"].as_array().unwrap() {
            assert_eq!(row["unexplained"], "0.00", "{backend:?}: {row}");
        }

        let marked = post(
            &app,
            &finance,
            &format!("/api/v1/payout-batches/{id}/mark-paid"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(marked["status"], "paid");
        post(
            &app,
            &finance,
            &format!("/api/v1/payout-batches/{id}/mark-paid"),
            &json!({}),
        )
        .await
        .problem(StatusCode::CONFLICT);
        let mut pooled = app.db.acquire().await.unwrap();
        let stored = statements::get(&mut pooled.conn(), &tributary_store::Scope::All, &paid)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, StatementStatus::Paid);
        assert!(stored.paid_at.is_some());
        drop(pooled);

        let q1 = reconciliation(&app, &finance, "?period_key=2026-Q1").await;
        assert_eq!(q1["period_key"], "2026-Q1");
        let rows = q1["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        for row in rows {
            assert_eq!(
                (row["difference"].as_str(), row["unexplained"].as_str()),
                (Some("0.00"), Some("0.00"))
            );
        }
        let all = reconciliation(&app, &finance, "").await;
        let alpha = all["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["partner_id"] == json!(a))
            .unwrap();
        assert_eq!(alpha["paid"], "850.00");
        assert_eq!(alpha["difference"], "370.00");
        assert_eq!(
            reasons(alpha),
            ["300.00 held until 2099-10-30", "70.00 awaiting approval"]
        );
        for total in all["totals"].as_array().unwrap() {
            assert_eq!(total["unexplained"], "0.00");
        }
        let csv = get(&app, &finance, "/api/v1/payouts/reconciliation?format=csv")
            .await
            .csv();
        assert!(csv.starts_with("partner_id,partner_name,currency,statements,calculated,approved,in_batches,paid,difference,unexplained,reasons"));
        assert!(csv.contains("held until 2099-10-30"));
    }
}

#[tokio::test]
async fn channel_managers_read_their_partners_share_and_partners_see_no_batches() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        statement(&app, Row::approved(&app.cast.partner_a, "2025-12", "100.00", "0.00")).await;
        statement(&app, Row::approved(&app.cast.partner_b, "2025-12", "200.00", "0.00")).await;
        statement(&app, Row::approved(&app.cast.partner_b, "2026-01", "0.00", "0.00")).await;
        let created = create_batch(&app, &finance, "scoped", &today())
            .await
            .expect(StatusCode::CREATED);
        let id = created["id"].as_str().unwrap();

        let cam = app.session("cam.a@vendor.example").await;
        let seen = get(&app, &cam, &format!("/api/v1/payout-batches/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(seen["payments"].as_array().unwrap().len(), 1);
        assert_eq!(seen["totals"]["currencies"][0]["net"], "100.00");
        assert_eq!(seen["totals"]["not_paid"], json!([]));
        assert!(!seen.to_string().contains(&app.cast.partner_b), "{seen}");
        let file = get(&app, &cam, &format!("/api/v1/payout-batches/{id}/export"))
            .await
            .csv();
        assert!(!file.contains("Beta"));
        let report = reconciliation(&app, &cam, "").await;
        assert_eq!(report["rows"].as_array().unwrap().len(), 1);
        create_batch(&app, &cam, "cam", &today())
            .await
            .problem(StatusCode::FORBIDDEN);
        post(
            &app,
            &cam,
            &format!("/api/v1/payout-batches/{id}/mark-paid"),
            &json!({}),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        // A channel manager's download does not mark the batch exported.
        let after = get(&app, &finance, &format!("/api/v1/payout-batches/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(after["status"], "created");

        let partner = app.session("admin@alpha.example").await;
        for path in [
            "/api/v1/payout-batches".to_string(),
            format!("/api/v1/payout-batches/{id}"),
            "/api/v1/payouts/reconciliation".to_string(),
        ] {
            get(&app, &partner, &path).await.problem(StatusCode::FORBIDDEN);
        }
    }
}
