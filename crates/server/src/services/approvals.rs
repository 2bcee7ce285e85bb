//! Approval workflows (PRODUCT.md §10): requests opened by the capability that needs a
//! yes (deal registrations now), decided step by step by the roles the program's rules
//! name, never by the requester, with each step's SLA watched by the scheduler (an
//! `approval.overdue` event per late step). The owning capability applies the final
//! outcome.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tributary_domain::approval::{ApprovalRules, ApprovalStep, ApprovalSubject, may_decide};
use tributary_domain::role::Role;
use tributary_store::audit::Actor;
use tributary_store::repo::approvals::{self, ApprovalDecision, ApprovalFilter, ApprovalRequest};
use tributary_store::repo::events::{self, Event};
use tributary_store::repo::settings;
use tributary_store::{Conn, Db, Scope, time};
use utoipa::ToSchema;

use super::record;
use crate::error::{AppError, AppResult, internal};

const RULES_SETTING: &str = "approval_rules";

/// The program's approval rules (the defaults until an administrator saves some).
pub async fn rules(conn: &mut Conn<'_>) -> AppResult<ApprovalRules> {
    match settings::get(conn, RULES_SETTING).await? {
        Some(json) => serde_json::from_str(&json).map_err(internal),
        None => Ok(ApprovalRules::default()),
    }
}

pub async fn save_rules(conn: &mut Conn<'_>, actor: &Actor, new: &ApprovalRules) -> AppResult<ApprovalRules> {
    new.validate().map_err(AppError::Validation)?;
    let before = rules(conn).await?;
    let json = serde_json::to_string(new).map_err(internal)?;
    settings::put(conn, RULES_SETTING, &json, actor.user_id.as_deref()).await?;
    record(
        conn,
        actor,
        "approval_rules.saved",
        "setting",
        RULES_SETTING,
        Some(&before),
        Some(new),
    )
    .await?;
    Ok(new.clone())
}

/// What the owning capability asks approval for.
pub struct NewApproval<'a> {
    pub subject: ApprovalSubject,
    pub subject_id: &'a str,
    pub partner_id: Option<&'a str>,
    pub requested_by: Option<&'a str>,
    pub summary: String,
    pub amount: Option<Decimal>,
    pub currency: Option<&'a str>,
}

fn steps_of(request: &ApprovalRequest) -> AppResult<Vec<ApprovalStep>> {
    serde_json::from_str(&request.steps_json).map_err(internal)
}

fn due_after(step: &ApprovalStep, from: DateTime<Utc>) -> String {
    time::format_timestamp(from + chrono::Duration::hours(i64::from(step.sla_hours)))
}

pub async fn open(conn: &mut Conn<'_>, actor: &Actor, new: NewApproval<'_>) -> AppResult<ApprovalRequest> {
    let steps = rules(conn).await?.steps_for(new.subject, new.amount);
    let now = Utc::now();
    let request = ApprovalRequest {
        id: tributary_domain::ids::new_id(),
        subject_type: new.subject.as_str().to_string(),
        subject_id: new.subject_id.to_string(),
        partner_id: new.partner_id.map(str::to_string),
        requested_by: new.requested_by.map(str::to_string),
        summary: new.summary,
        amount: new.amount.map(|a| a.to_string()),
        currency: new.currency.map(str::to_string),
        steps_json: serde_json::to_string(&steps).map_err(internal)?,
        current_step: 0,
        status: "pending".into(),
        due_at: due_after(&steps[0], now),
        reminded_at: None,
        created_at: time::format_timestamp(now),
        updated_at: time::format_timestamp(now),
    };
    approvals::insert(conn, &request).await?;
    record(
        conn,
        actor,
        "approval.opened",
        "approval",
        &request.id,
        None::<&()>,
        Some(&request),
    )
    .await?;
    Ok(request)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    Reject,
}

/// Where a decision leaves the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Approved at this step; the named step decides next.
    Advanced {
        next_step: String,
        of: usize,
    },
    Approved,
    Rejected,
}

