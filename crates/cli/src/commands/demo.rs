//! `tributary demo`: generate a realistic, deterministic demo vendor into an empty
//! database (SQLite in ./tributary-data by default), print who can sign in, and serve it.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use clap::Args;
use tributary_demo::{DEMO_PASSWORD, DemoConfig};

use crate::config::Settings;
use crate::demo_load::{self, Existing};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Random seed; the same seed gives the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 300)]
    pub partners: usize,
    #[arg(long, default_value_t = 20_000)]
    pub accounts: usize,
    #[arg(long, default_value_t = 200)]
    pub products: usize,
    /// Sales and return lines over the last 13 months.
    #[arg(long, default_value_t = 250_000)]
    pub facts: usize,
    /// Load the data and exit instead of serving it.
    #[arg(long)]
    pub no_serve: bool,
}

pub async fn run(settings: &Settings, args: DemoArgs) -> anyhow::Result<ExitCode> {
    if args.partners < 10 || args.accounts < 100 || args.products < 10 {
        bail!("a demo needs at least 10 partners, 100 accounts and 10 products");
    }
    let config = DemoConfig {
        seed: args.seed,
        partners: args.partners,
        accounts: args.accounts,
        products: args.products,
        facts: args.facts,
        ..DemoConfig::default()
    };
    let db = settings.open_db().await?;
    let dataset = tributary_demo::generate(&config);
    match demo_load::existing(&db).await? {
        Existing::Empty => {
            let started = Instant::now();
            eprintln!(
                "Generating the demo vendor (seed {}): {} partners, {} accounts, {} products, {} sales lines…",
                config.seed, config.partners, config.accounts, config.products, config.facts
            );
            let facts = demo_load::load(&db, &config, &dataset).await?;
            eprintln!("Demo data loaded in {:.1?} ({facts} sales lines).", started.elapsed());
        }
        Existing::Loaded => eprintln!("The database already holds the demo data; serving it."),
        Existing::Partial => bail!(
            "the database {} holds data but no finished demo load; remove it (or choose another --data-dir) and run again",
            settings.database_label()
        ),
    }
    println!("\nSign in at {} with password {DEMO_PASSWORD} as:", settings.public_url);
    for (role, email) in tributary_demo::demo_credentials(&dataset) {
        println!("  {role:<16} {email}");
    }
    println!();
    if args.no_serve {
        db.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    crate::commands::serve::serve(settings, db).await?;
    Ok(ExitCode::SUCCESS)
}
