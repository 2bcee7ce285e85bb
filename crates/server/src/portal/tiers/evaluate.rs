//! Evaluating a published structure from the portal: the date (default: the end of the
//! last period of the structure's cadence) is checked, the evaluation runs as a background
//! job through the same service as the API, and the job page shows a progress bar that
//! htmx refreshes until the outcome is known — with a link to the evaluation's snapshots.
//! A date already evaluated says so and changes nothing.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use tributary_store::repo::tier_structures::StructureStatus;

use super::super::form::{Form, FormState};
use super::super::listing::Params;
use super::super::page::{Chrome, PageError, PortalCaller, render, respond, see_other};
use super::structures::{Actions, detail_page};
use super::{SECTION, load};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::jobs::{JobState, JobStatus};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::evaluation::{EvaluationOutcome, Trigger, evaluate};
use crate::state::AppState;

/// The kind of the jobs this module starts.
const JOB_KIND: &str = "tier_evaluation";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EvaluateForm {
    pub eval_date: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct JobQuery {
    pub date: String,
}

fn finish(status: &mut JobStatus, result: AppResult<EvaluationOutcome>) {
    match result {
        Ok(outcome) => {
            let e = &outcome.evaluation;
            status.state = JobState::Succeeded;
            status.bytes_done = status.bytes_total;
            status.rows_done = e.partner_count as u64;
            status.message = Some(if outcome.created {
                format!(
                    "Evaluated {} partner{} on {}: {} promoted, {} demoted, {} at risk.",
                    e.partner_count,
                    if e.partner_count == 1 { "" } else { "s" },
                    e.eval_date,
                    e.promoted,
                    e.demoted,
                    e.at_risk
                )
            } else {
                format!(
                    "{} was already evaluated (at {}); nothing changed.",
                    e.eval_date,
                    e.created_at.get(..16).unwrap_or(&e.created_at).replace('T', " ")
                )
            });
        }
        Err(error) => {
            status.state = JobState::Failed;
            status.message = Some(error.problem().detail);
        }
    }
}

/// Starts the evaluation of structure `id` on `date_text`; the job id, or the form's error.
async fn start_job(state: &AppState, caller: &Caller, id: &str, date_text: &str) -> AppResult<String> {
    authorize(caller, Resource::TierPrograms, Access::Write)?;
    let structure = load(state, caller, id).await?;
    if structure.status != StructureStatus::Published {
        return Err(AppError::Conflict(
            "only a published structure is evaluated; simulate a draft instead".into(),
        ));
    }
    let date = tributary_domain::validation::date(date_text).map_err(|m| AppError::field("eval_date", m))?;
    let today = super::today();
    if date > today {
        return Err(AppError::field(
            "eval_date",
            format!("{date} is in the future; evaluate on or before {today}"),
        ));
    }
    if date < structure.definition.valid_from {
        return Err(AppError::field(
            "eval_date",
            format!("the structure applies from {}", structure.definition.valid_from),
        ));
    }
    let job = state.jobs.start(JOB_KIND, &caller.user.id, 4);
    let (state, actor, structure_id, job_id) = (state.clone(), caller.actor(), id.to_string(), job.clone());
    tokio::spawn(async move {
        let jobs = state.jobs.clone();
        let progress = |done: u64, total: u64| {
            jobs.update(&job_id, |status| {
                status.bytes_done = done;
                status.bytes_total = total;
            })
        };
        let result = evaluate(&state.db, &actor, &structure_id, date, Trigger::Manual, progress).await;
        state.jobs.update(&job_id, |status| finish(status, result));
    });
    Ok(job)
}

pub async fn start(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(form): Form<EvaluateForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let date = form.eval_date.trim().to_string();
        match start_job(&state, &caller, &id, &date).await {
            Ok(job) => see_other(&format!("/tiers/{id}/jobs/{job}?date={date}")),
            Err(error @ (AppError::Validation(_) | AppError::Conflict(_))) => {
                let values = HashMap::from([("eval_date".to_string(), date)]);
                let (status, form) = FormState::failed(values, error)?;
                let actions: Actions = form.prefixed("a-");
                let stored = load(&state, &caller, &id).await?;
                detail_page(&state, &caller, stored, &Params::default(), Some(actions), status).await
            }
            Err(error) => Err(error),
        }
    })
    .await
}

/// The job, if it is the caller's evaluation.
fn job_of(state: &AppState, caller: &Caller, id: &str) -> AppResult<JobStatus> {
    state
        .jobs
        .get(id, &caller.user.id)
        .filter(|job| job.kind == JOB_KIND)
        .ok_or_else(|| AppError::not_found("evaluation job"))
}

fn job_context(structure_id: &str, structure_name: &str, date: &str, job: JobStatus) -> minijinja::Value {
    let snapshots_href = Params::default().href(
        "/tiers/snapshots",
        &[("structure_id", Some(structure_id)), ("eval_date", Some(date))],
    );
    let status_href = Params::default().href(
        &format!("/tiers/{structure_id}/jobs/{}/status", job.id),
        &[("date", Some(date))],
    );
    minijinja::context! {
        percent => job.percent(),
        running => job.state == JobState::Running,
        structure_id, structure_name, date, snapshots_href, status_href, job,
    }
}

pub async fn job(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path((id, job)): Path<(String, String)>,
    Query(query): Query<JobQuery>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let structure = load(&state, &caller, &id).await?;
        let job = job_of(&state, &caller, &job)?;
        render(
            &state,
            "tiers/job.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, SECTION),
                ..job_context(&id, &structure.definition.name, &query.date, job)
            },
        )
    })
    .await
}

/// The progress fragment htmx polls while the evaluation runs.
pub async fn status(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path((id, job)): Path<(String, String)>,
    Query(query): Query<JobQuery>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let structure = load(&state, &caller, &id).await?;
        let job = job_of(&state, &caller, &job)?;
        render(
            &state,
            "tiers/job_status.html",
            job_context(&id, &structure.definition.name, &query.date, job),
        )
    })
    .await
}
