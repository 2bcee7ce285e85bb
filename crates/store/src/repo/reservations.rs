//! Account reservations. At most one active reservation per account is a database
//! constraint (a partial unique index), so concurrent requests for the same account cannot
//! both succeed; an expired or released reservation stays as history.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, Scope, StoreError, time};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Reservation {
    pub id: String,
    pub account_id: String,
    pub partner_id: String,
    /// `account` or `hierarchy`.
    pub scope: String,
    /// `active`, `released` or `expired`.
    pub status: String,
    pub reserved_on: String,
    pub expires_on: String,
    pub renewals: i64,
    pub ended_on: Option<String>,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: [&str; 12] = [
    "id",
    "account_id",
    "partner_id",
    "scope",
    "status",
    "reserved_on",
    "expires_on",
    "renewals",
    "ended_on",
    "created_by",
    "created_at",
    "updated_at",
];

pub async fn insert(conn: &mut Conn<'_>, r: &Reservation) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("account_reservations")
            .columns(COLUMNS)
            .values_panic([
                r.id.clone().into(),
                r.account_id.clone().into(),
                r.partner_id.clone().into(),
                r.scope.clone().into(),
                r.status.clone().into(),
                r.reserved_on.clone().into(),
                r.expires_on.clone().into(),
                r.renewals.into(),
                r.ended_on.clone().into(),
                r.created_by.clone().into(),
                r.created_at.clone().into(),
                r.updated_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<Reservation>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("account_reservations")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

/// The active reservations of these accounts (any partner) — for the refusal rules.
pub async fn active_on(conn: &mut Conn<'_>, account_ids: &[String]) -> Result<Vec<Reservation>, StoreError> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for chunk in account_ids.chunks(500) {
        let rows: Vec<Reservation> = conn
            .fetch_all(
                &Query::select()
                    .columns(COLUMNS)
                    .from("account_reservations")
                    .and_where(Expr::col("status").eq("active"))
                    .and_where(Expr::col("account_id").is_in(chunk.iter().cloned()))
                    .take(),
            )
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

#[derive(Debug, Clone, Default)]
pub struct ReservationFilter {
    pub partner_id: Option<String>,
    pub account_id: Option<String>,
    pub status: Option<String>,
    /// Active reservations expiring on or before this date.
    pub expiring_by: Option<String>,
}

/// Reservations visible in `scope`, newest first.
pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &ReservationFilter,
) -> Result<Vec<Reservation>, StoreError> {
    let mut cond = Cond::all().add(scope.partner_condition("partner_id"));
    for (column, value) in [
        ("partner_id", &filter.partner_id),
        ("account_id", &filter.account_id),
        ("status", &filter.status),
    ] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(Expr::col(column).eq(value));
        }
    }
    if let Some(by) = filter.expiring_by.as_deref().filter(|s| !s.is_empty()) {
        cond = cond
            .add(Expr::col("status").eq("active"))
            .add(Expr::col("expires_on").lte(by));
    }
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("account_reservations")
            .cond_where(cond)
            .order_by("created_at", Order::Desc)
            .order_by("id", Order::Desc)
            .limit(5000)
            .take(),
    )
    .await
}

/// Ends an active reservation (`released` or `expired`) on `day`.
pub async fn end(conn: &mut Conn<'_>, id: &str, status: &str, day: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("account_reservations")
            .values([
                ("status", status.into()),
                ("ended_on", day.into()),
                ("updated_at", time::now_text().into()),
            ])
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq("active"))
            .take(),
    )
    .await
}

/// Moves an active reservation's expiry (a renewal).
pub async fn renew(conn: &mut Conn<'_>, id: &str, expires_on: &str, renewals: i64) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("account_reservations")
            .values([
                ("expires_on", expires_on.into()),
                ("renewals", renewals.into()),
                ("updated_at", time::now_text().into()),
            ])
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq("active"))
            .take(),
    )
    .await
}

/// Active reservations whose expiry is before `today` (for the expiry job).
pub async fn lapsed(conn: &mut Conn<'_>, today: &str) -> Result<Vec<Reservation>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("account_reservations")
            .and_where(Expr::col("status").eq("active"))
            .and_where(Expr::col("expires_on").lt(today))
            .take(),
    )
    .await
}