/// Records `verdict` on the open request of a subject and moves it on.
pub async fn decide(
    conn: &mut Conn<'_>,
    actor: &Actor,
    role: Role,
    request: &ApprovalRequest,
    verdict: Verdict,
    comment: Option<&str>,
) -> AppResult<Outcome> {
    if request.status != "pending" {
        return Err(AppError::Conflict(format!("the request is already {}", request.status)));
    }
    let steps = steps_of(request)?;
    let index = request.current_step as usize;
    let step = steps.get(index).ok_or_else(|| internal("approval step out of range"))?;
    let decider = actor.user_id.clone().unwrap_or_default();
    let earlier: Vec<String> = approvals::decisions(conn, &request.id)
        .await?
        .into_iter()
        .filter(|d| d.step < request.current_step && d.decision == "approved")
        .filter_map(|d| d.decided_by)
        .collect();
    may_decide(step, role, &decider, request.requested_by.as_deref(), &earlier)
        .map_err(|r| AppError::Forbidden(r.to_string()))?;
    let now = Utc::now();
    approvals::insert_decision(
        conn,
        &ApprovalDecision {
            id: tributary_domain::ids::new_id(),
            request_id: request.id.clone(),
            step: request.current_step,
            decided_by: actor.user_id.clone(),
            decision: match verdict {
                Verdict::Approve => "approved",
                Verdict::Reject => "rejected",
            }
            .into(),
            comment: comment.map(str::to_string),
            decided_at: time::format_timestamp(now),
        },
    )
    .await?;
    let (outcome, step_number, status, due) = match verdict {
        Verdict::Reject => (
            Outcome::Rejected,
            request.current_step,
            "rejected",
            request.due_at.clone(),
        ),
        Verdict::Approve if index + 1 < steps.len() => (
            Outcome::Advanced {
                next_step: steps[index + 1].name.clone(),
                of: steps.len(),
            },
            request.current_step + 1,
            "pending",
            due_after(&steps[index + 1], now),
        ),
        Verdict::Approve => (
            Outcome::Approved,
            request.current_step,
            "approved",
            request.due_at.clone(),
        ),
    };
    if approvals::advance(conn, request, step_number, status, &due).await? != 1 {
        return Err(AppError::Conflict(
            "the request was decided meanwhile; reload and try again".into(),
        ));
    }
    let after = serde_json::json!({ "step": step.name, "verdict": verdict, "comment": comment, "status": status });
    record(
        conn,
        actor,
        "approval.decided",
        "approval",
        &request.id,
        Some(request),
        Some(&after),
    )
    .await?;
    Ok(outcome)
}

/// Whether `role` decides the request's current step (for "my queue").
pub fn actionable_by(request: &ApprovalRequest, role: Role) -> bool {
    steps_of(request)
        .ok()
        .and_then(|steps| {
            steps
                .get(request.current_step as usize)
                .map(|s| s.roles.contains(&role))
        })
        .unwrap_or(false)
}

/// Queues an `approval.overdue` event for every pending step past its SLA (once per step).
pub async fn remind_overdue(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let filter = ApprovalFilter {
        status: Some("pending".into()),
        overdue_at: Some(time::format_timestamp(now)),
        ..ApprovalFilter::default()
    };
    let overdue: Vec<ApprovalRequest> = approvals::list(&mut conn, &Scope::All, &filter)
        .await?
        .into_iter()
        .filter(|r| r.reminded_at.is_none())
        .collect();
    let at = time::format_timestamp(now);
    let mut reminders = Vec::new();
    for request in &overdue {
        approvals::mark_reminded(&mut conn, &request.id, &at).await?;
        reminders.push(Event {
            id: tributary_domain::ids::new_id(),
            kind: "approval.overdue".into(),
            partner_id: request.partner_id.clone(),
            subject_type: "approval".into(),
            subject_id: request.id.clone(),
            payload_json: serde_json::json!({
                "subject_type": request.subject_type, "subject_id": request.subject_id,
                "summary": request.summary, "step": request.current_step, "due_at": request.due_at,
            })
            .to_string(),
            created_at: at.clone(),
            delivered_at: None,
        });
    }
    events::insert_many(&mut conn, &reminders).await?;
    tx.commit().await?;
    Ok(reminders.len())
}
