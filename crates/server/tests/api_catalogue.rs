//! Master data besides partners and users: products (`/api/v1/products`: SKU uniqueness,
//! currency precision), customer accounts and their hierarchy (`/api/v1/accounts`,
//! `…/children`), regions and verticals (upsert by code), daily FX rates (upsert by key,
//! validation, date filters) and saved segments (CRUD, known codes, unique names, and
//! `GET /api/v1/partners?segment_id=`).

mod common;

use std::str::FromStr;

use common::TestApp;
use common::http::{delete, fields, get, message, post, put};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn decimal(value: &Value) -> Decimal {
    Decimal::from_str(value.as_str().unwrap_or_else(|| panic!("a decimal string: {value}"))).unwrap()
}

fn list_of<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    let items = list.get("items").unwrap_or(list);
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item[key].as_str().unwrap())
        .collect()
}

fn product(sku: &str, price: &str, currency: &str) -> Value {
    json!({ "sku": sku, "name": format!("Product {sku}"), "family": "Firewalls", "list_price": price, "currency": currency })
}

#[tokio::test]
async fn products_have_unique_skus_and_prices_fit_their_currency() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;

        let created = post(&app, &admin, "/api/v1/products", &product("fw-100", "1299.00", "usd"))
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(created["sku"], "FW-100", "{backend:?}: {created}");
        assert_eq!(created["currency"], "USD");
        assert_eq!(decimal(&created["list_price"]), Decimal::new(129900, 2));
        assert_eq!(created["active"], true);
        let id = created["id"].as_str().unwrap().to_string();
        let read = get(&app, &admin, &format!("/api/v1/products/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(read["sku"], "FW-100");
        assert_eq!(
            decimal(&read["list_price"]),
            Decimal::new(129900, 2),
            "{backend:?}: {read}"
        );

        for sku in ["FW-100", "fw-100"] {
            let problem = post(&app, &admin, "/api/v1/products", &product(sku, "1.00", "EUR"))
                .await
                .problem(StatusCode::CONFLICT);
            assert_eq!(problem["type"], "urn:tributary:problem:conflict");
            assert!(problem["detail"].as_str().unwrap().contains("FW-100"), "{problem}");
        }

        let problem = post(&app, &admin, "/api/v1/products", &product("JP-1", "10000.5", "JPY"))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["list_price"], "{backend:?}: {problem}");
        assert!(message(&problem, "list_price").contains("JPY"), "{problem}");
        post(&app, &admin, "/api/v1/products", &product("JP-1", "10000", "JPY"))
            .await
            .expect(StatusCode::CREATED);
        let problem = post(
            &app,
            &admin,
            "/api/v1/products",
            &json!({ "sku": "a b", "name": "", "family": "F", "list_price": "-1", "currency": "EURO" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let named = fields(&problem);
        for field in ["sku", "name", "list_price", "currency"] {
            assert!(
                named.contains(&field.to_string()),
                "{backend:?}: {field} not in {problem}"
            );
        }

        // Update: price change, and a rename onto a taken SKU is a conflict.
        let mut change = product("FW-100", "1349.00", "USD");
        change["active"] = json!(false);
        let updated = put(&app, &admin, &format!("/api/v1/products/{id}"), &change)
            .await
            .expect(StatusCode::OK);
        assert_eq!(decimal(&updated["list_price"]), Decimal::new(134900, 2));
        assert_eq!(updated["active"], false);
        put(
            &app,
            &admin,
            &format!("/api/v1/products/{id}"),
            &product("JP-1", "1.00", "USD"),
        )
        .await
        .problem(StatusCode::CONFLICT);

        let list = get(&app, &admin, "/api/v1/products?q=fw&active=false")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&list, "sku"), ["FW-100"], "{backend:?}");
        let list = get(&app, &admin, "/api/v1/products?sort=-sku")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&list, "sku"), ["JP-1", "FW-100"], "{backend:?}");

        // Everyone reads the catalogue; only administrators change it.
        let alpha = app.session("user@alpha.example").await;
        get(&app, &alpha, "/api/v1/products").await.expect(StatusCode::OK);
        for email in ["finance@vendor.example", "cam.a@vendor.example", "admin@alpha.example"] {
            let client = app.session(email).await;
            post(&app, &client, "/api/v1/products", &product("NEW-1", "1.00", "EUR"))
                .await
                .problem(StatusCode::FORBIDDEN);
        }
        get(&app, &admin, "/api/v1/products/no-such-product")
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

