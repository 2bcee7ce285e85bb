//! `tributary import <kind> <file>`: validate every row, report each bad one (row, column,
//! reason) and import nothing if any is bad; otherwise import all in one transaction.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use sha2::{Digest, Sha256};
use tributary_server::error::AppError;
use tributary_server::services::imports::{self, FileFormat, ImportFile, ImportKindName, Importer};
use tributary_store::Scope;
use tributary_store::audit::Actor;

use crate::config::Settings;
use crate::progress;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// partners, users, products, accounts, regions, verticals, fx-rates or sales-facts.
    pub kind: String,
    /// The CSV file (or .parquet for sales facts).
    pub file: PathBuf,
}

fn sha256_of(path: &PathBuf) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

pub async fn run(settings: &Settings, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let kind = ImportKindName::parse(&args.kind).map_err(anyhow::Error::msg)?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let format = if file_name.to_ascii_lowercase().ends_with(".parquet") {
        FileFormat::Parquet
    } else {
        FileFormat::Csv
    };
    let file = ImportFile {
        content_sha256: sha256_of(&args.file)?,
        path: args.file.clone(),
        file_name,
        format,
    };
    let db = settings.open_db().await?;
    let actor = Actor::system("cli import");
    let importer = Importer {
        actor: &actor,
        scope: &Scope::All,
        caller: None,
    };
    let bar = match format {
        FileFormat::Csv => progress::bytes(0, kind.as_str()),
        FileFormat::Parquet => progress::bar(0, kind.as_str()),
    };
    let progress_bar = bar.clone();
    let report = move |done: u64, total: u64, rows: u64| {
        progress_bar.set_length(total);
        progress_bar.set_position(done);
        progress_bar.set_message(format!("{rows} rows"));
    };
    let mut tx = db.begin().await?;
    let outcome = match imports::import(&mut tx.conn(), &importer, kind, &file, &report).await {
        Ok(outcome) => tx.commit().await.map(|()| outcome).map_err(AppError::from),
        Err(error) => {
            drop(tx);
            Err(error)
        }
    };
    bar.finish_and_clear();
    db.close().await;
    match outcome {
        Ok(outcome) => {
            println!(
                "imported {} {}: {} rows ({} created, {} updated)",
                args.file.display(),
                kind.as_str(),
                outcome.rows,
                outcome.created,
                outcome.updated
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::InvalidRows(rows)) => {
            for row in &rows {
                if row.column.is_empty() {
                    eprintln!("row {}: {}", row.row, row.message);
                } else {
                    eprintln!("row {}, column \"{}\": {}", row.row, row.column, row.message);
                }
            }
            eprintln!("{} problem(s) found; nothing was imported", rows.len());
            Ok(ExitCode::FAILURE)
        }
        Err(other) => Err(anyhow::anyhow!("{}", other.problem().detail)),
    }
}
