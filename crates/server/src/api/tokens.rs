//! `/api/v1/tokens`: the caller's API tokens (administrators see and revoke all).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use tributary_domain::role::Role;
use tributary_store::repo::api_tokens::{self, ApiToken};
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::tokens::{self as service, TokenInput};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: ApiToken,
    /// The secret to send as `Authorization: Bearer …`. Shown only once.
    pub secret: String,
}

#[utoipa::path(get, operation_id = "tokens_list", path = "/api/v1/tokens", tag = "identity",
    responses((status = 200, body = Vec<ApiToken>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<ApiToken>>> {
    authorize(&caller, Resource::OwnAccount, Access::Read)?;
    let owner = (caller.role != Role::Admin).then_some(caller.user.id.as_str());
    let mut pooled = state.db.acquire().await?;
    Ok(Json(api_tokens::list(&mut pooled.conn(), owner).await?))
}

pub async fn create_token(state: &AppState, caller: &Caller, input: &TokenInput) -> AppResult<CreatedToken> {
    authorize(caller, Resource::OwnAccount, Access::Write)?;
    crate::policy::may_grant_scopes(caller, &input.scopes)?;
    let mut tx = state.db.begin().await?;
    let (token, secret) = service::create(&mut tx.conn(), &caller.actor(), &caller.user.id, input).await?;
    tx.commit().await?;
    Ok(CreatedToken { token, secret })
}

#[utoipa::path(post, operation_id = "tokens_create", path = "/api/v1/tokens", tag = "identity", request_body = TokenInput,
    responses((status = 201, body = CreatedToken), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TokenInput>,
) -> AppResult<(StatusCode, Json<CreatedToken>)> {
    Ok((StatusCode::CREATED, Json(create_token(&state, &caller, &input).await?)))
}

pub async fn revoke_token(state: &AppState, caller: &Caller, id: &str) -> AppResult<()> {
    authorize(caller, Resource::OwnAccount, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let token = api_tokens::get(&mut tx.conn(), id)
        .await?
        .filter(|t| t.user_id == caller.user.id || caller.role == Role::Admin)
        .ok_or_else(|| AppError::not_found("token"))?;
    service::revoke(&mut tx.conn(), &caller.actor(), &token).await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(delete, operation_id = "tokens_revoke", path = "/api/v1/tokens/{id}", tag = "identity", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<StatusCode> {
    revoke_token(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
