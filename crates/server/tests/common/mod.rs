//! The test harness: a real server on an ephemeral port over a fresh database (SQLite, and
//! PostgreSQL when `TRIBUTARY_TEST_POSTGRES_URL` is set), with the fixture cast seeded, and
//! HTTP clients signed in as any of them.

#![allow(dead_code)]

use reqwest::header::{HeaderMap, HeaderValue};
use tributary_server::fixtures::{self, Cast, FIXTURE_PASSWORD};
use tributary_server::{AppState, ServerConfig};
use tributary_store::{Backend, Db};

pub mod http;

/// The backends this run covers: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    tributary_store::testing::backends()
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub cast: Cast,
    pub backend: Backend,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let db = tributary_store::testing::fresh_db(backend).await;
        let cast = fixtures::seed(&db).await.expect("fixtures seed");
        let config = ServerConfig {
            secure_cookies: false,
            ..ServerConfig::default()
        };
        let state = AppState::new(db.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral port");
        let base = format!("http://{}", listener.local_addr().expect("bound address"));
        tokio::spawn(tributary_server::serve(listener, state));
        TestApp {
            base,
            db,
            cast,
            backend,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with no credentials.
    pub fn anonymous(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A client signed in to the portal as `email`, sending the session's CSRF token on
    /// every request (as the portal's htmx does).
    pub async fn session(&self, email: &str) -> reqwest::Client {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let plain = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = plain
            .post(self.url("/login"))
            .form(&[("email", email), ("password", FIXTURE_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_redirection(),
            "sign-in of {email} failed: {}",
            response.status()
        );
        let me: serde_json::Value = plain
            .get(self.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let csrf = me["csrf_token"]
            .as_str()
            .expect("a session has a CSRF token")
            .to_string();
        let mut headers = HeaderMap::new();
        headers.insert("x-csrf-token", HeaderValue::from_str(&csrf).unwrap());
        reqwest::Client::builder()
            .cookie_provider(jar)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A client authenticated with a fresh API token of `email` with the given scopes.
    pub async fn token_client(&self, email: &str, scopes: &[&str]) -> reqwest::Client {
        let session = self.session(email).await;
        let created: serde_json::Value = session
            .post(self.url("/api/v1/tokens"))
            .json(&serde_json::json!({ "name": "test", "scopes": scopes }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let secret = created["secret"].as_str().expect("token secret").to_string();
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {secret}")).unwrap(),
        );
        reqwest::Client::builder().default_headers(headers).build().unwrap()
    }
}
