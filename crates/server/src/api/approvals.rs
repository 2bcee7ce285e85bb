//! `/api/v1/approvals`: the approval queue — requests awaiting a decision, with their
//! steps and decisions so far — single and bulk decisions (applied to the object through
//! its own capability, e.g. a deal registration becomes approved), and the program's
//! approval rules (`/api/v1/approval-rules`, edited by administrators).

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tributary_domain::approval::{ApprovalRules, ApprovalSubject};
use tributary_store::repo::approvals::{self, ApprovalDecision, ApprovalFilter, ApprovalRequest};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::approvals::{Verdict, actionable_by, rules, save_rules};
use crate::services::conflict::registrations::Action;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApprovalQuery {
    /// `pending` (default), `approved` or `rejected`.
    pub status: Option<String>,
    pub subject_type: Option<String>,
    pub partner_id: Option<String>,
    /// Only the requests whose current step the caller's role decides.
    pub mine: Option<bool>,
}

/// The queue `caller` may see.
pub async fn queue(state: &AppState, caller: &Caller, query: &ApprovalQuery) -> AppResult<Vec<ApprovalRequest>> {
    let grant = authorize(caller, Resource::Approvals, Access::Read)?;
    let filter = ApprovalFilter {
        status: Some(query.status.clone().unwrap_or_else(|| "pending".into())),
        subject_type: query.subject_type.clone(),
        partner_id: query.partner_id.clone(),
        overdue_at: None,
    };
    let mut pooled = state.db.acquire().await?;
    let found = approvals::list(&mut pooled.conn(), &grant.scope, &filter).await?;
    Ok(if query.mine.unwrap_or(false) {
        found.into_iter().filter(|r| actionable_by(r, caller.role)).collect()
    } else {
        found
    })
}

#[utoipa::path(get, operation_id = "approvals_list", path = "/api/v1/approvals", tag = "approvals", params(ApprovalQuery),
    responses((status = 200, body = Vec<ApprovalRequest>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ApprovalQuery>,
) -> AppResult<Json<Vec<ApprovalRequest>>> {
    Ok(Json(queue(&state, &caller, &query).await?))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApprovalDetail {
    #[serde(flatten)]
    pub request: ApprovalRequest,
    pub decisions: Vec<ApprovalDecision>,
}

#[utoipa::path(get, operation_id = "approvals_get", path = "/api/v1/approvals/{id}", tag = "approvals", params(("id" = String, Path)),
    responses((status = 200, body = ApprovalDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<ApprovalDetail>> {
    let grant = authorize(&caller, Resource::Approvals, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let request = approvals::get(&mut conn, &grant.scope, &id)
        .await?
        .ok_or_else(|| AppError::not_found("approval request"))?;
    let decisions = approvals::decisions(&mut conn, &id).await?;
    Ok(Json(ApprovalDetail { request, decisions }))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub decision: Verdict,
    /// Required when rejecting.
    pub comment: Option<String>,
}

/// Decides request `id` and applies the outcome to its object.
pub async fn decide_one(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &DecisionInput,
) -> AppResult<ApprovalRequest> {
    let grant = authorize(caller, Resource::Approvals, Access::Write)?;
    let request = {
        let mut pooled = state.db.acquire().await?;
        approvals::get(&mut pooled.conn(), &grant.scope, id)
            .await?
            .ok_or_else(|| AppError::not_found("approval request"))?
    };
    match ApprovalSubject::parse(&request.subject_type).map_err(crate::error::internal)? {
        ApprovalSubject::DealRegistration => {
            let action = match input.decision {
                Verdict::Approve => Action::Approve,
                Verdict::Reject => Action::Reject,
            };
            super::registrations::apply(state, caller, &request.subject_id, action, input.comment.as_deref()).await?;
        }
        ApprovalSubject::Statement => {
            // Authorised by the workflow's step (finance by default), like registrations.
            let mut tx = state.db.begin().await?;
            crate::services::incentives::statements::approval::decide(
                &mut tx.conn(),
                &caller.actor(),
                caller.role,
                &request.subject_id,
                input.decision,
                input.comment.as_deref(),
            )
            .await?;
            tx.commit().await?;
        }
        ApprovalSubject::Claim => {
            super::claims::decide(
                state,
                caller,
                &request.subject_id,
                input.decision,
                input.comment.as_deref(),
            )
            .await?;
        }
    }
    let mut pooled = state.db.acquire().await?;
    approvals::get(&mut pooled.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("approval request"))
}

#[utoipa::path(post, operation_id = "approvals_decide", path = "/api/v1/approvals/{id}/decision", tag = "approvals", params(("id" = String, Path)), request_body = DecisionInput,
    responses((status = 200, body = ApprovalRequest), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<Json<ApprovalRequest>> {
    Ok(Json(decide_one(&state, &caller, &id, &input).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BulkDecisionInput {
    pub ids: Vec<String>,
    pub decision: Verdict,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkOutcome {
    pub id: String,
    /// The request's status afterwards, when the decision was taken.
    pub status: Option<String>,
    /// Why this one was not decided.
    pub error: Option<String>,
}

#[utoipa::path(post, operation_id = "approvals_decide_bulk", path = "/api/v1/approvals/decisions", tag = "approvals", request_body = BulkDecisionInput,
    responses((status = 200, body = Vec<BulkOutcome>, description = "One outcome per id; each decision stands on its own"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn decide_bulk(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<BulkDecisionInput>,
) -> AppResult<Json<Vec<BulkOutcome>>> {
    authorize(&caller, Resource::Approvals, Access::Write)?;
    if input.ids.is_empty() || input.ids.len() > 500 {
        return Err(AppError::field("ids", "name between 1 and 500 requests"));
    }
    let single = DecisionInput {
        decision: input.decision,
        comment: input.comment.clone(),
    };
    let mut outcomes = Vec::new();
    for id in &input.ids {
        outcomes.push(match decide_one(&state, &caller, id, &single).await {
            Ok(request) => BulkOutcome {
                id: id.clone(),
                status: Some(request.status),
                error: None,
            },
            Err(AppError::Internal(reference)) => return Err(AppError::Internal(reference)),
            Err(error) => BulkOutcome {
                id: id.clone(),
                status: None,
                error: Some(error.problem().detail),
            },
        });
    }
    Ok(Json(outcomes))
}

#[utoipa::path(get, operation_id = "approval_rules_get", path = "/api/v1/approval-rules", tag = "approvals",
    responses((status = 200, body = ApprovalRules), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn get_rules(State(state): State<AppState>, caller: Caller) -> AppResult<Json<ApprovalRules>> {
    authorize(&caller, Resource::ApprovalRules, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(rules(&mut pooled.conn()).await?))
}

#[utoipa::path(put, operation_id = "approval_rules_put", path = "/api/v1/approval-rules", tag = "approvals", request_body = ApprovalRules,
    responses((status = 200, body = ApprovalRules), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn put_rules(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ApprovalRules>,
) -> AppResult<Json<ApprovalRules>> {
    authorize(&caller, Resource::ApprovalRules, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let saved = save_rules(&mut tx.conn(), &caller.actor(), &input).await?;
    tx.commit().await?;
    Ok(Json(saved))
}
