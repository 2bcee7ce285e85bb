//! The tiering benchmark: generate, evaluate with the engine (timed), check the engine
//! against the domain's reference for every partner, then run the same aggregation on
//! DuckDB and PostgreSQL, compare their metric values with the engine's exactly, and
//! print times and ratios.

use std::time::Duration;

use anyhow::Result;
use tributary_domain::tiering::MetricWindow;

use crate::compare::{Comparison, compare};
use crate::engine_run::{self, Measured, inputs, measure, reference_check};
use crate::host::{load, machine};
use crate::sql::{TABLES, Windows, metrics_query, parquet_views, reference_data};
use crate::synth::{evaluation_date, generate};
use crate::timing::{list, median, ms, ratio, timed};
use crate::{duckdb, export, postgres, program};

#[derive(clap::Args)]
pub struct Options {
    /// Partners to generate.
    #[arg(long, default_value_t = 100_000)]
    partners: u32,
    /// Sales facts to generate.
    #[arg(long, default_value_t = 10_000_000)]
    facts: u64,
    /// Seed of the synthetic data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Runs of the full evaluation (the median is reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Runs of the what-if simulation.
    #[arg(long, default_value_t = 25)]
    whatif_runs: usize,
    /// Runs of each peer's query.
    #[arg(long, default_value_t = 3)]
    peer_runs: usize,
    /// Skip the check against the domain's reference (single-threaded, slow).
    #[arg(long)]
    no_reference: bool,
    /// Keep the peers' files (Parquet, CSV, SQL, results) instead of deleting them.
    #[arg(long)]
    keep_files: bool,
    /// Skip DuckDB and PostgreSQL.
    #[arg(long)]
    no_peers: bool,
    /// PostgreSQL to compare with.
    #[arg(long, env = "TRIBUTARY_BENCH_POSTGRES_URL", default_value = postgres::DEFAULT_URL, hide_env_values = true)]
    postgres_url: String,
}

pub fn run(options: &Options) -> Result<()> {
    println!(
        "tributary-bench tiers: {} partners, {} sales facts, seed {}",
        options.partners, options.facts, options.seed
    );
    println!("machine: {}; load average {}", machine(), load());
    let (data, generate_time) = timed(|| {
        generate(options.seed, options.partners, options.facts, |step| {
            println!("  generating {step}")
        })
    });
    println!("generated in {}", ms(generate_time));

    let published = program::published();
    let draft = program::draft();
    if let Err(errors) = published.validate() {
        anyhow::bail!("the benchmark program is invalid: {errors:?}");
    }
    let mut inputs = inputs(&data);
    engine_run::previous_states(&mut inputs, &published);
    println!(
        "\nfact image: {} facts ({} sales) for {} partners; recorded in {}, built in {}",
        inputs.image.fact_count(),
        inputs.image.sale_count(),
        inputs.image.partner_count(),
        ms(inputs.record_time),
        ms(inputs.build_time)
    );
    let measured = measure(&inputs, &published, &draft, options.runs, options.whatif_runs);
    report_engine(&measured);

    if !options.no_reference {
        println!("\nchecking against the domain reference (one partner at a time, one core) …");
        let check = reference_check(&data, &inputs, &published, &draft, &measured);
        println!(
            "  {} partners: metrics differ for {}, decisions differ for {}, simulation {}",
            check.partners,
            check.metric_mismatches,
            check.decision_mismatches,
            if check.simulation_equal { "equal" } else { "DIFFERS" }
        );
        println!(
            "  reference compute_metrics {} ({} engine), reference simulate {} ({} engine)",
            ms(check.metrics_time),
            ratio(check.metrics_time, measured.metrics_median),
            ms(check.simulate_time),
            ratio(check.simulate_time, measured.simulate_median)
        );
    }

    if options.no_peers {
        return Ok(());
    }
    let dir = tempfile::Builder::new().prefix("tributary-bench-").tempdir()?;
    let date = evaluation_date();
    let windows = Windows {
        trailing_first: MetricWindow::TrailingMonths(12).first_day(date).expect("a window"),
        fiscal_first: MetricWindow::FiscalYearToDate { first_month: 1 }
            .first_day(date)
            .expect("a window"),
        last: date,
    };
    let query = metrics_query(&windows);
    println!("\npeers (same facts and rates, files in {})", dir.path().display());
    let mut peer_times = Vec::new();
    match duckdb::available() {
        Err(why) => println!("  DuckDB skipped: {why}"),
        Ok(version) => {
            let ((), parquet_time) = timed(|| export::parquet(&data, dir.path())).map_first()?;
            println!("  wrote Parquet in {}", ms(parquet_time));
            let out = dir.path().join("duckdb_result.csv");
            let views = parquet_views(dir.path());
            let workload = duckdb::Workload {
                tables: &TABLES,
                setup: &reference_data(),
                query: &query,
                order_by: "partner",
                over_parquet: Some(&views),
            };
            let run = duckdb::run(version, dir.path(), &out, &workload, options.peer_runs)?;
            let query_median = median(&run.queries);
            let from_parquet = run.from_parquet.expect("the views were given");
            println!(
                "  DuckDB {}: load from Parquet {}, aggregation {} (runs: {}), straight from Parquet {}",
                run.version,
                ms(run.load),
                ms(query_median),
                list(&run.queries),
                ms(from_parquet)
            );
            report_comparison("DuckDB", &compare(&measured.table, &out)?, data.partners);
            peer_times.push(("DuckDB aggregation", query_median));
            peer_times.push(("DuckDB from Parquet", from_parquet));
        }
    }
    match postgres::available(&options.postgres_url) {
        Err(why) => println!("  PostgreSQL skipped: {why}"),
        Ok(version) => {
            let ((), csv_time) = timed(|| export::csv(&data, dir.path())).map_first()?;
            println!("  wrote CSV in {}", ms(csv_time));
            let out = dir.path().join("postgres_result.csv");
            let run = postgres::run(
                version,
                &options.postgres_url,
                dir.path(),
                &out,
                &query,
                options.peer_runs,
            )?;
            let query_median = median(&run.queries);
            println!(
                "  PostgreSQL {}: COPY load {}, aggregation {} (runs: {})",
                run.version,
                ms(run.load),
                ms(query_median),
                list(&run.queries)
            );
            report_comparison("PostgreSQL", &compare(&measured.table, &out)?, data.partners);
            peer_times.push(("PostgreSQL aggregation", query_median));
        }
    }
    if options.keep_files {
        println!("  kept the files in {}", dir.keep().display());
    }
    println!("\nsummary (medians; load average now {})", load());
    println!(
        "  engine metrics {} | metrics + evaluate {} | what-if {}",
        ms(measured.metrics_median),
        ms(measured.full_median),
        ms(measured.simulate_median)
    );
    for (name, time) in peer_times {
        println!(
            "  {name} {}: {} the engine's metrics, {} its full evaluation",
            ms(time),
            ratio(time, measured.metrics_median),
            ratio(time, measured.full_median)
        );
    }
    Ok(())
}

