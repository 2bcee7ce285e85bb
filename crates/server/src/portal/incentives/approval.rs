//! A statement's approval as its page shows it: the steps of its latest approval request
//! (e.g. finance, then a second finance approver above the configured amount), who decided
//! each and when, and whether the caller may decide the current one — the domain's rule:
//! a role of the step, never one's own request, never a second step after deciding the
//! first. Decisions themselves go through the approval workflow ([`decide_one`]).

use std::collections::HashMap;

use serde::Serialize;
use tributary_domain::approval::{ApprovalStep, ApprovalSubject, may_decide};
use tributary_store::Scope;
use tributary_store::repo::approvals::{self, ApprovalDecision, ApprovalFilter, ApprovalRequest};
use tributary_store::repo::statements::Statement;
use tributary_store::repo::users;

use crate::api::approvals::{DecisionInput, decide_one};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::approvals::Verdict;
use crate::state::AppState;

/// One step of the request.
#[derive(Debug, Serialize)]
pub struct StepView {
    pub step: usize,
    pub name: String,
    /// Who may decide it ("Finance").
    pub roles: String,
    pub decision: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ApprovalView {
    pub status: String,
    pub amount: Option<String>,
    pub requested_by: Option<String>,
    pub steps: Vec<StepView>,
    /// The caller decides the current step.
    pub may_decide: bool,
}

/// The latest approval request of `statement`, if it was ever submitted.
async fn latest_request(state: &AppState, statement: &Statement) -> AppResult<Option<ApprovalRequest>> {
    let mut pooled = state.db.acquire().await?;
    let filter = ApprovalFilter {
        subject_type: Some(ApprovalSubject::Statement.as_str().to_string()),
        partner_id: Some(statement.partner_id.clone()),
        ..Default::default()
    };
    Ok(approvals::list(&mut pooled.conn(), &Scope::All, &filter)
        .await?
        .into_iter()
        .filter(|r| r.subject_id == statement.id)
        .max_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id))))
}

fn verdict_text(decision: &ApprovalDecision) -> String {
    match decision.decision.as_str() {
        "approved" => "Approved".into(),
        "rejected" => "Rejected".into(),
        other => other.to_string(),
    }
}

/// The approval of `statement` for a caller who may read approvals; `None` for other
/// callers and for a statement never submitted.
pub async fn view(state: &AppState, caller: &Caller, statement: &Statement) -> AppResult<Option<ApprovalView>> {
    if authorize(caller, Resource::Approvals, Access::Read).is_err() {
        return Ok(None);
    }
    let Some(request) = latest_request(state, statement).await? else {
        return Ok(None);
    };
    let steps: Vec<ApprovalStep> = serde_json::from_str(&request.steps_json).map_err(internal)?;
    let (decisions, names) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let decisions = approvals::decisions(&mut conn, &request.id).await?;
        let mut names: HashMap<String, String> = HashMap::new();
        for id in decisions
            .iter()
            .filter_map(|d| d.decided_by.as_ref())
            .chain(request.requested_by.as_ref())
        {
            if !names.contains_key(id)
                && let Some(user) = users::by_id(&mut conn, id).await?
            {
                names.insert(id.clone(), user.display_name);
            }
        }
        (decisions, names)
    };
    let name = |id: &Option<String>| {
        id.as_ref()
            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
    };
    let current = request.current_step as usize;
    let earlier: Vec<String> = decisions
        .iter()
        .filter(|d| (d.step as usize) < current && d.decision == "approved")
        .filter_map(|d| d.decided_by.clone())
        .collect();
    let may = request.status == "pending"
        && authorize(caller, Resource::Approvals, Access::Write).is_ok()
        && steps.get(current).is_some_and(|step| {
            may_decide(
                step,
                caller.role,
                &caller.user.id,
                request.requested_by.as_deref(),
                &earlier,
            )
            .is_ok()
        });
    let step_views = steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let decision = decisions.iter().rev().find(|d| d.step as usize == index);
            StepView {
                step: index + 1,
                name: step.name.clone(),
                roles: step.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(" or "),
                decision: decision.map(verdict_text),
                decided_by: decision.and_then(|d| name(&d.decided_by)),
                decided_at: decision.map(|d| d.decided_at.clone()),
                comment: decision.and_then(|d| d.comment.clone()),
            }
        })
        .collect();
    Ok(Some(ApprovalView {
        status: request.status.clone(),
        amount: request.amount.as_ref().map(|amount| {
            format!(
                "{} {}",
                tributary_domain::money::group_thousands(amount),
                request.currency.clone().unwrap_or_default()
            )
        }),
        requested_by: name(&request.requested_by),
        steps: step_views,
        may_decide: may,
    }))
}

/// Decides the current step of `statement`'s open approval request as the caller.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    statement: &Statement,
    verdict: Verdict,
    comment: Option<String>,
) -> AppResult<ApprovalRequest> {
    authorize(caller, Resource::Approvals, Access::Write)?;
    let request = latest_request(state, statement)
        .await?
        .filter(|r| r.status == "pending")
        .ok_or_else(|| AppError::Conflict("the statement is not awaiting approval".into()))?;
    decide_one(
        state,
        caller,
        &request.id,
        &DecisionInput {
            decision: verdict,
            comment,
        },
    )
    .await
}
