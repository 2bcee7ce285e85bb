//! `/api/v1/segments`: saved partner filters. Members are listed with
//! `GET /api/v1/partners?segment_id=…`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tributary_domain::segment::SegmentInput;
use tributary_store::repo::segments::{self, Segment};

use super::extract::ApiJson;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services;
use crate::state::AppState;

#[utoipa::path(get, operation_id = "segments_list", path = "/api/v1/segments", tag = "segments",
    responses((status = 200, body = Vec<Segment>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<Segment>>> {
    authorize(&caller, Resource::Segments, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(segments::list(&mut pooled.conn()).await?))
}

#[utoipa::path(get, operation_id = "segments_get", path = "/api/v1/segments/{id}", tag = "segments", params(("id" = String, Path)),
    responses((status = 200, body = Segment), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<Segment>> {
    authorize(&caller, Resource::Segments, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        segments::get(&mut pooled.conn(), &id)
            .await?
            .ok_or_else(|| AppError::not_found("segment"))?,
    ))
}

pub async fn save_segment(
    state: &AppState,
    caller: &Caller,
    id: Option<&str>,
    input: &SegmentInput,
) -> AppResult<Segment> {
    authorize(caller, Resource::Segments, Access::Write)?;
    let fields = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let saved = match id {
        None => {
            services::segments::create(
                &mut tx.conn(),
                &caller.actor(),
                &tributary_domain::ids::new_id(),
                &fields,
            )
            .await?
        }
        Some(id) => {
            let current = segments::get(&mut tx.conn(), id)
                .await?
                .ok_or_else(|| AppError::not_found("segment"))?;
            services::segments::update(&mut tx.conn(), &caller.actor(), &current, &fields).await?
        }
    };
    tx.commit().await?;
    Ok(saved)
}

#[utoipa::path(post, operation_id = "segments_create", path = "/api/v1/segments", tag = "segments", request_body = SegmentInput,
    responses((status = 201, body = Segment), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<SegmentInput>,
) -> AppResult<(StatusCode, Json<Segment>)> {
    Ok((
        StatusCode::CREATED,
        Json(save_segment(&state, &caller, None, &input).await?),
    ))
}

#[utoipa::path(put, operation_id = "segments_update", path = "/api/v1/segments/{id}", tag = "segments", params(("id" = String, Path)), request_body = SegmentInput,
    responses((status = 200, body = Segment), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SegmentInput>,
) -> AppResult<Json<Segment>> {
    Ok(Json(save_segment(&state, &caller, Some(&id), &input).await?))
}

pub async fn delete_segment(state: &AppState, caller: &Caller, id: &str) -> AppResult<()> {
    authorize(caller, Resource::Segments, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let current = segments::get(&mut tx.conn(), id)
        .await?
        .ok_or_else(|| AppError::not_found("segment"))?;
    services::segments::delete(&mut tx.conn(), &caller.actor(), &current).await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(delete, operation_id = "segments_delete", path = "/api/v1/segments/{id}", tag = "segments", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<StatusCode> {
    delete_segment(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
