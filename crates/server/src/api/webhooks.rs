//! `/api/v1/webhooks`: signed webhook endpoints. A partner administrator registers its
//! organisation's endpoints and sees only those; an administrator registers the vendor's
//! (which receive every partner's events) and sees all. The secret is returned only by
//! create and `rotate-secret`. `…/{id}/deliveries` shows what was sent and how it went.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tributary_store::Scope;
use tributary_store::repo::webhooks::{self, Delivery, WebhookEndpoint};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::webhooks::endpoints::{self, WebhookInput};
use crate::services::webhooks::redeliver::redeliver;
use crate::state::AppState;

/// An endpoint with its signing secret (shown once, on creation and rotation).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// Signs every delivery (`Tributary-Signature`); store it now, it is not shown again.
    pub secret: String,
}

/// The endpoints `caller` may see or change: a partner its own organisation's only (not a
/// distributor's resellers'), the vendor all of them.
fn endpoint_scope(caller: &Caller, access: Access) -> AppResult<Scope> {
    let grant = authorize(caller, Resource::Webhooks, access)?;
    Ok(match caller.own_partner_id() {
        Some(own) if caller.is_partner() => Scope::Partners(vec![own.to_string()]),
        _ => grant.scope,
    })
}

/// The endpoint `id` if the caller may see it (404 otherwise, never 403: another
/// organisation's endpoints do not exist for it).
pub async fn visible(state: &AppState, caller: &Caller, access: Access, id: &str) -> AppResult<WebhookEndpoint> {
    let scope = endpoint_scope(caller, access)?;
    let mut pooled = state.db.acquire().await?;
    webhooks::get(&mut pooled.conn(), &scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("webhook endpoint"))
}

pub async fn list_endpoints(state: &AppState, caller: &Caller) -> AppResult<Vec<WebhookEndpoint>> {
    let scope = endpoint_scope(caller, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(webhooks::list(&mut pooled.conn(), &scope).await?)
}

#[utoipa::path(get, operation_id = "webhooks_list", path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookEndpoint>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<WebhookEndpoint>>> {
    Ok(Json(list_endpoints(&state, &caller).await?))
}

/// Registers an endpoint for the caller's organisation (or the vendor's).
pub async fn register(state: &AppState, caller: &Caller, input: &WebhookInput) -> AppResult<WebhookWithSecret> {
    endpoint_scope(caller, Access::Write)?;
    let partner_id = caller
        .own_partner_id()
        .filter(|_| caller.is_partner())
        .map(str::to_string);
    let valid = input.validate(partner_id.is_some()).map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let (endpoint, secret) = endpoints::create(&mut tx.conn(), &caller.actor(), partner_id, valid).await?;
    tx.commit().await?;
    Ok(WebhookWithSecret { endpoint, secret })
}

#[utoipa::path(post, operation_id = "webhooks_create", path = "/api/v1/webhooks", tag = "webhooks", request_body = WebhookInput,
    responses((status = 201, body = WebhookWithSecret), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<WebhookInput>,
) -> AppResult<(StatusCode, Json<WebhookWithSecret>)> {
    Ok((StatusCode::CREATED, Json(register(&state, &caller, &input).await?)))
}

#[utoipa::path(get, operation_id = "webhooks_get", path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 200, body = WebhookEndpoint), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<WebhookEndpoint>> {
    Ok(Json(visible(&state, &caller, Access::Read, &id).await?))
}

pub async fn change(state: &AppState, caller: &Caller, id: &str, input: &WebhookInput) -> AppResult<WebhookEndpoint> {
    let current = visible(state, caller, Access::Write, id).await?;
    let valid = input
        .validate(current.partner_id.is_some())
        .map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let updated = endpoints::update(&mut tx.conn(), &caller.actor(), &current, valid).await?;
    tx.commit().await?;
    Ok(updated)
}

#[utoipa::path(put, operation_id = "webhooks_update", path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = String, Path)), request_body = WebhookInput,
    responses((status = 200, body = WebhookEndpoint), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> AppResult<Json<WebhookEndpoint>> {
    Ok(Json(change(&state, &caller, &id, &input).await?))
}

pub async fn remove(state: &AppState, caller: &Caller, id: &str) -> AppResult<()> {
    let current = visible(state, caller, Access::Write, id).await?;
    let mut tx = state.db.begin().await?;
    endpoints::delete(&mut tx.conn(), &caller.actor(), &current).await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(delete, operation_id = "webhooks_delete", path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 204, description = "Removed with its delivery history"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<StatusCode> {
    remove(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn rotate(state: &AppState, caller: &Caller, id: &str) -> AppResult<WebhookWithSecret> {
    let endpoint = visible(state, caller, Access::Write, id).await?;
    let mut tx = state.db.begin().await?;
    let secret = endpoints::rotate_secret(&mut tx.conn(), &caller.actor(), &endpoint).await?;
    tx.commit().await?;
    Ok(WebhookWithSecret { endpoint, secret })
}

#[utoipa::path(post, operation_id = "webhooks_rotate_secret", path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 200, body = WebhookWithSecret, description = "The new secret; the old one stops signing at once"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<WebhookWithSecret>> {
    Ok(Json(rotate(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    /// How many of the newest (1..=1000, default 100).
    pub limit: Option<u64>,
}

/// The newest deliveries of an endpoint the caller may see.
pub async fn recent_deliveries(
    state: &AppState,
    caller: &Caller,
    id: &str,
    query: &DeliveryQuery,
) -> AppResult<Vec<Delivery>> {
    let status = query.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(status) = status
        && !["pending", "delivered", "failed"].contains(&status)
    {
        return Err(AppError::field("status", "must be pending, delivered or failed"));
    }
    let endpoint = visible(state, caller, Access::Read, id).await?;
    let mut pooled = state.db.acquire().await?;
    Ok(webhooks::deliveries(&mut pooled.conn(), &endpoint.id, status, query.limit.unwrap_or(100)).await?)
}

/// Queues a delivered or failed delivery of an endpoint the caller may change again.
pub async fn requeue(state: &AppState, caller: &Caller, id: &str, delivery_id: &str) -> AppResult<Delivery> {
    let endpoint = visible(state, caller, Access::Write, id).await?;
    let mut tx = state.db.begin().await?;
    let queued = redeliver(&mut tx.conn(), &caller.actor(), &endpoint, delivery_id).await?;
    tx.commit().await?;
    Ok(queued)
}

#[utoipa::path(post, operation_id = "webhooks_redeliver", path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    params(("id" = String, Path), ("delivery_id" = String, Path)),
    responses((status = 200, body = Delivery, description = "Queued again, due now, with a fresh retry schedule"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json", description = "Still queued")))]
pub async fn redeliver_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, delivery_id)): Path<(String, String)>,
) -> AppResult<Json<Delivery>> {
    Ok(Json(requeue(&state, &caller, &id, &delivery_id).await?))
}

#[utoipa::path(get, operation_id = "webhooks_deliveries", path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = String, Path), DeliveryQuery),
    responses((status = 200, body = Vec<Delivery>, description = "Newest first"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> AppResult<Json<Vec<Delivery>>> {
    Ok(Json(recent_deliveries(&state, &caller, &id, &query).await?))
}
