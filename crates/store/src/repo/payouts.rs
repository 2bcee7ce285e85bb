//! Payout batches and their payments. A payment pays one statement, and `payments.statement_id`
//! is unique: a statement is paid at most once whatever happens to the requests that try
//! (retried, concurrent, killed mid-way), because the database refuses the second row.
//! A batch's idempotency key is unique too, so the same request creates one batch.

use sea_query::{Cond, Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError};

pub const SORTABLE: &[&str] = &["created_at", "payable_through", "status"];

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PayoutBatch {
    pub id: String,
    /// The client's `Idempotency-Key` the batch was created under.
    pub idempotency_key: String,
    /// `created`, `exported` or `paid`.
    pub status: String,
    /// Statements payable on or before this date were considered.
    pub payable_through: String,
    pub statement_count: i64,
    /// Totals per currency, points, and statements not paid (JSON).
    #[serde(skip)]
    pub totals_json: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub exported_at: Option<String>,
    pub paid_at: Option<String>,
}

const BATCH_COLUMNS: [&str; 10] = [
    "id",
    "idempotency_key",
    "status",
    "payable_through",
    "statement_count",
    "totals_json",
    "created_by",
    "created_at",
    "exported_at",
    "paid_at",
];

impl Keyed for PayoutBatch {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "payable_through" => self.payable_through.clone(),
            "status" => self.status.clone(),
            _ => self.created_at.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Payment {
    pub id: String,
    pub batch_id: String,
    pub statement_id: String,
    pub partner_id: String,
    pub currency: String,
    pub gross: String,
    pub withholding: String,
    pub net: String,
    pub created_at: String,
}

const PAYMENT_COLUMNS: [&str; 9] = [
    "id",
    "batch_id",
    "statement_id",
    "partner_id",
    "currency",
    "gross",
    "withholding",
    "net",
    "created_at",
];

/// An approved statement not yet paid, as a batch considers it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Unpaid {
    pub id: String,
    pub partner_id: String,
    pub period_key: String,
    pub currency: String,
    pub gross: String,
    pub withholding: String,
    pub net: String,
    pub points: String,
    pub payable_on: String,
}

/// A payment with what an accounting export needs: the partner, the statement's period
/// and due date.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PaymentLine {
    pub id: String,
    pub batch_id: String,
    pub statement_id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub tax_country: String,
    pub period_key: String,
    pub period_end: String,
    pub payable_on: String,
    pub currency: String,
    pub gross: String,
    pub withholding: String,
    pub net: String,
    /// Points on the statement (reported, never paid).
    pub points: String,
    pub created_at: String,
}

/// One statement with its payment and batch, if any (the reconciliation's input).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StatementPayment {
    pub statement_id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub period_key: String,
    pub currency: String,
    pub status: String,
    pub net: String,
    pub points: String,
    pub payable_on: String,
    pub payment_net: Option<String>,
    pub payment_currency: Option<String>,
    pub batch_id: Option<String>,
    pub batch_status: Option<String>,
}

/// Creates a batch; a second batch under the same key fails with [`StoreError::Conflict`].
pub async fn insert_batch(conn: &mut Conn<'_>, b: &PayoutBatch) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("payout_batches")
            .columns(BATCH_COLUMNS)
            .values_panic([
                b.id.clone().into(),
                b.idempotency_key.clone().into(),
                b.status.clone().into(),
                b.payable_through.clone().into(),
                b.statement_count.into(),
                b.totals_json.clone().into(),
                b.created_by.clone().into(),
                b.created_at.clone().into(),
                b.exported_at.clone().into(),
                b.paid_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get_batch(conn: &mut Conn<'_>, id: &str) -> Result<Option<PayoutBatch>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(BATCH_COLUMNS)
            .from("payout_batches")
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

pub async fn batch_by_key(conn: &mut Conn<'_>, key: &str) -> Result<Option<PayoutBatch>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(BATCH_COLUMNS)
            .from("payout_batches")
            .and_where(Expr::col("idempotency_key").eq(key))
            .take(),
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct BatchFilter {
    pub status: Option<String>,
}

pub async fn list_batches(
    conn: &mut Conn<'_>,
    filter: &BatchFilter,
    request: &PageRequest,
) -> Result<Page<PayoutBatch>, StoreError> {
    let cond = super::matching(Cond::all(), &[("status", &filter.status)], "created_at", (&None, &None));
    let mut query = Query::select()
        .columns(BATCH_COLUMNS.map(|c| ("payout_batches", c)))
        .from("payout_batches")
        .cond_where(cond)
        .take();
    page::apply(&mut query, "payout_batches", request);
    let rows = conn.fetch_all(&query).await?;
    page::finish(rows, request)
}

/// Records what the batch paid once its payments are in.
pub async fn finish_batch(
    conn: &mut Conn<'_>,
    id: &str,
    statement_count: i64,
    totals_json: &str,
) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("payout_batches")
            .values([
                ("statement_count", statement_count.into()),
                ("totals_json", totals_json.into()),
            ])
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

/// Approved statements payable on or before `through` that no payment pays yet, by id.
pub async fn unpaid(conn: &mut Conn<'_>, through: &str) -> Result<Vec<Unpaid>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns([
                "id",
                "partner_id",
                "period_key",
                "currency",
                "gross",
                "withholding",
                "net",
                "points",
                "payable_on",
            ])
            .from("statements")
            .and_where(Expr::col("status").eq("approved"))
            .and_where(Expr::col("payable_on").lte(through))
            .and_where(Expr::col("id").not_in_subquery(Query::select().column("statement_id").from("payments").take()))
            .order_by("id", Order::Asc)
            .take(),
    )
    .await
}

/// Pays a statement in a batch unless another payment already pays it: `Ok(false)` then.
/// A concurrent batch's uncommitted payment of the same statement makes this wait for
/// that batch to commit or roll back (PostgreSQL) — the unique index decides.
pub async fn insert_payment(conn: &mut Conn<'_>, p: &Payment) -> Result<bool, StoreError> {
    let inserted = conn
        .execute(
            &Query::insert()
                .into_table("payments")
                .columns(PAYMENT_COLUMNS)
                .values_panic([
                    p.id.clone().into(),
                    p.batch_id.clone().into(),
                    p.statement_id.clone().into(),
                    p.partner_id.clone().into(),
                    p.currency.clone().into(),
                    p.gross.clone().into(),
                    p.withholding.clone().into(),
                    p.net.clone().into(),
                    p.created_at.clone().into(),
                ])
                .on_conflict(OnConflict::column("statement_id").do_nothing().to_owned())
                .take(),
        )
        .await?;
    Ok(inserted == 1)
}

/// The payments of a batch visible in `scope`, with partner and statement details.
pub async fn payment_lines(conn: &mut Conn<'_>, scope: &Scope, batch_id: &str) -> Result<Vec<PaymentLine>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(PAYMENT_COLUMNS.map(|c| ("payments", c)))
            .expr_as(Expr::col(("partners", "name")), "partner_name")
            .expr_as(Expr::col(("partners", "tax_country")), "tax_country")
            .expr_as(Expr::col(("statements", "period_key")), "period_key")
            .expr_as(Expr::col(("statements", "period_end")), "period_end")
            .expr_as(Expr::col(("statements", "payable_on")), "payable_on")
            .expr_as(Expr::col(("statements", "points")), "points")
            .from("payments")
            .inner_join(
                "partners",
                Expr::col(("partners", "id")).equals(("payments", "partner_id")),
            )
            .inner_join(
                "statements",
                Expr::col(("statements", "id")).equals(("payments", "statement_id")),
            )
            .cond_where(scope.partner_condition(("payments", "partner_id")))
            .and_where(Expr::col(("payments", "batch_id")).eq(batch_id))
            .order_by(("partners", "name"), Order::Asc)
            .order_by(("payments", "id"), Order::Asc)
            .take(),
    )
    .await
}

/// Stamps the first export of a batch (`created` → `exported`).
pub async fn mark_exported(conn: &mut Conn<'_>, id: &str, at: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("payout_batches")
            .values([("status", "exported".into()), ("exported_at", at.into())])
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq("created"))
            .take(),
    )
    .await
}

