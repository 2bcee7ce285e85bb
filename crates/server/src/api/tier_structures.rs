//! `/api/v1/tier-structures`: tier structures as drafts and published versions, what-if
//! simulation of drafts, evaluations, and the program reports (distribution, at risk).
//! A structure is created as a draft; a published structure changes only by publishing a
//! draft copied from it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use tributary_domain::tiering::TierStructure;
use tributary_store::repo::tier_evaluations::{self, Evaluation};
use tributary_store::repo::tier_structures::{self, StoredStructure, StructureStatus, StructureVersion};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Caller;
use crate::error::{AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::evaluation::{self, EvaluationOutcome, Trigger};
use crate::services::tiering::reports::{self, AtRisk, Distribution};
use crate::services::tiering::simulation::{self, SimulationReport};
use crate::services::tiering::structures;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StructureQuery {
    /// `draft` or `published`.
    pub status: Option<String>,
}

#[utoipa::path(get, operation_id = "tier_structures_list", path = "/api/v1/tier-structures", tag = "tiers", params(StructureQuery),
    responses((status = 200, body = Vec<StoredStructure>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<StructureQuery>,
) -> AppResult<Json<Vec<StoredStructure>>> {
    authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let status = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(StructureStatus::parse)
        .transpose()
        .map_err(|m| crate::error::AppError::field("status", m))?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(tier_structures::list(&mut pooled.conn(), status).await?))
}

#[utoipa::path(get, operation_id = "tier_structures_get", path = "/api/v1/tier-structures/{id}", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = StoredStructure), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<StoredStructure>> {
    authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(structures::get(&mut pooled.conn(), &id).await?))
}

#[utoipa::path(get, operation_id = "tier_structures_versions", path = "/api/v1/tier-structures/{id}/versions", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<StructureVersion>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<StructureVersion>>> {
    authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    structures::get(&mut conn, &id).await?;
    Ok(Json(tier_structures::versions(&mut conn, &id).await?))
}

