//! `/api/v1/reservations`: "is this account taken?", reserving customer accounts (alone or
//! with their subsidiaries and offices), renewing and releasing. Partners act for their own
//! organisation (a distributor also for its resellers); channel managers for the partners
//! they manage. Answers never name another partner.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tributary_domain::deals::reservation::{Availability, ReservationScope};
use tributary_domain::matching::{CustomerQuery, MatchClass, decide as classify_ranked};
use tributary_store::repo::reservations::{self, Reservation, ReservationFilter};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::conflict::reservations::{self as service, ReservationInput, acting_partner};
use crate::state::AppState;

/// Which account to check: by id, or by the customer's details (resolved by matching).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CheckRequest {
    pub account_id: Option<String>,
    pub customer: Option<CustomerQuery>,
    /// The partner asking; defaults to the caller's own organisation.
    pub partner_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckAnswer {
    /// The account the customer resolved to (absent when no account is a clear match).
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    /// `same` (a clear match or the account asked for), `uncertain` (several or weak
    /// candidates: ask your channel manager) or `none` (a new customer: nothing to reserve).
    pub resolution: String,
    /// Present when the account is known.
    pub availability: Option<Availability>,
}

/// The account a check is about and how it was resolved.
fn resolve(state: &AppState, request: &CheckRequest) -> AppResult<(Option<String>, &'static str)> {
    match (&request.account_id, &request.customer) {
        (Some(id), _) if !id.is_empty() => Ok((Some(id.clone()), "same")),
        (_, Some(customer)) if !customer.name.trim().is_empty() => {
            let found = state.customers.search(customer);
            let ranked: Vec<u16> = found.iter().map(|c| c.explanation.score).collect();
            Ok(match classify_ranked(&ranked, state.customers.thresholds) {
                MatchClass::Same => (found.first().map(|c| c.account_id.clone()), "same"),
                MatchClass::Review => (None, "uncertain"),
                MatchClass::Different => (None, "none"),
            })
        }
        (_, Some(_)) => Err(AppError::field("customer.name", "is required")),
        _ => Err(AppError::field(
            "account_id",
            "give an account id or the customer's details",
        )),
    }
}

pub async fn check_account(state: &AppState, caller: &Caller, request: &CheckRequest) -> AppResult<CheckAnswer> {
    let grant = authorize(caller, Resource::Reservations, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let partner = acting_partner(
        &mut conn,
        &grant.scope,
        request.partner_id.as_deref(),
        caller.own_partner_id(),
    )
    .await?;
    let (account_id, resolution) = resolve(state, request)?;
    let Some(account_id) = account_id else {
        return Ok(CheckAnswer {
            account_id: None,
            account_name: None,
            resolution: resolution.into(),
            availability: None,
        });
    };
    let availability = service::check(&mut conn, &partner, &account_id).await?;
    let account_name = tributary_store::repo::accounts::get(&mut conn, &account_id)
        .await?
        .map(|a| a.fields.name);
    Ok(CheckAnswer {
        account_id: Some(account_id),
        account_name,
        resolution: resolution.into(),
        availability: Some(availability),
    })
}

#[utoipa::path(post, operation_id = "reservations_check", path = "/api/v1/reservations/check", tag = "conflict", request_body = CheckRequest,
    responses((status = 200, body = CheckAnswer), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CheckRequest>,
) -> AppResult<Json<CheckAnswer>> {
    Ok(Json(check_account(&state, &caller, &request).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReservationQuery {
    pub partner_id: Option<String>,
    pub account_id: Option<String>,
    /// `active`, `released` or `expired`.
    pub status: Option<String>,
    /// Active reservations expiring on or before this date (YYYY-MM-DD).
    pub expiring_by: Option<String>,
}

#[utoipa::path(get, operation_id = "reservations_list", path = "/api/v1/reservations", tag = "conflict", params(ReservationQuery),
    responses((status = 200, body = Vec<Reservation>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReservationQuery>,
) -> AppResult<Json<Vec<Reservation>>> {
    let grant = authorize(&caller, Resource::Reservations, Access::Read)?;
    super::paging::check_dates(&[("expiring_by", &query.expiring_by)])?;
    let filter = ReservationFilter {
        partner_id: query.partner_id,
        account_id: query.account_id,
        status: query.status,
        expiring_by: query.expiring_by,
    };
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        reservations::list(&mut pooled.conn(), &grant.scope, &filter).await?,
    ))
}

pub async fn reserve_account(state: &AppState, caller: &Caller, input: &ReservationInput) -> AppResult<Reservation> {
    let grant = authorize(caller, Resource::Reservations, Access::Write)?;
    let scope = match input.scope.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => ReservationScope::parse(text).map_err(|m| AppError::field("scope", m))?,
        None => ReservationScope::Account,
    };
    let mut tx = state.db.begin().await?;
    let mut conn = tx.conn();
    let partner = acting_partner(
        &mut conn,
        &grant.scope,
        input.partner_id.as_deref(),
        caller.own_partner_id(),
    )
    .await?;
    let created = service::reserve(
        &mut conn,
        &caller.actor(),
        &partner,
        &input.account_id,
        scope,
        &state.config.reservation_rules,
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

#[utoipa::path(post, operation_id = "reservations_create", path = "/api/v1/reservations", tag = "conflict", request_body = ReservationInput,
    responses((status = 201, body = Reservation), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json", description = "Refused by a reservation rule; the message names the rule, never another partner"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ReservationInput>,
) -> AppResult<(StatusCode, Json<Reservation>)> {
    Ok((
        StatusCode::CREATED,
        Json(reserve_account(&state, &caller, &input).await?),
    ))
}

/// Renews (`renew == true`) or releases reservation `id`.
pub async fn change(state: &AppState, caller: &Caller, id: &str, renew: bool) -> AppResult<Reservation> {
    let grant = authorize(caller, Resource::Reservations, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let mut conn = tx.conn();
    let changed = if renew {
        service::renew(
            &mut conn,
            &caller.actor(),
            &grant.scope,
            id,
            &state.config.reservation_rules,
        )
        .await?
    } else {
        service::release(&mut conn, &caller.actor(), &grant.scope, id).await?
    };
    tx.commit().await?;
    Ok(changed)
}

#[utoipa::path(post, operation_id = "reservations_renew", path = "/api/v1/reservations/{id}/renew", tag = "conflict", params(("id" = String, Path)),
    responses((status = 200, body = Reservation), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn renew(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Reservation>> {
    Ok(Json(change(&state, &caller, &id, true).await?))
}

#[utoipa::path(post, operation_id = "reservations_release", path = "/api/v1/reservations/{id}/release", tag = "conflict", params(("id" = String, Path)),
    responses((status = 200, body = Reservation), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Reservation>> {
    Ok(Json(change(&state, &caller, &id, false).await?))
}
