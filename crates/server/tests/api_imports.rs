//! File interchange: `POST /api/v1/imports/{kind}` (CSV, and Parquet for sales facts; all
//! rows or none, every bad row reported with its spreadsheet row number, column and
//! reason; header problems; idempotency keys; who may import what),
//! `GET /api/v1/imports/{kind}/template`, and `GET /api/v1/exports/{kind}` (CSV that
//! re-imports unchanged, honouring list filters and the caller's scope).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use common::TestApp;
use common::http::{Reply, get, new_account, post, row_message, rows, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tributary_domain::money::Currency;
use tributary_domain::sales::SalesFactFields;
use tributary_interchange::{SalesFactRecord, write_sales_parquet};

/// Uploads a CSV file to `/api/v1/imports/{kind}`.
async fn import_csv(app: &TestApp, client: &Client, kind: &str, csv: &str) -> Reply {
    send(
        app,
        client
            .post(app.url(&format!("/api/v1/imports/{kind}")))
            .header("content-type", "text/csv")
            .body(csv.to_string()),
    )
    .await
}

/// A CSV text as records keyed by header name.
fn parse_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn column(records: &[BTreeMap<String, String>], name: &str) -> Vec<String> {
    records.iter().map(|r| r[name].clone()).collect()
}

async fn count(app: &TestApp, client: &Client, path: &str) -> usize {
    get(app, client, path).await.expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .len()
}

const PRODUCTS_HEADER: &str = "sku,name,family,list_price,currency,active";

#[tokio::test]
async fn a_products_csv_is_imported_and_counted() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let csv = format!(
            "{PRODUCTS_HEADER}\nfw-100,Firewall 100,Firewalls,1299.00,usd,true\n\
             SW-200,\"Switch 200, 24 ports\",Switches,450.5,EUR,\nJP-1,Router JP,Routers,98000,JPY,no\n"
        );
        let outcome = import_csv(&app, &admin, "products", &csv)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            outcome,
            json!({ "kind": "products", "rows": 3, "created": 3, "updated": 0, "import_batch_id": null }),
            "{backend:?}"
        );
        let list = get(&app, &admin, "/api/v1/products").await.expect(StatusCode::OK);
        let items = list["items"].as_array().unwrap();
        let skus: Vec<&str> = items.iter().map(|p| p["sku"].as_str().unwrap()).collect();
        assert_eq!(skus, ["FW-100", "JP-1", "SW-200"], "{backend:?}");
        assert_eq!(items[1]["active"], false);
        assert_eq!(items[2]["name"], "Switch 200, 24 ports");
        assert_eq!(items[2]["active"], true);

        // Importing again with a changed price updates by SKU.
        let csv =
            format!("{PRODUCTS_HEADER}\nFW-100,Firewall 100,Firewalls,1349.00,USD,true\nNEW-1,New,Kits,1.00,EUR,\n");
        let outcome = import_csv(&app, &admin, "products", &csv)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            (outcome["created"].as_u64(), outcome["updated"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(count(&app, &admin, "/api/v1/products").await, 4);
        // A header-only file imports nothing, an empty file is refused.
        let outcome = import_csv(&app, &admin, "products", &format!("{PRODUCTS_HEADER}\n"))
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(outcome["rows"], 0);
        import_csv(&app, &admin, "products", "")
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        get(&app, &admin, "/api/v1/jobs/no-such-job")
            .await
            .problem(StatusCode::NOT_FOUND);
        // Unknown kinds do not exist.
        import_csv(&app, &admin, "spaceships", "a,b\n1,2\n")
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_names_every_problem() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let csv = format!(
            "{PRODUCTS_HEADER}\n\
             GOOD-1,Good one,Kits,10.00,EUR,true\n\
             BAD-3,Bad currency,Kits,10.00,EURO,true\n\
             GOOD-4,Good too,Kits,12.00,USD,\n\
             BAD-5,Yen with decimals,Kits,100.5,JPY,\n\
             BAD-6,Short row\n\
             BAD 7,,Kits,1.00,EUR,maybe\n"
        );
        let problem = import_csv(&app, &admin, "products", &csv)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["type"], "urn:tributary:problem:invalid-rows");
        let found: BTreeSet<(u64, String)> = rows(&problem).into_iter().collect();
        let expected: BTreeSet<(u64, String)> = [
            (3, "currency"),
            (5, "list_price"),
            (6, ""),
            (7, "sku"),
            (7, "name"),
            (7, "active"),
        ]
        .into_iter()
        .map(|(r, c)| (r, c.to_string()))
        .collect();
        assert_eq!(found, expected, "{backend:?}: {problem}");
        assert!(row_message(&problem, 3, "currency").contains("EURO"), "{problem}");
        assert!(row_message(&problem, 5, "list_price").contains("JPY"), "{problem}");
        assert!(row_message(&problem, 6, "").contains("cells"), "{problem}");
        assert_eq!(
            count(&app, &admin, "/api/v1/products").await,
            0,
            "{backend:?}: valid rows of a bad file were imported"
        );

        // A file whose header names an unknown column is refused before any row is read.
        let csv = "sku,name,family,list_price,currency,colour\nGOOD-1,Good,Kits,1.00,EUR,red\n";
        let problem = import_csv(&app, &admin, "products", csv)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(rows(&problem), [(1, String::new())], "{backend:?}: {problem}");
        let message = row_message(&problem, 1, "");
        assert!(message.contains("colour") && message.contains("unknown"), "{message}");
        let csv = "sku,name,list_price\nGOOD-1,Good,1.00\n";
        let problem = import_csv(&app, &admin, "products", csv)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let message = row_message(&problem, 1, "");
        assert!(
            message.contains("family") && message.contains("currency"),
            "{backend:?}: {message}"
        );
        assert_eq!(count(&app, &admin, "/api/v1/products").await, 0);

        // A bad reference in a partner row also rolls back the good rows before it.
        let csv = "name,partner_type,size_band,country,payout_currency,tax_country,channel_manager_id\n\
                   Fine Partner,reseller,11-50,DE,EUR,DE,\n\
                   Odd Partner,reseller,11-50,DE,EUR,DE,no-such-user\n";
        let problem = import_csv(&app, &admin, "partners", csv)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            rows(&problem),
            [(3, "channel_manager_id".to_string())],
            "{backend:?}: {problem}"
        );
        assert_eq!(count(&app, &admin, "/api/v1/partners?q=partner&limit=100").await, 0);
    }
}

