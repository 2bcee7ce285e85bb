//! Portal sessions. Only a hash of the session token is stored, so a leaked database does
//! not yield usable cookies; each session carries its CSRF token.

use sea_query::{Expr, ExprTrait, Query};

use crate::{Conn, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub token_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
}

pub async fn insert(conn: &mut Conn<'_>, session: &Session) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("sessions")
            .columns(["token_hash", "user_id", "csrf_token", "created_at", "expires_at"])
            .values_panic([
                session.token_hash.clone().into(),
                session.user_id.clone().into(),
                session.csrf_token.clone().into(),
                session.created_at.clone().into(),
                session.expires_at.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(())
}

/// The session with this token hash if it has not expired at `now`.
pub async fn live(conn: &mut Conn<'_>, token_hash: &str, now: &str) -> Result<Option<Session>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(["token_hash", "user_id", "csrf_token", "created_at", "expires_at"])
            .from("sessions")
            .and_where(Expr::col("token_hash").eq(token_hash))
            .and_where(Expr::col("expires_at").gt(now))
            .take(),
    )
    .await
}

pub async fn delete(conn: &mut Conn<'_>, token_hash: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("sessions")
            .and_where(Expr::col("token_hash").eq(token_hash))
            .take(),
    )
    .await?;
    Ok(())
}

/// Ends every session of a user (after a password change or deactivation).
pub async fn delete_for_user(conn: &mut Conn<'_>, user_id: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("sessions")
            .and_where(Expr::col("user_id").eq(user_id))
            .take(),
    )
    .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut Conn<'_>, now: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("sessions")
            .and_where(Expr::col("expires_at").lte(now))
            .take(),
    )
    .await
}
