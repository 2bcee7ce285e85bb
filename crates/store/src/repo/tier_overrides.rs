//! Manual tier overrides: a level granted to a partner with a reason, active from its start
//! date until (not including) its expiry, unless revoked earlier.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, Scope, StoreError, time};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TierOverride {
    pub id: String,
    pub structure_id: String,
    pub partner_id: String,
    pub level: i64,
    pub reason: String,
    pub starts_on: String,
    pub expires_on: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

const COLUMNS: [&str; 10] = [
    "id",
    "structure_id",
    "partner_id",
    "level",
    "reason",
    "starts_on",
    "expires_on",
    "created_by",
    "created_at",
    "revoked_at",
];

pub async fn insert(conn: &mut Conn<'_>, o: &TierOverride) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("tier_overrides")
            .columns(COLUMNS)
            .values_panic([
                o.id.clone().into(),
                o.structure_id.clone().into(),
                o.partner_id.clone().into(),
                o.level.into(),
                o.reason.clone().into(),
                o.starts_on.clone().into(),
                o.expires_on.clone().into(),
                o.created_by.clone().into(),
                o.created_at.clone().into(),
                o.revoked_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<TierOverride>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("tier_overrides")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

/// Overrides visible in `scope`, newest first, optionally of one structure or partner.
pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    structure_id: Option<&str>,
    partner_id: Option<&str>,
) -> Result<Vec<TierOverride>, StoreError> {
    let mut cond = Cond::all().add(scope.partner_condition("partner_id"));
    if let Some(id) = structure_id.filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col("structure_id").eq(id));
    }
    if let Some(id) = partner_id.filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col("partner_id").eq(id));
    }
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("tier_overrides")
            .cond_where(cond)
            .order_by("created_at", Order::Desc)
            .order_by("id", Order::Desc)
            .take(),
    )
    .await
}

/// The structure's unrevoked overrides active on `date` (newest first per partner).
pub async fn active_on(conn: &mut Conn<'_>, structure_id: &str, date: &str) -> Result<Vec<TierOverride>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("tier_overrides")
            .and_where(Expr::col("structure_id").eq(structure_id))
            .and_where(Expr::col("revoked_at").is_null())
            .and_where(Expr::col("starts_on").lte(date))
            .and_where(Expr::col("expires_on").gt(date))
            .order_by("created_at", Order::Desc)
            .order_by("id", Order::Desc)
            .take(),
    )
    .await
}

pub async fn revoke(conn: &mut Conn<'_>, id: &str) -> Result<String, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::update()
            .table("tier_overrides")
            .value("revoked_at", now.clone())
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("revoked_at").is_null())
            .take(),
    )
    .await?;
    Ok(now)
}