fn account(name: &str, kind: &str, parent: Option<&str>) -> Value {
    json!({ "name": name, "kind": kind, "parent_id": parent, "country": "US", "domains": [] })
}

#[tokio::test]
async fn accounts_form_a_sound_hierarchy() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let mut company_body = account("Globex", "company", None);
        company_body["domains"] = json!(["https://www.Globex.example/", "globex.example", "globex-corp.example"]);
        company_body["city"] = json!("Springfield");
        company_body["is_house_account"] = json!(true);
        let company = post(&app, &admin, "/api/v1/accounts", &company_body)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            company["domains"],
            json!(["globex.example", "globex-corp.example"]),
            "{backend:?}: {company}"
        );
        assert_eq!(company["is_house_account"], true);
        assert_eq!(company["parent_id"], Value::Null);
        let company_id = company["id"].as_str().unwrap().to_string();

        let problem = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Lost office", "office", None),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["parent_id"], "{backend:?}: {problem}");
        let problem = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Nowhere office", "office", Some("0190d0d0-0000-7000-8000-00000000dead")),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["parent_id"]);
        post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Parented company", "company", Some(&company_id)),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

        let sub = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Globex Europe", "subsidiary", Some(&company_id)),
        )
        .await
        .expect(StatusCode::CREATED);
        let sub_id = sub["id"].as_str().unwrap().to_string();
        let sub_sub = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Globex Benelux", "subsidiary", Some(&sub_id)),
        )
        .await
        .expect(StatusCode::CREATED);
        let sub_sub_id = sub_sub["id"].as_str().unwrap().to_string();
        let office = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Amsterdam office", "office", Some(&sub_id)),
        )
        .await
        .expect(StatusCode::CREATED);
        let office_id = office["id"].as_str().unwrap().to_string();

        let problem = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Desk", "office", Some(&office_id)),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["parent_id"], "{backend:?}: {problem}");
        assert!(message(&problem, "parent_id").contains("office"), "{problem}");

        // Moving an account under its own child (or itself) is refused.
        let problem = put(
            &app,
            &admin,
            &format!("/api/v1/accounts/{sub_id}"),
            &account("Globex Europe", "subsidiary", Some(&sub_sub_id)),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["parent_id"], "{backend:?}: {problem}");
        assert!(message(&problem, "parent_id").contains("descendant"), "{problem}");
        put(
            &app,
            &admin,
            &format!("/api/v1/accounts/{sub_id}"),
            &account("Globex Europe", "subsidiary", Some(&sub_id)),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        // A legal move: the Benelux subsidiary goes directly under the company.
        let moved = put(
            &app,
            &admin,
            &format!("/api/v1/accounts/{sub_sub_id}"),
            &account("Globex Benelux", "subsidiary", Some(&company_id)),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(moved["parent_id"], company_id.as_str());

        let children = get(&app, &admin, &format!("/api/v1/accounts/{company_id}/children"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            list_of(&children, "name"),
            ["Globex Benelux", "Globex Europe"],
            "{backend:?}"
        );
        let children = get(&app, &admin, &format!("/api/v1/accounts/{sub_id}/children"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&children, "name"), ["Amsterdam office"], "{backend:?}");
        let children = get(&app, &admin, &format!("/api/v1/accounts/{office_id}/children"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(children, json!([]));
        get(&app, &admin, "/api/v1/accounts/no-such-account/children")
            .await
            .problem(StatusCode::NOT_FOUND);

        let list = get(
            &app,
            &admin,
            &format!("/api/v1/accounts?parent_id={company_id}&sort=-name"),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            list_of(&list, "name"),
            ["Globex Europe", "Globex Benelux"],
            "{backend:?}"
        );
        let list = get(&app, &admin, "/api/v1/accounts?kind=office")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&list, "name"), ["Amsterdam office"]);
        let list = get(&app, &admin, "/api/v1/accounts?house=true")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&list, "name"), ["Globex"]);
        let list = get(&app, &admin, "/api/v1/accounts?q=globex-corp")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&list, "name"), ["Globex"], "{backend:?}: search by domain");

        // Partners cannot read the vendor's customer accounts.
        let alpha = app.session("admin@alpha.example").await;
        get(&app, &alpha, "/api/v1/accounts")
            .await
            .problem(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn an_account_with_children_cannot_become_an_office() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let company = post(&app, &admin, "/api/v1/accounts", &account("Initech", "company", None))
            .await
            .expect(StatusCode::CREATED);
        let company_id = company["id"].as_str().unwrap();
        let sub = post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Initech Labs", "subsidiary", Some(company_id)),
        )
        .await
        .expect(StatusCode::CREATED);
        let sub_id = sub["id"].as_str().unwrap();
        post(
            &app,
            &admin,
            "/api/v1/accounts",
            &account("Initech Austin", "office", Some(sub_id)),
        )
        .await
        .expect(StatusCode::CREATED);

        // "Offices have no children": turning the subsidiary (which has an office under
        // it) into an office must be refused like creating a child under an office is.
        let reply = put(
            &app,
            &admin,
            &format!("/api/v1/accounts/{sub_id}"),
            &account("Initech Labs", "office", Some(company_id)),
        )
        .await;
        let children = get(&app, &admin, &format!("/api/v1/accounts/{sub_id}/children"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}: an account with children became an office: {} (children: {children})",
            reply.body
        );
    }
}

