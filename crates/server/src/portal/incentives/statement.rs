//! One statement's page, shared by the vendor and the partner (a partner only ever sees
//! its own organisation's; another's is not found): the header (period, currency, status,
//! payable on, paid) and one section per line with its explanation — the measure and its
//! transactions, each band's arithmetic, multiplier, cap, carry, the FX rate with its date,
//! gross, withholding and net — adjustment lines naming the period they correct, claim
//! lines linking the claim, and the transactions behind each line a click away (paged).
//! Vendor finance submits it for approval and approvers decide it here, through the
//! approval workflow; the downloads are the API's CSV and JSON.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tributary_domain::incentives::Plan;
use tributary_store::repo::incentive_plans;
use tributary_store::repo::statements::{self, LineKind, Statement, StatementLine};

use super::super::form::{Form, FormState};
use super::super::listing::Params;
use super::super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use super::approval::{self, ApprovalView};
use super::explain::{Explanation, exact_text, explain};
use super::{EARNINGS, PLANS, STATEMENTS, StatementRow, amount_text, section, tabs};
use crate::api::statements::{FactsQuery, line_facts, statement_detail, submit_statement};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::approvals::Verdict;
use crate::state::AppState;

/// Facts per page of a line's drill-down.
const FACTS_PAGE: u64 = 50;

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
    /// For an adjustment: what the corrected period's line had approved (its recalculation
    /// minus this line).
    approved_gross: Option<String>,
    approved_net: Option<String>,
    claim_href: Option<String>,
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

/// The recalculation behind an adjustment line.
fn adjusted(line: &StatementLine) -> Option<&tributary_domain::incentives::Settlement> {
    line.settlement.as_ref().filter(|_| line.kind == LineKind::Adjustment)
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
                approved_gross: adjusted(&line).map(|s| amount_text(s.gross - line.gross, &line.unit)),
                approved_net: adjusted(&line).map(|s| amount_text(s.net - line.net, &line.unit)),
                claim_href: line.claim_id.as_ref().map(|id| format!("/claims/{id}")),
                gross: amount_text(line.gross, &line.unit),
                withholding: amount_text(line.withholding, &line.unit),
                net: amount_text(line.net, &line.unit),
                explanation: line.settlement.as_ref().map(|s| explain(s, plan)),
                transactions_href: (line.kind != LineKind::Claim && line.plan_id.is_some())
                    .then(|| format!("{STATEMENTS}/{}/lines/{}/transactions", statement.id, line.id)),
                description: line.description,
            }
        })
        .collect())
}

/// What an action on the statement did, or why it was refused.
pub struct Notice {
    pub kind: &'static str,
    pub text: String,
}

/// The page of statement `id` with `notice` shown at the top, and the decision form's
/// values and errors.
async fn statement_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    notice: Option<Notice>,
    decision: FormState<HashMap<String, String>>,
    status: StatusCode,
) -> AppResult<Response> {
    let detail = statement_detail(state, caller, id).await?;
    let statement = detail.statement;
    let approval: Option<ApprovalView> = approval::view(state, caller, &statement).await?;
    let lines = line_views(state, &statement, detail.lines).await?;
    let may_submit = !caller.is_partner()
        && statement.status.is_open()
        && authorize(caller, Resource::Statements, Access::Write).is_ok();
    let (back_href, back_label, current) = if caller.is_partner() {
        (EARNINGS, "Earnings", EARNINGS)
    } else {
        (STATEMENTS, "Statements", STATEMENTS)
    };
    let download = |format: &str| format!("/api/v1/statements/{}/download?format={format}", statement.id);
    render_status(
        state,
        status,
        "incentives/statement.html",
        minijinja::context! {
            chrome => Chrome::of(caller, section(caller)),
            tabs => tabs(caller, current),
            statement => StatementRow::of(&statement),
            csv_href => download("csv"),
            json_href => download("json"),
            notice => notice.map(|n| minijinja::context! { kind => n.kind, text => n.text }),
            lines, may_submit, back_href, back_label, approval, decision,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let decision = FormState::new(HashMap::new()).prefixed("d-");
        statement_page(&state, &caller, &id, None, decision, StatusCode::OK).await
    })
    .await
}

/// The problem of a refused action as the page's notice, with its status.
fn refusal(error: AppError) -> AppResult<(StatusCode, Notice)> {
    let status = error.status();
    let text = match error {
        AppError::Validation(errors) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; "),
        AppError::Conflict(message) | AppError::Forbidden(message) | AppError::BadRequest(message) => message,
        other => return Err(other),
    };
    Ok((status, Notice { kind: "error", text }))
}

