//! Tier evaluations: one row per structure and evaluation date (the unique key makes a
//! re-run for the same date find the existing evaluation instead of writing another).

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Evaluation {
    pub id: String,
    pub structure_id: String,
    pub structure_version: i64,
    pub eval_date: String,
    /// `scheduled` or `manual`.
    pub run_trigger: String,
    pub partner_count: i64,
    pub promoted: i64,
    pub demoted: i64,
    pub at_risk: i64,
    pub created_by: Option<String>,
    pub created_at: String,
}

const COLUMNS: [&str; 11] = [
    "id",
    "structure_id",
    "structure_version",
    "eval_date",
    "run_trigger",
    "partner_count",
    "promoted",
    "demoted",
    "at_risk",
    "created_by",
    "created_at",
];

pub async fn insert(conn: &mut Conn<'_>, e: &Evaluation) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("tier_evaluations")
            .columns(COLUMNS)
            .values_panic([
                e.id.clone().into(),
                e.structure_id.clone().into(),
                e.structure_version.into(),
                e.eval_date.clone().into(),
                e.run_trigger.clone().into(),
                e.partner_count.into(),
                e.promoted.into(),
                e.demoted.into(),
                e.at_risk.into(),
                e.created_by.clone().into(),
                e.created_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<Evaluation>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("tier_evaluations")
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

/// The structure's evaluation on `date`, if it ran.
pub async fn on_date(conn: &mut Conn<'_>, structure_id: &str, date: &str) -> Result<Option<Evaluation>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("tier_evaluations")
            .and_where(Expr::col("structure_id").eq(structure_id))
            .and_where(Expr::col("eval_date").eq(date))
            .take(),
    )
    .await
}

/// The structure's latest evaluation dated before `date` (or the latest of all).
pub async fn latest(
    conn: &mut Conn<'_>,
    structure_id: &str,
    before: Option<&str>,
) -> Result<Option<Evaluation>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS)
        .from("tier_evaluations")
        .and_where(Expr::col("structure_id").eq(structure_id))
        .order_by("eval_date", Order::Desc)
        .limit(1)
        .take();
    if let Some(before) = before {
        query.and_where(Expr::col("eval_date").lt(before));
    }
    conn.fetch_optional(&query).await
}

/// The structure's evaluations, newest first.
pub async fn list(conn: &mut Conn<'_>, structure_id: &str) -> Result<Vec<Evaluation>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("tier_evaluations")
            .and_where(Expr::col("structure_id").eq(structure_id))
            .order_by("eval_date", Order::Desc)
            .take(),
    )
    .await
}