#[tokio::test]
async fn regions_and_verticals_are_upserted_by_code() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let saved = put(
            &app,
            &admin,
            "/api/v1/regions/DACH",
            &json!({ "code": "ignored", "name": "DACH", "countries": ["de", "AT", "ch", "DE"] }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            saved,
            json!({ "code": "dach", "name": "DACH", "countries": ["DE", "AT", "CH"] }),
            "{backend:?}"
        );
        put(
            &app,
            &admin,
            "/api/v1/regions/dach",
            &json!({ "name": "Germany and Austria", "countries": ["DE", "AT"] }),
        )
        .await
        .expect(StatusCode::OK);
        put(
            &app,
            &admin,
            "/api/v1/regions/nordics",
            &json!({ "name": "Nordics", "countries": ["SE", "NO", "DK", "FI"] }),
        )
        .await
        .expect(StatusCode::OK);
        let regions = get(&app, &admin, "/api/v1/regions").await.expect(StatusCode::OK);
        let dach: Vec<&Value> = regions
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["code"] == "dach")
            .collect();
        assert_eq!(dach.len(), 1, "{backend:?}: {regions}");
        assert_eq!(dach[0]["name"], "Germany and Austria");
        let mut countries: Vec<&str> = dach[0]["countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        countries.sort();
        assert_eq!(countries, ["AT", "DE"], "{backend:?}: {regions}");
        assert_eq!(regions.as_array().unwrap().len(), 2);

        let problem = put(
            &app,
            &admin,
            "/api/v1/regions/emea",
            &json!({ "name": "EMEA", "countries": ["DE", "XX"] }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["countries"], "{backend:?}: {problem}");
        assert!(message(&problem, "countries").contains("XX"));
        let problem = put(&app, &admin, "/api/v1/regions/bad%20code", &json!({ "name": "" }))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let named = fields(&problem);
        assert!(
            named.contains(&"code".to_string()) && named.contains(&"name".to_string()),
            "{problem}"
        );

        let vertical = put(
            &app,
            &admin,
            "/api/v1/verticals/Healthcare",
            &json!({ "name": "Healthcare" }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(vertical, json!({ "code": "healthcare", "name": "Healthcare" }));
        put(
            &app,
            &admin,
            "/api/v1/verticals/healthcare",
            &json!({ "name": "Health care" }),
        )
        .await
        .expect(StatusCode::OK);
        let verticals = get(&app, &admin, "/api/v1/verticals").await.expect(StatusCode::OK);
        assert_eq!(
            verticals,
            json!([{ "code": "healthcare", "name": "Health care" }]),
            "{backend:?}"
        );

        // Reference data is read by everyone who works with partners, changed by administrators.
        let marketing = app.session("marketing@vendor.example").await;
        get(&app, &marketing, "/api/v1/regions").await.expect(StatusCode::OK);
        put(
            &app,
            &marketing,
            "/api/v1/verticals/retail",
            &json!({ "name": "Retail" }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
        put(
            &app,
            &marketing,
            "/api/v1/regions/latam",
            &json!({ "name": "LATAM", "countries": ["BR"] }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
    }
}

fn rate(from: &str, to: &str, date: &str, rate: &str) -> Value {
    json!({ "from_currency": from, "to_currency": to, "rate_date": date, "rate": rate })
}

#[tokio::test]
async fn fx_rates_are_upserted_validated_and_filtered() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let finance = app.session("finance@vendor.example").await;
        let saved = post(
            &app,
            &finance,
            "/api/v1/fx-rates",
            &rate("eur", "usd", "2026-01-02", "1.0842"),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(saved["from_currency"], "EUR", "{backend:?}: {saved}");
        assert_eq!(saved["to_currency"], "USD");
        assert_eq!(saved["rate_date"], "2026-01-02");
        assert_eq!(decimal(&saved["rate"]), Decimal::new(10842, 4));

        // The same key replaces the rate.
        post(
            &app,
            &finance,
            "/api/v1/fx-rates",
            &rate("EUR", "USD", "2026-01-02", "1.0900"),
        )
        .await
        .expect(StatusCode::OK);
        for (from, to, date, value) in [
            ("EUR", "USD", "2026-01-03", "1.0911"),
            ("EUR", "USD", "2026-02-01", "1.1000"),
            ("USD", "JPY", "2026-01-02", "157.25"),
        ] {
            post(&app, &finance, "/api/v1/fx-rates", &rate(from, to, date, value))
                .await
                .expect(StatusCode::OK);
        }
        let page = get(
            &app,
            &finance,
            "/api/v1/fx-rates?from_currency=eur&to_currency=usd&date_from=2026-01-02&date_to=2026-01-02",
        )
        .await
        .expect(StatusCode::OK);
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{backend:?}: the upsert created a second rate: {page}");
        assert_eq!(decimal(&items[0]["rate"]), Decimal::new(10900, 4), "{backend:?}");
        assert_eq!(page["next_cursor"], Value::Null);

        let page = get(
            &app,
            &finance,
            "/api/v1/fx-rates?from_currency=EUR&date_from=2026-01-03",
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            list_of(&page, "rate_date"),
            ["2026-02-01", "2026-01-03"],
            "{backend:?}: newest first"
        );
        let page = get(&app, &finance, "/api/v1/fx-rates?date_to=2026-01-02")
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["items"].as_array().unwrap().len(), 2, "{backend:?}: {page}");
        let page = get(&app, &finance, "/api/v1/fx-rates?limit=2")
            .await
            .expect(StatusCode::OK);
        let first_page = list_of(&page, "rate_date");
        assert_eq!(first_page.len(), 2);
        let cursor = page["next_cursor"].as_str().expect("a second page").to_string();
        let page = get(&app, &finance, &format!("/api/v1/fx-rates?limit=2&cursor={cursor}"))
            .await
            .expect(StatusCode::OK);
        let second_page = list_of(&page, "rate_date");
        assert_eq!(second_page.len(), 2);
        assert!(
            first_page.last() >= second_page.first(),
            "{backend:?}: pages out of order"
        );
        assert_eq!(page["next_cursor"], Value::Null);

        for bad in ["0", "-1.5", "abc"] {
            let problem = post(
                &app,
                &finance,
                "/api/v1/fx-rates",
                &rate("EUR", "GBP", "2026-01-02", bad),
            )
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), ["rate"], "{backend:?}: rate {bad}: {problem}");
        }
        let problem = post(
            &app,
            &finance,
            "/api/v1/fx-rates",
            &rate("EUR", "eur", "2026-02-30", "1"),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let named = fields(&problem);
        assert!(
            named.contains(&"to_currency".to_string()) && named.contains(&"rate_date".to_string()),
            "{problem}"
        );
        for (query, field) in [("date_from=2026-13-01", "date_from"), ("date_to=01/02/2026", "date_to")] {
            let problem = get(&app, &finance, &format!("/api/v1/fx-rates?{query}"))
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), [field], "{backend:?}: {problem}");
        }

        // Channel managers read rates but do not set them.
        let cam = app.session("cam.a@vendor.example").await;
        get(&app, &cam, "/api/v1/fx-rates").await.expect(StatusCode::OK);
        post(
            &app,
            &cam,
            "/api/v1/fx-rates",
            &rate("EUR", "CHF", "2026-01-02", "0.93"),
        )
        .await
        .problem(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn segments_are_saved_filters_over_partners() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let marketing = app.session("marketing@vendor.example").await;
        let admin = app.session("admin@vendor.example").await;
        let body = json!({
            "name": "EMEA MSPs",
            "description": "Managed service providers in EMEA",
            "filter": { "partner_types": ["msp"], "regions": ["emea"], "size_bands": ["11-50"] }
        });
        let problem = post(&app, &marketing, "/api/v1/segments", &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["filter.regions"], "{backend:?}: {problem}");
        assert!(message(&problem, "filter.regions").contains("emea"));
        let mut unknown_vertical = body.clone();
        unknown_vertical["filter"]["verticals"] = json!(["space"]);
        unknown_vertical["filter"]["countries"] = json!(["Narnia"]);
        let problem = post(&app, &marketing, "/api/v1/segments", &unknown_vertical)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(fields(&problem).contains(&"filter.countries".to_string()), "{problem}");

        put(
            &app,
            &admin,
            "/api/v1/regions/emea",
            &json!({ "name": "EMEA", "countries": ["DE", "FR", "GB"] }),
        )
        .await
        .expect(StatusCode::OK);
        let segment = post(&app, &marketing, "/api/v1/segments", &body)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(segment["name"], "EMEA MSPs", "{backend:?}: {segment}");
        assert_eq!(segment["filter"]["partner_types"], json!(["msp"]));
        assert_eq!(segment["created_by"], app.cast.marketing.as_str());
        let id = segment["id"].as_str().unwrap().to_string();
        let problem = post(&app, &marketing, "/api/v1/segments", &body)
            .await
            .problem(StatusCode::CONFLICT);
        assert!(problem["detail"].as_str().unwrap().contains("EMEA MSPs"), "{problem}");

        let members = get(&app, &admin, &format!("/api/v1/partners?segment_id={id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list_of(&members, "name"), ["Beta Managed Services"], "{backend:?}");

        // Broaden it: all resellers and MSPs in EMEA.
        let mut broader = body.clone();
        broader["filter"] = json!({ "partner_types": ["msp", "reseller"], "regions": ["emea"] });
        let updated = put(&app, &marketing, &format!("/api/v1/segments/{id}"), &broader)
            .await
            .expect(StatusCode::OK);
        assert_eq!(updated["filter"]["partner_types"], json!(["msp", "reseller"]));
        let members = get(&app, &admin, &format!("/api/v1/partners?segment_id={id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            list_of(&members, "name"),
            ["Alpha Resellers", "Beta Managed Services", "Rho Resale"],
            "{backend:?}"
        );
        let read = get(&app, &marketing, &format!("/api/v1/segments/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(read["filter"], updated["filter"]);
        let all = get(&app, &marketing, "/api/v1/segments").await.expect(StatusCode::OK);
        assert_eq!(list_of(&all, "name"), ["EMEA MSPs"]);

        let second = post(
            &app,
            &marketing,
            "/api/v1/segments",
            &json!({ "name": "Small partners", "filter": { "size_bands": ["1-10"] } }),
        )
        .await
        .expect(StatusCode::CREATED);
        let members = get(
            &app,
            &admin,
            &format!("/api/v1/partners?segment_id={}", second["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(members["items"], json!([]), "{backend:?}");
        // Renaming onto a taken name is a conflict.
        put(
            &app,
            &marketing,
            &format!("/api/v1/segments/{}", second["id"].as_str().unwrap()),
            &json!({ "name": "EMEA MSPs", "filter": {} }),
        )
        .await
        .problem(StatusCode::CONFLICT);

        let finance = app.session("finance@vendor.example").await;
        post(
            &app,
            &finance,
            "/api/v1/segments",
            &json!({ "name": "Finance view", "filter": {} }),
        )
        .await
        .problem(StatusCode::FORBIDDEN);

        let response = marketing
            .delete(app.url(&format!("/api/v1/segments/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{backend:?}");
        get(&app, &marketing, &format!("/api/v1/segments/{id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        delete(&app, &marketing, &format!("/api/v1/segments/{id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        get(&app, &admin, &format!("/api/v1/partners?segment_id={id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}
