//! `tributary serve`: migrate, then serve the API and portal until stopped.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::config::Settings;

#[derive(Debug, Args)]
pub struct ServeArgs {}

pub async fn run(settings: &Settings, _args: ServeArgs) -> anyhow::Result<ExitCode> {
    let db = settings.open_db().await?;
    serve(settings, db).await?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `db` at the configured address (shared by `serve` and `demo`).
pub async fn serve(settings: &Settings, db: tributary_store::Db) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    tracing::info!(database = %settings.database_label(), bind = %settings.bind, "Tributary is running");
    eprintln!("Tributary is running at {} (Ctrl-C to stop)", settings.public_url);
    let state = tributary_server::AppState::new(db.clone(), settings.server_config());
    let indexed = state
        .customers
        .rebuild(&db)
        .await
        .map_err(|e| anyhow::anyhow!("cannot index the customer accounts: {}", e.problem().detail))?;
    tracing::info!(accounts = indexed, "customer matching index built");
    let scheduler = tokio::spawn(tributary_server::services::scheduled::run_forever(db.clone()));
    let served = tributary_server::serve(listener, state).await.context("server failed");
    scheduler.abort();
    served?;
    db.close().await;
    Ok(())
}