fn sales_record(partner: &str, account: &str, date: &str, quantity: i64, amount_minor: i64) -> SalesFactRecord {
    SalesFactRecord {
        id: String::new(),
        fact: SalesFactFields {
            fact_date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            partner_id: partner.to_string(),
            distributor_id: None,
            account_id: account.to_string(),
            product_sku: "FW-100".into(),
            quantity,
            amount_minor,
            currency: Currency::parse("USD").unwrap(),
            deal_ref: None,
            source: "erp".into(),
            cost_minor: None,
        },
        deal_registered: false,
        created_at: String::new(),
    }
}

async fn import_parquet(app: &TestApp, client: &Client, records: &[SalesFactRecord]) -> Reply {
    let bytes = write_sales_parquet(Vec::new(), records).expect("a Parquet file");
    send(
        app,
        client
            .post(app.url("/api/v1/imports/sales-facts"))
            .header("content-type", "application/vnd.apache.parquet")
            .body(bytes),
    )
    .await
}

#[tokio::test]
async fn sales_facts_are_imported_from_csv_and_parquet() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let account = new_account(&app, &admin).await;
        import_csv(
            &app,
            &admin,
            "products",
            &format!("{PRODUCTS_HEADER}\nFW-100,Firewall,Firewalls,1299.00,USD,\n"),
        )
        .await
        .expect(StatusCode::CREATED);
        let a = &app.cast.partner_a;
        let rho = &app.cast.reseller;
        let delta = &app.cast.distributor;
        let csv = format!(
            "fact_date,partner_id,distributor_id,account_id,product_sku,quantity,amount,currency,deal_ref,source\n\
             2026-03-31,{a},,{account},fw-100,2,2598.00,USD,DR-1,crm\n\
             2026-03-31,{rho},{delta},{account},FW-100,1,1299.00,USD,,\n\
             2026-04-02,{a},,{account},FW-100,-1,-1299.00,USD,DR-1,crm\n"
        );
        let outcome = import_csv(&app, &admin, "sales-facts", &csv)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(outcome["kind"], "sales-facts");
        assert_eq!(
            (outcome["rows"].as_u64(), outcome["created"].as_u64()),
            (Some(3), Some(3)),
            "{outcome}"
        );
        let batch = outcome["import_batch_id"].as_str().expect("a batch id").to_string();
        let list = get(&app, &admin, "/api/v1/sales-facts?sort=fact_date")
            .await
            .expect(StatusCode::OK);
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "{backend:?}");
        assert!(items.iter().all(|f| f["import_batch_id"] == batch.as_str()));
        let minor: i64 = items.iter().map(|f| f["amount_minor"].as_i64().unwrap()).sum();
        assert_eq!(minor, 259800, "{backend:?}");
        assert_eq!(items[1]["distributor_id"], delta.as_str());
        assert_eq!(items[1]["source"], "import");
        assert_eq!(items[0]["source"], "crm");

        // Bad rows: nothing imported, each row named.
        let csv = format!(
            "fact_date,partner_id,account_id,product_sku,quantity,amount,currency\n\
             2026-05-01,{a},{account},FW-100,1,1.00,USD\n\
             2026-05-01,ghost,{account},FW-100,1,1.00,USD\n\
             2026-05-01,{a},{account},NOPE,1,1.00,USD\n\
             2026-05-01,{a},{account},FW-100,1,1.00,ZZZ\n"
        );
        let problem = import_csv(&app, &admin, "sales-facts", &csv)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            rows(&problem),
            [
                (3, "partner_id".to_string()),
                (4, "product_sku".to_string()),
                (5, "currency".to_string())
            ],
            "{backend:?}: {problem}"
        );
        assert_eq!(count(&app, &admin, "/api/v1/sales-facts").await, 3);

        // Parquet.
        let records = [
            sales_record(a, &account, "2026-06-01", 1, 129900),
            sales_record(a, &account, "2026-06-02", 3, 389700),
        ];
        let outcome = import_parquet(&app, &admin, &records).await.expect(StatusCode::CREATED);
        assert_eq!(
            (outcome["rows"].as_u64(), outcome["created"].as_u64()),
            (Some(2), Some(2)),
            "{backend:?}: {outcome}"
        );
        let list = get(&app, &admin, "/api/v1/sales-facts?date_from=2026-06-01&sort=fact_date")
            .await
            .expect(StatusCode::OK);
        let amounts: Vec<i64> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["amount_minor"].as_i64().unwrap())
            .collect();
        assert_eq!(amounts, [129900, 389700], "{backend:?}");
        assert!(list["items"].as_array().unwrap().iter().all(|f| f["source"] == "erp"));
        let bad = [
            sales_record(a, &account, "2026-07-01", 1, 100),
            sales_record("ghost", &account, "2026-07-01", 1, 100),
        ];
        let problem = import_parquet(&app, &admin, &bad)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            rows(&problem),
            [(2, "partner_id".to_string())],
            "{backend:?}: {problem}"
        );
        assert_eq!(count(&app, &admin, "/api/v1/sales-facts").await, 5);
        // Not a Parquet file at all; and Parquet is for sales facts only.
        send(
            &app,
            admin
                .post(app.url("/api/v1/imports/sales-facts"))
                .header("content-type", "application/vnd.apache.parquet")
                .body("not parquet"),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let bytes = write_sales_parquet(Vec::new(), &records).unwrap();
        send(
            &app,
            admin
                .post(app.url("/api/v1/imports/products"))
                .header("content-type", "application/vnd.apache.parquet")
                .body(bytes),
        )
        .await
        .problem(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn import_idempotency_keys_replay_and_refuse_reuse() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app
            .token_client("admin@vendor.example", &["read", "write", "import"])
            .await;
        let keyed = |csv: &str, key: &str| {
            admin
                .post(app.url("/api/v1/imports/products"))
                .header("content-type", "text/csv")
                .header("idempotency-key", key)
                .body(csv.to_string())
        };
        let csv = format!("{PRODUCTS_HEADER}\nK-1,One,Kits,1.00,EUR,\n");
        let first = send(&app, keyed(&csv, "upload-1")).await;
        assert_eq!(first.replayed, None);
        let first = first.expect(StatusCode::CREATED);
        let again = send(&app, keyed(&csv, "upload-1")).await;
        assert_eq!(again.replayed.as_deref(), Some("true"), "{backend:?}");
        assert_eq!(again.expect(StatusCode::CREATED), first, "{backend:?}");
        let other = format!("{PRODUCTS_HEADER}\nK-2,Two,Kits,1.00,EUR,\n");
        send(&app, keyed(&other, "upload-1"))
            .await
            .problem(StatusCode::CONFLICT);
        assert_eq!(count(&app, &admin, "/api/v1/products").await, 1, "{backend:?}");
    }
}

