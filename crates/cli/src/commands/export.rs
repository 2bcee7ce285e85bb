//! `tributary export <kind>`: every record of a kind as CSV in the import format.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tributary_server::services::exports::{self, ExportFilters};
use tributary_server::services::imports::ImportKindName;
use tributary_store::Scope;

use crate::config::Settings;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// partners, users, products, accounts, regions, verticals, fx-rates or sales-facts.
    pub kind: String,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub async fn run(settings: &Settings, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let kind = ImportKindName::parse(&args.kind).map_err(anyhow::Error::msg)?;
    let db = settings.open_db().await?;
    let body = exports::stream(db.clone(), Scope::All, kind, ExportFilters::default())
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
    let mut out: Box<dyn tokio::io::AsyncWrite + Unpin> = match &args.output {
        Some(path) => Box::new(
            tokio::fs::File::create(path)
                .await
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(tokio::io::stdout()),
    };
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        out.write_all(&chunk.context("export failed")?).await?;
    }
    out.flush().await?;
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
