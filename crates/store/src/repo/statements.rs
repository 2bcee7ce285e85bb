//! Incentive statements, one per partner and period, and their lines: an `earning` line
//! per plan with the whole settlement as its explanation, `adjustment` lines that correct
//! an approved earlier period, and `claim` lines for approved claims. Amounts are exact
//! decimal text. An approved (or paid) statement is never written again; the close only
//! replaces statements that are not approved yet.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::incentives::Settlement;
use tributary_domain::money::parse_decimal;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError, time};

tributary_domain::code_enum! {
    /// Where a statement is in its life.
    pub enum StatementStatus ("statement status") {
        Calculated => ("calculated", "Calculated"),
        PendingApproval => ("pending_approval", "Awaiting approval"),
        Approved => ("approved", "Approved"),
        Rejected => ("rejected", "Rejected"),
        Paid => ("paid", "Paid"),
    }
}

impl StatementStatus {
    /// Approved or paid: immutable, corrected only by adjustment lines in a later period.
    pub fn is_final(self) -> bool {
        matches!(self, StatementStatus::Approved | StatementStatus::Paid)
    }

    /// Calculated or rejected: a close may rewrite it and add lines to it.
    pub fn is_open(self) -> bool {
        matches!(self, StatementStatus::Calculated | StatementStatus::Rejected)
    }
}

tributary_domain::code_enum! {
    /// What a statement line is.
    pub enum LineKind ("line kind") {
        Earning => ("earning", "Earning"),
        Adjustment => ("adjustment", "Adjustment"),
        Claim => ("claim", "Claim"),
    }
}

pub const SORTABLE: &[&str] = &["period_end", "created_at", "status", "net"];

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub period_key: String,
    pub period_start: String,
    pub period_end: String,
    /// The partner's payout currency; the money lines' totals are in it.
    pub currency: String,
    pub status: StatementStatus,
    /// The close that last wrote the statement.
    pub close_run_id: Option<String>,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
    /// Whole points earned (points plans), apart from money.
    #[schema(value_type = String)]
    pub points: Decimal,
    /// The first day the statement may be paid (period end + the longest holding period).
    pub payable_on: String,
    pub approved_at: Option<String>,
    pub paid_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    partner_id: String,
    partner_name: String,
    period_key: String,
    period_start: String,
    period_end: String,
    currency: String,
    status: String,
    close_run_id: Option<String>,
    gross: String,
    withholding: String,
    net: String,
    points: String,
    payable_on: String,
    approved_at: Option<String>,
    paid_at: Option<String>,
    created_at: String,
    updated_at: String,
    version: i64,
}

const COLUMNS: [&str; 18] = [
    "id",
    "partner_id",
    "period_key",
    "period_start",
    "period_end",
    "currency",
    "status",
    "close_run_id",
    "gross",
    "withholding",
    "net",
    "points",
    "payable_on",
    "approved_at",
    "paid_at",
    "created_at",
    "updated_at",
    "version",
];

fn amount(what: &str, id: &str, text: &str) -> Result<Decimal, StoreError> {
    parse_decimal(text).map_err(|e| StoreError::Corrupt(format!("{what} {id}: {e}")))
}

fn optional_amount(what: &str, id: &str, text: Option<String>) -> Result<Option<Decimal>, StoreError> {
    text.map(|t| amount(what, id, &t)).transpose()
}

impl TryFrom<Row> for Statement {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(Statement {
            status: StatementStatus::parse(&r.status).map_err(StoreError::Corrupt)?,
            gross: amount("statement", &r.id, &r.gross)?,
            withholding: amount("statement", &r.id, &r.withholding)?,
            net: amount("statement", &r.id, &r.net)?,
            points: amount("statement", &r.id, &r.points)?,
            id: r.id,
            partner_id: r.partner_id,
            partner_name: r.partner_name,
            period_key: r.period_key,
            period_start: r.period_start,
            period_end: r.period_end,
            currency: r.currency,
            close_run_id: r.close_run_id,
            payable_on: r.payable_on,
            approved_at: r.approved_at,
            paid_at: r.paid_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        })
    }
}

