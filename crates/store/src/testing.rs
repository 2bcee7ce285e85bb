//! Fresh databases for tests: every call gets its own empty, migrated database — a new
//! SQLite file, or a new schema on the PostgreSQL server named by
//! `TRIBUTARY_TEST_POSTGRES_URL` — so tests run in parallel without sharing state.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection};

use crate::{Backend, Db};

/// The environment variable naming the PostgreSQL server of the test suite.
pub const POSTGRES_URL_VAR: &str = "TRIBUTARY_TEST_POSTGRES_URL";

/// The backends this test run covers: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if std::env::var(POSTGRES_URL_VAR).is_ok_and(|v| !v.is_empty()) {
        all.push(Backend::Postgres);
    }
    all
}

/// A new, migrated, empty database on `backend`.
pub async fn fresh_db(backend: Backend) -> Db {
    let name = format!("t{}", uuid::Uuid::now_v7().simple());
    let db = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("tributary-tests");
            std::fs::create_dir_all(&dir).expect("temp dir is writable");
            let path = dir.join(format!("{name}.db"));
            Db::connect_sqlite(SqliteConnectOptions::new().filename(path))
                .await
                .expect("open test SQLite file")
        }
        Backend::Postgres => {
            let url = std::env::var(POSTGRES_URL_VAR).expect("TRIBUTARY_TEST_POSTGRES_URL is set");
            let mut admin = PgConnection::connect(&url)
                .await
                .expect("connect to the test PostgreSQL server");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
                .execute(&mut admin)
                .await
                .expect("create test schema");
            let options = PgConnectOptions::from_str(&url)
                .expect("valid PostgreSQL URL")
                .options([("search_path", name.as_str())]);
            Db::connect_postgres(options).await.expect("connect to test schema")
        }
    };
    db.migrate().await.expect("migrations apply to a fresh database");
    db
}
