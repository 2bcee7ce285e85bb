//! The period close (PRODUCT.md §5): for a period such as "2026-Q3", every published plan
//! of that cadence is closed for every partner it pays, and the results become statements.
//!
//! A close is a recorded run ([`start`]) that moves through phases — loading the inputs in
//! one read transaction ([`inputs`]), calculating each plan on the engine ([`compute`]),
//! writing every statement in one write transaction ([`write`]) — updating its progress as
//! it goes, so the API, the portal and `tributary close` can show a progress bar. One close
//! of a period runs at a time (a database constraint). A failed close records why (e.g.
//! "no GBP→USD exchange rate on or before 2026-07-14 (plan 'Resale commission')") and
//! writes no statement.

pub mod compute;
pub mod eligibility;
pub mod inputs;
pub mod lines;
pub mod summary;
pub mod write;

use std::sync::Arc;

use tributary_domain::incentives::Period;
use tributary_store::audit::Actor;
use tributary_store::repo::close_runs::{self, CloseRun, CloseStatus};
use tributary_store::{Conn, Db, StoreError, time};

use super::facts::date_text;
use crate::error::{AppError, AppResult, internal};
use compute::{PlanFailure, Settled, close_plan, first_failure};
use summary::CloseSummary;

/// Where a running close is: its phase and `done` of `total` steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

/// Parses a period key ("2026-Q3", "2026-09", "2026") of a period that has ended.
pub fn closable_period(key: &str, today: chrono::NaiveDate) -> AppResult<Period> {
    let period = Period::parse(key).map_err(|m| AppError::field("period", m))?;
    if period.end >= today {
        return Err(AppError::field(
            "period",
            format!("{period} ends on {}; close it after that day", period.end),
        ));
    }
    Ok(period)
}

/// How long a close may run before a new close of its period takes it for abandoned (its
/// server stopped); a close of 10,000,000 facts takes seconds, its loading minutes.
const ABANDONED_AFTER: chrono::TimeDelta = chrono::TimeDelta::hours(2);

/// Records a new running close of `period` in the caller's transaction; refused while
/// another close of it runs (one started over two hours ago is recorded as failed first).
pub async fn record_start(conn: &mut Conn<'_>, actor: &Actor, period: Period) -> AppResult<CloseRun> {
    let abandoned = time::format_timestamp(chrono::Utc::now() - ABANDONED_AFTER);
    close_runs::fail_abandoned(conn, &period.key(), &abandoned).await?;
    let run = CloseRun {
        id: tributary_domain::ids::new_id(),
        period_key: period.key(),
        period_kind: period.kind.as_str().to_string(),
        period_start: date_text(period.start),
        period_end: date_text(period.end),
        status: CloseStatus::Running,
        phase: "queued".into(),
        progress_done: 0,
        progress_total: 0,
        started_by: actor.user_id.clone(),
        started_at: time::now_text(),
        finished_at: None,
        error: None,
        summary: None,
    };
    match close_runs::insert(conn, &run).await {
        Err(StoreError::Conflict(_)) => Err(AppError::Conflict(format!(
            "a close of {} is already running; wait for it to finish",
            run.period_key
        ))),
        other => Ok(other.map(|()| run)?),
    }
}

/// Records a new running close of `period` (see [`record_start`]).
pub async fn start(db: &Db, actor: &Actor, period: Period) -> AppResult<CloseRun> {
    let mut tx = db.begin().await?;
    let run = record_start(&mut tx.conn(), actor, period).await?;
    tx.commit().await?;
    Ok(run)
}

/// Records the progress of run `id` and tells `progress`.
async fn report(db: &Db, id: &str, step: Progress, progress: &(impl Fn(Progress) + Sync)) -> AppResult<()> {
    progress(step);
    let mut tx = db.begin().await?;
    close_runs::progress(&mut tx.conn(), id, step.phase, step.done as i64, step.total as i64).await?;
    tx.commit().await?;
    Ok(())
}

