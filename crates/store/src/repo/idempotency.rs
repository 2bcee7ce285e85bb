//! Idempotency keys: the first response to a (user, key) is stored with a fingerprint of
//! the request; a retry with the same key gets the same response, a different request
//! with a reused key is refused.

use sea_query::{Expr, ExprTrait, Query};

use crate::{Conn, StoreError, time};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredResponse {
    pub request_fingerprint: String,
    pub response_status: i64,
    pub response_body: String,
}

pub async fn get(conn: &mut Conn<'_>, user_id: &str, key: &str) -> Result<Option<StoredResponse>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(["request_fingerprint", "response_status", "response_body"])
            .from("idempotency_keys")
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("idem_key").eq(key))
            .take(),
    )
    .await
}

/// Records the response; a concurrent duplicate fails with a conflict on the primary key.
pub async fn insert(conn: &mut Conn<'_>, user_id: &str, key: &str, stored: &StoredResponse) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("idempotency_keys")
            .columns([
                "user_id",
                "idem_key",
                "request_fingerprint",
                "response_status",
                "response_body",
                "created_at",
            ])
            .values_panic([
                user_id.into(),
                key.into(),
                stored.request_fingerprint.clone().into(),
                stored.response_status.into(),
                stored.response_body.clone().into(),
                time::now_text().into(),
            ])
            .take(),
    )
    .await?;
    Ok(())
}

/// Fills in the response of a key reserved earlier in the same transaction.
pub async fn complete(
    conn: &mut Conn<'_>,
    user_id: &str,
    key: &str,
    response_status: i64,
    response_body: &str,
) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("idempotency_keys")
            .values([
                ("response_status", response_status.into()),
                ("response_body", response_body.into()),
            ])
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("idem_key").eq(key))
            .take(),
    )
    .await?;
    Ok(())
}
