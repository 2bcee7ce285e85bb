//! `tributary`: the one binary of the product. `serve` runs the server, `demo` fills a
//! database with a realistic demo vendor and serves it, and the other commands operate a
//! deployment from the shell (migrations, imports, exports, users, audit verification).

mod commands;
mod config;
mod demo_incentives;
mod demo_load;
mod progress;

use clap::{Parser, Subcommand};

use config::GlobalArgs;

#[derive(Debug, Parser)]
#[command(
    name = "tributary",
    version,
    about = "Partner relationship management and channel automation"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (API and portal).
    Serve(commands::serve::ServeArgs),
    /// Fill the database with a realistic demo vendor (if empty) and serve it.
    Demo(commands::demo::DemoArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Import a CSV (or Parquet, for sales facts) file; a file with any bad row imports nothing.
    Import(commands::import::ImportArgs),
    /// Export records as CSV (the import format).
    Export(commands::export::ExportArgs),
    /// Close an incentive period (e.g. 2026-Q3): every published plan of its cadence, into statements.
    Close(commands::close::CloseArgs),
    /// Manage users.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let settings = match config::Settings::resolve(&cli.global) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("tributary: configuration error: {error:#}");
            return std::process::ExitCode::from(2);
        }
    };
    init_tracing(&settings.log);
    let outcome = match cli.command {
        Command::Serve(args) => commands::serve::run(&settings, args).await,
        Command::Demo(args) => commands::demo::run(&settings, args).await,
        Command::Migrate => commands::migrate::run(&settings).await,
        Command::Import(args) => commands::import::run(&settings, args).await,
        Command::Export(args) => commands::export::run(&settings, args).await,
        Command::Close(args) => commands::close::run(&settings, args).await,
        Command::User(command) => commands::user::run(&settings, command).await,
        Command::Audit(command) => commands::audit::run(&settings, command).await,
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tributary: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    let env_filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_writer(std::io::stderr)
        .init();
}
