//! Tier snapshots: what one evaluation decided for one partner — metric values, the
//! qualifying, previous and assigned levels, and every requirement's value, target, gap
//! and result. Insert-only: there is no update or delete, so history is never rewritten.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::tiering::{LevelCheck, MetricValues};

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError};

pub const SORTABLE: &[&str] = &["eval_date", "change_kind"];

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Snapshot {
    pub id: String,
    pub evaluation_id: String,
    pub structure_id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub eval_date: String,
    /// The region whose overridden targets applied, if any.
    pub region: Option<String>,
    pub qualifying_level: i64,
    pub previous_level: Option<i64>,
    pub assigned_level: i64,
    pub misses: i64,
    /// initial, promoted, demoted, stayed, at_risk or overridden.
    pub change_kind: String,
    pub override_reason: Option<String>,
    #[schema(value_type = Object)]
    pub metrics: MetricValues,
    pub checks: Vec<LevelCheck>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    evaluation_id: String,
    structure_id: String,
    partner_id: String,
    partner_name: String,
    eval_date: String,
    region: Option<String>,
    qualifying_level: i64,
    previous_level: Option<i64>,
    assigned_level: i64,
    misses: i64,
    change_kind: String,
    override_reason: Option<String>,
    metrics_json: String,
    checks_json: String,
}

const COLUMNS: [&str; 14] = [
    "id",
    "evaluation_id",
    "structure_id",
    "partner_id",
    "eval_date",
    "region",
    "qualifying_level",
    "previous_level",
    "assigned_level",
    "misses",
    "change_kind",
    "override_reason",
    "metrics_json",
    "checks_json",
];

impl TryFrom<Row> for Snapshot {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        let corrupt = |what: &str, e: serde_json::Error| StoreError::Corrupt(format!("snapshot {} {what}: {e}", r.id));
        Ok(Snapshot {
            metrics: serde_json::from_str(&r.metrics_json).map_err(|e| corrupt("metrics", e))?,
            checks: serde_json::from_str(&r.checks_json).map_err(|e| corrupt("checks", e))?,
            id: r.id,
            evaluation_id: r.evaluation_id,
            structure_id: r.structure_id,
            partner_id: r.partner_id,
            partner_name: r.partner_name,
            eval_date: r.eval_date,
            region: r.region,
            qualifying_level: r.qualifying_level,
            previous_level: r.previous_level,
            assigned_level: r.assigned_level,
            misses: r.misses,
            change_kind: r.change_kind,
            override_reason: r.override_reason,
        })
    }
}

impl Keyed for Snapshot {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "change_kind" => self.change_kind.clone(),
            _ => self.eval_date.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SnapshotFilter {
    pub structure_id: Option<String>,
    pub evaluation_id: Option<String>,
    pub partner_id: Option<String>,
    pub eval_date: Option<String>,
    pub change_kind: Option<String>,
    pub assigned_level: Option<i64>,
    pub region: Option<String>,
}

fn condition(scope: &Scope, filter: &SnapshotFilter) -> Cond {
    let mut cond = Cond::all().add(scope.partner_condition("partner_id"));
    for (column, value) in [
        ("structure_id", &filter.structure_id),
        ("evaluation_id", &filter.evaluation_id),
        ("partner_id", &filter.partner_id),
        ("eval_date", &filter.eval_date),
        ("change_kind", &filter.change_kind),
        ("region", &filter.region),
    ] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(Expr::col(("tier_snapshots", column)).eq(value));
        }
    }
    if let Some(level) = filter.assigned_level {
        cond = cond.add(Expr::col("assigned_level").eq(level));
    }
    cond
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS.map(|c| ("tier_snapshots", c)))
        .expr_as(Expr::col(("partners", "name")), "partner_name")
        .from("tier_snapshots")
        .inner_join(
            "partners",
            Expr::col(("partners", "id")).equals(("tier_snapshots", "partner_id")),
        )
        .take()
}

pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &SnapshotFilter,
    request: &PageRequest,
) -> Result<Page<Snapshot>, StoreError> {
    let mut query = select().cond_where(condition(scope, filter)).take();
    page::apply(&mut query, "tier_snapshots", request);
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    let items = rows
        .into_iter()
        .map(Snapshot::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    page::finish(items, request)
}

/// Every snapshot matching `filter` visible in `scope`, oldest evaluation first (for
/// histories, reports and the previous state of the next evaluation).
pub async fn all(conn: &mut Conn<'_>, scope: &Scope, filter: &SnapshotFilter) -> Result<Vec<Snapshot>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &select()
                .cond_where(condition(scope, filter))
                .order_by(("tier_snapshots", "eval_date"), Order::Asc)
                .order_by(("tier_snapshots", "partner_id"), Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(Snapshot::try_from).collect()
}

/// Appends snapshots in multi-row statements.
pub async fn insert_many(conn: &mut Conn<'_>, snapshots: &[Snapshot]) -> Result<(), StoreError> {
    for chunk in snapshots.chunks(500) {
        let mut insert = Query::insert().into_table("tier_snapshots").columns(COLUMNS).take();
        for s in chunk {
            insert.values_panic([
                s.id.clone().into(),
                s.evaluation_id.clone().into(),
                s.structure_id.clone().into(),
                s.partner_id.clone().into(),
                s.eval_date.clone().into(),
                s.region.clone().into(),
                s.qualifying_level.into(),
                s.previous_level.into(),
                s.assigned_level.into(),
                s.misses.into(),
                s.change_kind.clone().into(),
                s.override_reason.clone().into(),
                serde_json::to_string(&s.metrics)
                    .expect("metric values serialise")
                    .into(),
                serde_json::to_string(&s.checks).expect("level checks serialise").into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}
