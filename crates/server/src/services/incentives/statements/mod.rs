//! Incentive statements as their readers see them: a partner only its own organisation's
//! (not even a distributor its resellers' — payouts are private to each organisation),
//! channel managers their partners', finance and administrators everyone's. A statement
//! comes with its lines and each line's explanation ([`detail`]); the facts behind an
//! earning line are re-selected on demand ([`drilldown`]); statements export as CSV and
//! JSON ([`export`]); they are submitted for approval and decided through the approval
//! workflow ([`approval`]); and the earnings overview and spend report read them
//! ([`reports`]).

pub mod approval;
pub mod drilldown;
pub mod export;
pub mod reports;

use serde::Serialize;
use tributary_store::repo::statements::{self, Statement, StatementLine};
use tributary_store::{Conn, Scope};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::Grant;

/// The statements `caller` may see under `grant`: partner roles their own organisation's only.
pub fn statement_scope(caller: &Caller, grant: &Grant) -> Scope {
    match caller.own_partner_id().filter(|_| caller.is_partner()) {
        Some(own) => Scope::Partners(vec![own.to_string()]),
        None if caller.is_partner() => Scope::Partners(Vec::new()),
        None => grant.scope.clone(),
    }
}

/// A statement with its lines (each earning line carrying its whole settlement).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatementDetail {
    #[serde(flatten)]
    pub statement: Statement,
    pub lines: Vec<StatementLine>,
}

/// Statement `id` if it is visible in `scope` (else not found: its existence is not revealed).
pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> AppResult<Statement> {
    statements::get(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("statement"))
}

/// Statement `id` with its lines, if it is visible in `scope`.
pub async fn detail(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> AppResult<StatementDetail> {
    let statement = get(conn, scope, id).await?;
    let lines = statements::lines(conn, &statement.id).await?;
    Ok(StatementDetail { statement, lines })
}