/// Marks a batch paid and each statement it pays `paid`; returns the statements changed.
/// Only a batch not yet paid changes (`Ok(None)` otherwise).
pub async fn mark_paid(conn: &mut Conn<'_>, id: &str, at: &str) -> Result<Option<u64>, StoreError> {
    let batch = conn
        .execute(
            &Query::update()
                .table("payout_batches")
                .values([("status", "paid".into()), ("paid_at", at.into())])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("status").ne("paid"))
                .take(),
        )
        .await?;
    if batch != 1 {
        return Ok(None);
    }
    let statements = conn
        .execute(
            &Query::update()
                .table("statements")
                .values([
                    ("status", "paid".into()),
                    ("paid_at", at.into()),
                    ("updated_at", at.into()),
                    ("version", Expr::col("version").add(1)),
                ])
                .and_where(Expr::col("status").eq("approved"))
                .and_where(
                    Expr::col("id").in_subquery(
                        Query::select()
                            .column("statement_id")
                            .from("payments")
                            .and_where(Expr::col("batch_id").eq(id))
                            .take(),
                    ),
                )
                .take(),
        )
        .await?;
    Ok(Some(statements))
}

#[derive(Debug, Clone, Default)]
pub struct ReconciliationFilter {
    pub period_key: Option<String>,
    pub partner_id: Option<String>,
}

/// Every statement visible in `scope` matching `filter`, with its payment and batch.
pub async fn statement_payments(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &ReconciliationFilter,
) -> Result<Vec<StatementPayment>, StoreError> {
    let mut cond = Cond::all().add(scope.partner_condition(("statements", "partner_id")));
    if let Some(period) = filter.period_key.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col(("statements", "period_key")).eq(period));
    }
    if let Some(partner) = filter.partner_id.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col(("statements", "partner_id")).eq(partner));
    }
    conn.fetch_all(
        &Query::select()
            .expr_as(Expr::col(("statements", "id")), "statement_id")
            .columns(
                [
                    "partner_id",
                    "period_key",
                    "currency",
                    "status",
                    "net",
                    "points",
                    "payable_on",
                ]
                .map(|c| ("statements", c)),
            )
            .expr_as(Expr::col(("partners", "name")), "partner_name")
            .expr_as(Expr::col(("payments", "net")), "payment_net")
            .expr_as(Expr::col(("payments", "currency")), "payment_currency")
            .expr_as(Expr::col(("payout_batches", "id")), "batch_id")
            .expr_as(Expr::col(("payout_batches", "status")), "batch_status")
            .from("statements")
            .inner_join(
                "partners",
                Expr::col(("partners", "id")).equals(("statements", "partner_id")),
            )
            .left_join(
                "payments",
                Expr::col(("payments", "statement_id")).equals(("statements", "id")),
            )
            .left_join(
                "payout_batches",
                Expr::col(("payout_batches", "id")).equals(("payments", "batch_id")),
            )
            .cond_where(cond)
            .order_by(("partners", "name"), Order::Asc)
            .order_by(("statements", "period_key"), Order::Asc)
            .order_by(("statements", "id"), Order::Asc)
            .take(),
    )
    .await
}
