//! The period close in the portal: start a close for a period typed or chosen ("2026-Q3"),
//! the close runs (filtered by period and status, newest first, CSV), and a run's page with
//! a progress bar that htmx refreshes every second until the close succeeds (what it wrote)
//! or fails (why — e.g. the missing exchange rate with its currency pair and date — and
//! that nothing was written). The close runs in the background through the same service
//! as the API and `tributary close`.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tributary_domain::incentives::{Period, PeriodKind};
use tributary_store::repo::close_runs::{CloseRun, CloseStatus};
use tributary_store::repo::users;

use super::super::form::{Form, FormState, choices, one};
use super::super::listing::{Listing, Params, plain};
use super::super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use super::super::tiers::{csv_of, csv_response};
use super::{CLOSE, PLANS, STATEMENTS, amount_text, tabs};
use crate::api::close_runs::{CloseRunQuery, close_run, recent_runs};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::close::{closable_period, spawn};
use crate::state::AppState;

/// Most runs the list shows.
const RUNS: u64 = 200;

use tributary_store::time::today;

/// The periods that ended last: the previous month, quarter and year.
fn suggestions(today: NaiveDate) -> Vec<String> {
    [PeriodKind::Quarter, PeriodKind::Month, PeriodKind::Year]
        .into_iter()
        .map(|kind| Period::containing(kind, today).previous().key())
        .collect()
}

/// A run as a row of the list and the head of its page.
#[derive(Debug, Serialize)]
struct RunView {
    id: String,
    period_key: String,
    period_start: String,
    period_end: String,
    status: &'static str,
    status_label: &'static str,
    phase: String,
    progress_done: i64,
    progress_total: i64,
    started_at: String,
    started_by: Option<String>,
    finished_at: Option<String>,
    error: Option<String>,
    /// What it wrote, or why it failed, in one sentence.
    outcome: String,
}

/// The earnings of one unit in a run's stored summary.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UnitTotal {
    lines: usize,
    gross: Decimal,
    withholding: Decimal,
    net: Decimal,
}

/// What a run's stored summary says (the close service's `CloseSummary` as stored JSON).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CloseSummary {
    plans: usize,
    eligible: usize,
    settlements: usize,
    earnings: BTreeMap<String, UnitTotal>,
    statements_created: usize,
    statements_recalculated: usize,
    statements_adjusted: usize,
    statements_removed: usize,
    adjustment_lines: usize,
    claims: usize,
}

fn summary_of(run: &CloseRun) -> Option<CloseSummary> {
    run.summary
        .as_ref()
        .and_then(|s| serde_json::from_value(s.clone()).ok())
}

fn outcome(run: &CloseRun) -> String {
    match (run.status, summary_of(run)) {
        (CloseStatus::Running, _) => format!("{} …", run.phase),
        (CloseStatus::Failed, _) => run.error.clone().unwrap_or_else(|| "failed".into()),
        (CloseStatus::Succeeded, Some(s)) => format!(
            "{} plan{}, {} earning line{}; {} statement{} created, {} recalculated{}",
            s.plans,
            if s.plans == 1 { "" } else { "s" },
            s.settlements,
            if s.settlements == 1 { "" } else { "s" },
            s.statements_created,
            if s.statements_created == 1 { "" } else { "s" },
            s.statements_recalculated,
            if s.adjustment_lines > 0 {
                format!(", {} adjustment line(s) posted", s.adjustment_lines)
            } else {
                String::new()
            }
        ),
        (CloseStatus::Succeeded, None) => "succeeded".into(),
    }
}

async fn names(state: &AppState, runs: &[CloseRun]) -> AppResult<HashMap<String, String>> {
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut found = HashMap::new();
    for id in runs.iter().filter_map(|r| r.started_by.as_ref()) {
        if !found.contains_key(id)
            && let Some(user) = users::by_id(&mut conn, id).await?
        {
            found.insert(id.clone(), user.display_name);
        }
    }
    Ok(found)
}

fn view(run: &CloseRun, names: &HashMap<String, String>) -> RunView {
    RunView {
        id: run.id.clone(),
        period_key: run.period_key.clone(),
        period_start: run.period_start.clone(),
        period_end: run.period_end.clone(),
        status: run.status.as_str(),
        status_label: run.status.label(),
        phase: run.phase.clone(),
        progress_done: run.progress_done,
        progress_total: run.progress_total,
        started_at: run.started_at.clone(),
        started_by: run.started_by.as_ref().and_then(|id| names.get(id).cloned()),
        finished_at: run.finished_at.clone(),
        error: run.error.clone(),
        outcome: outcome(run),
    }
}

