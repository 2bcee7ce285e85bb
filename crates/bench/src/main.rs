//! Tributary's benchmarks, kept apart from the tests: each generates deterministic
//! synthetic data at a chosen scale, runs the same work on the engine and on peers
//! (DuckDB, PostgreSQL) in the same run, checks the results are identical and prints the
//! times and ratios. `tributary-bench tiers` measures tier evaluation and what-if;
//! `tributary-bench conflicts` customer matching against PostgreSQL `pg_trgm`;
//! `tributary-bench incentives` the incentive period close against DuckDB.

mod compare;
mod conflicts;
mod duckdb;
mod engine_run;
mod export;
mod host;
mod incentives;
mod postgres;
mod program;
mod sql;
mod synth;
mod tiers;
mod timing;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "tributary-bench",
    about = "Benchmarks of Tributary's engine against DuckDB and PostgreSQL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tier evaluation (metrics + decisions) and what-if simulation.
    Tiers(tiers::Options),
    /// Customer matching for channel conflicts: precision, recall and latency per check,
    /// against PostgreSQL pg_trgm.
    Conflicts(conflicts::Options),
    /// Incentive period close of 20 plans against the same close as SQL in DuckDB, and
    /// peak memory per fact.
    Incentives(incentives::Options),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Tiers(options) => tiers::run(&options),
        Command::Conflicts(options) => conflicts::run(&options),
        Command::Incentives(options) => incentives::run(&options),
    }
}