/// The phases of a close; the summary, or the message a failure is recorded with.
async fn phases(
    db: &Db,
    actor: &Actor,
    run: &CloseRun,
    period: Period,
    progress: &(impl Fn(Progress) + Sync),
) -> AppResult<CloseSummary> {
    let step = |phase, done, total| Progress { phase, done, total };
    report(db, &run.id, step("loading", 0, 1), progress).await?;
    let inputs = Arc::new(inputs::load(db, period).await?);
    let total = inputs.plans.len() as u64;
    let mut settled: Vec<Settled> = Vec::new();
    let mut failures: Vec<PlanFailure> = Vec::new();
    for plan in 0..inputs.plans.len() {
        report(db, &run.id, step("calculating", plan as u64, total), progress).await?;
        let shared = Arc::clone(&inputs);
        match tokio::task::spawn_blocking(move || close_plan(&shared, plan))
            .await
            .map_err(internal)?
        {
            Ok(lines) => settled.extend(lines),
            Err(failure) => failures.push(failure),
        }
    }
    if let Some(failure) = first_failure(failures) {
        return Err(AppError::Conflict(failure.to_string()));
    }
    report(db, &run.id, step("writing", 0, 1), progress).await?;
    let mut tx = db.begin().await?;
    let summary = write::write(&mut tx.conn(), actor, &run.id, &inputs, &settled).await?;
    tx.commit().await?;
    progress(step("done", 1, 1));
    Ok(summary)
}

/// Runs the close recorded as `run` to its end and records the outcome: the run as it
/// stands afterwards (succeeded with its summary, or failed with the reason).
pub async fn run(db: &Db, actor: &Actor, run: &CloseRun, progress: impl Fn(Progress) + Sync) -> AppResult<CloseRun> {
    let period = Period::parse(&run.period_key).map_err(internal)?;
    let outcome = phases(db, actor, run, period, &progress).await;
    let message = match &outcome {
        Ok(_) => None,
        Err(AppError::Internal(reference)) => Some(format!(
            "the close stopped on an internal error (reference {reference}); nothing was written"
        )),
        Err(error) => Some(error.problem().detail),
    };
    let summary = outcome
        .as_ref()
        .ok()
        .map(serde_json::to_value)
        .transpose()
        .map_err(internal)?;
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    match (&summary, &message) {
        (Some(summary), _) => close_runs::finish(&mut conn, &run.id, Ok(summary)).await?,
        (None, message) => {
            let message = message.as_deref().unwrap_or("the close failed");
            close_runs::finish(&mut conn, &run.id, Err(message)).await?;
            crate::services::record(
                &mut conn,
                actor,
                "close.failed",
                "close_run",
                &run.id,
                None::<&()>,
                Some(&serde_json::json!({ "period_key": run.period_key, "error": message })),
            )
            .await?;
        }
    }
    tx.commit().await?;
    let mut pooled = db.acquire().await?;
    close_runs::get(&mut pooled.conn(), &run.id)
        .await?
        .ok_or_else(|| internal("a close run vanished"))
}

/// Runs the recorded close `started` in the background; the caller polls the run.
pub fn run_in_background(db: &Db, actor: &Actor, started: &CloseRun) {
    let (db, actor, background) = (db.clone(), actor.clone(), started.clone());
    tokio::spawn(async move {
        if let Err(error) = run(&db, &actor, &background, |_| {}).await {
            tracing::error!(run = %background.id, %error, "a close could not record its outcome");
        }
    });
}

/// Starts a close of `period` in the background and returns its run at once (the caller
/// polls the run for progress and outcome).
pub async fn spawn(db: &Db, actor: &Actor, period: Period) -> AppResult<CloseRun> {
    let started = start(db, actor, period).await?;
    run_in_background(db, actor, &started);
    Ok(started)
}
