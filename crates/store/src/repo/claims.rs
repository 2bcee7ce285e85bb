//! Incentive claims: a partner's request to be paid an amount (a SPIFF, a bonus, a
//! rebate) with its proof, decided through the approval workflow. An approved claim waits
//! for the period close, which puts it on the partner's statement (`statement_id`).

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::page::{self, Keyed, Page, PageRequest, Sort};
use crate::{Conn, Scope, StoreError};

pub const SORTABLE: &[&str] = &["created_at", "updated_at", "status"];

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Claim {
    pub id: String,
    pub partner_id: String,
    pub plan_id: Option<String>,
    /// `spiff`, `bonus` or `rebate`.
    pub kind: String,
    /// Exact decimal in `currency`.
    pub amount: String,
    pub currency: String,
    pub description: String,
    pub deal_ref: Option<String>,
    /// `submitted`, `approved`, `rejected`, `withdrawn` or `on_statement`.
    pub status: String,
    /// The statement that pays the claim, once the close has put it on one.
    pub statement_id: Option<String>,
    pub submitted_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: [&str; 15] = [
    "id",
    "partner_id",
    "plan_id",
    "kind",
    "amount",
    "currency",
    "description",
    "deal_ref",
    "status",
    "statement_id",
    "submitted_by",
    "decided_at",
    "decision_comment",
    "created_at",
    "updated_at",
];

impl Keyed for Claim {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "status" => self.status.clone(),
            "updated_at" => self.updated_at.clone(),
            _ => self.created_at.clone(),
        }
    }
}

pub async fn insert(conn: &mut Conn<'_>, c: &Claim) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("claims")
            .columns(COLUMNS)
            .values_panic([
                c.id.clone().into(),
                c.partner_id.clone().into(),
                c.plan_id.clone().into(),
                c.kind.clone().into(),
                c.amount.clone().into(),
                c.currency.clone().into(),
                c.description.clone().into(),
                c.deal_ref.clone().into(),
                c.status.clone().into(),
                c.statement_id.clone().into(),
                c.submitted_by.clone().into(),
                c.decided_at.clone().into(),
                c.decision_comment.clone().into(),
                c.created_at.clone().into(),
                c.updated_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<Claim>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("claims")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub partner_id: Option<String>,
    pub status: Option<String>,
    pub plan_id: Option<String>,
    pub kind: Option<String>,
    pub currency: Option<String>,
    /// Submitted on or after this date (YYYY-MM-DD).
    pub submitted_from: Option<String>,
    /// Submitted on or before this date (YYYY-MM-DD).
    pub submitted_to: Option<String>,
}

fn condition(scope: &Scope, filter: &ClaimFilter) -> Cond {
    // Timestamps compare as text; the end of a day is any time on it.
    let to = filter
        .submitted_to
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|d| format!("{d}T99"));
    super::matching(
        Cond::all().add(scope.partner_condition("partner_id")),
        &[
            ("partner_id", &filter.partner_id),
            ("status", &filter.status),
            ("plan_id", &filter.plan_id),
            ("kind", &filter.kind),
            ("currency", &filter.currency),
        ],
        "created_at",
        (&filter.submitted_from, &to),
    )
}

pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &ClaimFilter,
    request: &PageRequest,
) -> Result<Page<Claim>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("claims", c)))
        .from("claims")
        .cond_where(condition(scope, filter))
        .take();
    page::apply(&mut query, "claims", request);
    let rows = conn.fetch_all(&query).await?;
    page::finish(rows, request)
}

/// Every claim matching `filter` in `sort` order (for CSV exports), at most `limit`.
pub async fn all(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &ClaimFilter,
    sort: Sort,
    limit: u64,
) -> Result<Vec<Claim>, StoreError> {
    let order = if sort.descending { Order::Desc } else { Order::Asc };
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("claims")
            .cond_where(condition(scope, filter))
            .order_by(sort.column, order.clone())
            .order_by("id", order)
            .limit(limit)
            .take(),
    )
    .await
}

/// Moves a claim to `next`'s status, decision and `updated_at`, only if it is unchanged
/// since `current` was read; returns the rows changed (0 when someone else changed it first).
pub async fn transition(conn: &mut Conn<'_>, current: &Claim, next: &Claim) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("claims")
            .values([
                ("status", next.status.clone().into()),
                ("decided_at", next.decided_at.clone().into()),
                ("decision_comment", next.decision_comment.clone().into()),
                ("updated_at", next.updated_at.clone().into()),
            ])
            .and_where(Expr::col("id").eq(current.id.clone()))
            .and_where(Expr::col("status").eq(current.status.clone()))
            .and_where(Expr::col("updated_at").eq(current.updated_at.clone()))
            .take(),
    )
    .await
}