#[tokio::test]
async fn concurrent_duplicate_imports_with_one_key_apply_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app
            .token_client("admin@vendor.example", &["read", "write", "import"])
            .await;
        let session = app.session("admin@vendor.example").await;
        let account = new_account(&app, &session).await;
        import_csv(
            &app,
            &session,
            "products",
            &format!("{PRODUCTS_HEADER}\nFW-100,Firewall,Firewalls,1299.00,USD,\n"),
        )
        .await
        .expect(StatusCode::CREATED);
        let a = &app.cast.partner_a;
        let mut csv = "fact_date,partner_id,account_id,product_sku,quantity,amount,currency\n".to_string();
        for n in 1..=300 {
            csv.push_str(&format!("2026-03-31,{a},{account},FW-100,1,{n}.00,USD\n"));
        }
        // The race is timing-dependent, so it is run a few times with fresh keys.
        let mut before = 0;
        for round in 1..=3 {
            let key = format!("feed-2026-03-31-{round}");
            let upload = || {
                send(
                    &app,
                    admin
                        .post(app.url("/api/v1/imports/sales-facts"))
                        .header("content-type", "text/csv")
                        .header("idempotency-key", key.as_str())
                        .body(csv.clone()),
                )
            };
            let (w, x, y, z) = tokio::join!(upload(), upload(), upload(), upload());
            let statuses = [w.status, x.status, y.status, z.status];
            let totals = get(&app, &admin, "/api/v1/sales-facts/totals")
                .await
                .expect(StatusCode::OK);
            let stored = totals[0]["lines"].as_u64().expect("a USD total");
            assert_eq!(
                stored - before,
                300,
                "{backend:?} round {round}: one keyed upload sent four times at once stored {} facts \
                 (statuses {statuses:?})",
                stored - before
            );
            assert_eq!(statuses, [StatusCode::CREATED; 4], "{backend:?} round {round}");
            before = stored;
        }
    }
}

