//! Signed webhooks (`/api/v1/webhooks` and the delivery loop): real receivers (small axum
//! servers on 127.0.0.1) get outbox events POSTed with a `Tributary-Signature` the tests
//! verify independently; failures retry on the backoff schedule and give up after six
//! attempts; a partner's endpoint never receives another partner's event; URLs and kinds
//! are validated; partners see and change only their own endpoints; two delivery loops
//! running at once send each delivery once. The loop's tick is called with an explicit
//! time, so nothing sleeps.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use chrono::{DateTime, TimeDelta, Utc};
use common::TestApp;
use common::http::{delete, fields, get, message, post, put};
use hmac::{Hmac, Mac};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use tributary_server::services::webhooks::{Tick, client, deliver_due};
use tributary_store::repo::events::{self, Event};

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inbox {
    requests: Vec<Received>,
    /// Statuses to answer with, in order; 200 once they run out.
    answers: VecDeque<u16>,
}

/// A receiver listening on 127.0.0.1: its URL and what it got.
struct Receiver {
    url: String,
    inbox: Arc<Mutex<Inbox>>,
}

impl Receiver {
    async fn start(answers: &[u16]) -> Receiver {
        let inbox = Arc::new(Mutex::new(Inbox {
            requests: Vec::new(),
            answers: answers.iter().copied().collect(),
        }));
        async fn hook(State(inbox): State<Arc<Mutex<Inbox>>>, headers: HeaderMap, body: Bytes) -> AxumStatus {
            let mut inbox = inbox.lock().unwrap();
            inbox.requests.push(Received {
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string()))
                    .collect(),
                body: body.to_vec(),
            });
            AxumStatus::from_u16(inbox.answers.pop_front().unwrap_or(200)).unwrap()
        }
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Receiver { url, inbox }
    }

    fn requests(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().requests.clone()
    }
}

/// Page text with minijinja's HTML escapes undone.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Puts an event into the outbox as the server's services do.
async fn emit(app: &TestApp, kind: &str, partner_id: Option<&str>, data: Value) -> String {
    let event = Event {
        id: tributary_domain::ids::new_id(),
        kind: kind.into(),
        partner_id: partner_id.map(str::to_string),
        subject_type: "statement".into(),
        subject_id: tributary_domain::ids::new_id(),
        payload_json: data.to_string(),
        created_at: tributary_store::time::now_text(),
        delivered_at: None,
    };
    let mut tx = app.db.begin().await.unwrap();
    events::insert_many(&mut tx.conn(), std::slice::from_ref(&event))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    event.id
}

async fn register(app: &TestApp, client: &Client, url: &str, kinds: &[&str]) -> (String, String) {
    let created = post(
        app,
        client,
        "/api/v1/webhooks",
        &json!({ "url": url, "event_kinds": kinds }),
    )
    .await
    .expect(StatusCode::CREATED);
    (
        created["id"].as_str().unwrap().to_string(),
        created["secret"].as_str().unwrap().to_string(),
    )
}

async fn tick(app: &TestApp, now: DateTime<Utc>) -> Tick {
    deliver_due(&app.db, now, &client()).await.expect("a delivery tick")
}

