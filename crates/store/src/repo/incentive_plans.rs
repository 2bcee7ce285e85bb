//! Incentive plans: drafts and published plans, and the definition of every published
//! version. A published plan changes only by publishing a draft of it, which writes a new
//! version; the close reads the latest published version of each plan of its cadence.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::incentives::{Plan, PlanKind};

use crate::{Conn, StoreError, time};

tributary_domain::code_enum! {
    /// Where a plan is in its life.
    pub enum PlanStatus ("plan status") {
        Draft => ("draft", "Draft"),
        Published => ("published", "Published"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoredPlan {
    pub id: String,
    pub status: PlanStatus,
    /// For a draft: the published plan it will replace when published.
    pub draft_of: Option<String>,
    /// The published version number (0 for a draft never published).
    pub version: i64,
    pub definition: Plan,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    status: String,
    draft_of: Option<String>,
    version: i64,
    definition_json: String,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
    published_at: Option<String>,
}

const COLUMNS: [&str; 9] = [
    "id",
    "status",
    "draft_of",
    "version",
    "definition_json",
    "created_by",
    "created_at",
    "updated_at",
    "published_at",
];

fn parse_definition(id: &str, json: &str) -> Result<Plan, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("incentive plan {id}: {e}")))
}

fn definition_json(definition: &Plan) -> String {
    serde_json::to_string(definition).expect("a plan always serialises")
}

fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl TryFrom<Row> for StoredPlan {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        Ok(StoredPlan {
            definition: parse_definition(&row.id, &row.definition_json)?,
            status: PlanStatus::parse(&row.status).map_err(StoreError::Corrupt)?,
            id: row.id,
            draft_of: row.draft_of,
            version: row.version,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        })
    }
}

/// What a plan list may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub kind: Option<PlanKind>,
    pub status: Option<PlanStatus>,
}

/// Every plan matching the filter, published first, then by name.
pub async fn list(conn: &mut Conn<'_>, filter: &PlanFilter) -> Result<Vec<StoredPlan>, StoreError> {
    let mut cond = Cond::all();
    if let Some(kind) = filter.kind {
        cond = cond.add(Expr::col("kind").eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        cond = cond.add(Expr::col("status").eq(status.as_str()));
    }
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from("incentive_plans")
                .cond_where(cond)
                .order_by("status", Order::Desc)
                .order_by("name", Order::Asc)
                .order_by("id", Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(StoredPlan::try_from).collect()
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<StoredPlan>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("incentive_plans")
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(StoredPlan::try_from).transpose()
}

/// Stores a new draft (of `draft_of`, or of a plan not published yet).
pub async fn insert_draft(
    conn: &mut Conn<'_>,
    id: &str,
    draft_of: Option<&str>,
    definition: &Plan,
    created_by: Option<&str>,
) -> Result<StoredPlan, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::insert()
            .into_table("incentive_plans")
            .columns(["name", "kind"].into_iter().chain(COLUMNS))
            .values_panic([
                definition.name.clone().into(),
                definition.kind.as_str().into(),
                id.into(),
                PlanStatus::Draft.as_str().into(),
                draft_of.map(str::to_string).into(),
                0i64.into(),
                definition_json(definition).into(),
                created_by.map(str::to_string).into(),
                now.clone().into(),
                now.clone().into(),
                None::<String>.into(),
            ])
            .take(),
    )
    .await?;
    Ok(StoredPlan {
        id: id.to_string(),
        status: PlanStatus::Draft,
        draft_of: draft_of.map(str::to_string),
        version: 0,
        definition: definition.clone(),
        created_by: created_by.map(str::to_string),
        created_at: now.clone(),
        updated_at: now,
        published_at: None,
    })
}

/// Replaces a draft's definition.
pub async fn update_draft(
    conn: &mut Conn<'_>,
    current: &StoredPlan,
    definition: &Plan,
) -> Result<StoredPlan, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::update()
            .table("incentive_plans")
            .values([
                ("name", definition.name.clone().into()),
                ("kind", definition.kind.as_str().into()),
                ("definition_json", definition_json(definition).into()),
                ("updated_at", now.clone().into()),
            ])
            .and_where(Expr::col("id").eq(current.id.clone()))
            .and_where(Expr::col("status").eq(PlanStatus::Draft.as_str()))
            .take(),
    )
    .await?;
    Ok(StoredPlan {
        definition: definition.clone(),
        updated_at: now,
        ..current.clone()
    })
}