#[tokio::test]
async fn templates_name_the_columns() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let response = admin
            .get(app.url("/api/v1/imports/products/template"))
            .send()
            .await
            .unwrap();
        let disposition = response
            .headers()
            .get("content-disposition")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            disposition.contains("products-template.csv"),
            "{backend:?}: {disposition}"
        );
        let reply = send(&app, admin.get(app.url("/api/v1/imports/products/template"))).await;
        let text = reply.csv();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(PRODUCTS_HEADER), "{backend:?}: {text}");
        assert!(lines.next().is_some(), "the template has an example row");
        let text = get(&app, &admin, "/api/v1/imports/partners/template").await.csv();
        let header = text.lines().next().unwrap();
        for name in ["id", "name", "partner_type", "payout_currency", "channel_manager_id"] {
            assert!(
                header.split(',').any(|h| h == name),
                "{backend:?}: {name} not in {header}"
            );
        }
        let text = get(&app, &admin, "/api/v1/imports/sales-facts/template").await.csv();
        assert!(text.starts_with("fact_date,partner_id,"), "{backend:?}: {text}");
        get(&app, &admin, "/api/v1/imports/spaceships/template")
            .await
            .problem(StatusCode::NOT_FOUND);
        let alpha = app.session("user@alpha.example").await;
        get(&app, &alpha, "/api/v1/imports/users/template").await.csv();
        get(&app, &alpha, "/api/v1/imports/accounts/template")
            .await
            .problem(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn exports_re_import_unchanged() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        import_csv(
            &app,
            &admin,
            "products",
            &format!(
                "{PRODUCTS_HEADER}\nFW-100,\"Firewall, \"\"pro\"\"\",Firewalls,1299.00,USD,\n\
                 JP-1,=cmd,Routers,98000,JPY,false\nSW-200,Switch,-Switches,0.5,EUR,\n"
            ),
        )
        .await
        .expect(StatusCode::CREATED);
        put_json(&app, &admin, "/api/v1/verticals/retail", &json!({ "name": "Retail" })).await;
        put_json(
            &app,
            &admin,
            "/api/v1/regions/dach",
            &json!({ "name": "DACH", "countries": ["DE", "AT", "CH"] }),
        )
        .await;
        post(
            &app,
            &admin,
            "/api/v1/fx-rates",
            &json!({ "from_currency": "EUR", "to_currency": "USD", "rate_date": "2026-01-02", "rate": "1.0842" }),
        )
        .await
        .expect(StatusCode::OK);
        let company = new_account(&app, &admin).await;
        post(
            &app,
            &admin,
            "/api/v1/accounts",
            &json!({ "name": "Globex EU", "kind": "subsidiary", "parent_id": company, "country": "DE", "domains": ["globex.example"] }),
        )
        .await
        .expect(StatusCode::CREATED);
        let mut partner = get(&app, &admin, &format!("/api/v1/partners/{}", app.cast.partner_a))
            .await
            .expect(StatusCode::OK);
        partner["verticals"] = json!(["retail"]);
        partner["countries_served"] = json!(["DE", "AT"]);
        partner["latitude"] = json!("52.52");
        partner["longitude"] = json!("13.405");
        put_json(
            &app,
            &admin,
            &format!("/api/v1/partners/{}", app.cast.partner_a),
            &partner,
        )
        .await;

        let exported = get(&app, &admin, "/api/v1/exports/products").await.csv();
        let records = parse_csv(&exported);
        assert_eq!(
            column(&records, "sku"),
            ["FW-100", "JP-1", "SW-200"],
            "{backend:?}: {exported}"
        );
        assert_eq!(records[0]["name"], "Firewall, \"pro\"");
        assert_eq!(records[1]["name"], "'=cmd", "{backend:?}: formulas are neutralised");
        let before = get(&app, &admin, "/api/v1/products").await.expect(StatusCode::OK);
        let outcome = import_csv(&app, &admin, "products", &exported)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            (
                outcome["rows"].as_u64(),
                outcome["created"].as_u64(),
                outcome["updated"].as_u64()
            ),
            (Some(3), Some(0), Some(3)),
            "{backend:?}: {outcome}"
        );
        let after = get(&app, &admin, "/api/v1/products").await.expect(StatusCode::OK);
        for (b, a) in before["items"]
            .as_array()
            .unwrap()
            .iter()
            .zip(after["items"].as_array().unwrap())
        {
            for field in ["id", "sku", "name", "family", "list_price", "currency", "active"] {
                assert_eq!(b[field], a[field], "{backend:?}: {field} changed by the round trip");
            }
        }

        for (kind, list) in [
            ("partners", "/api/v1/partners?limit=1000"),
            ("accounts", "/api/v1/accounts?limit=1000"),
            ("users", "/api/v1/users?limit=1000"),
        ] {
            let before = get(&app, &admin, list).await.expect(StatusCode::OK);
            let exported = get(&app, &admin, &format!("/api/v1/exports/{kind}")).await.csv();
            let n = parse_csv(&exported).len() as u64;
            assert_eq!(
                n as usize,
                before["items"].as_array().unwrap().len(),
                "{backend:?}: {kind}"
            );
            let outcome = import_csv(&app, &admin, kind, &exported)
                .await
                .expect(StatusCode::CREATED);
            assert_eq!(
                (outcome["created"].as_u64(), outcome["updated"].as_u64()),
                (Some(0), Some(n)),
                "{backend:?}: {kind}: {outcome}"
            );
            let after = get(&app, &admin, list).await.expect(StatusCode::OK);
            let strip = |v: &Value| -> Vec<Value> {
                v["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|item| {
                        let mut item = item.clone();
                        for volatile in ["updated_at", "version", "last_login_at"] {
                            item.as_object_mut().unwrap().remove(volatile);
                        }
                        item
                    })
                    .collect()
            };
            assert_eq!(
                strip(&before),
                strip(&after),
                "{backend:?}: the {kind} round trip changed data"
            );
        }
        for kind in ["regions", "verticals", "fx-rates"] {
            let exported = get(&app, &admin, &format!("/api/v1/exports/{kind}")).await.csv();
            let outcome = import_csv(&app, &admin, kind, &exported)
                .await
                .expect(StatusCode::CREATED);
            assert_eq!(
                (outcome["created"].as_u64(), outcome["updated"].as_u64()),
                (Some(0), Some(1)),
                "{backend:?}: {kind}: {outcome}"
            );
        }
        get(&app, &admin, "/api/v1/exports/spaceships")
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