/// The runs matching the page's filters, newest first.
async fn matching(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<CloseRun>> {
    let query = CloseRunQuery {
        period_key: params.get("period").map(|p| p.to_uppercase()),
        status: params.get("status").map(str::to_string),
        limit: Some(RUNS),
    };
    recent_runs(state, caller, &query).await
}

const COLUMNS: &[super::super::listing::Column] = &[
    plain("Period"),
    plain("Status"),
    plain("Started"),
    plain("By"),
    plain("Finished"),
    plain("Outcome"),
];

async fn close_page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    start: FormState<HashMap<String, String>>,
    status: StatusCode,
) -> AppResult<Response> {
    let runs = matching(state, caller, params).await?;
    let names = names(state, &runs).await?;
    let views: Vec<RunView> = runs.iter().map(|r| view(r, &names)).collect();
    let mut listing = Listing::new(CLOSE, params, "", COLUMNS).rows(views.len());
    listing.export_href = Some(params.filters().href(&format!("{CLOSE}.csv"), &[]));
    render_status(
        state,
        status,
        "incentives/close.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PLANS),
            tabs => tabs(caller, CLOSE),
            may_close => authorize(caller, Resource::IncentiveClose, Access::Write).is_ok(),
            suggestions => suggestions(today()),
            filters => FormState::new(params.values()).prefixed("q-"),
            statuses => choices(CloseStatus::ALL.iter().map(|s| (s.as_str(), s.label())), &one(params.get("status"))),
            runs => views,
            start, listing,
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let start = FormState::new(HashMap::new()).prefixed("c-");
        close_page(&state, &caller, &Params::of(&uri), start, StatusCode::OK).await
    })
    .await
}

/// The runs as CSV, with the page's filters.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let runs = matching(&state, &caller, &Params::of(&uri)).await?;
        let body = csv_of(
            &[
                "id",
                "period",
                "period_start",
                "period_end",
                "status",
                "started_at",
                "started_by",
                "finished_at",
                "error",
            ],
            runs.into_iter().map(|r| {
                vec![
                    r.id,
                    r.period_key,
                    r.period_start,
                    r.period_end,
                    r.status.as_str().to_string(),
                    r.started_at,
                    r.started_by.unwrap_or_default(),
                    r.finished_at.unwrap_or_default(),
                    r.error.unwrap_or_default(),
                ]
            }),
        )?;
        csv_response("close-runs.csv", body)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartForm {
    pub period: String,
}

/// Starts a close of the typed period in the background and shows its progress.
pub async fn start(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let typed = form.period.trim().to_string();
        let started = async {
            authorize(&caller, Resource::IncentiveClose, Access::Write)?;
            let period = closable_period(&typed, today())?;
            spawn(&state.db, &caller.actor(), period).await
        }
        .await;
        match started {
            Ok(run) => see_other(&format!("{CLOSE}/{}", run.id)),
            Err(error @ (AppError::Validation(_) | AppError::Conflict(_))) => {
                let values = HashMap::from([("period".to_string(), typed)]);
                let (status, form) = FormState::failed(values, error)?;
                close_page(&state, &caller, &Params::default(), form.prefixed("c-"), status).await
            }
            Err(error) => Err(error),
        }
    })
    .await
}

/// One line of what a close wrote.
#[derive(Debug, Serialize)]
struct Fact {
    label: String,
    text: String,
}

fn summary_facts(summary: &CloseSummary) -> Vec<Fact> {
    let mut facts = vec![
        Fact {
            label: "Plans closed".into(),
            text: summary.plans.to_string(),
        },
        Fact {
            label: "Eligible partner × plan".into(),
            text: summary.eligible.to_string(),
        },
        Fact {
            label: "Statements".into(),
            text: format!(
                "{} created, {} recalculated, {} removed; {} later statement(s) adjusted",
                summary.statements_created,
                summary.statements_recalculated,
                summary.statements_removed,
                summary.statements_adjusted
            ),
        },
    ];
    if summary.adjustment_lines > 0 {
        facts.push(Fact {
            label: "Adjustment lines".into(),
            text: format!("{} (corrections of approved statements)", summary.adjustment_lines),
        });
    }
    if summary.claims > 0 {
        facts.push(Fact {
            label: "Claims paid".into(),
            text: summary.claims.to_string(),
        });
    }
    for (unit, total) in &summary.earnings {
        facts.push(Fact {
            label: format!("Earnings in {unit}"),
            text: format!(
                "{} line(s): gross {}, withholding {}, net {}",
                total.lines,
                amount_text(total.gross, unit),
                amount_text(total.withholding, unit),
                amount_text(total.net, unit)
            ),
        });
    }
    facts
}

/// How far a running close is, 0–100: loading, each plan calculated, writing.
fn percent(run: &CloseRun) -> i64 {
    match run.phase.as_str() {
        "calculating" if run.progress_total > 0 => 5 + 85 * run.progress_done / run.progress_total,
        "calculating" => 5,
        "writing" => 92,
        "done" => 100,
        _ => 2,
    }
}

async fn run_context(state: &AppState, caller: &Caller, id: &str) -> AppResult<minijinja::Value> {
    let run = close_run(state, caller, id).await?;
    let names = names(state, std::slice::from_ref(&run)).await?;
    let statements_href = Params::default().href(STATEMENTS, &[("period", Some(&run.period_key))]);
    Ok(minijinja::context! {
        running => run.status == CloseStatus::Running,
        percent => percent(&run),
        started_by => run.started_by.as_ref().and_then(|id| names.get(id).cloned()),
        outcome => outcome(&run),
        summary => summary_of(&run).map(|s| summary_facts(&s)),
        run => view(&run, &names),
        statements_href,
    })
}

pub async fn run(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let context = run_context(&state, &caller, &id).await?;
        render(
            &state,
            "incentives/close_run.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, PLANS),
                tabs => tabs(&caller, CLOSE),
                ..context
            },
        )
    })
    .await
}

/// The progress fragment htmx polls while the close runs.
pub async fn status(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let context = run_context(&state, &caller, &id).await?;
        render(&state, "incentives/close_status.html", context)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_ended_periods_are_suggested() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(suggestions(today), ["2026-Q3", "2026-10", "2025"]);
    }
}
