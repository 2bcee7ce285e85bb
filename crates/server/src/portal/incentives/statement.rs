//! One statement's page, shared by the vendor and the partner (a partner only ever sees
//! its own; another's is not found): the header (period, currency, status, payable on,
//! paid) and one section per line with its explanation — the measure and its transactions,
//! each band's arithmetic, multiplier, cap, carry, the FX rate with its date, gross,
//! withholding and net — adjustment lines naming the period they correct and claim lines
//! linking the claim, with the transactions behind each line a click away.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use tributary_domain::incentives::Plan;
use tributary_store::repo::incentive_plans;
use tributary_store::repo::statements::{self, LineKind, Statement, StatementLine};

use super::super::form::FormState;
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond};
use super::explain::{Explanation, explain};
use super::{EARNINGS, PLANS, STATEMENTS, StatementRow, amount_text, section, tabs};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// Statement `id` if the caller may read it (a partner: only its own organisation's).
pub async fn load(state: &AppState, caller: &Caller, id: &str) -> AppResult<Statement> {
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    statements::get(&mut pooled.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("statement"))
}

/// A statement line as its section shows it.
#[derive(Debug, Serialize)]
struct LineView {
    line_no: i64,
    kind: &'static str,
    kind_label: &'static str,
    description: String,
    plan_name: Option<String>,
    plan_href: Option<String>,
    plan_version: Option<i64>,
    adjusts_period_key: Option<String>,
    adjusts_href: Option<String>,
    claim_href: Option<String>,
    claim_label: Option<String>,
    gross: String,
    withholding: String,
    net: String,
    explanation: Option<Explanation>,
    transactions_href: Option<String>,
}

/// The plan versions the lines were calculated with, by (plan, version).
async fn plan_versions(state: &AppState, lines: &[StatementLine]) -> AppResult<HashMap<(String, i64), Plan>> {
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut plans = HashMap::new();
    for line in lines {
        if let (Some(plan_id), Some(version)) = (&line.plan_id, line.plan_version)
            && !plans.contains_key(&(plan_id.clone(), version))
            && let Some(found) = incentive_plans::version(&mut conn, plan_id, version).await?
        {
            plans.insert((plan_id.clone(), version), found.definition);
        }
    }
    Ok(plans)
}

async fn line_views(state: &AppState, statement: &Statement, lines: Vec<StatementLine>) -> AppResult<Vec<LineView>> {
    let plans = plan_versions(state, &lines).await?;
    let mut corrected: HashMap<String, Option<String>> = HashMap::new();
    {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        for key in lines.iter().filter_map(|l| l.adjusts_period_key.as_ref()) {
            if !corrected.contains_key(key) {
                let found = statements::for_partner_period(&mut conn, &statement.partner_id, key).await?;
                corrected.insert(key.clone(), found.map(|s| format!("{STATEMENTS}/{}", s.id)));
            }
        }
    }
    Ok(lines
        .into_iter()
        .map(|line| {
            let plan = match (&line.plan_id, line.plan_version) {
                (Some(id), Some(version)) => plans.get(&(id.clone(), version)),
                _ => None,
            };
            LineView {
                line_no: line.line_no,
                kind: line.kind.as_str(),
                kind_label: line.kind.label(),
                plan_name: plan.map(|p| p.name.clone()),
                plan_href: line.plan_id.as_ref().map(|id| format!("{PLANS}/{id}")),
                plan_version: line.plan_version,
                adjusts_href: line
                    .adjusts_period_key
                    .as_ref()
                    .and_then(|key| corrected.get(key).cloned().flatten()),
                adjusts_period_key: line.adjusts_period_key.clone(),
                claim_href: line.claim_id.as_ref().map(|id| format!("/incentives/claims/{id}")),
                claim_label: line.claim_id.as_ref().map(|_| line.description.clone()),
                gross: amount_text(line.gross, &line.unit),
                withholding: amount_text(line.withholding, &line.unit),
                net: amount_text(line.net, &line.unit),
                explanation: line.settlement.as_ref().map(|s| explain(s, plan)),
                transactions_href: (line.kind != LineKind::Claim && line.plan_id.is_some())
                    .then(|| format!("{STATEMENTS}/{}/lines/{}/transactions", statement.id, line.line_no)),
                description: line.description,
            }
        })
        .collect())
}

/// The statement's page with `message` (of an action) shown at the top.
pub async fn statement_page(
    state: &AppState,
    caller: &Caller,
    statement: Statement,
    message: Option<(&'static str, String)>,
    status: StatusCode,
) -> AppResult<Response> {
    let lines = {
        let mut pooled = state.db.acquire().await?;
        statements::lines(&mut pooled.conn(), &statement.id).await?
    };
    let lines = line_views(state, &statement, lines).await?;
    let may_submit = !caller.is_partner()
        && statement.status.is_open()
        && authorize(caller, Resource::Statements, Access::Write).is_ok();
    let (back_href, back_label) = if caller.is_partner() {
        (EARNINGS, "Earnings")
    } else {
        (STATEMENTS, "Statements")
    };
    let (message_kind, message) = message.map_or((None, None), |(kind, text)| (Some(kind), Some(text)));
    render_status(
        state,
        status,
        "incentives/statement.html",
        minijinja::context! {
            chrome => Chrome::of(caller, section(caller)),
            tabs => tabs(caller, if caller.is_partner() { EARNINGS } else { STATEMENTS }),
            statement => StatementRow::of(&statement),
            decision => FormState::new(HashMap::<String, String>::new()).prefixed("d-"),
            lines, may_submit, back_href, back_label, message_kind, message,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let statement = load(&state, &caller, &id).await?;
        statement_page(&state, &caller, statement, None, StatusCode::OK).await
    })
    .await
}
