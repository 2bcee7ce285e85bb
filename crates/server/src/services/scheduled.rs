//! Scheduled work, run in-process by `tributary serve` at start and then hourly: the tier
//! evaluations due at period ends, the expiry of lapsed account reservations and of
//! registrations past their protection, and reminders of approval steps past their SLA; beside
//! them, every few seconds, the webhook deliveries. Each job is safe when several servers run
//! it (unique keys and conditional updates decide).

use std::time::Duration;

use tributary_store::Db;

use super::conflict::reservations::expire_lapsed;
use super::tiering::schedule::run_due;

const CHECK_EVERY: Duration = Duration::from_secs(3600);

/// Runs every due job once; errors are logged and retried at the next check.
pub async fn run_once(db: &Db) {
    let today = chrono::Utc::now().date_naive();
    match run_due(db, today).await {
        Ok(ran) if !ran.is_empty() => tracing::info!(evaluations = ran.len(), "scheduled tier evaluations ran"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "scheduled tier evaluation failed; will retry"),
    }
    match super::approvals::remind_overdue(db, chrono::Utc::now()).await {
        Ok(0) => {}
        Ok(reminded) => tracing::info!(reminded, "overdue approval steps announced"),
        Err(error) => tracing::warn!(%error, "approval reminders failed; will retry"),
    }
    match super::conflict::registrations::expire_lapsed(db, today).await {
        Ok(0) => {}
        Ok(expired) => tracing::info!(expired, "registrations past their protection expired"),
        Err(error) => tracing::warn!(%error, "expiring registrations failed; will retry"),
    }
    match expire_lapsed(db, today).await {
        Ok(0) => {}
        Ok(expired) => tracing::info!(expired, "lapsed account reservations expired"),
        Err(error) => tracing::warn!(%error, "expiring reservations failed; will retry"),
    }
}

/// The hourly jobs and the webhook delivery loop, until the server stops.
pub async fn run_forever(db: Db) {
    tokio::join!(hourly(db.clone()), super::webhooks::run_forever(db));
}

async fn hourly(db: Db) {
    loop {
        run_once(&db).await;
        tokio::time::sleep(CHECK_EVERY).await;
    }
}
