//! The partner API (`/api/v1/partners`): creating a partner with every field and reading it
//! back, field validation naming each bad field (own fields and references to other
//! records), the status lifecycle, versioned updates, every list filter (text, type,
//! status, country, region, vertical, segment), sorting and cursor paging, what a partner
//! administrator may change on its own organisation, and what a distributor sees.

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use common::http::{fields, get, message, partner_body, post, put, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list has items")
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

async fn create_partner(app: &TestApp, client: &Client, body: &Value) -> Value {
    post(app, client, "/api/v1/partners", body)
        .await
        .expect(StatusCode::CREATED)
}

fn sorted(values: &Value) -> Vec<String> {
    let mut list: Vec<String> = values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    list.sort();
    list
}

#[tokio::test]
async fn a_partner_is_created_with_every_field_and_read_back() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        put(
            &app,
            &admin,
            "/api/v1/verticals/healthcare",
            &json!({ "name": "Healthcare" }),
        )
        .await
        .expect(StatusCode::OK);
        let body = json!({
            "name": "  Nordlicht Systems GmbH ",
            "partner_type": "system_integrator",
            "size_band": "51-200",
            "verticals": ["Healthcare"],
            "countries_served": ["de", "AT", "CH", "DE"],
            "address_line": "Friedrichstrasse 68",
            "city": "Berlin",
            "postal_code": "10117",
            "country": "de",
            "latitude": "52.5200",
            "longitude": "13.4050",
            "website_domain": "https://www.Nordlicht.example/",
            "payout_currency": "eur",
            "tax_country": "AT",
            "status": "onboarding",
            "channel_manager_id": app.cast.cam_a,
        });
        let created = create_partner(&app, &admin, &body).await;
        let id = created["id"].as_str().expect("a new partner has an id").to_string();
        assert_eq!(created["version"], 1, "{backend:?}: {created}");

        let read = get(&app, &admin, &format!("/api/v1/partners/{id}"))
            .await
            .expect(StatusCode::OK);
        for partner in [&created, &read] {
            assert_eq!(partner["id"], id.as_str());
            assert_eq!(partner["name"], "Nordlicht Systems GmbH", "{backend:?}: {partner}");
            assert_eq!(partner["partner_type"], "system_integrator");
            assert_eq!(partner["size_band"], "51-200");
            assert_eq!(partner["verticals"], json!(["healthcare"]), "{backend:?}: {partner}");
            assert_eq!(sorted(&partner["countries_served"]), ["AT", "CH", "DE"], "{partner}");
            assert_eq!(partner["address_line"], "Friedrichstrasse 68");
            assert_eq!(partner["city"], "Berlin");
            assert_eq!(partner["postal_code"], "10117");
            assert_eq!(partner["country"], "DE");
            assert_eq!(partner["latitude"], "52.5200", "{backend:?}: {partner}");
            assert_eq!(partner["longitude"], "13.4050", "{backend:?}: {partner}");
            assert_eq!(partner["website_domain"], "nordlicht.example");
            assert_eq!(partner["payout_currency"], "EUR");
            assert_eq!(partner["tax_country"], "AT");
            assert_eq!(partner["status"], "onboarding");
            assert_eq!(partner["channel_manager_id"], app.cast.cam_a.as_str());
            assert_eq!(partner["distributor_id"], Value::Null);
            assert!(partner["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
        }
        assert_eq!(read["created_at"], created["created_at"]);
        assert_eq!(read["version"], 1);

        // Omitted status means prospect; a reseller may name its distributor.
        let mut minimal = partner_body("Minimal Reseller");
        minimal["distributor_id"] = json!(app.cast.distributor);
        let minimal = create_partner(&app, &admin, &minimal).await;
        assert_eq!(minimal["status"], "prospect", "{backend:?}: {minimal}");
        assert_eq!(minimal["distributor_id"], app.cast.distributor.as_str());
        assert_eq!(minimal["verticals"], json!([]));

        // The CAM that manages the new partner can read it; the other CAM cannot.
        let cam_a = app.session("cam.a@vendor.example").await;
        let cam_b = app.session("cam.b@vendor.example").await;
        get(&app, &cam_a, &format!("/api/v1/partners/{id}"))
            .await
            .expect(StatusCode::OK);
        let hidden = get(&app, &cam_b, &format!("/api/v1/partners/{id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
        assert_eq!(hidden["detail"], "partner not found");
        get(&app, &admin, "/api/v1/partners/0190d0d0-0000-7000-8000-00000000dead")
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn every_invalid_field_is_named() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;

        // Field-level problems are all reported at once.
        let mut body = partner_body("Broken");
        body["payout_currency"] = json!("EURO");
        body["country"] = json!("Germany");
        body["partner_type"] = json!("vendor");
        body["latitude"] = json!("52.52");
        let problem = post(&app, &admin, "/api/v1/partners", &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["type"], "urn:tributary:problem:validation");
        let named = fields(&problem);
        for field in ["payout_currency", "country", "partner_type", "longitude"] {
            assert!(
                named.contains(&field.to_string()),
                "{backend:?}: {field} not named in {problem}"
            );
        }
        assert!(message(&problem, "payout_currency").contains("EURO"), "{problem}");
        assert!(message(&problem, "country").contains("Germany"), "{problem}");
        assert!(message(&problem, "partner_type").contains("vendor"), "{problem}");
        assert!(message(&problem, "longitude").contains("together"), "{problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("payout_currency") && detail.contains("country"),
            "{detail}"
        );

        // Only a reseller can buy through a distributor.
        let mut msp = partner_body("MSP with distributor");
        msp["partner_type"] = json!("msp");
        msp["distributor_id"] = json!(app.cast.distributor);
        let problem = post(&app, &admin, "/api/v1/partners", &msp)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["distributor_id"], "{backend:?}: {problem}");

        // References to other records are checked too, each named.
        let mut references = partner_body("Bad references");
        references["verticals"] = json!(["underwater-basket-weaving"]);
        references["channel_manager_id"] = json!(app.cast.finance);
        references["distributor_id"] = json!(app.cast.partner_a);
        let problem = post(&app, &admin, "/api/v1/partners", &references)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let named: BTreeSet<String> = fields(&problem).into_iter().collect();
        let expected: BTreeSet<String> = ["verticals", "channel_manager_id", "distributor_id"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(named, expected, "{backend:?}: {problem}");
        assert!(
            message(&problem, "verticals").contains("underwater-basket-weaving"),
            "{problem}"
        );
        assert!(
            message(&problem, "channel_manager_id").contains("finance@vendor.example"),
            "{problem}"
        );
        assert!(
            message(&problem, "distributor_id").contains("Alpha Resellers"),
            "{problem}"
        );

        let mut ghost = partner_body("Ghost distributor");
        ghost["distributor_id"] = json!("0190d0d0-0000-7000-8000-00000000beef");
        let problem = post(&app, &admin, "/api/v1/partners", &ghost)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["distributor_id"], "{problem}");

        // A distributor with resellers attached cannot stop being a distributor.
        let delta_path = format!("/api/v1/partners/{}", app.cast.distributor);
        let mut delta = get(&app, &admin, &delta_path).await.expect(StatusCode::OK);
        delta["partner_type"] = json!("reseller");
        let problem = put(&app, &admin, &delta_path, &delta)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["partner_type"], "{backend:?}: {problem}");

        // Nothing was created by any refused request.
        let all = get(&app, &admin, "/api/v1/partners?limit=1000")
            .await
            .expect(StatusCode::OK);
        assert_eq!(all["items"].as_array().unwrap().len(), 4, "{backend:?}: {all}");
    }
}

#[tokio::test]
async fn the_status_lifecycle_is_enforced() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let cam = app.session("cam.a@vendor.example").await;
        let mut body = partner_body("Lifecycle GmbH");
        body["channel_manager_id"] = json!(app.cast.cam_a);
        let created = create_partner(&app, &cam, &body).await;
        assert_eq!(created["status"], "prospect");
        let path = format!("/api/v1/partners/{}", created["id"].as_str().unwrap());

        body["status"] = json!("active");
        let problem = put(&app, &cam, &path, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["status"], "{backend:?}: {problem}");
        let refusal = message(&problem, "status");
        assert!(
            refusal.contains("prospect") && refusal.contains("active"),
            "{backend:?}: {refusal}"
        );
        let unchanged = get(&app, &cam, &path).await.expect(StatusCode::OK);
        assert_eq!(unchanged["status"], "prospect");
        assert_eq!(unchanged["version"], 1);

        for (status, version) in [("onboarding", 2), ("active", 3), ("suspended", 4), ("active", 5)] {
            body["status"] = json!(status);
            let updated = put(&app, &cam, &path, &body).await.expect(StatusCode::OK);
            assert_eq!(updated["status"], status, "{backend:?}");
            assert_eq!(updated["version"], version, "{backend:?}: {updated}");
        }
        body["status"] = json!("terminated");
        put(&app, &cam, &path, &body).await.expect(StatusCode::OK);
        body["status"] = json!("active");
        let problem = put(&app, &cam, &path, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "status").contains("terminated"),
            "{backend:?}: {problem}"
        );
        body["status"] = json!("dormant");
        let problem = put(&app, &cam, &path, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["status"]);
    }
}

