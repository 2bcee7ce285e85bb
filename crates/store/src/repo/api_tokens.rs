//! API tokens for integrations: stored as a SHA-256 hash with scopes, revocable, and
//! acting as the user who created them (never with more rights than that user).

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, StoreError, time};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub user_id: String,
    /// Space-separated scopes: `read`, `write`, `import`.
    pub scopes: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

const COLUMNS: [&str; 8] = [
    "id",
    "name",
    "user_id",
    "scopes",
    "created_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
];

pub async fn insert(conn: &mut Conn<'_>, token: &ApiToken, token_hash: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("api_tokens")
            .columns([
                "id",
                "name",
                "token_hash",
                "user_id",
                "scopes",
                "created_at",
                "expires_at",
            ])
            .values_panic([
                token.id.clone().into(),
                token.name.clone().into(),
                token_hash.into(),
                token.user_id.clone().into(),
                token.scopes.clone().into(),
                token.created_at.clone().into(),
                token.expires_at.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(())
}

/// The live (not revoked, not expired) token with this hash.
pub async fn live_by_hash(conn: &mut Conn<'_>, token_hash: &str, now: &str) -> Result<Option<ApiToken>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("api_tokens")
            .and_where(Expr::col("token_hash").eq(token_hash))
            .and_where(Expr::col("revoked_at").is_null())
            .cond_where(
                sea_query::Cond::any()
                    .add(Expr::col("expires_at").is_null())
                    .add(Expr::col("expires_at").gt(now)),
            )
            .take(),
    )
    .await
}

pub async fn touch(conn: &mut Conn<'_>, id: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("api_tokens")
            .value("last_used_at", time::now_text())
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await?;
    Ok(())
}

/// Tokens owned by a user, or all tokens when `user_id` is `None`.
pub async fn list(conn: &mut Conn<'_>, user_id: Option<&str>) -> Result<Vec<ApiToken>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS)
        .from("api_tokens")
        .order_by("created_at", Order::Desc)
        .take();
    if let Some(user) = user_id {
        query.and_where(Expr::col("user_id").eq(user));
    }
    conn.fetch_all(&query).await
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<ApiToken>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("api_tokens")
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

pub async fn revoke(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("api_tokens")
            .value("revoked_at", time::now_text())
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("revoked_at").is_null())
            .take(),
    )
    .await
}
