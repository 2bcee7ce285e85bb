//! The portal over HTTP, on every configured backend: pages render for the roles that may
//! see them, anonymous visitors are sent to sign in, partner users never reach another
//! organisation, forms validate and persist through the API's functions, CSRF is enforced,
//! and file imports report progress and their outcome.

mod common;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use tributary_server::fixtures::FIXTURE_PASSWORD;

use common::TestApp;

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
    form: &[(&str, &str)],
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

async fn api_post(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> Value {
    let response = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = response.status();
    let value: Value = response.json().await.unwrap();
    assert!(status.is_success(), "POST {path}: {status} {value}");
    value
}

async fn api_put(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) {
    let response = client.put(app.url(path)).json(&body).send().await.unwrap();
    assert!(response.status().is_success(), "PUT {path}: {}", response.status());
}

/// Ids of the records [`seed`] creates.
struct Seeded {
    product: String,
    company: String,
    subsidiary: String,
    office: String,
    segment: String,
}

/// Reference data, a product, an account hierarchy, sales of partners A and B, an FX rate
/// and a segment, created through the API as the administrator.
async fn seed(app: &TestApp) -> Seeded {
    let admin = app.session("admin@vendor.example").await;
    api_put(
        &admin,
        app,
        "/api/v1/verticals/healthcare",
        json!({ "name": "Healthcare" }),
    )
    .await;
    api_put(
        &admin,
        app,
        "/api/v1/regions/dach",
        json!({ "name": "Germany, Austria, Switzerland", "countries": ["DE", "AT", "CH"] }),
    )
    .await;
    let product = api_post(
        &admin,
        app,
        "/api/v1/products",
        json!({ "sku": "FW-100", "name": "Firewall 100", "family": "Firewalls", "list_price": "1299.00", "currency": "EUR" }),
    )
    .await;
    let company = api_post(
        &admin,
        app,
        "/api/v1/accounts",
        json!({ "name": "Globex Corporation", "kind": "company", "country": "US", "domains": ["globex.example"] }),
    )
    .await;
    let subsidiary = api_post(
        &admin,
        app,
        "/api/v1/accounts",
        json!({ "name": "Globex Europe", "kind": "subsidiary", "parent_id": company["id"], "country": "DE", "is_house_account": true }),
    )
    .await;
    let office = api_post(
        &admin,
        app,
        "/api/v1/accounts",
        json!({ "name": "Globex Berlin Office", "kind": "office", "parent_id": subsidiary["id"], "country": "DE", "city": "Berlin" }),
    )
    .await;
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let line = |partner: &str, amount: &str| {
        json!({ "fact_date": yesterday, "partner_id": partner, "account_id": company["id"], "product_sku": "FW-100",
                "quantity": "1", "amount": amount, "currency": "EUR", "source": "erp" })
    };
    api_post(
        &admin,
        app,
        "/api/v1/sales-facts",
        json!({ "lines": [
            line(&app.cast.partner_a, "1234.50"),
            line(&app.cast.partner_b, "999.99"),
            line(&app.cast.reseller, "77.00"),
        ] }),
    )
    .await;
    api_post(
        &admin,
        app,
        "/api/v1/fx-rates",
        json!({ "from_currency": "EUR", "to_currency": "USD", "rate_date": "2026-01-02", "rate": "1.0842" }),
    )
    .await;
    let segment = api_post(
        &admin,
        app,
        "/api/v1/segments",
        json!({ "name": "German resellers", "filter": { "partner_types": ["reseller"], "countries": ["DE"] } }),
    )
    .await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    Seeded {
        product: id(&product),
        company: id(&company),
        subsidiary: id(&subsidiary),
        office: id(&office),
        segment: id(&segment),
    }
}

/// A signed-in client that does not send the CSRF token.
async fn session_without_csrf(app: &TestApp, email: &str) -> reqwest::Client {
    let client = app.anonymous();
    let response = client
        .post(app.url("/login"))
        .form(&[("email", email), ("password", FIXTURE_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

/// The `_csrf` value of the first form on a page.
fn csrf_of(body: &str) -> String {
    let start = body.find("name=\"_csrf\" value=\"").expect("a form with a CSRF field") + 20;
    body[start..start + body[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn every_page_renders_for_an_allowed_role() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let s = seed(&app).await;
        let admin = app.session("admin@vendor.example").await;
        let a = &app.cast.partner_a;
        let partner_a_admin = app.cast.partner_a_admin.clone();
        let pages: Vec<(String, Vec<&str>)> = vec![
            (
                "/".into(),
                vec![
                    "Partners by status",
                    "Customer accounts",
                    "2,311.49",
                    "Regions & verticals",
                ],
            ),
            (
                "/partners".into(),
                vec![
                    "Alpha Resellers",
                    "Beta Managed Services",
                    "4 results",
                    "Export CSV",
                    "aria-sort=\"ascending\"",
                ],
            ),
            ("/partners/new".into(), vec!["New partner", "Payout currency", "cam.a"]),
            (
                format!("/partners/{a}"),
                vec![
                    "Alpha Resellers",
                    "Channel manager",
                    "cam.a",
                    "admin@alpha.example",
                    "partner.created",
                    "/sales?partner_id=",
                ],
            ),
            (
                format!("/partners/{a}/edit"),
                vec!["Edit Alpha Resellers", "value=\"Alpha Resellers\""],
            ),
            (
                format!("/partners/{}", app.cast.distributor),
                vec!["Resellers", "Rho Resale"],
            ),
            (
                "/users".into(),
                vec!["admin@alpha.example", "Partner administrator", "New user"],
            ),
            ("/users/new".into(), vec!["New user", "Administrator"]),
            (
                format!("/users/{partner_a_admin}/edit"),
                vec!["admin@alpha.example", "Active (may sign in)"],
            ),
            (
                format!("/users/{partner_a_admin}/password"),
                vec!["Set the password of admin"],
            ),
            (
                "/account".into(),
                vec!["Your account", "admin@vendor.example", "API tokens"],
            ),
            ("/products".into(), vec!["FW-100", "Firewall 100", "1299.00 EUR"]),
            ("/products/new".into(), vec!["New product"]),
            (format!("/products/{}/edit", s.product), vec!["value=\"FW-100\""]),
            (
                "/accounts".into(),
                vec!["Globex Corporation", "Globex Europe", "House account"],
            ),
            ("/accounts/new".into(), vec!["New account", "Globex Corporation"]),
            (
                format!("/accounts/{}", s.subsidiary),
                vec![
                    "Globex Corporation",
                    "Globex Berlin Office",
                    "role=\"tree\"",
                    "House account",
                    "account.created",
                ],
            ),
            (
                format!("/accounts/{}/edit", s.office),
                vec!["value=\"Globex Berlin Office\""],
            ),
            (
                format!("/accounts/{}/tree", s.company),
                vec!["Globex Europe", "role=\"treeitem\""],
            ),
            (
                "/sales".into(),
                vec![
                    "1,234.50",
                    "999.99",
                    "Alpha Resellers",
                    "FW-100",
                    "Globex Corporation",
                    "2,311.49",
                ],
            ),
            (
                "/segments".into(),
                vec!["German resellers", "View partners", "/partners?segment_id="],
            ),
            ("/segments/new".into(), vec!["New segment", "Managed service provider"]),
            (
                format!("/segments/{}/edit", s.segment),
                vec!["value=\"German resellers\""],
            ),
            (
                format!("/partners?segment_id={}", s.segment),
                vec!["Alpha Resellers", "Rho Resale", "2 results"],
            ),
            ("/fx-rates".into(), vec!["1.0842", "2026-01-02"]),
            ("/fx-rates/new".into(), vec!["Add an FX rate"]),
            (
                "/reference".into(),
                vec!["dach", "Germany, Austria, Switzerland", "Healthcare"],
            ),
            (
                "/imports".into(),
                vec!["Import a file", "/api/v1/imports/partners/template"],
            ),
            (
                "/imports?kind=sales-facts".into(),
                vec!["fact_date", "/api/v1/imports/sales-facts/template"],
            ),
            ("/audit".into(), vec!["Audit trail", "partner.created", "Verify chain"]),
            ("/audit/verify".into(), vec!["The chain is intact"]),
        ];
        for (path, expected) in &pages {
            expect_page(&admin, &app, path, expected).await;
        }

        // Sorting and paging links carry the filters; the last page has no "Next page".
        let first = expect_page(
            &admin,
            &app,
            "/partners?sort=-name&limit=3",
            &["aria-sort=\"descending\"", "Next page"],
        )
        .await;
        assert!(first.find("Rho Resale").unwrap() < first.find("Beta Managed Services").unwrap());
        let next_start = first.find("href=\"/partners?sort=-name&limit=3&cursor=").unwrap() + 6;
        let next = &first[next_start..next_start + first[next_start..].find('"').unwrap()];
        let second = expect_page(&admin, &app, next, &["Alpha Resellers", "First page"]).await;
        assert!(!second.contains("Next page") && !second.contains("Rho Resale"));
        expect_page(
            &admin,
            &app,
            "/partners?q=alpha&status=active",
            &["/api/v1/exports/partners?q=alpha&status=active", "1 result"],
        )
        .await;

        // Other vendor roles get their own home and the areas they may read.
        expect_page(
            &app.session("cam.a@vendor.example").await,
            &app,
            "/",
            &["Partners you manage", "Users"],
        )
        .await;
        let finance = app.session("finance@vendor.example").await;
        expect_page(&finance, &app, "/fx-rates", &["Add a rate"]).await;
        expect_page(&finance, &app, "/audit", &["Verify chain"]).await;
        let marketing = app.session("marketing@vendor.example").await;
        let home = expect_page(&marketing, &app, "/", &["Segments"]).await;
        assert!(
            !home.contains("href=\"/audit\"") && !home.contains("href=\"/sales\""),
            "{home}"
        );
        let (status, _) = page(&marketing, &app, "/audit").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = page(&app.session("legal@vendor.example").await, &app, "/users/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The verification result alone, for htmx.
        let fragment = admin
            .get(app.url("/audit/verify"))
            .header("HX-Request", "true")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            fragment.contains("The chain is intact") && !fragment.contains("<html"),
            "{fragment}"
        );

        // Partner users: their organisation, its people and sales.
        let alpha = app.session("admin@alpha.example").await;
        expect_page(
            &alpha,
            &app,
            "/",
            &["Alpha Resellers", "cam.a", "EUR", "user@alpha.example", "1,234.50"],
        )
        .await;
        expect_page(
            &alpha,
            &app,
            &format!("/partners/{a}/edit"),
            &["These are managed by your channel manager", "Reseller"],
        )
        .await;
        expect_page(&alpha, &app, "/users/new", &["Partner user"]).await;
        expect_page(&alpha, &app, "/imports", &["Partners", "Users"]).await;
        let delta = app.session("admin@delta.example").await;
        expect_page(
            &delta,
            &app,
            "/",
            &["Delta Distribution", "Your resellers", "Rho Resale"],
        )
        .await;
        expect_page(&delta, &app, "/sales", &["Rho Resale", "77.00"]).await;
    }
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let anonymous = app.anonymous();
        for path in [
            "/",
            "/partners",
            "/partners/new",
            "/users",
            "/sales?partner_id=x",
            "/imports",
            "/audit",
            "/account",
        ] {
            let response = anonymous.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            let expected = format!(
                "/login?next={}",
                form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
            );
            assert_eq!(response.headers()[LOCATION], expected.as_str(), "{path}");
        }
        let response = anonymous.get(app.url("/login?next=/partners")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn partner_users_never_reach_another_organisation() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        seed(&app).await;
        let (a, b) = (&app.cast.partner_a, &app.cast.partner_b);
        for email in ["user@alpha.example", "admin@alpha.example"] {
            let client = app.session(email).await;
            for path in [
                format!("/partners/{b}"),
                format!("/partners/{b}/edit"),
                format!("/partners/{}", app.cast.reseller),
            ] {
                let (status, body) = page(&client, &app, &path).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{email} {path}");
                assert!(!body.contains("Beta Managed Services"));
            }
            let reachable = [
                "/".to_string(),
                "/partners".into(),
                format!("/partners/{a}"),
                "/sales".into(),
                format!("/sales?partner_id={b}"),
                "/users".into(),
                "/products".into(),
                "/account".into(),
            ];
            for path in &reachable {
                let body = expect_page(&client, &app, path, &[]).await;
                for other in [
                    "Beta Managed Services",
                    "Delta Distribution",
                    "Rho Resale",
                    "999.99",
                    "cam.b",
                ] {
                    assert!(!body.contains(other), "{email} sees {other:?} on {path}:\n{body}");
                }
            }
            expect_page(&client, &app, "/sales", &["1,234.50", "Alpha Resellers"]).await;
        }
        // The partner user may read but not edit its organisation; nobody outside sees it.
        let (status, _) = page(
            &app.session("user@alpha.example").await,
            &app,
            &format!("/partners/{a}/edit"),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = page(
            &app.session("cam.b@vendor.example").await,
            &app,
            &format!("/partners/{a}"),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A partner administrator edits the profile; the program fields keep their values.
        let alpha = app.session("admin@alpha.example").await;
        let (status, location, _) = post_form(
            &alpha,
            &app,
            &format!("/partners/{a}"),
            &[
                ("name", "Alpha Resellers GmbH"),
                ("size_band", "51-200"),
                ("country", "DE"),
                ("city", "Hamburg"),
                ("countries_served", "DE;AT"),
                ("partner_type", "distributor"),
                ("status", "terminated"),
                ("payout_currency", "USD"),
                ("tax_country", "US"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location, format!("/partners/{a}"));
        let detail = expect_page(
            &alpha,
            &app,
            &location,
            &["Alpha Resellers GmbH", "Hamburg", "Austria (AT)", "51–200 staff"],
        )
        .await;
        assert!(detail.contains("badge-active") && !detail.contains("badge-terminated") && detail.contains("EUR"));
        assert!(!detail.contains("Distributor</dd>"));
    }
}

#[tokio::test]
async fn invalid_forms_come_back_with_their_messages_and_values() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let (status, _, body) = post_form(
            &admin,
            &app,
            "/partners",
            &[
                ("name", ""),
                ("partner_type", "reseller"),
                ("size_band", "11-50"),
                ("country", "DE"),
                ("city", "Springfield"),
                ("payout_currency", "EUR"),
                ("tax_country", "DE"),
                ("latitude", "91"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "role=\"alert\"",
            "Please correct 2 fields",
            "id=\"f-name-error\"",
            "is required",
            "aria-describedby=\"f-latitude-help f-latitude-error\" aria-invalid=\"true\"",
            "91 is outside -90..90",
            "value=\"Springfield\"",
        ] {
            assert!(body.contains(expected), "{expected:?} missing:\n{body}");
        }

        let (status, _, body) = post_form(
            &admin,
            &app,
            "/products",
            &[
                ("sku", "a b"),
                ("name", "Thing"),
                ("family", "Things"),
                ("list_price", "1.5"),
                ("currency", "JPY"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("may contain only letters") && body.contains("value=\"Thing\""),
            "{body}"
        );

        // A duplicate is a conflict shown at the top of the form.
        let product = [
            ("sku", "DUP-1"),
            ("name", "One"),
            ("family", "F"),
            ("list_price", "1.00"),
            ("currency", "EUR"),
            ("active", "true"),
        ];
        assert_eq!(
            post_form(&admin, &app, "/products", &product).await.0,
            StatusCode::SEE_OTHER
        );
        let (status, _, body) = post_form(&admin, &app, "/products", &product).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.contains("SKU DUP-1 is already in use"), "{body}");

        let (status, _, body) = post_form(
            &admin,
            &app,
            &format!("/users/{}/password", app.cast.partner_a_user),
            &[("password", "long enough password"), ("confirm", "something else")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("the two passwords differ"), "{body}");

        let (status, _, body) = post_form(&admin, &app, "/segments", &[("name", "Bad"), ("countries", "XX")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("id=\"f-countries-error\""), "{body}");
    }
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let client = session_without_csrf(&app, "admin@vendor.example").await;
        let form = [
            ("name", "Sneaky"),
            ("partner_type", "msp"),
            ("size_band", "1-10"),
            ("country", "FR"),
            ("payout_currency", "EUR"),
            ("tax_country", "FR"),
        ];
        let response = client.post(app.url("/partners")).form(&form).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = client
            .post(app.url("/partners"))
            .header("X-CSRF-Token", "not-the-token")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        // The same form with the page's token goes through.
        let (_, new_page) = page(&client, &app, "/partners/new").await;
        let mut with_token = form.to_vec();
        let token = csrf_of(&new_page);
        with_token.push(("_csrf", &token));
        let response = client
            .post(app.url("/partners"))
            .form(&with_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, list) = page(&client, &app, "/partners?q=Sneaky").await;
        assert!(list.contains("1 result"));
    }
}

#[tokio::test]
async fn forms_create_and_change_records() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let s = seed(&app).await;
        let admin = app.session("admin@vendor.example").await;

        // A partner through the form, visible in the list afterwards.
        let (status, location, _) = post_form(
            &admin,
            &app,
            "/partners",
            &[
                ("name", "Gamma Gateways"),
                ("partner_type", "msp"),
                ("size_band", "1-10"),
                ("country", "FR"),
                ("city", "Lyon"),
                ("countries_served", "FR; BE"),
                ("verticals", "healthcare"),
                ("payout_currency", "EUR"),
                ("tax_country", "FR"),
                ("status", "prospect"),
                ("channel_manager_id", &app.cast.cam_a),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(location.starts_with("/partners/"));
        expect_page(
            &admin,
            &app,
            &location,
            &["Gamma Gateways", "Belgium (BE)", "Healthcare", "Prospect", "cam.a"],
        )
        .await;
        expect_page(&admin, &app, "/partners?q=gamma", &["Gamma Gateways", "1 result"]).await;
        expect_page(
            &admin,
            &app,
            "/partners?vertical=healthcare&country=FR",
            &["Gamma Gateways"],
        )
        .await;

        // A product, then deactivated by leaving the checkbox unticked.
        let product = [
            ("sku", "sw-200"),
            ("name", "Switch 200"),
            ("family", "Switches"),
            ("list_price", "249.90"),
            ("currency", "USD"),
            ("active", "true"),
        ];
        assert_eq!(
            post_form(&admin, &app, "/products", &product).await.0,
            StatusCode::SEE_OTHER
        );
        expect_page(&admin, &app, "/products?q=sw-200", &["SW-200", "249.90 USD", "Active"]).await;
        let edit = [
            ("sku", "FW-100"),
            ("name", "Firewall 100 v2"),
            ("family", "Firewalls"),
            ("list_price", "1399.00"),
            ("currency", "EUR"),
        ];
        assert_eq!(
            post_form(&admin, &app, &format!("/products/{}", s.product), &edit)
                .await
                .0,
            StatusCode::SEE_OTHER
        );
        expect_page(&admin, &app, "/products?active=false", &["Firewall 100 v2", "Inactive"]).await;

        // An account below another, shown in its parent's tree.
        let (status, location, _) = post_form(
            &admin,
            &app,
            "/accounts",
            &[
                ("name", "Globex Paris Office"),
                ("kind", "office"),
                ("parent_id", &s.subsidiary),
                ("country", "FR"),
                ("city", "Paris"),
                ("domains", "globex.fr; globex.example"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
        expect_page(
            &admin,
            &app,
            &location,
            &[
                "Globex Paris Office",
                "globex.fr",
                "Globex Corporation",
                "Globex Europe",
            ],
        )
        .await;
        expect_page(
            &admin,
            &app,
            &format!("/accounts/{}/tree", s.subsidiary),
            &["Globex Paris Office", "Globex Berlin Office"],
        )
        .await;

        // A user in a partner organisation, by its administrator; then deactivated by the admin.
        let alpha = app.session("admin@alpha.example").await;
        let (status, _, body) = post_form(
            &alpha,
            &app,
            "/users",
            &[
                ("email", "new@alpha.example"),
                ("display_name", "New Person"),
                ("role", "partner_user"),
                ("partner_id", &app.cast.partner_a),
                ("password", "a very long password"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        expect_page(&alpha, &app, "/users", &["new@alpha.example", "New Person"]).await;
        let (status, _, body) = post_form(
            &alpha,
            &app,
            "/users",
            &[
                ("email", "boss@alpha.example"),
                ("display_name", "Boss"),
                ("role", "admin"),
                ("partner_id", &app.cast.partner_a),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let user_id = app.cast.user_id("user@alpha.example").to_string();
        let (status, _, _) = post_form(
            &admin,
            &app,
            &format!("/users/{user_id}"),
            &[
                ("email", "user@alpha.example"),
                ("display_name", "Alpha User"),
                ("role", "partner_user"),
                ("partner_id", &app.cast.partner_a),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        expect_page(&admin, &app, "/users?q=alpha%20user", &["Alpha User", "badge-no"]).await;
        let cam_new_user = expect_page(
            &app.session("cam.a@vendor.example").await,
            &app,
            "/users/new",
            &["Partner user"],
        )
        .await;
        assert!(!cam_new_user.contains(">Administrator<") && !cam_new_user.contains("Beta Managed Services"));

        // A segment, then deleted.
        let (status, _, _) = post_form(
            &admin,
            &app,
            "/segments",
            &[
                ("name", "Small MSPs"),
                ("partner_types", "msp"),
                ("size_bands", "1-10"),
                ("size_bands", "11-50"),
                ("countries", "FR"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let segments = expect_page(
            &admin,
            &app,
            "/segments",
            &["Small MSPs", "Managed service provider", "France (FR)"],
        )
        .await;
        let row = &segments[segments.find("Small MSPs").unwrap()..];
        let id_start = row.find("/segments/").unwrap() + 10;
        let segment_id = row[id_start..id_start + 36].to_string();
        expect_page(
            &admin,
            &app,
            &format!("/partners?segment_id={segment_id}"),
            &["Gamma Gateways", "1 result"],
        )
        .await;
        let (status, location, _) = post_form(&admin, &app, &format!("/segments/{segment_id}/delete"), &[]).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/segments"));
        let segments = expect_page(&admin, &app, "/segments", &["German resellers"]).await;
        assert!(!segments.contains("Small MSPs"));

        // Reference data and FX rates.
        assert_eq!(
            post_form(
                &admin,
                &app,
                "/reference/regions",
                &[("code", "Benelux"), ("name", "Benelux"), ("countries", "BE;NL;LU")]
            )
            .await
            .0,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            post_form(
                &admin,
                &app,
                "/reference/verticals",
                &[("code", "retail"), ("name", "Retail")]
            )
            .await
            .0,
            StatusCode::SEE_OTHER
        );
        expect_page(&admin, &app, "/reference", &["benelux", "BE, LU, NL", "Retail"]).await;
        expect_page(
            &admin,
            &app,
            "/reference?region=dach",
            &["value=\"Germany, Austria, Switzerland\""],
        )
        .await;
        let finance = app.session("finance@vendor.example").await;
        let rate = [
            ("from_currency", "EUR"),
            ("to_currency", "USD"),
            ("rate_date", "2026-01-02"),
            ("rate", "1.0850"),
        ];
        let (status, location, _) = post_form(&finance, &app, "/fx-rates", &rate).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let rates = expect_page(&finance, &app, &location, &["1.0850"]).await;
        assert!(!rates.contains("1.0842"), "the correction replaces the rate");
        let (status, _, body) = post_form(
            &finance,
            &app,
            "/fx-rates",
            &[
                ("from_currency", "EUR"),
                ("to_currency", "EUR"),
                ("rate_date", "2026-01-02"),
                ("rate", "1"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("must differ from from_currency"));

        // API tokens: created with the secret shown once, then revoked.
        let (status, _, body) = post_form(
            &admin,
            &app,
            "/account/tokens",
            &[
                ("name", "CRM sync"),
                ("scopes", "read"),
                ("scopes", "write"),
                ("expires_in_days", "30"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Copy the secret now") && body.contains("trb_"), "{body}");
        let account = expect_page(&admin, &app, "/account", &["CRM sync", "Active"]).await;
        assert!(!account.contains("Copy the secret now"));
        let revoke_start = account.find("/account/tokens/").unwrap();
        let revoke_path = &account[revoke_start..revoke_start + account[revoke_start..].find('"').unwrap()];
        assert_eq!(post_form(&admin, &app, revoke_path, &[]).await.0, StatusCode::SEE_OTHER);
        expect_page(&admin, &app, "/account", &["Revoked"]).await;
        let (status, _, body) = post_form(&admin, &app, "/account/tokens", &[("name", "No scopes")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("choose at least one"));

        // Changing one's own password needs the current one and ends the session.
        let user = app.session("user@beta.example").await;
        let (status, _, body) = post_form(
            &user,
            &app,
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("password", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("is not your current password"));
        let (status, _, body) = post_form(
            &user,
            &app,
            "/account/password",
            &[
                ("current_password", FIXTURE_PASSWORD),
                ("password", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Password changed"));
        let (status, _) = page(&user, &app, "/account").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
}

/// Uploads `csv` as `kind` through the portal's upload form, as a browser does: the CSRF
/// token travels in the form's action, not in a header. Returns the job page's path.
async fn upload(client: &reqwest::Client, app: &TestApp, kind: &str, csv: &str) -> String {
    let (_, imports) = page(client, app, "/imports").await;
    let action_start = imports.find("action=\"/imports?_csrf=").unwrap() + 8;
    let action = &imports[action_start..action_start + imports[action_start..].find('"').unwrap()];
    let form = reqwest::multipart::Form::new().text("kind", kind.to_string()).part(
        "file",
        reqwest::multipart::Part::text(csv.to_string())
            .file_name("upload.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let response = client.post(app.url(action)).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()[LOCATION].to_str().unwrap().to_string()
}

/// Polls the job's status fragment until the import has finished.
async fn finished(client: &reqwest::Client, app: &TestApp, job: &str) -> String {
    for _ in 0..200 {
        let (status, body) = page(client, app, &format!("{job}/status")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if !body.contains("Importing…") {
            assert!(!body.contains("hx-trigger"), "a finished job stops polling");
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

#[tokio::test]
async fn imports_show_progress_then_the_outcome() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = session_without_csrf(&app, "admin@vendor.example").await;
        let good = "sku,name,family,list_price,currency,active\nIMP-1,Imported One,Imports,10.00,EUR,true\nIMP-2,Imported Two,Imports,20.50,USD,\n";
        let job = upload(&admin, &app, "products", good).await;
        assert!(job.starts_with("/imports/jobs/"), "{job}");
        expect_page(&admin, &app, &job, &["Import of products", "id=\"job-status\""]).await;
        let outcome = finished(&admin, &app, &job).await;
        assert!(outcome.contains("Imported 2 rows: 2 created, 0 updated."), "{outcome}");
        expect_page(
            &admin,
            &app,
            "/products?family=Imports",
            &["IMP-1", "IMP-2", "20.50 USD"],
        )
        .await;

        let bad = "sku,name,family,list_price,currency\nIMP-3,Imported Three,Imports,30.00,EUR\nIMP-4,Imported Four,Imports,lots,EUR\n";
        let job = upload(&admin, &app, "products", bad).await;
        let outcome = finished(&admin, &app, &job).await;
        assert!(
            outcome.contains("Nothing was imported") && outcome.contains("nothing was stored"),
            "{outcome}"
        );
        assert!(
            outcome.contains(">3</th>")
                && outcome.contains("list_price")
                && outcome.contains("'lots' is not a decimal"),
            "{outcome}"
        );
        let products = expect_page(&admin, &app, "/products?family=Imports", &["IMP-1"]).await;
        assert!(!products.contains("IMP-3"), "a file with a bad row imports nothing");

        // Someone else's job is not found; a missing file is a form error.
        let (status, _) = page(&app.session("finance@vendor.example").await, &app, &job).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = page(&app.session("marketing@vendor.example").await, &app, "/imports").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