/// Submits the statement for approval.
pub async fn submit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let decision = FormState::new(HashMap::new()).prefixed("d-");
        match submit_statement(&state, &caller, &id).await {
            Ok(_) => see_other(&format!("{STATEMENTS}/{id}")),
            Err(AppError::NotFound(m)) => Err(AppError::NotFound(m)),
            Err(error) => {
                let (status, notice) = refusal(error)?;
                statement_page(&state, &caller, &id, Some(notice), decision, status).await
            }
        }
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub decision: String,
    pub comment: String,
}

/// Approves or rejects the statement's current approval step.
pub async fn decide(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let values = HashMap::from([("comment".to_string(), form.comment.clone())]);
        let statement = statement_detail(&state, &caller, &id).await?.statement;
        let verdict = match form.decision.as_str() {
            "approve" => Verdict::Approve,
            "reject" => Verdict::Reject,
            other => return Err(AppError::BadRequest(format!("'{other}' is not approve or reject"))),
        };
        let comment = Some(form.comment.trim().to_string()).filter(|c| !c.is_empty());
        match approval::decide(&state, &caller, &statement, verdict, comment).await {
            Ok(request) => {
                let text = match request.status.as_str() {
                    "approved" => "Approved: the statement is final and the partner is told it is ready.".to_string(),
                    "rejected" => "Rejected: the next close recalculates the statement.".to_string(),
                    _ => "Approved at this step; the next step decides now (another approver).".to_string(),
                };
                let notice = Notice { kind: "success", text };
                let decision = FormState::new(HashMap::new()).prefixed("d-");
                statement_page(&state, &caller, &id, Some(notice), decision, StatusCode::OK).await
            }
            Err(AppError::NotFound(m)) => Err(AppError::NotFound(m)),
            Err(error @ AppError::Validation(_)) => {
                let (status, form) = FormState::failed(values, error)?;
                statement_page(&state, &caller, &id, None, form.prefixed("d-"), status).await
            }
            Err(error) => {
                let (status, notice) = refusal(error)?;
                let decision = FormState::new(values).prefixed("d-");
                statement_page(&state, &caller, &id, Some(notice), decision, status).await
            }
        }
    })
    .await
}

/// One fact of a line's drill-down as the table shows it.
#[derive(Debug, Serialize)]
struct FactView {
    kind: String,
    fact_date: String,
    counted_on: String,
    role: Option<String>,
    product: String,
    customer_country: Option<String>,
    deal_registered: Option<bool>,
    quantity: Option<i64>,
    amount: Option<String>,
    rate: Option<String>,
    contribution: String,
}

/// The transactions behind a line, one page: the fragment htmx loads into the line's
/// section, or a page of its own without script.
pub async fn transactions(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path((id, line_id)): Path<(String, String)>,
    Query(query): Query<FactsQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    respond(&state, async {
        let query = FactsQuery {
            limit: Some(query.limit.unwrap_or(FACTS_PAGE)),
            cursor: query.cursor,
        };
        let facts = line_facts(&state, &caller, &id, &line_id, &query).await?;
        let here = format!("{STATEMENTS}/{id}/lines/{line_id}/transactions");
        let next_href = facts
            .next_cursor
            .as_ref()
            .map(|cursor| Params::default().href(&here, &[("cursor", Some(cursor))]));
        let places = if facts.items.iter().any(|f| f.amount.is_some()) {
            2
        } else {
            0
        };
        let rows: Vec<FactView> = facts
            .items
            .into_iter()
            .map(|f| FactView {
                product: [f.product_sku, f.product_family]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                amount: match (f.amount, &f.currency) {
                    (Some(amount), Some(currency)) => Some(amount_text(amount, currency)),
                    _ => None,
                },
                rate: f.rate.map(|r| exact_text(r, 0)),
                contribution: exact_text(f.contribution, places),
                kind: f.kind,
                fact_date: f.fact_date,
                counted_on: f.counted_on,
                role: f.role,
                customer_country: f.customer_country,
                deal_registered: f.deal_registered,
                quantity: f.quantity,
            })
            .collect();
        let context = minijinja::context! {
            statement_href => format!("{STATEMENTS}/{id}"),
            count => facts.count,
            measure => exact_text(facts.measure, places),
            rows, next_href,
        };
        if headers.contains_key("hx-request") {
            render(&state, "incentives/transactions.html", context)
        } else {
            render(
                &state,
                "incentives/transactions_page.html",
                minijinja::context! {
                    chrome => Chrome::of(&caller, section(&caller)),
                    tabs => tabs(&caller, if caller.is_partner() { EARNINGS } else { STATEMENTS }),
                    ..context
                },
            )
        }
    })
    .await
}
