//! `/api/v1/registrations`: deal registration. Partners submit (a distributor also for its
//! resellers) and see their own with the decision's reason; channel managers review the
//! pending ones with the scored candidate accounts, approve or reject, extend protection;
//! partners report won (with what was sold, recorded as sales facts) or lost.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tributary_domain::deals::registration::RegistrationInput;
use tributary_store::repo::registrations::{self, Registration, RegistrationFilter};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, internal};
use crate::policy::{Access, Resource, authorize, may_review_registrations};
use crate::services::conflict::registrations::{self as service, Action, ScoredCandidate, WonInput};
use crate::services::conflict::reservations::acting_partner;
use crate::state::AppState;

pub async fn submit(state: &AppState, caller: &Caller, input: &RegistrationInput) -> AppResult<Registration> {
    let grant = authorize(caller, Resource::Registrations, Access::Write)?;
    let partner = {
        let mut pooled = state.db.acquire().await?;
        acting_partner(
            &mut pooled.conn(),
            &grant.scope,
            input.partner_id.as_deref(),
            caller.own_partner_id(),
        )
        .await?
    };
    service::register(
        &state.db,
        &state.customers,
        &state.config.registration_rules,
        &caller.actor(),
        &partner,
        input,
    )
    .await
}

#[utoipa::path(post, operation_id = "registrations_create", path = "/api/v1/registrations", tag = "conflict", request_body = RegistrationInput,
    responses((status = 201, body = Registration, description = "Submitted and decided: see `status` and `reason`"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> AppResult<(StatusCode, Json<Registration>)> {
    Ok((StatusCode::CREATED, Json(submit(&state, &caller, &input).await?)))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationQuery {
    pub partner_id: Option<String>,
    /// pending_review, approved, declined, rejected, won, lost or expired.
    pub status: Option<String>,
    pub account_id: Option<String>,
    pub country: Option<String>,
    /// Approved registrations whose protection ends on or before this date (YYYY-MM-DD).
    pub protected_until_by: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// created_at, status, expected_close or customer_name; `-` for descending.
    pub sort: Option<String>,
}

#[utoipa::path(get, operation_id = "registrations_list", path = "/api/v1/registrations", tag = "conflict", params(RegistrationQuery),
    responses((status = 200, body = List<Registration>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<RegistrationQuery>,
) -> AppResult<Json<List<Registration>>> {
    let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
    super::paging::check_dates(&[("protected_until_by", &query.protected_until_by)])?;
    let filter = RegistrationFilter {
        partner_id: query.partner_id.clone(),
        status: query.status.clone(),
        account_id: query.account_id.clone(),
        country: query.country.clone(),
        protected_until_by: query.protected_until_by.clone(),
    };
    let paging = Paging {
        limit: query.limit,
        cursor: query.cursor.clone(),
        sort: query.sort.clone(),
    };
    let request = paging.request(registrations::SORTABLE, "-created_at")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        registrations::list(&mut pooled.conn(), &grant.scope, &filter, &request)
            .await?
            .into(),
    ))
}

/// A registration with, for reviewers, the candidate accounts and their scores.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationDetail {
    #[serde(flatten)]
    pub registration: Registration,
    /// Only for vendor staff: partners never see other customers' accounts.
    pub candidates: Option<Vec<ScoredCandidate>>,
}

pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> AppResult<RegistrationDetail> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let registration = registrations::get(&mut pooled.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("registration"))?;
    let candidates = if caller.role.is_partner() {
        None
    } else {
        Some(serde_json::from_str(&registration.candidates_json).map_err(internal)?)
    };
    Ok(RegistrationDetail {
        registration,
        candidates,
    })
}

#[utoipa::path(get, operation_id = "registrations_get", path = "/api/v1/registrations/{id}", tag = "conflict", params(("id" = String, Path)),
    responses((status = 200, body = RegistrationDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<RegistrationDetail>> {
    Ok(Json(detail(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct Comment {
    /// Why (required when rejecting).
    pub comment: Option<String>,
}

/// Applies a review or lifecycle action; reviews are for vendor staff only.
pub async fn apply(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: Action,
    comment: Option<&str>,
) -> AppResult<Registration> {
    // Approval decisions are authorised by the workflow's steps (which may name roles that
    // only read registrations, such as finance); everything else needs write access.
    let decision = matches!(action, Action::Approve | Action::Reject);
    let access = if decision { Access::Read } else { Access::Write };
    let grant = authorize(caller, Resource::Registrations, access)?;
    if decision || action == Action::Extend {
        may_review_registrations(caller)?;
    }
    let mut tx = state.db.begin().await?;
    let who = service::Acting {
        actor: &caller.actor(),
        role: caller.role,
        scope: &grant.scope,
    };
    let changed = service::act(
        &mut tx.conn(),
        &who,
        &state.config.registration_rules,
        id,
        action,
        comment,
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

macro_rules! action_endpoint {
    ($name:ident, $operation:literal, $path:literal, $action:expr, $summary:literal) => {
        #[doc = $summary]
        #[utoipa::path(post, operation_id = $operation, path = $path, tag = "conflict", params(("id" = String, Path)), request_body = Comment,
            responses((status = 200, body = Registration), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            Path(id): Path<String>,
            ApiJson(body): ApiJson<Comment>,
        ) -> AppResult<Json<Registration>> {
            Ok(Json(apply(&state, &caller, &id, $action, body.comment.as_deref()).await?))
        }
    };
}

action_endpoint!(
    approve,
    "registrations_approve",
    "/api/v1/registrations/{id}/approve",
    Action::Approve,
    "Approves a pending registration (channel managers; never one's own)."
);
action_endpoint!(
    reject,
    "registrations_reject",
    "/api/v1/registrations/{id}/reject",
    Action::Reject,
    "Rejects a pending registration with a comment."
);
action_endpoint!(
    lost,
    "registrations_lost",
    "/api/v1/registrations/{id}/lost",
    Action::Lost,
    "Reports an approved registration lost."
);
action_endpoint!(
    request_extension,
    "registrations_request_extension",
    "/api/v1/registrations/{id}/extension-request",
    Action::RequestExtension,
    "Asks for the protection to be extended."
);
action_endpoint!(
    extend,
    "registrations_extend",
    "/api/v1/registrations/{id}/extend",
    Action::Extend,
    "Extends the protection by one period (channel managers)."
);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WonResult {
    pub registration: Registration,
    /// The sales facts recorded, flagged `deal_registered`.
    pub sales_fact_ids: Vec<String>,
}

/// Marks registration `id` won with what was sold, and keeps the customer index in step
/// when the customer became an account.
pub async fn mark_won(state: &AppState, caller: &Caller, id: &str, input: &WonInput) -> AppResult<WonResult> {
    let grant = authorize(caller, Resource::Registrations, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let (registration, sales_fact_ids, account) =
        service::won(&mut tx.conn(), &caller.actor(), &grant.scope, id, input).await?;
    tx.commit().await?;
    if let Some(account) = account {
        state.customers.upsert(&account);
    }
    Ok(WonResult {
        registration,
        sales_fact_ids,
    })
}

#[utoipa::path(post, operation_id = "registrations_won", path = "/api/v1/registrations/{id}/won", tag = "conflict", params(("id" = String, Path)), request_body = WonInput,
    responses((status = 200, body = WonResult), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn won(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WonInput>,
) -> AppResult<Json<WonResult>> {
    Ok(Json(mark_won(&state, &caller, &id, &input).await?))
}
