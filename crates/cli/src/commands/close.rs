//! `tributary close <period>`: closes a period ("2026-Q3", "2026-09", "2026") — every
//! published plan of its cadence — with a progress bar per phase, and prints what the close
//! wrote, or why it failed (a failed close writes no statement). The same service as
//! `POST /api/v1/close-runs`, run in the foreground.

use std::process::ExitCode;

use clap::Args;
use tributary_server::services::incentives::close::summary::CloseSummary;
use tributary_server::services::incentives::close::{self, Progress, closable_period};
use tributary_store::audit::Actor;
use tributary_store::repo::close_runs::CloseStatus;

use crate::config::Settings;
use crate::progress;

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The period: 2026-Q3 (quarter), 2026-09 (month) or 2026 (year); it must have ended.
    pub period: String,
}

fn print_summary(summary: &CloseSummary) {
    println!(
        "closed {}: {} plan(s), {} eligible partner-plan pair(s), {} earning line(s)",
        summary.period_key, summary.plans, summary.eligible, summary.settlements
    );
    for (unit, total) in &summary.earnings {
        println!(
            "  {unit}: gross {}, withholding {}, net {} ({} line(s))",
            total.gross, total.withholding, total.net, total.lines
        );
    }
    println!(
        "statements: {} created, {} recalculated, {} corrected in a later period, {} removed; {} adjustment line(s), {} claim(s)",
        summary.statements_created,
        summary.statements_recalculated,
        summary.statements_adjusted,
        summary.statements_removed,
        summary.adjustment_lines,
        summary.claims
    );
}

pub async fn run(settings: &Settings, args: CloseArgs) -> anyhow::Result<ExitCode> {
    let period = closable_period(&args.period, chrono::Utc::now().date_naive())
        .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
    let db = settings.open_db().await?;
    let actor = Actor::system("cli close");
    let started = close::start(&db, &actor, period)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
    let bar = progress::bar(0, period.key().as_str());
    let shown = bar.clone();
    let report = move |step: Progress| {
        shown.set_prefix(step.phase);
        shown.set_length(step.total);
        shown.set_position(step.done);
    };
    let outcome = close::run(&db, &actor, &started, report).await;
    bar.finish_and_clear();
    db.close().await;
    let run = outcome.map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
    match (run.status, &run.summary) {
        (CloseStatus::Succeeded, Some(summary)) => {
            let summary: CloseSummary = serde_json::from_value(summary.clone())?;
            print_summary(&summary);
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!(
                "the close of {} failed: {}",
                run.period_key,
                run.error.as_deref().unwrap_or("no reason recorded")
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
