//! The few statements that really differ between the backends. Row locks: PostgreSQL
//! takes `SELECT … FOR UPDATE`; SQLite needs nothing, because every write transaction
//! starts with `BEGIN IMMEDIATE` and so already holds the database's single write lock.

use sea_query::{Expr, ExprTrait, LockType, PostgresQueryBuilder, Query};
use sea_query_sqlx::SqlxBinder;
use sqlx::AssertSqlSafe;

use crate::{Conn, StoreError};

/// Locks the row of `table` whose `column` is `key` until the transaction ends, serialising
/// writers that decide on the same record (e.g. reservations within one account hierarchy).
pub async fn lock_row(
    conn: &mut Conn<'_>,
    table: &'static str,
    column: &'static str,
    key: &str,
) -> Result<(), StoreError> {
    match conn {
        Conn::Sqlite(_) => Ok(()),
        Conn::Postgres(c) => {
            let (sql, values) = Query::select()
                .column(column)
                .from(table)
                .and_where(Expr::col(column).eq(key))
                .lock(LockType::Update)
                .build_sqlx(PostgresQueryBuilder);
            sqlx::query_with(AssertSqlSafe(sql), values).execute(&mut **c).await?;
            Ok(())
        }
    }
}