/// Checks `Tributary-Signature` the way docs/webhooks.md tells a receiver to.
fn verify(secret: &str, received: &Received, now: DateTime<Utc>) -> Result<(), String> {
    let header = received
        .headers
        .get("tributary-signature")
        .ok_or("no signature header")?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v.to_string()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or("no timestamp")?;
    if (now.timestamp() - timestamp).abs() > 300 {
        return Err(format!("timestamp {timestamp} is outside the 5-minute tolerance"));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(&received.body);
    let expected = hex::encode(mac.finalize().into_bytes());
    if signatures.contains(&expected) {
        Ok(())
    } else {
        Err(format!("no v1 signature matches {expected}: {header}"))
    }
}

#[tokio::test]
async fn a_partner_endpoint_gets_a_signed_statement_ready_event_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let receiver = Receiver::start(&[]).await;
        let alpha = app.session("admin@alpha.example").await;
        let (endpoint, secret) = register(&app, &alpha, &receiver.url, &["statement.ready"]).await;
        assert_eq!(secret.len(), 64, "{backend:?}: 32 bytes in hex");
        let shown = get(&app, &alpha, &format!("/api/v1/webhooks/{endpoint}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(shown["partner_id"], app.cast.partner_a.as_str(), "{backend:?}");
        assert!(
            shown.get("secret").is_none(),
            "{backend:?}: the secret is shown only once"
        );

        let event = emit(
            &app,
            "statement.ready",
            Some(&app.cast.partner_a),
            json!({ "statement_id": "st-1", "period": "2026-Q1", "net": "1234.50", "currency": "EUR" }),
        )
        .await;
        let now = Utc::now();
        let done = tick(&app, now).await;
        assert_eq!(
            (done.events, done.delivered, done.retrying, done.failed),
            (1, 1, 0, 0),
            "{backend:?}"
        );
        let requests = receiver.requests();
        assert_eq!(requests.len(), 1, "{backend:?}");
        let received = &requests[0];
        verify(&secret, received, Utc::now()).unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        assert!(
            verify("another secret", received, Utc::now()).is_err(),
            "{backend:?}: only the endpoint's secret verifies"
        );
        assert_eq!(received.headers["content-type"], "application/json");
        assert_eq!(received.headers["tributary-event"], "statement.ready");
        let body = received.json();
        assert_eq!(body["id"], event.as_str(), "{backend:?}: {body}");
        assert_eq!(body["kind"], "statement.ready");
        assert_eq!(body["partner_id"], app.cast.partner_a.as_str());
        assert_eq!(body["subject_type"], "statement");
        assert_eq!(body["data"]["net"], "1234.50");
        assert!(body["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));

        let deliveries = get(&app, &alpha, &format!("/api/v1/webhooks/{endpoint}/deliveries"))
            .await
            .expect(StatusCode::OK);
        let delivery = &deliveries[0];
        assert_eq!(deliveries.as_array().unwrap().len(), 1, "{backend:?}: {deliveries}");
        assert_eq!(delivery["status"], "delivered", "{backend:?}: {delivery}");
        assert_eq!(delivery["attempts"], 1);
        assert_eq!(delivery["last_status_code"], 200);
        assert_eq!(delivery["event_kind"], "statement.ready");
        assert_eq!(delivery["event_id"], event.as_str());
        assert_eq!(received.headers["tributary-delivery"], delivery["id"].as_str().unwrap());

        // The event was handed over once: later ticks send nothing more.
        assert_eq!(
            tick(&app, now + TimeDelta::hours(1)).await,
            Tick::default(),
            "{backend:?}"
        );
        assert_eq!(receiver.requests().len(), 1, "{backend:?}");
    }
}

#[tokio::test]
async fn failures_retry_with_backoff_and_give_up_after_six_attempts() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let failing = Receiver::start(&[500; 6]).await;
        let flaky = Receiver::start(&[500]).await;
        let admin = app.session("admin@vendor.example").await;
        let (endpoint, _) = register(&app, &admin, &failing.url, &["statement.ready"]).await;
        let (recovering, _) = register(&app, &admin, &flaky.url, &["statement.ready"]).await;
        emit(&app, "statement.ready", Some(&app.cast.partner_b), json!({})).await;

        let start = Utc::now();
        let first = tick(&app, start).await;
        assert_eq!((first.delivered, first.retrying), (0, 2), "{backend:?}");
        let last = |id: &str| {
            let (app, admin) = (&app, &admin);
            let path = format!("/api/v1/webhooks/{id}/deliveries");
            async move { get(app, admin, &path).await.expect(StatusCode::OK)[0].clone() }
        };
        let delivery = last(&endpoint).await;
        assert_eq!(delivery["status"], "pending", "{backend:?}: {delivery}");
        assert_eq!(delivery["attempts"], 1);
        assert_eq!(delivery["last_status_code"], 500);
        assert_eq!(delivery["last_error"], "HTTP 500 Internal Server Error");
        assert_eq!(
            delivery["next_attempt_at"],
            tributary_store::time::format_timestamp(start + TimeDelta::minutes(1)),
            "{backend:?}: the first retry is a minute later"
        );

        // Not due yet: nothing is sent.
        tick(&app, start + TimeDelta::seconds(30)).await;
        assert_eq!(failing.requests().len(), 1, "{backend:?}");

        // The retry a minute later reaches the flaky receiver, which now answers 200.
        let at = start + TimeDelta::seconds(61);
        let second = tick(&app, at).await;
        assert_eq!((second.delivered, second.retrying), (1, 1), "{backend:?}");
        let recovered = last(&recovering).await;
        assert_eq!(
            (&recovered["status"], &recovered["attempts"]),
            (&json!("delivered"), &json!(2)),
            "{backend:?}"
        );
        let delivery = last(&endpoint).await;
        assert_eq!(
            delivery["next_attempt_at"],
            tributary_store::time::format_timestamp(at + TimeDelta::minutes(5)),
            "{backend:?}: then five minutes"
        );

        // Then 30 min, 2 h and 12 h; the sixth failed attempt gives up.
        let mut due = at;
        for wait_minutes in [Some(30), Some(120), Some(720), None] {
            let before = last(&endpoint).await;
            due = tributary_store::time::parse_timestamp(before["next_attempt_at"].as_str().unwrap()).unwrap();
            tick(&app, due).await;
            let after = last(&endpoint).await;
            match wait_minutes {
                Some(minutes) => {
                    assert_eq!(after["status"], "pending", "{backend:?}: {after}");
                    assert_eq!(
                        after["next_attempt_at"],
                        tributary_store::time::format_timestamp(due + TimeDelta::minutes(minutes)),
                        "{backend:?}"
                    );
                }
                None => assert_eq!(after["status"], "failed", "{backend:?}: {after}"),
            }
        }
        let given_up = last(&endpoint).await;
        assert_eq!(given_up["attempts"], 6, "{backend:?}");
        assert_eq!(failing.requests().len(), 6, "{backend:?}");
        tick(&app, due + TimeDelta::days(7)).await;
        assert_eq!(
            failing.requests().len(),
            6,
            "{backend:?}: a failed delivery is not retried"
        );
        let failed = get(
            &app,
            &admin,
            &format!("/api/v1/webhooks/{endpoint}/deliveries?status=failed"),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(failed.as_array().unwrap().len(), 1, "{backend:?}");
        let problem = get(
            &app,
            &admin,
            &format!("/api/v1/webhooks/{endpoint}/deliveries?status=lost"),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["status"]);

        // Sent again on request (the receiver is back): queued with a fresh schedule.
        let id = given_up["id"].as_str().unwrap();
        let path = format!("/api/v1/webhooks/{endpoint}/deliveries/{id}/redeliver");
        let queued = post(&app, &admin, &path, &json!({})).await.expect(StatusCode::OK);
        assert_eq!(
            (&queued["status"], &queued["attempts"]),
            (&json!("pending"), &json!(0)),
            "{backend:?}: {queued}"
        );
        post(&app, &admin, &path, &json!({}))
            .await
            .problem(StatusCode::CONFLICT);
        let later = due + TimeDelta::days(8);
        tick(&app, later).await;
        let delivered = last(&endpoint).await;
        assert_eq!(
            (&delivered["status"], &delivered["attempts"]),
            (&json!("delivered"), &json!(1)),
            "{backend:?}: {delivered}"
        );
        assert_eq!(failing.requests().len(), 7, "{backend:?}");
        let history = get(&app, &admin, &format!("/api/v1/audit/webhook_endpoint/{endpoint}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history[0]["action"], "webhook.delivery_requeued", "{backend:?}");
    }
}

#[tokio::test]
async fn a_partner_never_receives_another_partners_events() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let (alpha_rx, beta_rx, delta_rx, vendor_rx) = (
            Receiver::start(&[]).await,
            Receiver::start(&[]).await,
            Receiver::start(&[]).await,
            Receiver::start(&[]).await,
        );
        let kinds = ["statement.ready", "tier.promoted", "tier.at_risk"];
        let alpha = app.session("admin@alpha.example").await;
        let beta = app.session("admin@beta.example").await;
        let delta = app.session("admin@delta.example").await;
        let admin = app.session("admin@vendor.example").await;
        register(&app, &alpha, &alpha_rx.url, &kinds).await;
        register(&app, &beta, &beta_rx.url, &kinds).await;
        register(&app, &delta, &delta_rx.url, &kinds).await;
        register(&app, &admin, &vendor_rx.url, &["statement.ready", "approval.overdue"]).await;

        let a_ready = emit(&app, "statement.ready", Some(&app.cast.partner_a), json!({})).await;
        let b_ready = emit(&app, "statement.ready", Some(&app.cast.partner_b), json!({})).await;
        let b_promoted = emit(&app, "tier.promoted", Some(&app.cast.partner_b), json!({})).await;
        // The distributor's reseller: the distributor's endpoint does not get its events.
        let reseller_ready = emit(&app, "statement.ready", Some(&app.cast.reseller), json!({})).await;
        // A vendor-only kind about partner A reaches the vendor only.
        let a_overdue = emit(&app, "approval.overdue", Some(&app.cast.partner_a), json!({})).await;
        let vendor_wide = emit(&app, "statement.ready", None, json!({})).await;
        tick(&app, Utc::now()).await;

        let ids = |rx: &Receiver| -> Vec<String> {
            let mut ids: Vec<String> = rx
                .requests()
                .iter()
                .map(|r| r.json()["id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(ids(&alpha_rx), std::slice::from_ref(&a_ready), "{backend:?}");
        assert_eq!(ids(&beta_rx), sorted(vec![b_ready.clone(), b_promoted]), "{backend:?}");
        assert!(ids(&delta_rx).is_empty(), "{backend:?}: {:?}", ids(&delta_rx));
        assert_eq!(
            ids(&vendor_rx),
            sorted(vec![a_ready, b_ready, reseller_ready, a_overdue, vendor_wide]),
            "{backend:?}: the vendor receives every partner's events of its kinds"
        );
        for request in alpha_rx.requests() {
            assert_eq!(request.json()["partner_id"], app.cast.partner_a.as_str(), "{backend:?}");
        }
    }
}

#[tokio::test]
async fn urls_and_kinds_are_validated_naming_the_field() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha = app.session("admin@alpha.example").await;
        for url in [
            "http://hooks.example.com/in",
            "hooks.example.com/in",
            "ftp://hooks.example.com/",
            "https://user:secret@hooks.example.com/",
            "",
        ] {
            let problem = post(
                &app,
                &alpha,
                "/api/v1/webhooks",
                &json!({ "url": url, "event_kinds": ["statement.ready"] }),
            )
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(fields(&problem), ["url"], "{backend:?}: {url}: {problem}");
        }
        let problem = post(
            &app,
            &alpha,
            "/api/v1/webhooks",
            &json!({ "url": "https://hooks.alpha.example/tributary", "event_kinds": ["approval.overdue", "deal.won"] }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["event_kinds"], "{backend:?}: {problem}");
        let problem = post(
            &app,
            &alpha,
            "/api/v1/webhooks",
            &json!({ "url": "https://hooks.alpha.example/tributary", "event_kinds": ["approval.overdue"] }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&problem, "event_kinds").contains("vendor's endpoints only"),
            "{backend:?}: {problem}"
        );
        let problem = post(
            &app,
            &alpha,
            "/api/v1/webhooks",
            &json!({ "url": "https://hooks.alpha.example/" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["event_kinds"], "{backend:?}");

        let created = post(
            &app,
            &alpha,
            "/api/v1/webhooks",
            &json!({ "url": "https://hooks.alpha.example/tributary", "event_kinds": ["tier.demoted", "statement.ready"], "active": false }),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(
            created["event_kinds"],
            json!(["statement.ready", "tier.demoted"]),
            "{backend:?}"
        );
        assert_eq!(created["active"], false);
        let id = created["id"].as_str().unwrap();
        let problem = put(
            &app,
            &alpha,
            &format!("/api/v1/webhooks/{id}"),
            &json!({ "url": "http://hooks.alpha.example/", "event_kinds": ["statement.ready"] }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["url"], "{backend:?}");
        let updated = put(
            &app,
            &alpha,
            &format!("/api/v1/webhooks/{id}"),
            &json!({ "url": "https://hooks.alpha.example/v2", "event_kinds": ["tier.at_risk"] }),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(updated["url"], "https://hooks.alpha.example/v2", "{backend:?}");
        assert_eq!(updated["active"], true);
    }
}

#[tokio::test]
async fn partners_see_and_change_only_their_own_endpoints() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let alpha = app.session("admin@alpha.example").await;
        let beta = app.session("admin@beta.example").await;
        let admin = app.session("admin@vendor.example").await;
        let (a_id, _) = register(&app, &alpha, "https://hooks.alpha.example/", &["statement.ready"]).await;
        let (b_id, _) = register(&app, &beta, "https://hooks.beta.example/", &["statement.ready"]).await;
        let (vendor_id, _) = register(&app, &admin, "https://erp.vendor.example/", &["approval.overdue"]).await;

        let listed = get(&app, &alpha, "/api/v1/webhooks").await.expect(StatusCode::OK);
        let ids: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [a_id.as_str()], "{backend:?}: {listed}");
        assert!(!listed.to_string().contains("beta.example"), "{backend:?}");
        let everything = get(&app, &admin, "/api/v1/webhooks").await.expect(StatusCode::OK);
        assert_eq!(everything.as_array().unwrap().len(), 3, "{backend:?}");

        let body = json!({ "url": "https://evil.example/", "event_kinds": ["statement.ready"] });
        for other in [&b_id, &vendor_id] {
            get(&app, &alpha, &format!("/api/v1/webhooks/{other}"))
                .await
                .problem(StatusCode::NOT_FOUND);
            get(&app, &alpha, &format!("/api/v1/webhooks/{other}/deliveries"))
                .await
                .problem(StatusCode::NOT_FOUND);
            put(&app, &alpha, &format!("/api/v1/webhooks/{other}"), &body)
                .await
                .problem(StatusCode::NOT_FOUND);
            post(
                &app,
                &alpha,
                &format!("/api/v1/webhooks/{other}/rotate-secret"),
                &json!({}),
            )
            .await
            .problem(StatusCode::NOT_FOUND);
            delete(&app, &alpha, &format!("/api/v1/webhooks/{other}"))
                .await
                .problem(StatusCode::NOT_FOUND);
        }
        let kept = get(&app, &beta, &format!("/api/v1/webhooks/{b_id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(kept["url"], "https://hooks.beta.example/", "{backend:?}: untouched");

        for email in ["user@alpha.example", "finance@vendor.example", "cam.a@vendor.example"] {
            let client = app.session(email).await;
            get(&app, &client, "/api/v1/webhooks")
                .await
                .problem(StatusCode::FORBIDDEN);
        }

        // The administrator manages a partner's endpoint too; the partner's kinds still apply.
        let problem = put(
            &app,
            &admin,
            &format!("/api/v1/webhooks/{b_id}"),
            &json!({ "url": "https://hooks.beta.example/", "event_kinds": ["approval.overdue"] }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem), ["event_kinds"], "{backend:?}");
        delete(&app, &beta, &format!("/api/v1/webhooks/{b_id}"))
            .await
            .expect(StatusCode::NO_CONTENT);
        get(&app, &admin, &format!("/api/v1/webhooks/{b_id}"))
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_rotated_secret_signs_the_next_delivery_and_is_never_audited() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let receiver = Receiver::start(&[]).await;
        let alpha = app.session("admin@alpha.example").await;
        let (id, old) = register(&app, &alpha, &receiver.url, &["tier.promoted"]).await;
        let rotated = post(
            &app,
            &alpha,
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            &json!({}),
        )
        .await
        .expect(StatusCode::OK);
        let new = rotated["secret"].as_str().unwrap().to_string();
        assert_ne!(new, old, "{backend:?}");
        assert_eq!(rotated["id"], id.as_str());

        emit(
            &app,
            "tier.promoted",
            Some(&app.cast.partner_a),
            json!({ "to_level_name": "Gold" }),
        )
        .await;
        tick(&app, Utc::now()).await;
        let received = &receiver.requests()[0];
        verify(&new, received, Utc::now()).unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        assert!(verify(&old, received, Utc::now()).is_err(), "{backend:?}");

        let admin = app.session("admin@vendor.example").await;
        let history = get(&app, &admin, &format!("/api/v1/audit/webhook_endpoint/{id}"))
            .await
            .expect(StatusCode::OK);
        let actions: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["webhook.secret_rotated", "webhook.created"], "{backend:?}");
        let text = history.to_string();
        assert!(
            !text.contains(&old) && !text.contains(&new),
            "{backend:?}: a secret reached the audit trail"
        );
    }
}

#[tokio::test]
async fn two_delivery_loops_at_once_send_each_delivery_once() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let receiver = Receiver::start(&[]).await;
        let admin = app.session("admin@vendor.example").await;
        register(&app, &admin, &receiver.url, &["statement.ready"]).await;
        for _ in 0..20 {
            emit(&app, "statement.ready", Some(&app.cast.partner_a), json!({})).await;
        }
        let now = Utc::now();
        let (one, two) = tokio::join!(tick(&app, now), tick(&app, now));
        assert_eq!(one.events + two.events, 20, "{backend:?}: each event fanned out once");
        assert_eq!(one.delivered + two.delivered, 20, "{backend:?}");
        let mut deliveries: Vec<String> = receiver
            .requests()
            .iter()
            .map(|r| r.headers["tributary-delivery"].clone())
            .collect();
        assert_eq!(deliveries.len(), 20, "{backend:?}");
        deliveries.sort();
        deliveries.dedup();
        assert_eq!(deliveries.len(), 20, "{backend:?}: a delivery was sent twice");
    }
}

#[tokio::test]
async fn the_portal_registers_endpoints_shows_the_secret_once_and_lists_deliveries() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let receiver = Receiver::start(&[503]).await;
        let alpha = app.session("admin@alpha.example").await;
        let page = |client: &Client, path: &str| {
            let request = client.get(app.url(path));
            async move {
                let response = request.send().await.unwrap();
                (response.status(), unescape(&response.text().await.unwrap()))
            }
        };
        let (status, new) = page(&alpha, "/webhooks/new").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        assert!(
            new.contains("statement.ready") && !new.contains("approval.overdue"),
            "{backend:?}"
        );

        let refused = alpha
            .post(app.url("/webhooks"))
            .form(&[
                ("url", "http://hooks.alpha.example/"),
                ("event_kinds", "statement.ready"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert!(
            unescape(&refused.text().await.unwrap()).contains("must be an https:// URL"),
            "{backend:?}"
        );

        let created = alpha
            .post(app.url("/webhooks"))
            .form(&[
                ("url", receiver.url.as_str()),
                ("event_kinds", "statement.ready"),
                ("event_kinds", "tier.promoted"),
                ("active", "true"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED, "{backend:?}");
        let body = created.text().await.unwrap();
        let marker = "id=\"webhook-secret\">";
        let start = body.find(marker).expect("the secret is shown") + marker.len();
        let secret = body[start..start + 64].to_string();
        assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()), "{backend:?}: {secret}");

        let listed = get(&app, &alpha, "/api/v1/webhooks").await.expect(StatusCode::OK);
        let id = listed[0]["id"].as_str().unwrap().to_string();
        assert_eq!(listed[0]["event_kinds"], json!(["statement.ready", "tier.promoted"]));

        emit(&app, "statement.ready", Some(&app.cast.partner_a), json!({})).await;
        let now = Utc::now();
        tick(&app, now).await;
        tick(&app, now + TimeDelta::minutes(2)).await;
        verify(&secret, &receiver.requests()[1], Utc::now()).unwrap_or_else(|e| panic!("{backend:?}: {e}"));

        let (status, detail) = page(&alpha, &format!("/webhooks/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        assert!(!detail.contains(&secret), "{backend:?}: the secret is shown only once");
        assert!(detail.contains("Recent deliveries by status"), "{backend:?}: the chart");
        assert!(detail.contains("Delivered"), "{backend:?}");
        let (_, failed_only) = page(&alpha, &format!("/webhooks/{id}?status=failed")).await;
        assert!(failed_only.contains("Nothing matches."), "{backend:?}");

        let csv = alpha
            .get(app.url(&format!("/webhooks/{id}/deliveries.csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(
            lines[0].starts_with("id,event_id,event_kind,status,attempts"),
            "{backend:?}: {csv}"
        );
        assert!(
            lines[1].contains(",statement.ready,delivered,2,200,"),
            "{backend:?}: {csv}"
        );
        let (_, list) = page(&alpha, "/webhooks?state=active&kind=tier.promoted").await;
        assert!(list.contains(&receiver.url), "{backend:?}");
        let list_csv = alpha
            .get(app.url("/webhooks.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list_csv.contains(&receiver.url), "{backend:?}");

        // A delivered event can be sent again from its row.
        assert!(detail.contains("Send again"), "{backend:?}");
        let deliveries = get(&app, &alpha, &format!("/api/v1/webhooks/{id}/deliveries"))
            .await
            .expect(StatusCode::OK);
        let delivery = deliveries[0]["id"].as_str().unwrap();
        let resent = alpha
            .post(app.url(&format!("/webhooks/{id}/deliveries/{delivery}/redeliver")))
            .send()
            .await
            .unwrap();
        assert_eq!(resent.status(), StatusCode::SEE_OTHER, "{backend:?}");
        tick(&app, now + TimeDelta::minutes(3)).await;
        assert_eq!(receiver.requests().len(), 3, "{backend:?}: sent again");

        // Editing with a bad URL re-shows the form with the error; a good edit deactivates it.
        let bad = alpha
            .post(app.url(&format!("/webhooks/{id}")))
            .form(&[("url", "ftp://x.example/"), ("event_kinds", "statement.ready")])
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let saved = alpha
            .post(app.url(&format!("/webhooks/{id}")))
            .form(&[("url", receiver.url.as_str()), ("event_kinds", "statement.ready")])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{backend:?}");
        let shown = get(&app, &alpha, &format!("/api/v1/webhooks/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(shown["active"], false, "{backend:?}: the unticked box deactivates");

        let rotated = alpha
            .post(app.url(&format!("/webhooks/{id}/rotate-secret")))
            .send()
            .await
            .unwrap();
        assert_eq!(rotated.status(), StatusCode::OK, "{backend:?}");
        assert!(rotated.text().await.unwrap().contains("webhook-secret"), "{backend:?}");

        // Another partner's endpoint does not exist for partner B.
        let beta = app.session("admin@beta.example").await;
        let (status, _) = page(&beta, &format!("/webhooks/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend:?}");
        let (_, beta_list) = page(&beta, "/webhooks").await;
        assert!(!beta_list.contains(&receiver.url), "{backend:?}");
        let (status, _) = page(&app.session("user@alpha.example").await, "/webhooks").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}");

        let removed = alpha
            .post(app.url(&format!("/webhooks/{id}/delete")))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::SEE_OTHER, "{backend:?}");
        let listed = get(&app, &alpha, "/api/v1/webhooks").await.expect(StatusCode::OK);
        assert_eq!(listed, json!([]), "{backend:?}");
    }
}