impl Keyed for Statement {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "period_end" => self.period_end.clone(),
            "status" => self.status.as_str().to_string(),
            "net" => self.net.to_string(),
            _ => self.created_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct StatementFilter {
    pub partner_id: Option<String>,
    pub period_key: Option<String>,
    pub status: Option<StatementStatus>,
}

fn condition(scope: &Scope, filter: &StatementFilter) -> Cond {
    let mut cond = Cond::all().add(scope.partner_condition("partner_id"));
    for (column, value) in [("partner_id", &filter.partner_id), ("period_key", &filter.period_key)] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(Expr::col(("statements", column)).eq(value));
        }
    }
    if let Some(status) = filter.status {
        cond = cond.add(Expr::col(("statements", "status")).eq(status.as_str()));
    }
    cond
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS.map(|c| ("statements", c)))
        .expr_as(Expr::col(("partners", "name")), "partner_name")
        .from("statements")
        .inner_join(
            "partners",
            Expr::col(("partners", "id")).equals(("statements", "partner_id")),
        )
        .take()
}

/// One page of the statements visible in `scope` that match the filter.
pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &StatementFilter,
    request: &PageRequest,
) -> Result<Page<Statement>, StoreError> {
    let mut query = select().cond_where(condition(scope, filter)).take();
    page::apply(&mut query, "statements", request);
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    let statements = rows
        .into_iter()
        .map(Statement::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    page::finish(statements, request)
}

/// Every statement visible in `scope` that matches the filter, newest period first.
pub async fn all(conn: &mut Conn<'_>, scope: &Scope, filter: &StatementFilter) -> Result<Vec<Statement>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &select()
                .cond_where(condition(scope, filter))
                .order_by(("statements", "period_end"), Order::Desc)
                .order_by(("partners", "name"), Order::Asc)
                .order_by(("statements", "id"), Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(Statement::try_from).collect()
}

/// The statement `id` if it is visible in `scope`.
pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<Statement>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &select()
                .cond_where(condition(scope, &StatementFilter::default()))
                .and_where(Expr::col(("statements", "id")).eq(id))
                .take(),
        )
        .await?;
    row.map(Statement::try_from).transpose()
}

/// The statement of a partner for a period, if there is one.
pub async fn for_partner_period(
    conn: &mut Conn<'_>,
    partner_id: &str,
    period_key: &str,
) -> Result<Option<Statement>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &select()
                .and_where(Expr::col(("statements", "partner_id")).eq(partner_id))
                .and_where(Expr::col(("statements", "period_key")).eq(period_key))
                .take(),
        )
        .await?;
    row.map(Statement::try_from).transpose()
}

fn values(s: &Statement) -> [(&'static str, sea_query::SimpleExpr); 12] {
    [
        ("currency", s.currency.clone().into()),
        ("status", s.status.as_str().into()),
        ("close_run_id", s.close_run_id.clone().into()),
        ("gross", s.gross.to_string().into()),
        ("withholding", s.withholding.to_string().into()),
        ("net", s.net.to_string().into()),
        ("points", s.points.to_string().into()),
        ("payable_on", s.payable_on.clone().into()),
        ("approved_at", s.approved_at.clone().into()),
        ("paid_at", s.paid_at.clone().into()),
        ("updated_at", s.updated_at.clone().into()),
        ("version", s.version.into()),
    ]
}

/// Stores a new statement (a partner has at most one per period: the unique index refuses
/// a second with [`StoreError::Conflict`]).
pub async fn insert(conn: &mut Conn<'_>, s: &Statement) -> Result<(), StoreError> {
    let (columns, exprs): (Vec<&str>, Vec<sea_query::SimpleExpr>) = [
        ("id", s.id.clone().into()),
        ("partner_id", s.partner_id.clone().into()),
        ("period_key", s.period_key.clone().into()),
        ("period_start", s.period_start.clone().into()),
        ("period_end", s.period_end.clone().into()),
        ("created_at", s.created_at.clone().into()),
    ]
    .into_iter()
    .chain(values(s))
    .unzip();
    conn.execute(
        &Query::insert()
            .into_table("statements")
            .columns(columns)
            .values_panic(exprs)
            .take(),
    )
    .await?;
    Ok(())
}

/// Writes `next` over the stored statement if it is still at `current`'s version and not
/// final (approved or paid); returns whether it was written.
pub async fn update(conn: &mut Conn<'_>, current: &Statement, next: &Statement) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            &Query::update()
                .table("statements")
                .values(values(next))
                .and_where(Expr::col("id").eq(current.id.clone()))
                .and_where(Expr::col("version").eq(current.version))
                .and_where(
                    Expr::col("status").is_not_in([StatementStatus::Approved.as_str(), StatementStatus::Paid.as_str()]),
                )
                .take(),
        )
        .await?;
    Ok(changed == 1)
}

