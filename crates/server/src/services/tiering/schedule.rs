//! Scheduled evaluation: every published structure is evaluated at the end of each period
//! of its cadence (monthly or quarterly), checked by [`crate::services::scheduled`]; a
//! period end already evaluated is skipped, and when several servers run, the unique
//! (structure, date) key lets exactly one of them write the evaluation.

use chrono::NaiveDate;
use tributary_domain::tiering::schedule::last_period_end;
use tributary_store::Db;
use tributary_store::audit::Actor;
use tributary_store::repo::tier_evaluations;
use tributary_store::repo::tier_structures::{self, StructureStatus};

use super::evaluation::{EvaluationOutcome, Trigger, evaluate};
use crate::error::AppResult;

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