#[tokio::test]
async fn updates_are_versioned_and_a_stale_update_is_refused() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let created = create_partner(&app, &admin, &partner_body("Versioned AG")).await;
        let path = format!("/api/v1/partners/{}", created["id"].as_str().unwrap());

        // Two clients read version 1.
        let mut first = get(&app, &admin, &path).await.expect(StatusCode::OK);
        let mut second = first.clone();
        assert_eq!(first["version"], 1);

        first["city"] = json!("Munich");
        let saved = put(&app, &admin, &path, &first).await.expect(StatusCode::OK);
        assert_eq!(saved["version"], 2, "{backend:?}: {saved}");
        assert_eq!(saved["city"], "Munich");
        assert_eq!(saved["created_at"], created["created_at"]);
        assert!(saved["updated_at"].as_str() >= created["updated_at"].as_str());

        // The second client still holds version 1: its update must not silently overwrite
        // the first client's change.
        second["postal_code"] = json!("80331");
        let stale = send(
            &app,
            admin.put(app.url(&path)).header("if-match", "\"1\"").json(&second),
        )
        .await;
        let current = get(&app, &admin, &path).await.expect(StatusCode::OK);
        assert_eq!(
            stale.status,
            StatusCode::CONFLICT,
            "{backend:?}: an update based on version 1 was accepted over version 2 (lost update); now {current}"
        );
        assert_eq!(current["city"], "Munich", "{backend:?}: the first change was lost");
    }
}

