//! Approval requests and their decisions. At most one open request per object is a
//! database constraint; decisions are appended, never changed.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, Scope, StoreError, time};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApprovalRequest {
    pub id: String,
    pub subject_type: String,
    pub subject_id: String,
    pub partner_id: Option<String>,
    pub requested_by: Option<String>,
    pub summary: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// The steps (JSON list of `{name, roles, sla_hours}`).
    pub steps_json: String,
    pub current_step: i64,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// When the current step's SLA ends.
    pub due_at: String,
    pub reminded_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: [&str; 15] = [
    "id",
    "subject_type",
    "subject_id",
    "partner_id",
    "requested_by",
    "summary",
    "amount",
    "currency",
    "steps_json",
    "current_step",
    "status",
    "due_at",
    "reminded_at",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApprovalDecision {
    pub id: String,
    pub request_id: String,
    pub step: i64,
    pub decided_by: Option<String>,
    /// `approved` or `rejected`.
    pub decision: String,
    pub comment: Option<String>,
    pub decided_at: String,
}

pub async fn insert(conn: &mut Conn<'_>, r: &ApprovalRequest) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("approval_requests")
            .columns(COLUMNS)
            .values_panic([
                r.id.clone().into(),
                r.subject_type.clone().into(),
                r.subject_id.clone().into(),
                r.partner_id.clone().into(),
                r.requested_by.clone().into(),
                r.summary.clone().into(),
                r.amount.clone().into(),
                r.currency.clone().into(),
                r.steps_json.clone().into(),
                r.current_step.into(),
                r.status.clone().into(),
                r.due_at.clone().into(),
                r.reminded_at.clone().into(),
                r.created_at.clone().into(),
                r.updated_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<ApprovalRequest>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("approval_requests")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

/// The open request of an object, if any.
pub async fn open_for(
    conn: &mut Conn<'_>,
    subject_type: &str,
    subject_id: &str,
) -> Result<Option<ApprovalRequest>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("approval_requests")
            .and_where(Expr::col("subject_type").eq(subject_type))
            .and_where(Expr::col("subject_id").eq(subject_id))
            .and_where(Expr::col("status").eq("pending"))
            .take(),
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct ApprovalFilter {
    pub status: Option<String>,
    pub subject_type: Option<String>,
    pub partner_id: Option<String>,
    /// Only requests past their SLA.
    pub overdue_at: Option<String>,
}

/// Requests visible in `scope`, oldest due first.
pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &ApprovalFilter,
) -> Result<Vec<ApprovalRequest>, StoreError> {
    let mut cond = super::matching(
        Cond::all().add(scope.partner_condition("partner_id")),
        &[
            ("status", &filter.status),
            ("subject_type", &filter.subject_type),
            ("partner_id", &filter.partner_id),
        ],
        "due_at",
        (&None, &None),
    );
    if let Some(now) = filter.overdue_at.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col("due_at").lt(now));
    }
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("approval_requests")
            .cond_where(cond)
            .order_by("due_at", Order::Asc)
            .order_by("id", Order::Asc)
            .limit(5000)
            .take(),
    )
    .await
}

/// Moves a pending request on (next step or final status), only if unchanged meanwhile.
pub async fn advance(
    conn: &mut Conn<'_>,
    current: &ApprovalRequest,
    step: i64,
    status: &str,
    due_at: &str,
) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("approval_requests")
            .values([
                ("current_step", step.into()),
                ("status", status.into()),
                ("due_at", due_at.into()),
                ("reminded_at", None::<String>.into()),
                ("updated_at", time::now_text().into()),
            ])
            .and_where(Expr::col("id").eq(current.id.clone()))
            .and_where(Expr::col("status").eq("pending"))
            .and_where(Expr::col("current_step").eq(current.current_step))
            .take(),
    )
    .await
}

pub async fn mark_reminded(conn: &mut Conn<'_>, id: &str, at: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("approval_requests")
            .value("reminded_at", at)
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("reminded_at").is_null())
            .take(),
    )
    .await
}

pub async fn insert_decision(conn: &mut Conn<'_>, d: &ApprovalDecision) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("approval_decisions")
            .columns([
                "id",
                "request_id",
                "step",
                "decided_by",
                "decision",
                "comment",
                "decided_at",
            ])
            .values_panic([
                d.id.clone().into(),
                d.request_id.clone().into(),
                d.step.into(),
                d.decided_by.clone().into(),
                d.decision.clone().into(),
                d.comment.clone().into(),
                d.decided_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn decisions(conn: &mut Conn<'_>, request_id: &str) -> Result<Vec<ApprovalDecision>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns([
                "id",
                "request_id",
                "step",
                "decided_by",
                "decision",
                "comment",
                "decided_at",
            ])
            .from("approval_decisions")
            .and_where(Expr::col("request_id").eq(request_id))
            .order_by("decided_at", Order::Asc)
            .order_by("id", Order::Asc)
            .take(),
    )
    .await
}
