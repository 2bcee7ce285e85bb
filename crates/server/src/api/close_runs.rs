//! `/api/v1/close-runs`: period closes. `POST` starts the close of a period (every
//! published plan of its cadence) in the background and answers 202 with the run; the
//! caller polls `GET /api/v1/close-runs/{id}` for its phase, progress (done of total) and
//! outcome — the summary of what it wrote, or why it failed (a failed close writes no
//! statement). One close of a period runs at a time. Retrying a start with the same
//! `Idempotency-Key` returns the first run instead of starting another.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tributary_store::repo::close_runs::{self, CloseRun, CloseRunFilter, CloseStatus};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use super::idempotency;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::close::{closable_period, record_start, run_in_background};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloseRequest {
    /// The period to close: "2026-Q3" (quarter), "2026-09" (month) or "2026" (year).
    pub period: String,
}

#[utoipa::path(post, operation_id = "close_runs_start", path = "/api/v1/close-runs", tag = "incentives", request_body = CloseRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries of the same request safe")),
    responses((status = 202, body = CloseRun, description = "The close started; poll the run"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "A close of the period is already running"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn start(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    authorize(&caller, Resource::IncentiveClose, Access::Write)?;
    let key = idempotency::key(&headers)?;
    let request: CloseRequest = serde_json::from_slice(&body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => AppError::field("period", e.to_string()),
        _ => AppError::BadRequest(format!("the body is not valid JSON: {e}")),
    })?;
    let period = closable_period(&request.period, chrono::Utc::now().date_naive())?;
    let fingerprint = idempotency::fingerprint(&[b"POST /api/v1/close-runs", period.key().as_bytes()]);
    let actor = caller.actor();
    let mut tx = state.db.begin().await?;
    if let Some(key) = &key
        && let Some(replayed) = idempotency::claim(&state, &mut tx, &caller.user.id, key, &fingerprint).await?
    {
        return Ok(replayed);
    }
    let run = record_start(&mut tx.conn(), &actor, period).await?;
    let body = serde_json::to_string(&run).map_err(internal)?;
    if let Some(key) = &key {
        idempotency::complete(&mut tx.conn(), &caller.user.id, key, StatusCode::ACCEPTED, &body).await?;
    }
    tx.commit().await?;
    run_in_background(&state.db, &actor, &run);
    Ok((StatusCode::ACCEPTED, Json(run)).into_response())
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CloseRunQuery {
    pub period_key: Option<String>,
    /// running, succeeded or failed.
    pub status: Option<String>,
    /// How many of the newest runs (default 50, at most 1000).
    pub limit: Option<u64>,
}

/// The newest close runs matching the query.
pub async fn recent_runs(state: &AppState, caller: &Caller, query: &CloseRunQuery) -> AppResult<Vec<CloseRun>> {
    authorize(caller, Resource::IncentiveClose, Access::Read)?;
    let filter = CloseRunFilter {
        period_key: query.period_key.clone(),
        status: query
            .status
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(CloseStatus::parse)
            .transpose()
            .map_err(|m| AppError::field("status", m))?,
    };
    let mut pooled = state.db.acquire().await?;
    Ok(close_runs::list(&mut pooled.conn(), &filter, query.limit.unwrap_or(50)).await?)
}

#[utoipa::path(get, operation_id = "close_runs_list", path = "/api/v1/close-runs", tag = "incentives", params(CloseRunQuery),
    responses((status = 200, body = Vec<CloseRun>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CloseRunQuery>,
) -> AppResult<Json<Vec<CloseRun>>> {
    Ok(Json(recent_runs(&state, &caller, &query).await?))
}

/// Close run `id`.
pub async fn close_run(state: &AppState, caller: &Caller, id: &str) -> AppResult<CloseRun> {
    authorize(caller, Resource::IncentiveClose, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    close_runs::get(&mut pooled.conn(), id)
        .await?
        .ok_or_else(|| AppError::not_found("close run"))
}

#[utoipa::path(get, operation_id = "close_runs_get", path = "/api/v1/close-runs/{id}", tag = "incentives", params(("id" = String, Path)),
    responses((status = 200, body = CloseRun), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<CloseRun>> {
    Ok(Json(close_run(&state, &caller, &id).await?))
}