/// Makes `definition` the next published version of plan `target` (which may be a draft
/// being published for the first time) and records the version. Refuses (conflict) when
/// someone published the plan meanwhile.
pub async fn publish(
    conn: &mut Conn<'_>,
    target: &StoredPlan,
    definition: &Plan,
    published_by: Option<&str>,
) -> Result<StoredPlan, StoreError> {
    let now = time::now_text();
    let version = target.version + 1;
    let changed = conn
        .execute(
            &Query::update()
                .table("incentive_plans")
                .values([
                    ("name", definition.name.clone().into()),
                    ("kind", definition.kind.as_str().into()),
                    ("status", PlanStatus::Published.as_str().into()),
                    ("draft_of", None::<String>.into()),
                    ("version", version.into()),
                    ("definition_json", definition_json(definition).into()),
                    ("updated_at", now.clone().into()),
                    ("published_at", now.clone().into()),
                ])
                .and_where(Expr::col("id").eq(target.id.clone()))
                .and_where(Expr::col("version").eq(target.version))
                .take(),
        )
        .await?;
    if changed != 1 {
        return Err(StoreError::Conflict(
            "the plan was published by someone else meanwhile".into(),
        ));
    }
    conn.execute(
        &Query::insert()
            .into_table("incentive_plan_versions")
            .columns([
                "plan_id",
                "version",
                "definition_json",
                "period_kind",
                "effective_from",
                "effective_until",
                "published_by",
                "published_at",
            ])
            .values_panic([
                target.id.clone().into(),
                version.into(),
                definition_json(definition).into(),
                definition.period.as_str().into(),
                date_text(definition.effective_from).into(),
                definition.effective_until.map(date_text).into(),
                published_by.map(str::to_string).into(),
                now.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(StoredPlan {
        status: PlanStatus::Published,
        draft_of: None,
        version,
        definition: definition.clone(),
        updated_at: now.clone(),
        published_at: Some(now),
        ..target.clone()
    })
}

/// Deletes a draft (after it was published into its plan, or discarded).
pub async fn delete_draft(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("incentive_plans")
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq(PlanStatus::Draft.as_str()))
            .take(),
    )
    .await
}

/// One published version of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanVersion {
    pub version: i64,
    pub definition: Plan,
    pub published_by: Option<String>,
    pub published_at: String,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    plan_id: String,
    version: i64,
    definition_json: String,
    published_by: Option<String>,
    published_at: String,
}

const VERSION_COLUMNS: [&str; 5] = ["plan_id", "version", "definition_json", "published_by", "published_at"];

impl TryFrom<VersionRow> for PlanVersion {
    type Error = StoreError;
    fn try_from(r: VersionRow) -> Result<Self, StoreError> {
        Ok(PlanVersion {
            definition: parse_definition(&r.plan_id, &r.definition_json)?,
            version: r.version,
            published_by: r.published_by,
            published_at: r.published_at,
        })
    }
}

/// Every published version of a plan, newest first.
pub async fn versions(conn: &mut Conn<'_>, plan_id: &str) -> Result<Vec<PlanVersion>, StoreError> {
    let rows: Vec<VersionRow> = conn
        .fetch_all(
            &Query::select()
                .columns(VERSION_COLUMNS)
                .from("incentive_plan_versions")
                .and_where(Expr::col("plan_id").eq(plan_id))
                .order_by("version", Order::Desc)
                .take(),
        )
        .await?;
    rows.into_iter().map(PlanVersion::try_from).collect()
}

/// One published version (the one a statement line was calculated with).
pub async fn version(conn: &mut Conn<'_>, plan_id: &str, version: i64) -> Result<Option<PlanVersion>, StoreError> {
    let row: Option<VersionRow> = conn
        .fetch_optional(
            &Query::select()
                .columns(VERSION_COLUMNS)
                .from("incentive_plan_versions")
                .and_where(Expr::col("plan_id").eq(plan_id))
                .and_where(Expr::col("version").eq(version))
                .take(),
        )
        .await?;
    row.map(PlanVersion::try_from).transpose()
}

/// A plan as the close runs it: its latest published version.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedPlan {
    pub plan_id: String,
    pub version: i64,
    pub name: String,
    pub definition: Plan,
}

/// The latest published version of every plan of cadence `period_kind` whose effective
/// dates overlap `start..=end` (dates as `YYYY-MM-DD`), by name.
pub async fn published_for_period(
    conn: &mut Conn<'_>,
    period_kind: &str,
    start: &str,
    end: &str,
) -> Result<Vec<PublishedPlan>, StoreError> {
    let rows: Vec<VersionRow> = conn
        .fetch_all(
            &Query::select()
                .columns(VERSION_COLUMNS.map(|c| ("incentive_plan_versions", c)))
                .from("incentive_plan_versions")
                .inner_join(
                    "incentive_plans",
                    Expr::col(("incentive_plans", "id"))
                        .equals(("incentive_plan_versions", "plan_id"))
                        .and(Expr::col(("incentive_plans", "version")).equals(("incentive_plan_versions", "version"))),
                )
                .and_where(Expr::col(("incentive_plans", "status")).eq(PlanStatus::Published.as_str()))
                .and_where(Expr::col(("incentive_plan_versions", "period_kind")).eq(period_kind))
                .and_where(Expr::col(("incentive_plan_versions", "effective_from")).lte(end))
                .cond_where(
                    Cond::any()
                        .add(Expr::col(("incentive_plan_versions", "effective_until")).is_null())
                        .add(Expr::col(("incentive_plan_versions", "effective_until")).gte(start)),
                )
                .order_by(("incentive_plans", "name"), Order::Asc)
                .order_by(("incentive_plans", "id"), Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let plan_id = r.plan_id.clone();
            let version = PlanVersion::try_from(r)?;
            Ok(PublishedPlan {
                plan_id,
                version: version.version,
                name: version.definition.name.clone(),
                definition: version.definition,
            })
        })
        .collect()
}