/// Moves a statement from `from` to `to` (with `approved_at` when approving); returns
/// whether it was moved (false when someone else moved it first).
pub async fn transition(
    conn: &mut Conn<'_>,
    current: &Statement,
    to: StatementStatus,
) -> Result<Option<Statement>, StoreError> {
    let now = time::now_text();
    let next = Statement {
        status: to,
        approved_at: if to == StatementStatus::Approved {
            Some(now.clone())
        } else {
            current.approved_at.clone()
        },
        paid_at: if to == StatementStatus::Paid {
            Some(now.clone())
        } else {
            current.paid_at.clone()
        },
        updated_at: now,
        version: current.version + 1,
        ..current.clone()
    };
    let changed = conn
        .execute(
            &Query::update()
                .table("statements")
                .values(values(&next))
                .and_where(Expr::col("id").eq(current.id.clone()))
                .and_where(Expr::col("version").eq(current.version))
                .and_where(Expr::col("status").eq(current.status.as_str()))
                .take(),
        )
        .await?;
    Ok((changed == 1).then_some(next))
}

/// Deletes a statement that is not final, with its lines (it has nothing left to say).
pub async fn delete_open(conn: &mut Conn<'_>, statement: &Statement) -> Result<bool, StoreError> {
    delete_lines(conn, &statement.id).await?;
    let changed = conn
        .execute(
            &Query::delete()
                .from_table("statements")
                .and_where(Expr::col("id").eq(statement.id.clone()))
                .and_where(Expr::col("version").eq(statement.version))
                .and_where(
                    Expr::col("status").is_not_in([StatementStatus::Approved.as_str(), StatementStatus::Paid.as_str()]),
                )
                .take(),
        )
        .await?;
    Ok(changed == 1)
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    pub id: String,
    pub statement_id: String,
    pub line_no: i64,
    pub kind: LineKind,
    pub plan_id: Option<String>,
    pub plan_version: Option<i64>,
    pub claim_id: Option<String>,
    /// For an adjustment: the approved period it corrects.
    pub adjusts_period_key: Option<String>,
    pub description: String,
    /// The payout currency code, or `PTS` for points.
    pub unit: String,
    #[schema(value_type = Option<String>)]
    pub measure: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub carry_in: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub carry_out: Option<Decimal>,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
    /// The whole working (measure, bands, multiplier, cap, carry, FX, tax, net) of an
    /// earning line, and of the recalculation behind an adjustment.
    pub settlement: Option<Settlement>,
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: String,
    statement_id: String,
    line_no: i64,
    kind: String,
    plan_id: Option<String>,
    plan_version: Option<i64>,
    claim_id: Option<String>,
    adjusts_period_key: Option<String>,
    description: String,
    unit: String,
    measure: Option<String>,
    carry_in: Option<String>,
    carry_out: Option<String>,
    gross: String,
    withholding: String,
    net: String,
    settlement_json: Option<String>,
    created_at: String,
}

const LINE_COLUMNS: [&str; 18] = [
    "id",
    "statement_id",
    "line_no",
    "kind",
    "plan_id",
    "plan_version",
    "claim_id",
    "adjusts_period_key",
    "description",
    "unit",
    "measure",
    "carry_in",
    "carry_out",
    "gross",
    "withholding",
    "net",
    "settlement_json",
    "created_at",
];