#[tokio::test]
async fn the_partner_list_filters_by_every_criterion() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        put(&app, &admin, "/api/v1/verticals/retail", &json!({ "name": "Retail" }))
            .await
            .expect(StatusCode::OK);
        put(
            &app,
            &admin,
            "/api/v1/regions/westeu",
            &json!({ "name": "Western Europe", "countries": ["FR", "ES"] }),
        )
        .await
        .expect(StatusCode::OK);

        let mut gamma = partner_body("Gamma Services");
        gamma["partner_type"] = json!("msp");
        gamma["country"] = json!("FR");
        gamma["city"] = json!("Lyon");
        gamma["verticals"] = json!(["retail"]);
        gamma["size_band"] = json!("1-10");
        create_partner(&app, &admin, &gamma).await;
        let mut epsilon = partner_body("Epsilon Networks");
        epsilon["country"] = json!("IT");
        epsilon["city"] = json!("Milano");
        epsilon["website_domain"] = json!("epsilon-net.example");
        create_partner(&app, &admin, &epsilon).await;

        let cases: &[(&str, &[&str])] = &[
            ("q=lyon", &["Gamma Services"]),
            ("q=EPSILON-NET", &["Epsilon Networks"]),
            ("q=resell", &["Alpha Resellers"]),
            ("partner_type=msp", &["Beta Managed Services", "Gamma Services"]),
            ("status=prospect", &["Epsilon Networks", "Gamma Services"]),
            (
                "status=active&partner_type=reseller",
                &["Alpha Resellers", "Rho Resale"],
            ),
            ("country=IT", &["Epsilon Networks"]),
            ("region=westeu", &["Gamma Services"]),
            ("vertical=retail", &["Gamma Services"]),
            ("size_band=1-10", &["Gamma Services"]),
            (
                &format!("channel_manager_id={}", app.cast.cam_a),
                &["Alpha Resellers", "Delta Distribution", "Rho Resale"],
            ),
            (&format!("distributor_id={}", app.cast.distributor), &["Rho Resale"]),
            ("region=nowhere", &[]),
        ];
        for (query, expected) in cases {
            let list = get(&app, &admin, &format!("/api/v1/partners?{query}"))
                .await
                .expect(StatusCode::OK);
            assert_eq!(names(&list), *expected, "{backend:?}: ?{query}");
            assert_eq!(list["next_cursor"], Value::Null);
        }

        // A saved segment selects its members.
        let segment = post(
            &app,
            &admin,
            "/api/v1/segments",
            &json!({ "name": "West EU MSPs", "filter": { "partner_types": ["msp"], "regions": ["westeu"] } }),
        )
        .await
        .expect(StatusCode::CREATED);
        let list = get(
            &app,
            &admin,
            &format!("/api/v1/partners?segment_id={}", segment["id"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(names(&list), ["Gamma Services"], "{backend:?}");
        let all_msps = post(
            &app,
            &admin,
            "/api/v1/segments",
            &json!({ "name": "All MSPs", "filter": { "partner_types": ["msp"] } }),
        )
        .await
        .expect(StatusCode::CREATED);
        let list = get(
            &app,
            &admin,
            &format!(
                "/api/v1/partners?segment_id={}&country=DE",
                all_msps["id"].as_str().unwrap()
            ),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(names(&list), ["Beta Managed Services"], "{backend:?}");
        get(&app, &admin, "/api/v1/partners?segment_id=no-such-segment")
            .await
            .problem(StatusCode::NOT_FOUND);

        // A channel manager's list is limited to the partners it manages, filters included.
        let cam_b = app.session("cam.b@vendor.example").await;
        let list = get(&app, &cam_b, "/api/v1/partners?partner_type=msp")
            .await
            .expect(StatusCode::OK);
        assert_eq!(names(&list), ["Beta Managed Services"], "{backend:?}");
    }
}

#[tokio::test]
async fn lists_sort_both_ways_and_page_without_duplicates() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        let mut created = Vec::new();
        for n in [7, 3, 11, 1, 9, 5, 12, 2, 8, 4, 10, 6] {
            let name = format!("Paged {n:02}");
            let mut body = partner_body(&name);
            body["size_band"] = json!(if n % 2 == 0 { "1-10" } else { "201-1000" });
            create_partner(&app, &admin, &body).await;
            created.push(name);
        }
        let mut ascending = created.clone();
        ascending.sort();
        let mut descending = ascending.clone();
        descending.reverse();

        let list = get(&app, &admin, "/api/v1/partners?q=paged&sort=name&limit=100")
            .await
            .expect(StatusCode::OK);
        assert_eq!(names(&list), ascending, "{backend:?}");
        let list = get(&app, &admin, "/api/v1/partners?q=paged&sort=-name&limit=100")
            .await
            .expect(StatusCode::OK);
        assert_eq!(names(&list), descending, "{backend:?}");
        // Ties on the sort column are broken by id, so every row still appears once.
        let list = get(&app, &admin, "/api/v1/partners?q=paged&sort=-size_band&limit=100")
            .await
            .expect(StatusCode::OK);
        let bands: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["size_band"].as_str().unwrap())
            .collect();
        assert_eq!(bands[..6], ["201-1000"; 6], "{backend:?}: {bands:?}");
        assert_eq!(bands[6..], ["1-10"; 6], "{backend:?}: {bands:?}");

        for (sort, expected) in [("name", &ascending), ("-name", &descending)] {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            let mut pages = 0;
            loop {
                let mut path = format!("/api/v1/partners?q=paged&sort={sort}&limit=5");
                if let Some(c) = &cursor {
                    path.push_str(&format!("&cursor={c}"));
                }
                let page = get(&app, &admin, &path).await.expect(StatusCode::OK);
                pages += 1;
                let items = names(&page);
                assert!(items.len() <= 5, "{backend:?}: page of {}", items.len());
                seen.extend(items);
                match page["next_cursor"].as_str() {
                    Some(next) => cursor = Some(next.to_string()),
                    None => break,
                }
                assert!(pages < 10, "{backend:?}: paging does not end");
            }
            assert_eq!(pages, 3, "{backend:?}: 12 rows in pages of 5");
            assert_eq!(
                &seen, expected,
                "{backend:?}: paging by {sort} skipped or repeated rows"
            );
        }

        // Paging with size-band ties (many equal sort values) also neither skips nor repeats.
        let mut seen = BTreeSet::new();
        let mut cursor: Option<String> = None;
        let mut count = 0;
        loop {
            let mut path = "/api/v1/partners?q=paged&sort=size_band&limit=4".to_string();
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = get(&app, &admin, &path).await.expect(StatusCode::OK);
            for name in names(&page) {
                count += 1;
                seen.insert(name);
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        assert_eq!((count, seen.len()), (12, 12), "{backend:?}");
    }
}

#[tokio::test]
async fn a_partner_admin_edits_its_profile_but_not_its_program_standing() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha_admin = app.session("admin@alpha.example").await;
        let path = format!("/api/v1/partners/{}", app.cast.partner_a);
        let mut own = get(&app, &alpha_admin, &path).await.expect(StatusCode::OK);
        assert_eq!(own["status"], "active");
        assert_eq!(own["payout_currency"], "EUR");

        own["city"] = json!("Hamburg");
        own["website_domain"] = json!("alpha.example");
        own["status"] = json!("suspended");
        own["payout_currency"] = json!("USD");
        own["tax_country"] = json!("US");
        own["partner_type"] = json!("msp");
        own["channel_manager_id"] = json!(app.cast.cam_b);
        let saved = put(&app, &alpha_admin, &path, &own).await.expect(StatusCode::OK);
        let read = get(&app, &app.session("admin@vendor.example").await, &path)
            .await
            .expect(StatusCode::OK);
        for partner in [&saved, &read] {
            assert_eq!(partner["city"], "Hamburg", "{backend:?}: {partner}");
            assert_eq!(partner["website_domain"], "alpha.example");
            assert_eq!(partner["status"], "active", "{backend:?}: {partner}");
            assert_eq!(partner["payout_currency"], "EUR", "{backend:?}: {partner}");
            assert_eq!(partner["tax_country"], "DE");
            assert_eq!(partner["partner_type"], "reseller");
            assert_eq!(partner["channel_manager_id"], app.cast.cam_a.as_str());
        }

        // Not another organisation, and no new organisations.
        let beta_path = format!("/api/v1/partners/{}", app.cast.partner_b);
        put(&app, &alpha_admin, &beta_path, &partner_body("Taken over"))
            .await
            .problem(StatusCode::NOT_FOUND);
        let refused = post(&app, &alpha_admin, "/api/v1/partners", &partner_body("Spin-off"))
            .await
            .problem(StatusCode::FORBIDDEN);
        assert_eq!(refused["type"], "urn:tributary:problem:forbidden");
        // A partner user reads its organisation but cannot change it.
        let alpha_user = app.session("user@alpha.example").await;
        get(&app, &alpha_user, &path).await.expect(StatusCode::OK);
        put(&app, &alpha_user, &path, &own).await.problem(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn partner_users_see_their_organisation_and_a_distributor_its_resellers() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let delta = app.session("admin@delta.example").await;
        let list = get(&app, &delta, "/api/v1/partners").await.expect(StatusCode::OK);
        assert_eq!(names(&list), ["Delta Distribution", "Rho Resale"], "{backend:?}");
        get(&app, &delta, &format!("/api/v1/partners/{}", app.cast.reseller))
            .await
            .expect(StatusCode::OK);
        get(&app, &delta, &format!("/api/v1/partners/{}", app.cast.partner_a))
            .await
            .problem(StatusCode::NOT_FOUND);

        let rho = app.session("user@rho.example").await;
        let list = get(&app, &rho, "/api/v1/partners").await.expect(StatusCode::OK);
        assert_eq!(names(&list), ["Rho Resale"], "{backend:?}");
        get(&app, &rho, &format!("/api/v1/partners/{}", app.cast.distributor))
            .await
            .problem(StatusCode::NOT_FOUND);

        let alpha = app.session("user@alpha.example").await;
        let list = get(&app, &alpha, "/api/v1/partners?partner_type=msp")
            .await
            .expect(StatusCode::OK);
        assert_eq!(names(&list), Vec::<String>::new(), "{backend:?}");
        let cam_a = app.session("cam.a@vendor.example").await;
        let list = get(&app, &cam_a, "/api/v1/partners").await.expect(StatusCode::OK);
        assert_eq!(
            names(&list),
            ["Alpha Resellers", "Delta Distribution", "Rho Resale"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn search_text_is_matched_literally() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = app.session("admin@vendor.example").await;
        create_partner(&app, &admin, &partner_body("Under_Score Ltd")).await;
        create_partner(&app, &admin, &partner_body("UnderScore Ltd")).await;
        create_partner(&app, &admin, &partner_body("100% Channel")).await;
        for (q, expected) in [
            ("under_score", vec!["Under_Score Ltd"]),
            ("underscore", vec!["UnderScore Ltd"]),
            ("100%25", vec!["100% Channel"]),
        ] {
            let list = get(&app, &admin, &format!("/api/v1/partners?q={q}"))
                .await
                .expect(StatusCode::OK);
            assert_eq!(names(&list), expected, "{backend:?}: ?q={q}");
        }
    }
}
