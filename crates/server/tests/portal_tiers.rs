//! The tier pages of the portal over HTTP, on every configured backend: the structure form
//! round-trips (and shows validation messages with what was typed), the vendor pages show
//! the evaluation's numbers, evaluations run as jobs, drafts are simulated and published,
//! snapshots export as CSV in the caller's scope, overrides are granted and revoked, and a
//! partner sees its own status card and history — never another partner's.

mod common;
mod tiers_data;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use tributary_domain::tiering::Cadence;
use tributary_domain::tiering::schedule::last_period_end;

use common::TestApp;
use tiers_data::{ALPHA_SUMMARY, FIRST_EVALUATION, STRUCTURE_NAME, TierWorld, seed};

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

/// The structure form as a browser submits it: every row's fields, a blank row at the end
/// of each table, Silver's and Gold's revenue targets and Gold's certification target as typed.
fn structure_form(name: &str, silver: &str, gold: &str, certified: &str) -> Vec<(String, String)> {
    let mut form = pairs(&[
        ("name", name),
        ("currency", "USD"),
        ("cadence", "quarterly"),
        ("grace", "1"),
        ("max_demotion_step", "1"),
        ("valid_from", "2026-01-01"),
        ("valid_until", ""),
        ("segment_id", ""),
    ]);
    for (key, kind, window) in [
        ("revenue_12m", "net_revenue", "trailing_months"),
        ("certified", "certified_people", "at_date"),
        ("", "net_revenue", "trailing_months"),
    ] {
        form.extend(pairs(&[
            ("metric_key", key),
            ("metric_kind", kind),
            ("metric_window", window),
            ("metric_months", "12"),
            ("metric_first_month", "1"),
            ("metric_custom_name", ""),
            ("metric_aggregation", ""),
        ]));
    }
    for (level, discount, rebate, mdf, priority, tags) in [
        ("Registered", "0", "1", "0", "0", ""),
        ("Silver", "5", "1.2", "1000", "1", "silver"),
        ("Gold", "10", "1.5", "5000", "2", "gold, playbooks"),
        ("", "", "", "", "", ""),
    ] {
        form.extend(pairs(&[
            ("level_name", level),
            ("level_discount", discount),
            ("level_rebate", rebate),
            ("level_mdf", mdf),
            ("level_priority", priority),
            ("level_tags", tags),
        ]));
    }
    for (level, metric, target) in [
        ("Silver", "revenue_12m", silver),
        ("Gold", "revenue_12m", gold),
        ("Gold", "certified", certified),
        ("", "", ""),
    ] {
        form.extend(pairs(&[
            ("req_level", level),
            ("req_metric", metric),
            ("req_comparison", ">="),
            ("req_target", target),
        ]));
    }
    form.extend(pairs(&[
        ("ovr_region", ""),
        ("ovr_level", ""),
        ("ovr_metric", ""),
        ("ovr_target", ""),
    ]));
    form
}

/// The id at the end of a redirect such as `/tiers/{id}` or `/tiers/{id}/edit`.
fn id_in(location: &str) -> String {
    location
        .trim_start_matches("/tiers/")
        .trim_end_matches("/edit")
        .to_string()
}

async fn spawn() -> Vec<(TestApp, TierWorld)> {
    let mut apps = Vec::new();
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let world = seed(&app).await;
        apps.push((app, world));
    }
    apps
}