/// Saves a structure: a new draft (`id` absent) or the draft `id`.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    id: Option<&str>,
    input: &TierStructure,
) -> AppResult<StoredStructure> {
    authorize(caller, Resource::TierPrograms, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let saved = match id {
        None => structures::create_draft(&mut tx.conn(), &caller.actor(), input).await?,
        Some(id) => {
            let current = structures::get(&mut tx.conn(), id).await?;
            structures::update_draft(&mut tx.conn(), &caller.actor(), &current, input).await?
        }
    };
    tx.commit().await?;
    Ok(saved)
}

#[utoipa::path(post, operation_id = "tier_structures_create", path = "/api/v1/tier-structures", tag = "tiers", request_body = TierStructure,
    responses((status = 201, body = StoredStructure), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TierStructure>,
) -> AppResult<(StatusCode, Json<StoredStructure>)> {
    Ok((StatusCode::CREATED, Json(save(&state, &caller, None, &input).await?)))
}

#[utoipa::path(put, operation_id = "tier_structures_update", path = "/api/v1/tier-structures/{id}", tag = "tiers", params(("id" = String, Path)), request_body = TierStructure,
    responses((status = 200, body = StoredStructure), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TierStructure>,
) -> AppResult<Json<StoredStructure>> {
    Ok(Json(save(&state, &caller, Some(&id), &input).await?))
}

/// Runs `action` on structure `id` in a write transaction.
async fn with_structure<T>(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: impl AsyncFnOnce(&mut tributary_store::Conn<'_>, &StoredStructure) -> AppResult<T>,
) -> AppResult<T> {
    authorize(caller, Resource::TierPrograms, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let current = structures::get(&mut tx.conn(), id).await?;
    let result = action(&mut tx.conn(), &current).await?;
    tx.commit().await?;
    Ok(result)
}

pub async fn discard_draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<()> {
    let actor = caller.actor();
    with_structure(state, caller, id, async |conn, current| {
        structures::discard_draft(conn, &actor, current).await
    })
    .await
}

pub async fn copy_to_draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredStructure> {
    let actor = caller.actor();
    with_structure(state, caller, id, async |conn, current| {
        structures::copy_to_draft(conn, &actor, current).await
    })
    .await
}

pub async fn publish_draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredStructure> {
    let actor = caller.actor();
    with_structure(state, caller, id, async |conn, current| {
        structures::publish(conn, &actor, current).await
    })
    .await
}

#[utoipa::path(delete, operation_id = "tier_structures_discard", path = "/api/v1/tier-structures/{id}", tag = "tiers", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn discard(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<StatusCode> {
    discard_draft(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "tier_structures_draft", path = "/api/v1/tier-structures/{id}/drafts", tag = "tiers", params(("id" = String, Path)),
    responses((status = 201, body = StoredStructure), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn draft(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<StoredStructure>)> {
    Ok((StatusCode::CREATED, Json(copy_to_draft(&state, &caller, &id).await?)))
}

#[utoipa::path(post, operation_id = "tier_structures_publish", path = "/api/v1/tier-structures/{id}/publish", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = StoredStructure), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<StoredStructure>> {
    Ok(Json(publish_draft(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SimulateRequest {
    /// The rebate rate (percent of revenue) the level multipliers scale; default 2.
    #[schema(value_type = Option<String>)]
    pub base_rebate_percent: Option<Decimal>,
}

pub const DEFAULT_BASE_REBATE_PERCENT: Decimal = Decimal::TWO;

#[utoipa::path(post, operation_id = "tier_structures_simulate", path = "/api/v1/tier-structures/{id}/simulate", tag = "tiers", params(("id" = String, Path)), request_body = SimulateRequest,
    responses((status = 200, body = SimulationReport), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn simulate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SimulateRequest>,
) -> AppResult<Json<SimulationReport>> {
    let grant = authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let rate = request.base_rebate_percent.unwrap_or(DEFAULT_BASE_REBATE_PERCENT);
    Ok(Json(simulation::simulate(&state.db, &grant.scope, &id, rate).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EvaluateRequest {
    /// The evaluation date E (YYYY-MM-DD), on or before today.
    pub eval_date: NaiveDate,
}

#[utoipa::path(post, operation_id = "tier_structures_evaluate", path = "/api/v1/tier-structures/{id}/evaluations", tag = "tiers", params(("id" = String, Path)), request_body = EvaluateRequest,
    responses((status = 201, body = EvaluationOutcome, description = "Evaluated now"), (status = 200, body = EvaluationOutcome, description = "The date was already evaluated; nothing changed"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn evaluate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<EvaluateRequest>,
) -> AppResult<(StatusCode, Json<EvaluationOutcome>)> {
    authorize(&caller, Resource::TierPrograms, Access::Write)?;
    let outcome = evaluation::evaluate(
        &state.db,
        &caller.actor(),
        &id,
        request.eval_date,
        Trigger::Manual,
        |_, _| {},
    )
    .await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome)))
}

#[utoipa::path(get, operation_id = "tier_structures_evaluations", path = "/api/v1/tier-structures/{id}/evaluations", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Evaluation>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn evaluations(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Evaluation>>> {
    authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    structures::get(&mut conn, &id).await?;
    Ok(Json(tier_evaluations::list(&mut conn, &id).await?))
}

#[utoipa::path(get, operation_id = "tier_structures_distribution", path = "/api/v1/tier-structures/{id}/distribution", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = Distribution), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn distribution(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Distribution>> {
    let grant = authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let structure = structures::get(&mut conn, &id).await?;
    Ok(Json(reports::distribution(&mut conn, &grant.scope, &structure).await?))
}

#[utoipa::path(get, operation_id = "tier_structures_at_risk", path = "/api/v1/tier-structures/{id}/at-risk", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<AtRisk>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn at_risk(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<AtRisk>>> {
    let grant = authorize(&caller, Resource::TierPrograms, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let structure = structures::get(&mut conn, &id).await?;
    Ok(Json(reports::at_risk(&mut conn, &grant.scope, &structure).await?))
}