impl TryFrom<LineRow> for StatementLine {
    type Error = StoreError;
    fn try_from(r: LineRow) -> Result<Self, StoreError> {
        let id = r.id.clone();
        Ok(StatementLine {
            kind: LineKind::parse(&r.kind).map_err(StoreError::Corrupt)?,
            measure: optional_amount("statement line", &id, r.measure)?,
            carry_in: optional_amount("statement line", &id, r.carry_in)?,
            carry_out: optional_amount("statement line", &id, r.carry_out)?,
            gross: amount("statement line", &id, &r.gross)?,
            withholding: amount("statement line", &id, &r.withholding)?,
            net: amount("statement line", &id, &r.net)?,
            settlement: r
                .settlement_json
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| StoreError::Corrupt(format!("statement line {id} settlement: {e}")))?,
            id: r.id,
            statement_id: r.statement_id,
            line_no: r.line_no,
            plan_id: r.plan_id,
            plan_version: r.plan_version,
            claim_id: r.claim_id,
            adjusts_period_key: r.adjusts_period_key,
            description: r.description,
            unit: r.unit,
            created_at: r.created_at,
        })
    }
}

/// The lines of a statement, in order.
pub async fn lines(conn: &mut Conn<'_>, statement_id: &str) -> Result<Vec<StatementLine>, StoreError> {
    let rows: Vec<LineRow> = conn
        .fetch_all(
            &Query::select()
                .columns(LINE_COLUMNS)
                .from("statement_lines")
                .and_where(Expr::col("statement_id").eq(statement_id))
                .order_by("line_no", Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(StatementLine::try_from).collect()
}

/// Appends lines (ids, numbers and timestamps set by the caller).
pub async fn insert_lines(conn: &mut Conn<'_>, lines: &[StatementLine]) -> Result<(), StoreError> {
    let text = |d: Option<Decimal>| d.map(|d| d.to_string());
    for chunk in lines.chunks(500) {
        let mut insert = Query::insert()
            .into_table("statement_lines")
            .columns(LINE_COLUMNS)
            .take();
        for l in chunk {
            let settlement = l
                .settlement
                .as_ref()
                .map(|s| serde_json::to_string(s).expect("a settlement always serialises"));
            insert.values_panic([
                l.id.clone().into(),
                l.statement_id.clone().into(),
                l.line_no.into(),
                l.kind.as_str().into(),
                l.plan_id.clone().into(),
                l.plan_version.into(),
                l.claim_id.clone().into(),
                l.adjusts_period_key.clone().into(),
                l.description.clone().into(),
                l.unit.clone().into(),
                text(l.measure).into(),
                text(l.carry_in).into(),
                text(l.carry_out).into(),
                l.gross.to_string().into(),
                l.withholding.to_string().into(),
                l.net.to_string().into(),
                settlement.into(),
                l.created_at.clone().into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// Deletes every line of a statement (before it is rewritten).
pub async fn delete_lines(conn: &mut Conn<'_>, statement_id: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("statement_lines")
            .and_where(Expr::col("statement_id").eq(statement_id))
            .take(),
    )
    .await
}

/// A line together with the partner and period of its statement.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLine {
    pub partner_id: String,
    pub period_key: String,
    pub period_end: String,
    pub status: StatementStatus,
    pub line: StatementLine,
}

#[derive(sqlx::FromRow)]
struct PlacedRow {
    partner_id: String,
    period_key: String,
    period_end: String,
    status: String,
    #[sqlx(flatten)]
    line: LineRow,
}

async fn placed(conn: &mut Conn<'_>, cond: Cond) -> Result<Vec<PlacedLine>, StoreError> {
    let rows: Vec<PlacedRow> = conn
        .fetch_all(
            &Query::select()
                .columns(LINE_COLUMNS.map(|c| ("statement_lines", c)))
                .columns([
                    ("statements", "partner_id"),
                    ("statements", "period_key"),
                    ("statements", "period_end"),
                    ("statements", "status"),
                ])
                .from("statement_lines")
                .inner_join(
                    "statements",
                    Expr::col(("statements", "id")).equals(("statement_lines", "statement_id")),
                )
                .cond_where(cond)
                .order_by(("statements", "period_end"), Order::Asc)
                .order_by(("statement_lines", "line_no"), Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PlacedLine {
                status: StatementStatus::parse(&r.status).map_err(StoreError::Corrupt)?,
                partner_id: r.partner_id,
                period_key: r.period_key,
                period_end: r.period_end,
                line: StatementLine::try_from(r.line)?,
            })
        })
        .collect()
}

/// The negative balance each (partner, plan) carries into a period starting `start`:
/// the carry-out of its latest earning line in an earlier period (absent: nothing).
pub async fn carries_before(
    conn: &mut Conn<'_>,
    start: &str,
) -> Result<HashMap<(String, String), Decimal>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Carry {
        partner_id: String,
        plan_id: Option<String>,
        carry_out: Option<String>,
    }
    let rows: Vec<Carry> = conn
        .fetch_all(
            &Query::select()
                .columns([("statements", "partner_id")])
                .columns([("statement_lines", "plan_id"), ("statement_lines", "carry_out")])
                .from("statement_lines")
                .inner_join(
                    "statements",
                    Expr::col(("statements", "id")).equals(("statement_lines", "statement_id")),
                )
                .and_where(Expr::col(("statement_lines", "kind")).eq(LineKind::Earning.as_str()))
                .and_where(Expr::col(("statements", "period_end")).lt(start))
                .order_by(("statements", "period_end"), Order::Asc)
                .order_by(("statement_lines", "line_no"), Order::Asc)
                .take(),
        )
        .await?;
    let mut carries = HashMap::new();
    for row in rows {
        if let Some(plan_id) = row.plan_id {
            let carry = optional_amount("carry of plan", &plan_id, row.carry_out)?.unwrap_or_default();
            carries.insert((row.partner_id, plan_id), carry);
        }
    }
    Ok(carries)
}

/// Every adjustment line of `partner_id` that corrects `period_key`, wherever it was posted.
pub async fn adjustments_of(
    conn: &mut Conn<'_>,
    partner_id: &str,
    period_key: &str,
) -> Result<Vec<PlacedLine>, StoreError> {
    let cond = Cond::all()
        .add(Expr::col(("statement_lines", "kind")).eq(LineKind::Adjustment.as_str()))
        .add(Expr::col(("statement_lines", "adjusts_period_key")).eq(period_key))
        .add(Expr::col(("statements", "partner_id")).eq(partner_id));
    placed(conn, cond).await
}

/// Every line of the statements of `period_key` visible in `scope` (for spend reports).
pub async fn lines_of_period(
    conn: &mut Conn<'_>,
    scope: &Scope,
    period_key: &str,
) -> Result<Vec<PlacedLine>, StoreError> {
    let cond = Cond::all()
        .add(scope.partner_condition("partner_id"))
        .add(Expr::col(("statements", "period_key")).eq(period_key));
    placed(conn, cond).await
}

/// The ids of the partners with a statement for `period_key`.
pub async fn partners_of_period(conn: &mut Conn<'_>, period_key: &str) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Id {
        partner_id: String,
    }
    let rows: Vec<Id> = conn
        .fetch_all(
            &Query::select()
                .column("partner_id")
                .from("statements")
                .and_where(Expr::col("period_key").eq(period_key))
                .order_by("partner_id", Order::Asc)
                .take(),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.partner_id).collect())
}

/// An approved claim not on a statement yet, as a statement line needs it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PayableClaim {
    pub id: String,
    pub partner_id: String,
    pub plan_id: Option<String>,
    pub kind: String,
    pub amount: String,
    pub currency: String,
    pub description: String,
}

/// Approved claims that no statement carries yet, oldest first.
pub async fn payable_claims(conn: &mut Conn<'_>) -> Result<Vec<PayableClaim>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns([
                "id",
                "partner_id",
                "plan_id",
                "kind",
                "amount",
                "currency",
                "description",
            ])
            .from("claims")
            .and_where(Expr::col("status").eq("approved"))
            .and_where(Expr::col("statement_id").is_null())
            .order_by("created_at", Order::Asc)
            .order_by("id", Order::Asc)
            .take(),
    )
    .await
}

/// Puts an approved claim on a statement (status `on_statement`); false when the claim is
/// no longer approved and unattached.
pub async fn attach_claim(conn: &mut Conn<'_>, claim_id: &str, statement_id: &str) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            &Query::update()
                .table("claims")
                .values([
                    ("statement_id", statement_id.into()),
                    ("status", "on_statement".into()),
                    ("updated_at", time::now_text().into()),
                ])
                .and_where(Expr::col("id").eq(claim_id))
                .and_where(Expr::col("status").eq("approved"))
                .and_where(Expr::col("statement_id").is_null())
                .take(),
        )
        .await?;
    Ok(changed == 1)
}