fn report_engine(m: &Measured) {
    println!(
        "engine (rayon, {} threads)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  compute_metrics, all partners: median {} (runs: {})",
        ms(m.metrics_median),
        list(&m.metrics_times)
    );
    println!(
        "  evaluate, all partners:        median {} (runs: {})",
        ms(m.evaluate_median),
        list(&m.evaluate_times)
    );
    println!(
        "  full evaluation:               median {} (runs: {})",
        ms(m.full_median),
        list(&m.full_times)
    );
    println!(
        "  what-if simulate:              median {} over {} runs (min {}, max {})",
        ms(m.simulate_median),
        m.simulate_times.len(),
        ms(*m.simulate_times.iter().min().expect("runs")),
        ms(*m.simulate_times.iter().max().expect("runs"))
    );
    let levels = ["Registered", "Silver", "Gold", "Platinum"];
    let mut assigned = [0u64; 4];
    for d in &m.decisions {
        assigned[d.assigned as usize] += 1;
    }
    let counts: Vec<String> = levels.iter().zip(assigned).map(|(l, c)| format!("{l} {c}")).collect();
    println!("  assigned: {}", counts.join(", "));
    let mut qualifying = [0u64; 4];
    for d in &m.decisions {
        qualifying[d.qualifying as usize] += 1;
    }
    let counts: Vec<String> = levels.iter().zip(qualifying).map(|(l, c)| format!("{l} {c}")).collect();
    println!("  qualifying: {}", counts.join(", "));
    let s = &m.simulation;
    let counts = |c: &[u64]| c.iter().map(u64::to_string).collect::<Vec<_>>().join("/");
    println!(
        "  what-if: now {} → draft {}; {} movers; benefit cost now discount {} mdf {} rebate {}, draft discount {} mdf {} rebate {}",
        counts(&s.now_counts),
        counts(&s.draft_counts),
        s.movers.len(),
        s.cost_now.discount.round_dp(2),
        s.cost_now.mdf.round_dp(2),
        s.cost_now.rebate.round_dp(2),
        s.cost_draft.discount.round_dp(2),
        s.cost_draft.mdf.round_dp(2),
        s.cost_draft.rebate.round_dp(2)
    );
}

fn report_comparison(peer: &str, comparison: &Comparison, partners: u32) {
    println!(
        "  {peer} vs engine: {} of {} partners compared on 6 metrics, {} differ",
        comparison.partners, partners, comparison.mismatches
    );
    for example in &comparison.examples {
        println!("    {example}");
    }
}

/// `timed` over a fallible step, with the error lifted out.
trait MapFirst<T> {
    fn map_first(self) -> Result<(T, Duration)>;
}

impl<T> MapFirst<T> for (Result<T>, Duration) {
    fn map_first(self) -> Result<(T, Duration)> {
        Ok((self.0?, self.1))
    }
}