async fn put_json(app: &TestApp, client: &Client, path: &str, body: &Value) {
    send(app, client.put(app.url(path)).json(body))
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn exports_honour_filters_and_scope() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let names = |text: &str| column(&parse_csv(text), "name");

        let all = get(&app, &admin, "/api/v1/exports/partners").await.csv();
        assert_eq!(
            names(&all),
            [
                "Alpha Resellers",
                "Beta Managed Services",
                "Delta Distribution",
                "Rho Resale"
            ],
            "{backend:?}"
        );
        let msps = get(&app, &admin, "/api/v1/exports/partners?partner_type=msp")
            .await
            .csv();
        assert_eq!(names(&msps), ["Beta Managed Services"], "{backend:?}");
        let searched = get(&app, &admin, "/api/v1/exports/partners?q=res").await.csv();
        assert_eq!(names(&searched), ["Alpha Resellers", "Rho Resale"], "{backend:?}");

        let alpha = app.session("user@alpha.example").await;
        let own = get(&app, &alpha, "/api/v1/exports/partners").await.csv();
        assert_eq!(
            names(&own),
            ["Alpha Resellers"],
            "{backend:?}: a partner user exported others"
        );
        let delta = app.session("admin@delta.example").await;
        let own = get(&app, &delta, "/api/v1/exports/partners").await.csv();
        assert_eq!(names(&own), ["Delta Distribution", "Rho Resale"], "{backend:?}");
        let cam_b = app.session("cam.b@vendor.example").await;
        let managed = get(&app, &cam_b, "/api/v1/exports/partners").await.csv();
        assert_eq!(names(&managed), ["Beta Managed Services"], "{backend:?}");
        let users = get(&app, &alpha, "/api/v1/exports/users").await.csv();
        assert_eq!(
            column(&parse_csv(&users), "email"),
            ["admin@alpha.example", "user@alpha.example"],
            "{backend:?}"
        );

        // Sales facts: scope and date filter.
        let account = new_account(&app, &admin).await;
        import_csv(
            &app,
            &admin,
            "products",
            &format!("{PRODUCTS_HEADER}\nFW-100,Firewall,Firewalls,1299.00,USD,\n"),
        )
        .await
        .expect(StatusCode::CREATED);
        let (a, b) = (&app.cast.partner_a, &app.cast.partner_b);
        let csv = format!(
            "fact_date,partner_id,account_id,product_sku,quantity,amount,currency\n\
             2026-01-10,{a},{account},FW-100,1,1299.00,USD\n\
             2026-02-10,{a},{account},FW-100,-1,-1299.00,USD\n\
             2026-02-11,{b},{account},FW-100,2,2598.00,USD\n"
        );
        import_csv(&app, &admin, "sales-facts", &csv)
            .await
            .expect(StatusCode::CREATED);
        let facts = parse_csv(&get(&app, &alpha, "/api/v1/exports/sales-facts").await.csv());
        assert_eq!(column(&facts, "partner_id"), [a.clone(), a.clone()], "{backend:?}");
        assert_eq!(column(&facts, "amount"), ["1299.00", "-1299.00"], "{backend:?}");
        assert_eq!(column(&facts, "product_sku"), ["FW-100", "FW-100"]);
        let february = parse_csv(
            &get(&app, &admin, "/api/v1/exports/sales-facts?date_from=2026-02-01")
                .await
                .csv(),
        );
        assert_eq!(
            column(&february, "fact_date"),
            ["2026-02-10", "2026-02-11"],
            "{backend:?}"
        );
        get(&app, &admin, "/api/v1/exports/sales-facts?date_from=februar")
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        // The sales export re-imports (as new lines: facts are append-only).
        let exported = get(&app, &admin, "/api/v1/exports/sales-facts").await.csv();
        let outcome = import_csv(&app, &admin, "sales-facts", &exported)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(outcome["created"], 3, "{backend:?}: {outcome}");
        // Who may export what follows who may read it.
        get(&app, &alpha, "/api/v1/exports/accounts")
            .await
            .problem(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn who_may_import_what() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let csv = format!("{PRODUCTS_HEADER}\nX-1,X,Kits,1.00,EUR,\n");
        for email in [
            "user@alpha.example",
            "admin@alpha.example",
            "cam.a@vendor.example",
            "finance@vendor.example",
        ] {
            let client = app.session(email).await;
            let problem = import_csv(&app, &client, "products", &csv)
                .await
                .problem(StatusCode::FORBIDDEN);
            assert!(
                problem["detail"].as_str().unwrap().contains("import"),
                "{backend:?}: {email}: {problem}"
            );
        }
        let no_import = app.token_client("admin@vendor.example", &["read", "write"]).await;
        let problem = import_csv(&app, &no_import, "products", &csv)
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(
            problem["detail"].as_str().unwrap().contains("'import'"),
            "{backend:?}: {problem}"
        );
        let with_import = app.token_client("admin@vendor.example", &["import"]).await;
        import_csv(&app, &with_import, "products", &csv)
            .await
            .expect(StatusCode::CREATED);

        // A partner administrator updates its own profile from a file, but cannot create
        // organisations or touch another one.
        let alpha_admin = app.session("admin@alpha.example").await;
        let a = &app.cast.partner_a;
        let b = &app.cast.partner_b;
        let header = "id,name,partner_type,size_band,country,payout_currency,tax_country,status,city";
        let own = format!("{header}\n{a},Alpha Resellers,reseller,11-50,DE,USD,DE,terminated,Bremen\n");
        import_csv(&app, &alpha_admin, "partners", &own)
            .await
            .expect(StatusCode::CREATED);
        let admin = app.session("admin@vendor.example").await;
        let alpha = get(&app, &admin, &format!("/api/v1/partners/{a}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(alpha["city"], "Bremen", "{backend:?}");
        assert_eq!(
            alpha["status"], "active",
            "{backend:?}: a partner admin changed its status by import"
        );
        assert_eq!(alpha["payout_currency"], "EUR");
        let foreign = format!("{header}\n{b},Hijacked,msp,11-50,DE,EUR,DE,active,Nowhere\n");
        let problem = import_csv(&app, &alpha_admin, "partners", &foreign)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(rows(&problem)[0].0, 2, "{backend:?}: {problem}");
        let created = format!("{header}\n,Spin-off,reseller,11-50,DE,EUR,DE,,\n");
        import_csv(&app, &alpha_admin, "partners", &created)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let beta = get(&app, &admin, &format!("/api/v1/partners/{b}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(beta["name"], "Beta Managed Services", "{backend:?}");
    }
}

#[tokio::test]
async fn a_users_import_cannot_hand_out_roles_the_api_refuses() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let header = "email,display_name,role,partner_id";

        // A partner administrator imports its own organisation's users…
        let alpha_admin = app.session("admin@alpha.example").await;
        let a = &app.cast.partner_a;
        let fine = format!("{header}\nnew@alpha.example,New,partner_user,{a}\n");
        import_csv(&app, &alpha_admin, "users", &fine)
            .await
            .expect(StatusCode::CREATED);

        // …but may not make itself a vendor administrator, create vendor staff, or pull
        // another organisation's user into its own, just as the API refuses all three.
        let escalations = [
            format!("{header}\nadmin@alpha.example,Alpha Admin,admin,\n"),
            format!("{header}\nrogue@vendor.example,Rogue,admin,\n"),
            format!("{header}\nuser@beta.example,Beta User,partner_admin,{a}\n"),
        ];
        let mut accepted = Vec::new();
        for csv in escalations.iter().rev() {
            let reply = import_csv(&app, &alpha_admin, "users", csv).await;
            if reply.status.is_success() {
                accepted.push(format!("admin@alpha.example: {}", csv.lines().nth(1).unwrap()));
            }
        }
        // A channel manager may not create administrators by import either.
        let cam = app.session("cam.a@vendor.example").await;
        let boss = format!("{header}\nboss@vendor.example,Boss,admin,\n");
        if import_csv(&app, &cam, "users", &boss).await.status.is_success() {
            accepted.push(format!("cam.a@vendor.example: {}", boss.lines().nth(1).unwrap()));
        }

        let me = get(&app, &admin, &format!("/api/v1/users/{}", app.cast.partner_a_admin))
            .await
            .expect(StatusCode::OK);
        let beta_user = get(&app, &admin, &format!("/api/v1/users/{}", app.cast.partner_b_user))
            .await
            .expect(StatusCode::OK);
        let boss = get(&app, &admin, "/api/v1/users?q=boss@vendor.example")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            accepted,
            Vec::<String>::new(),
            "{backend:?}: users imports the API would refuse were accepted; now admin@alpha is {}, \
             user@beta.example belongs to {} and boss@vendor.example is {}",
            me["role"],
            beta_user["partner_id"],
            boss["items"][0]["role"]
        );
        assert_eq!(
            me["role"], "partner_admin",
            "{backend:?}: privilege escalation by import"
        );
        assert_eq!(beta_user["partner_id"], app.cast.partner_b.as_str(), "{backend:?}");
        assert_eq!(boss["items"], json!([]), "{backend:?}");
    }
}