#[tokio::test]
async fn partners_see_their_own_status_card_and_history_only() {
    for (app, world) in spawn().await {
        let alpha = app.session("user@alpha.example").await;
        let home = expect_page(
            &alpha,
            &app,
            "/",
            &[
                STRUCTURE_NAME,
                "Silver",
                ALPHA_SUMMARY,
                "Towards Gold",
                "379,600.00 USD",
                "500,000.00 USD",
                "120,400.00 USD",
                "<progress max=\"100\" value=\"75\"",
                "<progress max=\"100\" value=\"80\"",
                "5%",
                "1,000.00 USD",
                "31 December 2026",
                "Tier history",
            ],
        )
        .await;
        assert!(
            !home.contains("Beta Managed Services") && !home.contains("700,000"),
            "{home}"
        );
        assert!(!home.contains("At risk"), "Alpha has missed nothing yet");

        let beta = app.session("user@beta.example").await;
        let beta_home = expect_page(&beta, &app, "/", &["Gold", "You are at the top level.", "10%"]).await;
        assert!(!beta_home.contains("Alpha Resellers") && !beta_home.contains("379,600"));

        let delta = app.session("admin@delta.example").await;
        expect_page(&delta, &app, "/", &["Registered", "more revenue to reach Silver"]).await;

        // Their own history, never another partner's.
        let a = &app.cast.partner_a;
        let b = &app.cast.partner_b;
        let response = alpha.get(app.url("/my/tiers")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], format!("/partners/{a}/tiers").as_str());
        let history = expect_page(
            &alpha,
            &app,
            &format!("/partners/{a}/tiers"),
            &[
                &format!("History in {STRUCTURE_NAME}"),
                FIRST_EVALUATION,
                "Initial",
                "revenue_12m",
                "379,600.00 USD",
            ],
        )
        .await;
        assert!(!history.contains("Manual overrides"), "partner users see history only");
        let export = format!(
            "/api/v1/tier-snapshots/export?partner_id={a}&structure_id={}",
            world.structure
        );
        assert!(history.contains(&export), "{history}");
        let csv = alpha.get(app.url(&export)).send().await.unwrap().text().await.unwrap();
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(csv.contains("Alpha Resellers"));
        let (status, body) = page(&alpha, &app, &format!("/partners/{b}/tiers")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.contains("Beta Managed Services"));
        // Partners do not reach the vendor pages.
        for path in [
            "/tiers".to_string(),
            format!("/tiers/{}", world.structure),
            "/tiers/snapshots".into(),
            "/tiers/snapshots/export".into(),
        ] {
            let (status, _) = page(&alpha, &app, &path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        }
        let (status, _, _) = post_form(
            &alpha,
            &app,
            &format!("/partners/{a}/tiers/overrides"),
            &pairs(&[
                ("target", &format!("{}:2", world.structure)),
                ("reason", "mine"),
                ("starts_on", "2026-01-01"),
                ("expires_on", "2027-01-01"),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_partner_not_evaluated_yet_is_told_so() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha = app.session("user@alpha.example").await;
        expect_page(&alpha, &app, "/", &["Tier status", "has not been evaluated"]).await;
        expect_page(
            &alpha,
            &app,
            &format!("/partners/{}/tiers", app.cast.partner_a),
            &["Your organisation has not been evaluated"],
        )
        .await;
    }
}

#[tokio::test]
async fn vendor_pages_show_the_evaluation_and_export_snapshots_in_scope() {
    for (app, world) in spawn().await {
        let id = &world.structure;
        let default_date = last_period_end(Cadence::Quarterly, chrono::Utc::now().date_naive()).to_string();
        let admin = app.session("admin@vendor.example").await;
        let list = expect_page(&admin, &app, "/tiers", &[STRUCTURE_NAME, "Published", "New structure"]).await;
        assert!(list.contains(&format!("href=\"/tiers/{id}\"")));
        let detail = expect_page(
            &admin,
            &app,
            &format!("/tiers/{id}"),
            &[
                "revenue_12m ≥ 500,000.00 USD",
                "certified ≥ 5",
                "revenue_12m ≥ 150,000.00 USD",
                "×1.5",
                "5,000.00 USD",
                "Copy into a draft",
                "name=\"eval_date\"",
                &format!("value=\"{default_date}\""),
                FIRST_EVALUATION,
                "Distribution on 2026-09-30",
                "Registered: 2; Silver: 1; Gold: 1",
                "Germany, Austria, Switzerland (dach)",
                "<svg",
                "Partners at risk of demotion",
            ],
        )
        .await;
        assert!(
            detail.contains("Nothing matches."),
            "nobody is at risk after one evaluation"
        );
        let csv = admin
            .get(app.url(&format!("/tiers/{id}/distribution.csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            csv.lines().collect::<Vec<_>>(),
            [
                "eval_date,region,region_name,Registered,Silver,Gold,total",
                "2026-09-30,dach,\"Germany, Austria, Switzerland (dach)\",2,1,1,4",
                "2026-09-30,,All regions,2,1,1,4",
            ]
        );

        // Readers see the numbers but no write actions; partner roles and legal nothing.
        let finance = app.session("finance@vendor.example").await;
        let seen = expect_page(
            &finance,
            &app,
            &format!("/tiers/{id}"),
            &["Registered: 2; Silver: 1; Gold: 1"],
        )
        .await;
        assert!(!seen.contains("Copy into a draft") && !seen.contains("name=\"eval_date\""));
        let list = expect_page(&finance, &app, "/tiers", &[STRUCTURE_NAME]).await;
        assert!(!list.contains("New structure"));
        assert!(list.contains("href=\"/tiers\""), "the navigation links the tier pages");
        let (status, _) = page(&finance, &app, "/tiers/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let legal = app.session("legal@vendor.example").await;
        let (status, _) = page(&legal, &app, "/tiers").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = post_form(&finance, &app, &format!("/tiers/{id}/draft"), &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Snapshots: all partners for the administrator, the managed ones for a channel manager.
        let filtered = format!("/tiers/snapshots?structure_id={id}&eval_date={FIRST_EVALUATION}");
        let snapshots = expect_page(
            &admin,
            &app,
            &filtered,
            &[
                "Alpha Resellers",
                "Beta Managed Services",
                "Delta Distribution",
                "Initial",
                "Export CSV",
            ],
        )
        .await;
        assert!(
            snapshots.contains("aria-sort=\"descending\""),
            "sorted by date, newest first"
        );
        let gold_only = expect_page(
            &admin,
            &app,
            &format!("{filtered}&assigned_level=2"),
            &["Beta Managed Services"],
        )
        .await;
        assert!(!gold_only.contains(&format!("href=\"/partners/{}/tiers\"", app.cast.partner_a)));
        let csv = admin
            .get(app.url(&format!(
                "/tiers/snapshots/export?structure_id={id}&eval_date={FIRST_EVALUATION}&sort=-eval_date"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 5, "{csv}");
        assert!(lines[0].starts_with("eval_date,structure_id,partner_id,partner_name"));
        let alpha_line = lines
            .iter()
            .find(|l| l.contains("Alpha Resellers"))
            .expect("Alpha's snapshot");
        assert!(
            alpha_line.contains(",1,,1,0,initial,") && alpha_line.contains("revenue_12m=379600"),
            "{alpha_line}"
        );

        let cam = app.session("cam.a@vendor.example").await;
        let own = expect_page(&cam, &app, "/tiers/snapshots", &["Alpha Resellers", "Rho Resale"]).await;
        assert!(!own.contains("Beta Managed Services"));
        let csv = cam
            .get(app.url(&format!("/tiers/snapshots/export?structure_id={id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(csv.lines().count(), 4, "header and cam.a's three partners: {csv}");
        assert!(!csv.contains("Beta Managed Services"));
        let (status, _) = page(&cam, &app, &format!("/partners/{}/tiers", app.cast.partner_b)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Metric facts: everyone's for the administrator, exportable; a partner its own.
        let facts = expect_page(
            &admin,
            &app,
            "/metric-facts?metric=certified_people",
            &[
                "Alpha Resellers",
                "Beta Managed Services",
                "certified_people",
                "Export CSV",
                "/api/v1/exports/metric-facts?metric=certified_people",
            ],
        )
        .await;
        assert!(facts.contains(">4</td>") && facts.contains(">6</td>"), "{facts}");
        let alpha = app.session("user@alpha.example").await;
        let own = expect_page(&alpha, &app, "/metric-facts", &["certified_people", ">4</td>"]).await;
        assert!(
            !own.contains("Beta Managed Services") && !own.contains(">6</td>"),
            "{own}"
        );
        let (status, _) = page(&legal, &app, "/metric-facts").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The partner's tier page from the partner detail page.
        expect_page(
            &admin,
            &app,
            &format!("/partners/{}", app.cast.partner_a),
            &[&format!("href=\"/partners/{}/tiers\"", app.cast.partner_a)],
        )
        .await;
    }
}

#[tokio::test]
async fn the_structure_form_round_trips_and_shows_what_is_wrong() {
    for (app, _) in spawn().await {
        let admin = app.session("admin@vendor.example").await;
        expect_page(
            &admin,
            &app,
            "/tiers/new",
            &[
                "New tier structure",
                "<template id=\"levels-row\">",
                "data-add-row=\"requirements\"",
            ],
        )
        .await;

        // A valid form becomes a draft whose edit form shows the same values.
        let (status, location, body) = post_form(
            &admin,
            &app,
            "/tiers",
            &structure_form("Reseller program", "150000", "500000", "5"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let draft = id_in(&location);
        expect_page(
            &admin,
            &app,
            &location,
            &[
                "Reseller program",
                "Draft",
                "revenue_12m ≥ 500,000.00 USD",
                "Simulate",
                "Publish",
                "Discard",
            ],
        )
        .await;
        let edit = expect_page(
            &admin,
            &app,
            &format!("/tiers/{draft}/edit"),
            &[
                "value=\"Reseller program\"",
                "value=\"revenue_12m\"",
                "value=\"500000\"",
                "value=\"gold, playbooks\"",
                "<option value=\"Gold\" selected>Gold</option>",
                "<option value=\"at_date\" selected>",
            ],
        )
        .await;
        assert!(edit.contains("value=\"1.2\""), "benefits come back as typed");

        // A Gold target below Silver's is refused with the structure's message; what was
        // typed stays in the form.
        let (status, _, body) = post_form(
            &admin,
            &app,
            &format!("/tiers/{draft}"),
            &structure_form("Reseller program v2", "150000", "50", "5"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains(
                "level 'Gold', requirement on 'revenue_12m': the target is easier than the lower level 'Silver'"
            ),
            "{body}"
        );
        assert!(body.contains("value=\"Reseller program v2\"") && body.contains("value=\"50\""));
        assert!(body.contains("aria-invalid") || body.contains("alert-error"));

        // Values that cannot be read name their row; nothing is saved.
        let (status, _, body) =
            post_form(&admin, &app, "/tiers", &structure_form("Broken", "lots", "500000", "5")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains("level 'Silver', requirement on 'revenue_12m': the target 'lots' is not a number"),
            "{body}"
        );
        assert!(body.contains("value=\"lots\""));
        let list = expect_page(&admin, &app, "/tiers", &["Reseller program"]).await;
        assert!(!list.contains("Broken") && !list.contains("Reseller program v2"));

        // A valid change is saved.
        let (status, location, body) = post_form(
            &admin,
            &app,
            &format!("/tiers/{draft}"),
            &structure_form("Reseller program", "150000", "400000", "5"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        expect_page(&admin, &app, &location, &["revenue_12m ≥ 400,000.00 USD"]).await;

        // Publishing it would overlap the published structure for the same partners: the
        // draft's page says so.
        let (status, _, body) = post_form(&admin, &app, &format!("/tiers/{draft}/publish"), &[]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains("overlaps the published structure 'Partner program'"),
            "{body}"
        );
        assert!(body.contains("Reseller program") && body.contains("Draft"));

        // Only writers post the form.
        let marketing = app.session("marketing@vendor.example").await;
        let (status, _, _) = post_form(&marketing, &app, "/tiers", &structure_form("Sneaky", "1", "2", "5")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Discarding the draft removes it.
        let (status, location, _) = post_form(&admin, &app, &format!("/tiers/{draft}/discard"), &[]).await;
        assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/tiers"));
        let (status, _) = page(&admin, &app, &format!("/tiers/{draft}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

/// Polls the evaluation job's status fragment until it has finished.
async fn finished(client: &reqwest::Client, app: &TestApp, job: &str) -> String {
    let (path, query) = job.split_once('?').unwrap_or((job, ""));
    for _ in 0..400 {
        let (status, body) = page(client, app, &format!("{path}/status?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if !body.contains("Evaluating…") {
            assert!(!body.contains("hx-trigger"), "a finished job stops polling");
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the evaluation did not finish");
}

#[tokio::test]
async fn drafts_are_simulated_and_published_and_evaluations_run_as_jobs() {
    for (app, world) in spawn().await {
        let id = &world.structure;
        let cam = app.session("cam.a@vendor.example").await;

        // Copy into a draft, lower Gold's targets, simulate: Alpha reaches Gold.
        let (status, location, _) = post_form(&cam, &app, &format!("/tiers/{id}/draft"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(location.ends_with("/edit"), "{location}");
        let draft = id_in(&location);
        expect_page(&cam, &app, &location, &["Partner program (draft)", "value=\"500000\""]).await;
        let unchanged = expect_page(
            &cam,
            &app,
            &format!("/tiers/{draft}/simulate"),
            &["Run simulation", "(0 up, 0 down)"],
        )
        .await;
        assert!(unchanged.contains("Nothing matches."));
        let (status, _, body) = post_form(
            &cam,
            &app,
            &format!("/tiers/{draft}"),
            &structure_form("Partner program (draft)", "150000", "350000", "4"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let simulation = expect_page(
            &cam,
            &app,
            &format!("/tiers/{draft}/simulate?base_rebate_percent=2"),
            &[
                "(1 up, 0 down)",
                "Alpha Resellers",
                "↑ up",
                "Silver",
                "simulation-chart",
                "Registered: 2 now, 2 draft; Silver: 1 now, 0 draft; Gold: 1 now, 2 draft",
                "transition-matrix",
                "Benefit cost",
                // MDF: 1 000 + 5 000 now, 5 000 + 5 000 under the draft.
                "6,000.00 USD",
                "10,000.00 USD",
                "+4,000.00 USD",
                "Publish this draft",
            ],
        )
        .await;
        assert!(simulation.contains("revenue_12m") && simulation.contains("350,000.00 USD"));
        let down = expect_page(
            &cam,
            &app,
            &format!("/tiers/{draft}/simulate?direction=down"),
            &["Nothing matches."],
        )
        .await;
        assert!(!down.contains("↑ up</span>"));
        let csv = cam
            .get(app.url(&format!("/tiers/{draft}/simulate/movers.csv?direction=up")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2, "{csv}");
        assert!(lines[1].contains("Alpha Resellers,1,Silver,2,Gold,up,Gold"), "{csv}");
        let (status, _) = page(&cam, &app, &format!("/tiers/{draft}/simulate?base_rebate_percent=lots")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Another channel manager sees the program-wide counts but not Alpha by name.
        let cam_b = app.session("cam.b@vendor.example").await;
        let other = expect_page(
            &cam_b,
            &app,
            &format!("/tiers/{draft}/simulate"),
            &[
                "(0 up, 0 down)",
                "1 more partner outside the partners you look after moves too",
            ],
        )
        .await;
        assert!(!other.contains("Alpha Resellers"), "{other}");
        let csv = cam_b
            .get(app.url(&format!("/tiers/{draft}/simulate/movers.csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(csv.lines().count(), 1, "{csv}");

        // Publishing replaces the published structure.
        let (status, location, _) = post_form(&cam, &app, &format!("/tiers/{draft}/publish"), &[]).await;
        assert_eq!(
            (status, location.clone()),
            (StatusCode::SEE_OTHER, format!("/tiers/{id}"))
        );
        expect_page(&cam, &app, &location, &["revenue_12m ≥ 350,000.00 USD", "version 2"]).await;

        // Evaluate on 2026-10-31: Alpha's old sale leaves the window; it misses Silver once.
        let (status, job, body) = post_form(
            &cam,
            &app,
            &format!("/tiers/{id}/evaluate"),
            &pairs(&[("eval_date", "2026-10-31")]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert!(job.starts_with(&format!("/tiers/{id}/jobs/")), "{job}");
        expect_page(
            &cam,
            &app,
            &job,
            &["Evaluation of Partner program on 2026-10-31", "id=\"job-status\""],
        )
        .await;
        let outcome = finished(&cam, &app, &job).await;
        assert!(
            outcome.contains("Evaluated 4 partners on 2026-10-31: 0 promoted, 0 demoted, 1 at risk."),
            "{outcome}"
        );
        assert!(outcome.contains("/tiers/snapshots?structure_id="), "{outcome}");
        let detail = expect_page(
            &cam,
            &app,
            &format!("/tiers/{id}"),
            &[
                "Alpha Resellers",
                "Missing requirements",
                "revenue_12m is below the Silver target",
                "2026-10-31",
            ],
        )
        .await;
        assert!(
            !detail.contains("Beta Managed Services"),
            "a channel manager's reports are scoped"
        );
        let csv = cam
            .get(app.url(&format!("/tiers/{id}/at-risk.csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.contains("Alpha Resellers,1,Silver,missing,1"), "{csv}");

        // The same date again changes nothing; a future date is refused in the form.
        let (_, job, _) = post_form(
            &cam,
            &app,
            &format!("/tiers/{id}/evaluate"),
            &pairs(&[("eval_date", "2026-10-31")]),
        )
        .await;
        let again = finished(&cam, &app, &job).await;
        assert!(again.contains("2026-10-31 was already evaluated"), "{again}");
        let (status, _, body) = post_form(
            &cam,
            &app,
            &format!("/tiers/{id}/evaluate"),
            &pairs(&[("eval_date", "2999-01-01")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("is in the future"), "{body}");
        // Someone else's job is not found.
        let (status, _) = page(&app.session("admin@vendor.example").await, &app, &job).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The partner's card now warns that the level is at risk.
        let alpha = app.session("user@alpha.example").await;
        expect_page(&alpha, &app, "/", &["At risk", "missed the Silver requirements"]).await;
    }
}

#[tokio::test]
async fn overrides_are_granted_and_revoked_on_the_partner_tier_page() {
    for (app, world) in spawn().await {
        let a = &app.cast.partner_a;
        let cam = app.session("cam.a@vendor.example").await;
        let path = format!("/partners/{a}/tiers");
        expect_page(
            &cam,
            &app,
            &path,
            &[
                "Manual overrides",
                "No overrides.",
                "Grant an override",
                "<optgroup label=\"Partner program\">",
            ],
        )
        .await;
        let target = format!("{}:2", world.structure);
        let (status, _, body) = post_form(
            &cam,
            &app,
            &format!("{path}/overrides"),
            &pairs(&[
                ("target", &target),
                ("reason", ""),
                ("starts_on", "2026-01-01"),
                ("expires_on", "2027-01-01"),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("reason") && body.contains("aria-invalid"), "{body}");
        let (status, location, body) = post_form(
            &cam,
            &app,
            &format!("{path}/overrides"),
            &pairs(&[
                ("target", &target),
                ("reason", "strategic account"),
                ("starts_on", "2026-01-01"),
                ("expires_on", "2027-01-01"),
            ]),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, path.as_str()),
            "{body}"
        );
        let body = expect_page(&cam, &app, &path, &["strategic account", "Active", "Revoke"]).await;
        let start = body.find("/tiers/overrides/").unwrap() + "/tiers/overrides/".len();
        let override_id = &body[start..start + body[start..].find('/').unwrap()];
        let revoke = format!("{path}/overrides/{override_id}/revoke");
        // Another channel manager cannot reach the partner at all.
        let other = app.session("cam.b@vendor.example").await;
        let (status, _, _) = post_form(&other, &app, &revoke, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = post_form(&cam, &app, &revoke, &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        expect_page(&cam, &app, &path, &["Revoked"]).await;
        let (status, _, body) = post_form(&cam, &app, &revoke, &[]).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body.contains("already revoked"), "{body}");
    }
}
