//! Statements through the approval workflow (PRODUCT.md §10): a calculated (or rejected)
//! statement is submitted, which opens an approval request for its net amount — by the
//! default rules finance approves, and from 10,000 a second, different finance approver
//! too; nobody decides their own request. The final approval makes the statement
//! approved: immutable from then on (a re-close corrects it only by adjustment lines in a
//! later period) and announced to the partner (`statement.ready`). A rejection sends it
//! back: the next close recalculates it.

use tributary_domain::approval::ApprovalSubject;
use tributary_domain::money::group_thousands;
use tributary_domain::role::Role;
use tributary_store::audit::Actor;
use tributary_store::repo::approvals::{self, ApprovalRequest};
use tributary_store::repo::events;
use tributary_store::repo::statements::{self, Statement, StatementStatus};
use tributary_store::{Conn, Scope};

use crate::error::{AppError, AppResult};
use crate::services::approvals::{NewApproval, Outcome, Verdict, decide as decide_request, open};
use crate::services::incentives::close::write::statement_event;
use crate::services::record;

/// Moves `current` to `to` and audits it; a concurrent change is a conflict.
async fn move_to(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &Statement,
    to: StatementStatus,
    action: &str,
) -> AppResult<Statement> {
    let next = statements::transition(conn, current, to)
        .await?
        .ok_or_else(|| AppError::Conflict("the statement changed meanwhile; reload and try again".into()))?;
    record(
        conn,
        actor,
        action,
        "statement",
        &current.id,
        Some(current),
        Some(&next),
    )
    .await?;
    Ok(next)
}

/// Submits `statement` for approval: opens the request (for its net) and marks it
/// awaiting approval.
pub async fn submit(conn: &mut Conn<'_>, actor: &Actor, statement: &Statement) -> AppResult<ApprovalRequest> {
    if !statement.status.is_open() {
        return Err(AppError::Conflict(format!(
            "a statement that is {} cannot be submitted; only calculated or rejected statements are",
            statement.status.label().to_lowercase()
        )));
    }
    let summary = format!(
        "{} statement of {}: net {} {}",
        statement.period_key,
        statement.partner_name,
        group_thousands(&statement.net.to_string()),
        statement.currency
    );
    let request = open(
        conn,
        actor,
        NewApproval {
            subject: ApprovalSubject::Statement,
            subject_id: &statement.id,
            partner_id: Some(&statement.partner_id),
            requested_by: actor.user_id.as_deref(),
            summary,
            amount: Some(statement.net),
            currency: Some(&statement.currency),
        },
    )
    .await?;
    move_to(
        conn,
        actor,
        statement,
        StatementStatus::PendingApproval,
        "statement.submitted",
    )
    .await?;
    Ok(request)
}

/// Decides the open approval request of statement `id` and applies the outcome: approved
/// (immutable, `statement.ready` announced), rejected, or still awaiting a further step.
pub async fn decide(
    conn: &mut Conn<'_>,
    actor: &Actor,
    role: Role,
    id: &str,
    verdict: Verdict,
    comment: Option<&str>,
) -> AppResult<(Outcome, Statement)> {
    let statement = super::get(conn, &Scope::All, id).await?;
    if statement.status != StatementStatus::PendingApproval {
        return Err(AppError::Conflict(format!(
            "the statement is {}, not awaiting approval",
            statement.status.label().to_lowercase()
        )));
    }
    let note = comment.map(str::trim).filter(|c| !c.is_empty());
    if verdict == Verdict::Reject && note.is_none() {
        return Err(AppError::field("comment", "say why the statement is rejected"));
    }
    let request = approvals::open_for(conn, ApprovalSubject::Statement.as_str(), id)
        .await?
        .ok_or_else(|| AppError::Conflict("the statement has no open approval request".into()))?;
    let outcome = decide_request(conn, actor, role, &request, verdict, note).await?;
    let after = match &outcome {
        Outcome::Approved => {
            let approved = move_to(conn, actor, &statement, StatementStatus::Approved, "statement.approved").await?;
            events::insert_many(conn, &[statement_event("statement.ready", &approved)]).await?;
            approved
        }
        Outcome::Rejected => move_to(conn, actor, &statement, StatementStatus::Rejected, "statement.rejected").await?,
        Outcome::Advanced { .. } => statement,
    };
    Ok((outcome, after))
}
