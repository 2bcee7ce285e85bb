//! Incentive plans as drafts and published versions. Every save validates the plan itself
//! ([`Plan::validate`]) and its references: the tier structure whose levels and multipliers
//! apply, the regions and segment of its eligibility and filter, and exchange rates for
//! its currency when that is not the base currency. A published plan changes only by
//! publishing a draft of it — a new version — so a close always reads a definition that
//! someone published, and an earlier version stays readable for the statements it made.

use tributary_domain::incentives::Plan;
use tributary_domain::validation::FieldError;
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::incentive_plans::{self, PlanFilter, PlanStatus, StoredPlan};
use tributary_store::repo::{fx_rates, regions, segments, tier_structures};

use super::base_currency;
use crate::error::{AppError, AppResult};
use crate::services::record;

fn problem(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        message,
    }
}

/// The plan's own rules and its references to other data; every problem names its field.
pub async fn check(conn: &mut Conn<'_>, plan: &Plan) -> AppResult<()> {
    let mut errors = plan.validate().err().unwrap_or_default();
    let known: Vec<String> = regions::list(conn).await?.into_iter().map(|r| r.code).collect();
    for (field, codes) in [
        ("eligibility.regions", &plan.eligibility.regions),
        ("filter.customer_regions", &plan.filter.customer_regions),
    ] {
        for code in codes.iter().filter(|c| !c.trim().is_empty()) {
            if !known.contains(code) {
                errors.push(problem(field, format!("'{code}' is not a known region")));
            }
        }
    }
    if let Some(id) = &plan.eligibility.segment_id
        && segments::get(conn, id).await?.is_none()
    {
        errors.push(problem(
            "eligibility.segment_id",
            format!("segment '{id}' does not exist"),
        ));
    }
    if let Some(tier) = plan.tier.as_ref().filter(|t| !t.structure_id.trim().is_empty()) {
        match tier_structures::get(conn, &tier.structure_id).await? {
            None => errors.push(problem(
                "tier.structure_id",
                format!("tier structure '{}' does not exist", tier.structure_id),
            )),
            Some(structure) => {
                let levels = structure.definition.levels.len();
                if plan.eligibility.minimum_tier.is_some_and(|minimum| minimum >= levels) {
                    errors.push(problem(
                        "eligibility.minimum_tier",
                        format!(
                            "the structure '{}' has levels 0 to {}",
                            structure.definition.name,
                            levels - 1
                        ),
                    ));
                }
                if tier.multipliers.len() > levels {
                    errors.push(problem(
                        "tier.multipliers",
                        format!(
                            "the structure '{}' has {levels} levels; give at most one multiplier per level",
                            structure.definition.name
                        ),
                    ));
                }
            }
        }
    }
    let base = base_currency();
    if plan.currency != base {
        let with_rates = fx_rates::currencies_with_rates(conn).await?;
        if !with_rates.iter().any(|c| c == plan.currency.code()) {
            errors.push(problem(
                "currency",
                format!(
                    "there are no exchange rates for {} yet; add {}→{base} rates (or the pairs the sales need) first",
                    plan.currency, plan.currency
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> AppResult<StoredPlan> {
    incentive_plans::get(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("incentive plan"))
}

/// A plan as a partner may see it: published plans only (a draft is not found).
pub async fn get_published(conn: &mut Conn<'_>, id: &str) -> AppResult<StoredPlan> {
    get(conn, id).await.and_then(|plan| match plan.status {
        PlanStatus::Published => Ok(plan),
        PlanStatus::Draft => Err(AppError::not_found("incentive plan")),
    })
}

/// The plans matching `filter`; with `published_only` drafts are left out whatever the filter says.
pub async fn list(conn: &mut Conn<'_>, filter: &PlanFilter, published_only: bool) -> AppResult<Vec<StoredPlan>> {
    let filter = if published_only {
        if filter.status == Some(PlanStatus::Draft) {
            return Ok(Vec::new());
        }
        PlanFilter {
            status: Some(PlanStatus::Published),
            ..filter.clone()
        }
    } else {
        filter.clone()
    };
    Ok(incentive_plans::list(conn, &filter).await?)
}

async fn new_draft(conn: &mut Conn<'_>, actor: &Actor, draft_of: Option<&str>, plan: &Plan) -> AppResult<StoredPlan> {
    let id = tributary_domain::ids::new_id();
    let draft = incentive_plans::insert_draft(conn, &id, draft_of, plan, actor.user_id.as_deref()).await?;
    record(
        conn,
        actor,
        "incentive_plan.draft_created",
        "incentive_plan",
        &id,
        None::<&()>,
        Some(&draft),
    )
    .await?;
    Ok(draft)
}

/// A new plan, as a draft until published.
pub async fn create_draft(conn: &mut Conn<'_>, actor: &Actor, plan: &Plan) -> AppResult<StoredPlan> {
    check(conn, plan).await?;
    new_draft(conn, actor, None, plan).await
}

const DRAFT_SUFFIX: &str = " (draft)";

/// A draft copy of a published plan, to edit and publish as its next version.
pub async fn copy_to_draft(conn: &mut Conn<'_>, actor: &Actor, published: &StoredPlan) -> AppResult<StoredPlan> {
    if published.status != PlanStatus::Published {
        return Err(AppError::Conflict(
            "only a published plan can be copied into a draft".into(),
        ));
    }
    let mut plan = published.definition.clone();
    plan.name = format!("{}{DRAFT_SUFFIX}", plan.name);
    new_draft(conn, actor, Some(&published.id), &plan).await
}

pub async fn update_draft(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &StoredPlan,
    plan: &Plan,
) -> AppResult<StoredPlan> {
    if current.status != PlanStatus::Draft {
        return Err(AppError::Conflict(
            "a published plan changes only through a draft: copy it into a draft, edit and publish".into(),
        ));
    }
    check(conn, plan).await?;
    let updated = incentive_plans::update_draft(conn, current, plan).await?;
    record(
        conn,
        actor,
        "incentive_plan.draft_updated",
        "incentive_plan",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// Publishes a draft: into the plan it was copied from (its next version; the draft is
/// consumed), or as a new plan (version 1).
pub async fn publish(conn: &mut Conn<'_>, actor: &Actor, draft: &StoredPlan) -> AppResult<StoredPlan> {
    if draft.status != PlanStatus::Draft {
        return Err(AppError::Conflict("this plan is already published".into()));
    }
    let mut plan = draft.definition.clone();
    let target = match &draft.draft_of {
        Some(id) => {
            if let Some(name) = plan.name.strip_suffix(DRAFT_SUFFIX) {
                plan.name = name.to_string();
            }
            get(conn, id).await?
        }
        None => draft.clone(),
    };
    check(conn, &plan).await?;
    let published = incentive_plans::publish(conn, &target, &plan, actor.user_id.as_deref())
        .await
        .map_err(|e| match e {
            tributary_store::StoreError::Conflict(message) => AppError::Conflict(message),
            other => other.into(),
        })?;
    if target.id != draft.id {
        incentive_plans::delete_draft(conn, &draft.id).await?;
    }
    record(
        conn,
        actor,
        "incentive_plan.published",
        "incentive_plan",
        &published.id,
        Some(&target),
        Some(&published),
    )
    .await?;
    Ok(published)
}

pub async fn discard_draft(conn: &mut Conn<'_>, actor: &Actor, draft: &StoredPlan) -> AppResult<()> {
    if draft.status != PlanStatus::Draft {
        return Err(AppError::Conflict("a published plan cannot be discarded".into()));
    }
    incentive_plans::delete_draft(conn, &draft.id).await?;
    record(
        conn,
        actor,
        "incentive_plan.draft_discarded",
        "incentive_plan",
        &draft.id,
        Some(draft),
        None::<&()>,
    )
    .await
}
