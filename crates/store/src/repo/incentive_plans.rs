//! Incentive plans: drafts and published plans, and the definition of every published
//! version. A published plan changes only by publishing a draft of it, which writes a new
//! version; the close reads the latest published version of each plan of its cadence.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::incentives::{Plan, PlanKind};

use super::drafts::{self, Draftable, Tables, draftable_records};
use crate::{Conn, StoreError};

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

fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl Draftable for StoredPlan {
    type Definition = Plan;
    type Version = PlanVersion;
    const TABLES: Tables = Tables {
        table: "incentive_plans",
        versions: "incentive_plan_versions",
        owner: "plan_id",
        noun: "incentive plan",
        short: "plan",
    };

    fn summary(definition: &Plan) -> Vec<(&'static str, Expr)> {
        vec![
            ("name", definition.name.clone().into()),
            ("kind", definition.kind.as_str().into()),
        ]
    }

    /// The close selects a plan's versions by cadence and effective dates.
    fn version_summary(definition: &Plan) -> Vec<(&'static str, Expr)> {
        vec![
            ("period_kind", definition.period.as_str().into()),
            ("effective_from", date_text(definition.effective_from).into()),
            ("effective_until", definition.effective_until.map(date_text).into()),
        ]
    }

    draftable_records!(StoredPlan, PlanStatus, PlanVersion);
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
    drafts::list(conn, cond).await
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<StoredPlan>, StoreError> {
    drafts::get(conn, id).await
}

/// Stores a new draft (of `draft_of`, or of a plan not published yet).
pub async fn insert_draft(
    conn: &mut Conn<'_>,
    id: &str,
    draft_of: Option<&str>,
    definition: &Plan,
    created_by: Option<&str>,
) -> Result<StoredPlan, StoreError> {
    drafts::insert_draft(conn, id, draft_of, definition, created_by).await
}

/// Replaces a draft's definition.
pub async fn update_draft(
    conn: &mut Conn<'_>,
    current: &StoredPlan,
    definition: &Plan,
) -> Result<StoredPlan, StoreError> {
    drafts::update_draft(conn, current, definition).await
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
    drafts::publish(conn, target, definition, published_by).await
}

/// Deletes a draft (after it was published into its plan, or discarded).
pub async fn delete_draft(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    drafts::delete_draft::<StoredPlan>(conn, id).await
}

/// One published version of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanVersion {
    pub version: i64,
    pub definition: Plan,
    pub published_by: Option<String>,
    pub published_at: String,
}

/// Every published version of a plan, newest first.
pub async fn versions(conn: &mut Conn<'_>, plan_id: &str) -> Result<Vec<PlanVersion>, StoreError> {
    drafts::versions::<StoredPlan>(conn, plan_id).await
}

/// One published version (the one a statement line was calculated with).
pub async fn version(conn: &mut Conn<'_>, plan_id: &str, version: i64) -> Result<Option<PlanVersion>, StoreError> {
    drafts::version::<StoredPlan>(conn, plan_id, version).await
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
    #[derive(sqlx::FromRow)]
    struct Row {
        plan_id: String,
        version: i64,
        definition_json: String,
    }
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(["plan_id", "version", "definition_json"].map(|c| ("incentive_plan_versions", c)))
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
            let definition = drafts::parse_definition::<StoredPlan>(&r.plan_id, &r.definition_json)?;
            Ok(PublishedPlan {
                plan_id: r.plan_id,
                version: r.version,
                name: definition.name.clone(),
                definition,
            })
        })
        .collect()
}
