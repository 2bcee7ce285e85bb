//! Scheduled evaluation: every published structure is evaluated at the end of each period
//! of its cadence (monthly or quarterly). The check runs at start and then hourly; a
//! period end already evaluated is skipped, and when several servers run, the unique
//! (structure, date) key lets exactly one of them write the evaluation.

use std::time::Duration;

use chrono::NaiveDate;
use tributary_domain::tiering::schedule::last_period_end;
use tributary_store::Db;
use tributary_store::audit::Actor;
use tributary_store::repo::tier_evaluations;
use tributary_store::repo::tier_structures::{self, StructureStatus};

use super::evaluation::{EvaluationOutcome, Trigger, evaluate};
use crate::error::AppResult;

const CHECK_EVERY: Duration = Duration::from_secs(3600);

fn scheduler() -> Actor {
    Actor {
        user_id: None,
        label: "scheduler".into(),
    }
}

/// Runs every evaluation due on `today` (the latest period end of each published
/// structure inside its timeframe and after its last evaluation).
pub async fn run_due(db: &Db, today: NaiveDate) -> AppResult<Vec<EvaluationOutcome>> {
    let structures = {
        let mut pooled = db.acquire().await?;
        tier_structures::list(&mut pooled.conn(), Some(StructureStatus::Published)).await?
    };
    let mut ran = Vec::new();
    for structure in structures {
        let definition = &structure.definition;
        let mut due = last_period_end(definition.cadence, today);
        if let Some(until) = definition.valid_until {
            due = due.min(until);
        }
        if due < definition.valid_from {
            continue;
        }
        let latest = {
            let mut pooled = db.acquire().await?;
            tier_evaluations::latest(&mut pooled.conn(), &structure.id, None).await?
        };
        if latest.is_some_and(|l| l.eval_date >= due.format("%Y-%m-%d").to_string()) {
            continue;
        }
        ran.push(evaluate(db, &scheduler(), &structure.id, due, Trigger::Scheduled, |_, _| {}).await?);
    }
    Ok(ran)
}

/// The background loop of [`run_due`]; errors are logged and retried at the next check.
pub async fn run_forever(db: Db) {
    loop {
        match run_due(&db, chrono::Utc::now().date_naive()).await {
            Ok(ran) if !ran.is_empty() => tracing::info!(evaluations = ran.len(), "scheduled tier evaluations ran"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "scheduled tier evaluation failed; will retry"),
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}
