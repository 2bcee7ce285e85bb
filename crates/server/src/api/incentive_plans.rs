//! `/api/v1/incentive-plans`: incentive plans as drafts and published versions. A plan is
//! created as a draft (the body is the plan definition); a published plan changes only by
//! publishing a draft copied from it, which becomes its next version. Partners read
//! published plans only — never drafts.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tributary_domain::incentives::{Plan, PlanKind};
use tributary_store::repo::incentive_plans::{self, PlanFilter, PlanStatus, PlanVersion, StoredPlan};
use utoipa::IntoParams;

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::plans;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// commission, rebate, bonus, spiff or points.
    pub kind: Option<String>,
    /// `draft` or `published` (partners see published plans only).
    pub status: Option<String>,
}

impl PlanQuery {
    pub fn filter(&self) -> AppResult<PlanFilter> {
        let text = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        Ok(PlanFilter {
            kind: text(&self.kind)
                .map(|k| PlanKind::parse(&k))
                .transpose()
                .map_err(|m| AppError::field("kind", m))?,
            status: text(&self.status)
                .map(|s| PlanStatus::parse(&s))
                .transpose()
                .map_err(|m| AppError::field("status", m))?,
        })
    }
}

/// The plans `caller` may read (partners: published plans only).
pub async fn visible_plans(state: &AppState, caller: &Caller, filter: &PlanFilter) -> AppResult<Vec<StoredPlan>> {
    authorize(caller, Resource::IncentivePlans, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    plans::list(&mut pooled.conn(), filter, caller.is_partner()).await
}

/// Plan `id` if `caller` may read it (a draft is not found for partners).
pub async fn visible_plan(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredPlan> {
    authorize(caller, Resource::IncentivePlans, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    if caller.is_partner() {
        plans::get_published(&mut pooled.conn(), id).await
    } else {
        plans::get(&mut pooled.conn(), id).await
    }
}

#[utoipa::path(get, operation_id = "incentive_plans_list", path = "/api/v1/incentive-plans", tag = "incentives", params(PlanQuery),
    responses((status = 200, body = Vec<StoredPlan>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PlanQuery>,
) -> AppResult<Json<Vec<StoredPlan>>> {
    Ok(Json(visible_plans(&state, &caller, &query.filter()?).await?))
}

#[utoipa::path(get, operation_id = "incentive_plans_get", path = "/api/v1/incentive-plans/{id}", tag = "incentives", params(("id" = String, Path)),
    responses((status = 200, body = StoredPlan), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<StoredPlan>> {
    Ok(Json(visible_plan(&state, &caller, &id).await?))
}

#[utoipa::path(get, operation_id = "incentive_plans_versions", path = "/api/v1/incentive-plans/{id}/versions", tag = "incentives", params(("id" = String, Path)),
    responses((status = 200, body = Vec<PlanVersion>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<PlanVersion>>> {
    visible_plan(&state, &caller, &id).await?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(incentive_plans::versions(&mut pooled.conn(), &id).await?))
}

/// Saves a plan: a new draft (`id` absent) or the draft `id`.
pub async fn save(state: &AppState, caller: &Caller, id: Option<&str>, input: &Plan) -> AppResult<StoredPlan> {
    authorize(caller, Resource::IncentivePlans, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let saved = match id {
        None => plans::create_draft(&mut tx.conn(), &caller.actor(), input).await?,
        Some(id) => {
            let current = plans::get(&mut tx.conn(), id).await?;
            plans::update_draft(&mut tx.conn(), &caller.actor(), &current, input).await?
        }
    };
    tx.commit().await?;
    Ok(saved)
}

#[utoipa::path(post, operation_id = "incentive_plans_create", path = "/api/v1/incentive-plans", tag = "incentives", request_body = Plan,
    responses((status = 201, body = StoredPlan), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<Plan>,
) -> AppResult<(StatusCode, Json<StoredPlan>)> {
    Ok((StatusCode::CREATED, Json(save(&state, &caller, None, &input).await?)))
}

#[utoipa::path(put, operation_id = "incentive_plans_update", path = "/api/v1/incentive-plans/{id}", tag = "incentives", params(("id" = String, Path)), request_body = Plan,
    responses((status = 200, body = StoredPlan), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Plan>,
) -> AppResult<Json<StoredPlan>> {
    Ok(Json(save(&state, &caller, Some(&id), &input).await?))
}

/// Runs `action` on plan `id` in a write transaction.
async fn with_plan<T>(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: impl AsyncFnOnce(&mut tributary_store::Conn<'_>, &StoredPlan) -> AppResult<T>,
) -> AppResult<T> {
    authorize(caller, Resource::IncentivePlans, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let current = plans::get(&mut tx.conn(), id).await?;
    let result = action(&mut tx.conn(), &current).await?;
    tx.commit().await?;
    Ok(result)
}

/// Discards draft `id`.
pub async fn discard_draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<()> {
    let actor = caller.actor();
    with_plan(state, caller, id, async |conn, current| {
        plans::discard_draft(conn, &actor, current).await
    })
    .await
}

/// Copies published plan `id` into a new draft.
pub async fn copy_to_draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredPlan> {
    let actor = caller.actor();
    with_plan(state, caller, id, async |conn, current| {
        plans::copy_to_draft(conn, &actor, current).await
    })
    .await
}

/// Publishes draft `id` (a new plan, or the next version of the plan it was copied from).
pub async fn publish_draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredPlan> {
    let actor = caller.actor();
    with_plan(state, caller, id, async |conn, current| {
        plans::publish(conn, &actor, current).await
    })
    .await
}

#[utoipa::path(delete, operation_id = "incentive_plans_discard", path = "/api/v1/incentive-plans/{id}", tag = "incentives", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn discard(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<StatusCode> {
    discard_draft(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "incentive_plans_draft", path = "/api/v1/incentive-plans/{id}/drafts", tag = "incentives", params(("id" = String, Path)),
    responses((status = 201, body = StoredPlan), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn draft(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<StoredPlan>)> {
    Ok((StatusCode::CREATED, Json(copy_to_draft(&state, &caller, &id).await?)))
}

#[utoipa::path(post, operation_id = "incentive_plans_publish", path = "/api/v1/incentive-plans/{id}/publish", tag = "incentives", params(("id" = String, Path)),
    responses((status = 200, body = StoredPlan), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<StoredPlan>> {
    Ok(Json(publish_draft(&state, &caller, &id).await?))
}
