//! The channel-conflict pages of the portal over HTTP, on every configured backend: the
//! registration form round-trips (errors next to their fields, what was typed kept); a
//! duplicate by another partner is declined with a reason that never names the first
//! partner; the account check answers in words and reserves; a channel manager's queue
//! shows the candidates with their scores and explanations and decides in bulk; partners
//! never open another partner's registration; won, lost and extensions from the
//! registration's page; the reports; and the CSV exports hold the rows of the lists.

mod common;
mod conflict_data;

use reqwest::StatusCode;
use reqwest::header::LOCATION;

use common::TestApp;
use conflict_data::{ConflictWorld, seed};

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

/// A CSV download: asserts 200 and a CSV content type, returns the text.
async fn csv(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
    assert!(content_type.starts_with("text/csv"), "{path}: {content_type}");
    text
}

async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(String, String)],
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

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn close_date() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string()
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// The registration form as a browser submits it.
fn deal(name: &str, website: &str, families: &[&str]) -> Vec<(String, String)> {
    let close = close_date();
    let mut form = pairs(&[
        ("customer_name", name),
        ("website", website),
        ("country", "DE"),
        ("city", "Berlin"),
        ("contact_name", "Anna Schmidt"),
        ("contact_email", "anna@example.com"),
        ("value", "48000.00"),
        ("currency", "EUR"),
        ("expected_close", &close),
        ("notes", ""),
    ]);
    for family in families {
        form.push(("product_families".into(), family.to_string()));
    }
    form
}

