//! [`Conn`]: a borrowed connection (pooled or inside a transaction) to either backend. It
//! renders a sea-query statement in the backend's dialect, binds its values and decodes
//! rows, so repositories are written once.

use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
// sea-query renders every value as a bind parameter, so the SQL text it builds is safe.
use sqlx::{AssertSqlSafe, PgConnection, SqliteConnection};

use crate::StoreError;

/// A row type that decodes on both backends (derive `sqlx::FromRow` with portable field
/// types: `String`, `i64`, `bool` and their `Option`s).
pub trait DbRow: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin {}

impl<T> DbRow for T where T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin {}

pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// Runs an INSERT/UPDATE/DELETE and returns the number of rows it touched.
    pub async fn execute<S: SqlxBinder>(&mut self, statement: &S) -> Result<u64, StoreError> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut **c)
                    .await?
                    .rows_affected()
            }
            Conn::Postgres(c) => {
                let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut **c)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub async fn fetch_all<T: DbRow, S: SqlxBinder>(&mut self, statement: &S) -> Result<Vec<T>, StoreError> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **c)
                    .await?
            }
            Conn::Postgres(c) => {
                let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **c)
                    .await?
            }
        })
    }

    pub async fn fetch_optional<T: DbRow, S: SqlxBinder>(&mut self, statement: &S) -> Result<Option<T>, StoreError> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(&mut **c)
                    .await?
            }
            Conn::Postgres(c) => {
                let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(&mut **c)
                    .await?
            }
        })
    }

    /// A single `BIGINT` value, e.g. `SELECT COUNT(*) …`.
    pub async fn fetch_count<S: SqlxBinder>(&mut self, statement: &S) -> Result<i64, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Count {
            n: i64,
        }
        let row: Option<Count> = self.fetch_optional(statement).await?;
        Ok(row.map(|c| c.n).unwrap_or(0))
    }
}
