//! `tributary audit verify`: walk the hash chain and name the first broken record.

use std::process::ExitCode;

use clap::Subcommand;
use tributary_store::audit::{self, Verification};

use crate::config::Settings;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every record's hash and link; exits 1 and names the first broken record.
    Verify,
}

pub async fn run(settings: &Settings, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify => {
            let db = settings.open_db().await?;
            let mut pooled = db.acquire().await?;
            let outcome = audit::verify(&mut pooled.conn()).await?;
            drop(pooled);
            db.close().await;
            Ok(match outcome {
                Verification::Intact { records } => {
                    println!("audit trail intact: {records} records verified");
                    ExitCode::SUCCESS
                }
                Verification::Broken { seq, reason } => {
                    println!("audit trail BROKEN at record {seq}: {reason}");
                    ExitCode::FAILURE
                }
            })
        }
    }
}