/// Submits the registration form; returns the new registration's id.
async fn register(client: &reqwest::Client, app: &TestApp, form: &[(String, String)]) -> String {
    let (status, location, body) = post_form(client, app, "/registrations", form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    location.trim_start_matches("/registrations/").to_string()
}

/// The registration as the API shows it to `client`.
async fn api_registration(client: &reqwest::Client, app: &TestApp, id: &str) -> serde_json::Value {
    let response = client
        .get(app.url(&format!("/api/v1/registrations/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn spawn() -> Vec<(TestApp, ConflictWorld)> {
    let mut apps = Vec::new();
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = seed(&app).await;
        apps.push((app, world));
    }
    apps
}

const OTHER_PARTNERS: [&str; 4] = [
    "Alpha Resellers",
    "Beta Managed Services",
    "Delta Distribution",
    "Rho Resale",
];

/// Asserts `body` names none of the partners but `own`.
fn names_no_other_partner(body: &str, own: &str, what: &str) {
    for name in OTHER_PARTNERS.iter().filter(|n| **n != own) {
        assert!(!body.contains(name), "{what} names {name}:\n{body}");
    }
}

#[tokio::test]
async fn the_registration_form_round_trips_with_errors_next_to_fields() {
    for (app, _) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let nav = expect_page(
            &alpha,
            &app,
            "/registrations/new",
            &[
                "Register a deal",
                "name=\"product_families\" value=\"Firewalls\"",
                "name=\"product_families\" value=\"Switches\"",
                "<option value=\"EUR\" selected>EUR</option>",
                "href=\"/registrations\"",
                "href=\"/reservations\"",
                "Deal registrations",
            ],
        )
        .await;
        assert!(!nav.contains("Review queue"), "partners have no review queue");

        // Everything wrong at once: each message next to its field, what was typed kept.
        let mut bad = deal("Globex GmbH", "not a domain", &[]);
        for (key, value) in bad.iter_mut() {
            match key.as_str() {
                "value" => *value = "-5".into(),
                "expected_close" => *value = "2020-01-01".into(),
                "contact_email" => *value = "nobody".into(),
                _ => {}
            }
        }
        let (status, _, body) = post_form(&alpha, &app, "/registrations", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for expected in [
            "id=\"f-website-error\"",
            "'not a domain' is not a web domain",
            "id=\"f-product_families-error\"",
            "name at least one product family",
            "id=\"f-value-error\"",
            "must be more than zero",
            "id=\"f-expected_close-error\"",
            "must be today",
            "id=\"f-contact_email-error\"",
            "value=\"Globex GmbH\"",
            "value=\"not a domain\"",
            "value=\"-5\"",
            "value=\"2020-01-01\"",
            "aria-invalid=\"true\"",
            "Please correct 5 fields",
        ] {
            assert!(body.contains(expected), "the form lacks {expected:?}:\n{body}");
        }
        // A family the catalogue does not have is refused by the service, and the
        // checked families stay checked.
        let mut unknown = deal("Globex GmbH", "globex.de", &["Firewalls", "Toasters"]);
        unknown.retain(|(k, _)| k != "notes");
        let (status, _, body) = post_form(&alpha, &app, "/registrations", &unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("unknown product family 'Toasters'"), "{body}");
        assert!(
            body.contains("value=\"Firewalls\" checked") && body.contains("value=\"Toasters\" checked"),
            "{body}"
        );

        // Right: submitted, decided, and shown with its status and reason.
        let id = register(
            &alpha,
            &app,
            &deal("Globex GmbH", "https://www.globex.de", &["Firewalls"]),
        )
        .await;
        let shown = expect_page(
            &alpha,
            &app,
            &format!("/registrations/{id}"),
            &[
                "Globex GmbH",
                "Pending review",
                "globex.de",
                "Germany (DE)",
                "48,000.00 EUR",
                &close_date(),
                "Firewalls",
                "Alpha Resellers",
            ],
        )
        .await;
        let api = api_registration(&alpha, &app, &id).await;
        assert!(
            shown.contains(api["reason"].as_str().unwrap()),
            "the page shows the reason {}:\n{shown}",
            api["reason"]
        );
        assert!(!shown.contains("Best match score"), "partners see no scores");
        assert!(!shown.contains("candidate account"), "partners see no candidates");
        assert!(!shown.contains("action=\"/registrations/{id}/approve\""));
        let list = expect_page(
            &alpha,
            &app,
            "/registrations",
            &["My registrations", api["reference"].as_str().unwrap(), "Pending review"],
        )
        .await;
        assert!(list.contains(&format!("href=\"/registrations/{id}\"")), "{list}");

        // The check page's "register the deal" link prefills the form.
        expect_page(
            &alpha,
            &app,
            "/registrations/new?customer_name=Brand+New+Robotics&website=brandnew.io&country=DE",
            &[
                "value=\"Brand New Robotics\"",
                "value=\"brandnew.io\"",
                "<option value=\"DE\" selected>",
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn a_duplicate_by_another_partner_is_declined_without_naming_the_first() {
    for (app, _) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        let first = register(&alpha, &app, &deal("Globex GmbH", "globex.de", &["Firewalls"])).await;
        let first_api = api_registration(&alpha, &app, &first).await;
        let registered_on = &first_api["created_at"].as_str().unwrap()[..10];

        // Another spelling, the same website, an overlapping family.
        let duplicate = register(
            &beta,
            &app,
            &deal("GLOBEX gmbh", "http://globex.de/", &["Firewalls", "Switches"]),
        )
        .await;
        let body = expect_page(
            &beta,
            &app,
            &format!("/registrations/{duplicate}"),
            &[
                "Declined",
                "Duplicate: this customer was already registered on",
                registered_on,
                "by another partner",
                "GLOBEX gmbh",
            ],
        )
        .await;
        names_no_other_partner(&body, "Beta Managed Services", "the decline");
        assert!(!body.contains(first_api["reference"].as_str().unwrap()), "{body}");
        let list = expect_page(&beta, &app, "/registrations", &["Declined", "Duplicate: this customer"]).await;
        names_no_other_partner(&list, "Beta Managed Services", "Beta's list");
        let exported = csv(&beta, &app, "/registrations/export.csv").await;
        names_no_other_partner(&exported, "Beta Managed Services", "Beta's export");
        assert!(exported.contains("Duplicate: this customer"), "{exported}");

        // House account and an account reserved by another partner, in words.
        let house = register(&alpha, &app, &deal("Initech", "initech.de", &["Switches"])).await;
        expect_page(
            &alpha,
            &app,
            &format!("/registrations/{house}"),
            &["Declined", "The customer is a house account"],
        )
        .await;
        let reserved = register(&alpha, &app, &deal("Hooli", "hooli.de", &["Switches"])).await;
        let body = expect_page(
            &alpha,
            &app,
            &format!("/registrations/{reserved}"),
            &["Declined", "reserved by another partner"],
        )
        .await;
        names_no_other_partner(&body, "Alpha Resellers", "the reserved decline");

        // Partner B cannot open partner A's registration, nor act on it; neither can the
        // channel manager of other partners.
        for path in [format!("/registrations/{first}")] {
            let (status, body) = page(&beta, &app, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
            assert!(!body.contains("Globex GmbH"), "{body}");
            let cam_b = app.session("cam.b@vendor.example").await;
            assert_eq!(page(&cam_b, &app, &path).await.0, StatusCode::NOT_FOUND);
        }
        for action in ["lost", "extension-request"] {
            let (status, _, _) = post_form(&beta, &app, &format!("/registrations/{first}/{action}"), &[]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{action}");
        }
        let (status, _, _) = post_form(&beta, &app, &format!("/registrations/{first}/won"), &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(api_registration(&alpha, &app, &first).await["status"], "pending_review");
    }
}

#[tokio::test]
async fn the_account_check_answers_in_words_and_reserves() {
    for (app, world) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        expect_page(
            &alpha,
            &app,
            "/reservations/check",
            &["Check an account", "id=\"c-name\""],
        )
        .await;
        let check = "/reservations/check?name=Globex+GmbH&website=globex.de&country=DE&city=Berlin";
        let body = expect_page(
            &alpha,
            &app,
            check,
            &[
                "Globex GmbH is available",
                "action=\"/reservations\"",
                &format!("name=\"account_id\" value=\"{}\"", world.globex),
                "value=\"hierarchy\"",
            ],
        )
        .await;
        assert!(body.contains("answer-available"), "{body}");
        expect_page(
            &alpha,
            &app,
            "/reservations/check?name=Hooli&website=hooli.de&country=DE",
            &["Hooli GmbH is reserved by another partner"],
        )
        .await;
        expect_page(
            &alpha,
            &app,
            "/reservations/check?name=Initech&website=initech.de&country=DE",
            &["Initech AG is a house account"],
        )
        .await;
        expect_page(
            &alpha,
            &app,
            "/reservations/check?name=Zzyzx+Quantum+Foundries&country=DE",
            &[
                "A new customer",
                "Register the deal",
                "/registrations/new?customer_name=Zzyzx+Quantum+Foundries",
            ],
        )
        .await;
        let (status, _, body) = post_form(
            &alpha,
            &app,
            "/reservations",
            &pairs(&[
                ("account_id", &world.globex),
                ("scope", "hierarchy"),
                ("name", "Globex GmbH"),
                ("website", "globex.de"),
                ("country", "DE"),
                ("city", "Berlin"),
                ("partner_id", ""),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let list = expect_page(
            &alpha,
            &app,
            "/reservations",
            &[
                "My reservations",
                "Globex GmbH",
                "This account with its subsidiaries and offices",
                "Active",
                "0 of 2",
                "Renew",
                "Release",
            ],
        )
        .await;
        assert!(!list.contains("Hooli"), "Beta's reservation shows to Alpha:\n{list}");
        expect_page(&alpha, &app, check, &["Globex GmbH is reserved by you"]).await;
        let body = expect_page(&beta, &app, check, &["Globex GmbH is reserved by another partner"]).await;
        names_no_other_partner(&body, "Beta Managed Services", "Beta's check");
        // Reserving what another partner holds is refused with the rule, on the check page.
        let (status, _, body) = post_form(
            &beta,
            &app,
            "/reservations",
            &pairs(&[
                ("account_id", &world.globex),
                ("scope", "account"),
                ("name", "Globex GmbH"),
                ("website", "globex.de"),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            body.contains("Not reserved: this account is reserved by another partner"),
            "{body}"
        );
        names_no_other_partner(&body, "Beta Managed Services", "the refusal");

        // Renew, then release.
        let reservations: serde_json::Value = alpha
            .get(app.url("/api/v1/reservations"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = reservations[0]["id"].as_str().unwrap().to_string();
        let (status, location, _) = post_form(&alpha, &app, &format!("/reservations/{id}/renew"), &[]).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/reservations"));
        expect_page(&alpha, &app, "/reservations", &["1 of 2"]).await;
        let (status, _, _) = post_form(&alpha, &app, &format!("/reservations/{id}/release"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        expect_page(
            &alpha,
            &app,
            "/reservations?status=released",
            &["Globex GmbH", "Released"],
        )
        .await;
        let (status, _, body) = post_form(&alpha, &app, &format!("/reservations/{id}/release"), &[]).await;
        assert_eq!(status, StatusCode::CONFLICT, "releasing twice: {body}");

        // Filters, sorting and the export of the same rows.
        let exported = csv(&beta, &app, "/reservations/export.csv?status=active").await;
        assert!(
            exported.contains("Hooli GmbH") && !exported.contains("Globex"),
            "{exported}"
        );
        assert_eq!(exported.lines().count(), 2, "{exported}");
        let admin = app.session("admin@vendor.example").await;
        let all = csv(&admin, &app, "/reservations/export.csv?sort=account").await;
        let accounts: Vec<&str> = all.lines().skip(1).map(|l| l.split(',').nth(2).unwrap()).collect();
        assert_eq!(accounts, ["Globex GmbH", "Hooli GmbH"], "{all}");
        let page_body = expect_page(
            &admin,
            &app,
            "/reservations?sort=-account",
            &["aria-sort=\"descending\""],
        )
        .await;
        assert!(
            page_body.find("Hooli GmbH").unwrap() < page_body.find("Globex GmbH").unwrap(),
            "descending by account"
        );
    }
}

#[tokio::test]
async fn the_review_queue_compares_candidates_and_decides_in_bulk() {
    for (app, world) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        let globex = register(&alpha, &app, &deal("Globex GmbH", "globex.de", &["Firewalls"])).await;
        let fresh = register(
            &alpha,
            &app,
            &deal("Brand New Robotics", "brandnew-robotics.io", &["Switches"]),
        )
        .await;
        let betas = register(&beta, &app, &deal("Umbrella Corp", "umbrella.example", &["Switches"])).await;
        let globex_api = api_registration(&alpha, &app, &globex).await;
        let fresh_api = api_registration(&alpha, &app, &fresh).await;
        let beta_api = api_registration(&beta, &app, &betas).await;
        assert_eq!(globex_api["status"], "pending_review");

        let cam_a = app.session("cam.a@vendor.example").await;
        let cam_view = api_registration(&cam_a, &app, &globex).await;
        let score = cam_view["candidates"][0]["score"].as_u64().unwrap().to_string();
        let queue = expect_page(
            &cam_a,
            &app,
            "/registrations/review",
            &[
                "Review queue",
                globex_api["reference"].as_str().unwrap(),
                fresh_api["reference"].as_str().unwrap(),
                &format!("href=\"/accounts/{}\"", world.globex),
                &format!("value=\"{score}\""),
                &format!("<strong>{score}</strong>"),
                "Same customer",
                "domain globex.de = globex.de",
                "country DE = DE",
                "No existing account resembles this customer",
                "form=\"bulk\"",
                "Alpha Resellers",
            ],
        )
        .await;
        assert!(
            !queue.contains(beta_api["reference"].as_str().unwrap()),
            "cam.a sees a partner they do not manage"
        );
        expect_page(
            &app.session("cam.b@vendor.example").await,
            &app,
            "/registrations/review",
            &[beta_api["reference"].as_str().unwrap()],
        )
        .await;
        let (status, _) = page(&alpha, &app, "/registrations/review").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Filters: country and age.
        let filtered = expect_page(&cam_a, &app, "/registrations/review?age=30", &["Nothing matches."]).await;
        assert!(!filtered.contains(globex_api["reference"].as_str().unwrap()));
        expect_page(&cam_a, &app, "/registrations/review?country=FR", &["Nothing matches."]).await;
        // The registration's page shows the same comparison.
        expect_page(
            &cam_a,
            &app,
            &format!("/registrations/{globex}"),
            &[
                "Matching",
                "domain globex.de = globex.de",
                "Approve",
                "Reject",
                "Best match score",
            ],
        )
        .await;

        // Bulk rejection needs a comment; nothing is decided without one.
        let bulk = |action: &str, comment: &str| {
            let mut form = pairs(&[("action", action), ("comment", comment)]);
            form.push(("ids".into(), globex.clone()));
            form.push(("ids".into(), fresh.clone()));
            form
        };
        let (status, _, body) = post_form(&cam_a, &app, "/registrations/review", &bulk("reject", " ")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("say why the registrations are rejected"), "{body}");
        assert_eq!(
            api_registration(&alpha, &app, &globex).await["status"],
            "pending_review"
        );
        let (status, _, body) =
            post_form(&cam_a, &app, "/registrations/review", &pairs(&[("action", "approve")])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("check at least one registration"), "{body}");

        // Bulk approval of both, with one comment.
        let (status, location, body) = post_form(
            &cam_a,
            &app,
            "/registrations/review",
            &bulk("approve", "Welcome aboard"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location, "/registrations/review?done=approved&count=2");
        let after = expect_page(&cam_a, &app, &location, &["Approved 2 registrations."]).await;
        assert!(!after.contains(globex_api["reference"].as_str().unwrap()), "{after}");
        for id in [&globex, &fresh] {
            let r = api_registration(&alpha, &app, id).await;
            assert_eq!(r["status"], "approved", "{r}");
            assert_eq!(r["reason"], "Approved: Welcome aboard");
        }
        expect_page(
            &alpha,
            &app,
            &format!("/registrations/{globex}"),
            &[
                "Approved",
                "Approved: Welcome aboard",
                "Protected until",
                "Report won",
                "Report lost",
                "Request an extension",
            ],
        )
        .await;

        // One at a time from the queue, back to the queue: cam.b rejects Beta's with a comment.
        let cam_b = app.session("cam.b@vendor.example").await;
        let (status, _, body) = post_form(
            &cam_b,
            &app,
            &format!("/registrations/{betas}/reject"),
            &pairs(&[("comment", ""), ("back", "/registrations/review")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("say why the registration is rejected"), "{body}");
        let (status, location, _) = post_form(
            &cam_b,
            &app,
            &format!("/registrations/{betas}/reject"),
            &pairs(&[("comment", "Not a fit"), ("back", "/registrations/review")]),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/registrations/review")
        );
        expect_page(
            &beta,
            &app,
            &format!("/registrations/{betas}"),
            &["Rejected", "Rejected: Not a fit"],
        )
        .await;
        // Partners cannot decide.
        let (status, _, _) = post_form(&alpha, &app, &format!("/registrations/{globex}/extend"), &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn won_lost_and_extensions_from_the_registration_page() {
    for (app, _) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let cam_a = app.session("cam.a@vendor.example").await;
        let won = register(&alpha, &app, &deal("Globex GmbH", "globex.de", &["Firewalls"])).await;
        let lost = register(
            &alpha,
            &app,
            &deal("Brand New Robotics", "brandnew-robotics.io", &["Switches"]),
        )
        .await;
        for id in [&won, &lost] {
            let (status, _, body) = post_form(&cam_a, &app, &format!("/registrations/{id}/approve"), &[]).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        }

        // The partner asks for more time; the channel manager sees the request highlighted and extends.
        let (status, _, _) = post_form(&alpha, &app, &format!("/registrations/{won}/extension-request"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let page_body = expect_page(&alpha, &app, &format!("/registrations/{won}"), &["Extension requested"]).await;
        assert!(!page_body.contains("Request an extension"), "asked once");
        let expiring = expect_page(
            &cam_a,
            &app,
            "/registrations/expiring?days=120",
            &[
                "Expiring soon",
                "1 extension request waiting",
                "class=\"requested\"",
                "Globex GmbH",
                "Brand New Robotics",
            ],
        )
        .await;
        assert!(
            expiring.find("Globex GmbH").unwrap() < expiring.find("Brand New Robotics").unwrap(),
            "requests come first"
        );
        expect_page(&cam_a, &app, "/registrations/expiring", &["Nothing matches."]).await;
        let (status, location, _) = post_form(
            &cam_a,
            &app,
            &format!("/registrations/{won}/extend"),
            &pairs(&[("back", "/registrations/expiring?days=120")]),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/registrations/expiring?days=120")
        );
        let extended = api_registration(&alpha, &app, &won).await;
        assert_eq!(
            (
                extended["extensions"].as_i64(),
                extended["extension_requested"].as_bool()
            ),
            (Some(1), Some(false))
        );
        let csv_text = csv(&cam_a, &app, "/registrations/expiring/registrations.csv?days=120").await;
        assert!(
            csv_text.contains("Brand New Robotics") && !csv_text.contains("Globex GmbH"),
            "{csv_text}"
        );

        // Won: a bad line is shown with what was typed; then the sale is recorded.
        let (status, _, body) = post_form(
            &alpha,
            &app,
            &format!("/registrations/{won}/won"),
            &pairs(&[
                ("fact_date", &today()),
                ("line_sku", "NOPE-1"),
                ("line_quantity", "2"),
                ("line_amount", "30000.00"),
                ("line_sku", ""),
                ("line_quantity", ""),
                ("line_amount", ""),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("line 1:") && body.contains("value=\"NOPE-1\""), "{body}");
        assert!(body.contains("value=\"30000.00\""), "{body}");
        let (status, _, body) = post_form(
            &alpha,
            &app,
            &format!("/registrations/{won}/won"),
            &pairs(&[
                ("fact_date", &today()),
                ("line_sku", "FW-100"),
                ("line_quantity", "2"),
                ("line_amount", "30000.00"),
                ("line_sku", "FW-200"),
                ("line_quantity", "1"),
                ("line_amount", "18000.00"),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let reference = expect_page(&alpha, &app, &format!("/registrations/{won}"), &["Won"]).await;
        assert!(
            !reference.contains("Report won"),
            "a won registration has no more actions"
        );
        let r = api_registration(&alpha, &app, &won).await;
        let sales: serde_json::Value = alpha
            .get(app.url(&format!(
                "/api/v1/sales-facts?deal_ref={}",
                r["reference"].as_str().unwrap()
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = sales["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{sales}");
        assert!(items.iter().all(|s| s["deal_registered"] == true), "{sales}");

        // Lost.
        let (status, _, _) = post_form(&alpha, &app, &format!("/registrations/{lost}/lost"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        expect_page(&alpha, &app, &format!("/registrations/{lost}"), &["Lost"]).await;
        let (status, _, body) = post_form(&alpha, &app, &format!("/registrations/{lost}/lost"), &[]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.contains("a lost registration cannot become lost"), "{body}");
    }
}

#[tokio::test]
async fn reports_and_csv_exports_hold_the_right_rows() {
    for (app, _) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let beta = app.session("user@beta.example").await;
        let admin = app.session("admin@vendor.example").await;
        let a1 = register(&alpha, &app, &deal("Globex GmbH", "globex.de", &["Firewalls"])).await;
        let b1 = register(&beta, &app, &deal("Globex", "globex.de", &["Firewalls"])).await;
        let a2 = register(&alpha, &app, &deal("Initech", "initech.de", &["Switches"])).await;
        let b2 = register(&beta, &app, &deal("Umbrella Corp", "umbrella.example", &["Switches"])).await;
        let refs: Vec<String> = {
            let mut refs = Vec::new();
            for (client, id) in [(&alpha, &a1), (&beta, &b1), (&alpha, &a2), (&beta, &b2)] {
                refs.push(
                    api_registration(client, &app, id).await["reference"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                );
            }
            refs
        };

        // A partner's export: its own rows only, filtered like the list.
        let mine = csv(&alpha, &app, "/registrations/export.csv").await;
        assert!(mine.contains(&refs[0]) && mine.contains(&refs[2]), "{mine}");
        assert!(!mine.contains(&refs[1]) && !mine.contains(&refs[3]), "{mine}");
        assert_eq!(mine.lines().count(), 3, "{mine}");
        let declined = csv(&alpha, &app, "/registrations/export.csv?status=declined").await;
        assert_eq!(declined.lines().count(), 2, "{declined}");
        assert!(
            declined.contains(&refs[2]) && declined.contains("house account"),
            "{declined}"
        );
        let list = expect_page(&alpha, &app, "/registrations?status=declined", &[&refs[2]]).await;
        assert!(!list.contains(&refs[0]), "the status filter");
        assert!(list.contains("/registrations/export.csv?status=declined"), "{list}");
        let sorted = csv(&admin, &app, "/registrations/export.csv?sort=customer_name").await;
        let names: Vec<&str> = sorted.lines().skip(1).map(|l| l.split(',').nth(4).unwrap()).collect();
        assert_eq!(names, ["Globex", "Globex GmbH", "Initech", "Umbrella Corp"], "{sorted}");

        // Conflicts: the declined ones, with the kind; a channel manager sees their partners'.
        let conflicts = csv(&admin, &app, "/registrations/conflicts.csv").await;
        assert_eq!(conflicts.lines().count(), 3, "{conflicts}");
        assert!(
            conflicts.contains(&refs[1]) && conflicts.contains(",duplicate,"),
            "{conflicts}"
        );
        assert!(
            conflicts.contains(&refs[2]) && conflicts.contains(",house_account,"),
            "{conflicts}"
        );
        let duplicates = csv(&admin, &app, "/registrations/conflicts.csv?kind=duplicate").await;
        assert_eq!(duplicates.lines().count(), 2, "{duplicates}");
        let cam_a = app.session("cam.a@vendor.example").await;
        let theirs = csv(&cam_a, &app, "/registrations/conflicts.csv").await;
        assert!(theirs.contains(&refs[2]) && !theirs.contains(&refs[1]), "{theirs}");
        expect_page(
            &admin,
            &app,
            "/registrations/conflicts?kind=duplicate",
            &[
                "Channel conflicts",
                &refs[1],
                "Duplicate of another partner's registration",
                "Beta Managed Services",
            ],
        )
        .await;

        // Pipeline: counts by status, partner and region, with the charts.
        admin
            .put(app.url("/api/v1/regions/dach"))
            .json(&serde_json::json!({ "name": "DACH", "countries": ["DE", "AT", "CH"] }))
            .send()
            .await
            .unwrap();
        let pipeline = expect_page(
            &admin,
            &app,
            "/registrations/pipeline",
            &[
                "Registrations pipeline",
                "id=\"pipeline-chart\"",
                "id=\"region-chart\"",
                "DACH (dach)",
                "Alpha Resellers",
                "Beta Managed Services",
                "96,000.00 EUR",
            ],
        )
        .await;
        assert!(pipeline.contains("Pending: 2; Approved: 0; Declined: 2"), "{pipeline}");
        let pipeline_csv = csv(&admin, &app, "/registrations/pipeline.csv").await;
        assert!(
            pipeline_csv.contains("all,,All registrations,pending_review,2,EUR,96000"),
            "{pipeline_csv}"
        );
        assert!(
            pipeline_csv.contains("region,dach,DACH,declined,2,EUR,96000"),
            "{pipeline_csv}"
        );
        let only_alpha = csv(
            &admin,
            &app,
            &format!("/registrations/pipeline.csv?partner_id={}", app.cast.partner_a),
        )
        .await;
        assert!(!only_alpha.contains("Beta"), "{only_alpha}");

        // The partner home sums them up, with links into the lists.
        expect_page(
            &alpha,
            &app,
            "/",
            &[
                "Your registrations and reservations",
                "<span class=\"stat-value\">1</span> registrations pending review",
                "href=\"/registrations?status=pending_review\"",
                "<span class=\"stat-value\">0</span> accounts reserved",
            ],
        )
        .await;
        expect_page(
            &beta,
            &app,
            "/",
            &["<span class=\"stat-value\">1</span> accounts reserved"],
        )
        .await;

        // Vendor navigation has the area; roles that cannot read registrations do not.
        let home = expect_page(
            &admin,
            &app,
            "/",
            &["href=\"/registrations\"", "href=\"/reservations\""],
        )
        .await;
        assert!(home.contains(">Registrations<"), "{home}");
        let (_, marketing_home) = page(&app.session("marketing@vendor.example").await, &app, "/").await;
        assert!(!marketing_home.contains("href=\"/registrations\""), "{marketing_home}");
        let (status, _) = page(&app.session("marketing@vendor.example").await, &app, "/registrations").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_distributor_registers_for_its_reseller_and_read_only_roles_only_read() {
    for (app, _) in spawn().await {
        let delta = app.session("admin@delta.example").await;
        let form = expect_page(
            &delta,
            &app,
            "/registrations/new",
            &["Registering partner", "Rho Resale", "Delta Distribution"],
        )
        .await;
        assert!(
            !form.contains("Alpha Resellers") && !form.contains("Beta Managed Services"),
            "the distributor is offered partners other than its resellers:\n{form}"
        );
        let mut for_rho = deal("Globex GmbH", "globex.de", &["Firewalls"]);
        for_rho.push(("partner_id".into(), app.cast.reseller.clone()));
        let id = register(&delta, &app, &for_rho).await;
        expect_page(
            &delta,
            &app,
            &format!("/registrations/{id}"),
            &["Rho Resale", "Pending review"],
        )
        .await;
        let rho = app.session("user@rho.example").await;
        let own = expect_page(&rho, &app, "/registrations", &["Globex GmbH"]).await;
        assert!(!own.contains("Registering partner"), "a reseller acts for itself only");
        let (status, _) = page(
            &app.session("user@alpha.example").await,
            &app,
            &format!("/registrations/{id}"),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // A partner outside the distributor's resellers is refused next to the field.
        let mut for_alpha = deal("Initrode", "initrode.example", &["Switches"]);
        for_alpha.push(("partner_id".into(), app.cast.partner_a.clone()));
        let (status, _, body) = post_form(&delta, &app, "/registrations", &for_alpha).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("id=\"f-partner_id-error\""), "{body}");

        // Finance reads the registrations and reports, but neither reviews nor reserves.
        let finance = app.session("finance@vendor.example").await;
        let list = expect_page(
            &finance,
            &app,
            "/registrations",
            &["Globex GmbH", "Conflicts", "Pipeline"],
        )
        .await;
        assert!(!list.contains("href=\"/registrations/review\""), "{list}");
        assert!(
            !list.contains("href=\"/reservations\""),
            "finance does not read reservations"
        );
        expect_page(&finance, &app, "/registrations/pipeline", &["Rho Resale"]).await;
        let expiring = expect_page(&finance, &app, "/registrations/expiring", &["Expiring soon"]).await;
        assert!(!expiring.contains("id=\"reservations-title\""), "{expiring}");
        let detail = expect_page(&finance, &app, &format!("/registrations/{id}"), &["Matching"]).await;
        assert!(!detail.contains("/approve\""), "finance has no review buttons");
        assert_eq!(
            page(&finance, &app, "/registrations/review").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(page(&finance, &app, "/reservations").await.0, StatusCode::FORBIDDEN);
        // Vendor staff check an account for a partner they choose.
        let cam_a = app.session("cam.a@vendor.example").await;
        let (status, body) = page(&cam_a, &app, "/reservations/check?name=Globex+GmbH&website=globex.de").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("id=\"c-partner_id-error\""), "{body}");
        expect_page(
            &cam_a,
            &app,
            &format!(
                "/reservations/check?name=Globex+GmbH&website=globex.de&partner_id={}",
                app.cast.partner_a
            ),
            &["Globex GmbH is available", "Reserve Globex GmbH"],
        )
        .await;
    }
}
