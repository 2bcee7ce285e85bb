//! The incentives benchmark (issue 6, item 8): deterministic partners, sales facts, daily
//! FX rates and 20 plans; the engine's period close timed end to end (image built first,
//! its build reported apart); the same close as plain SQL in DuckDB over the same facts in
//! Parquet; every statement line compared exactly; the peak resident memory per fact.
//! With `--check-reference` the domain's reference close runs too (the oracle, for small
//! scales: it is single-threaded and holds every fact as a domain transaction).
//!
//! The facts are generated as a stream, straight into the engine's builder and again into
//! the Parquet writer, so the process never holds a list of them: at 100,000,000 facts
//! (`--facts 100000000 --no-peers`) the peak resident memory is the engine's image and
//! close plus a small baseline (rates, plans, partners, eligibility).

mod eligible;
mod facts;
mod files;
mod lines;
mod native;
mod plans;
mod reference;
mod report;
mod sql;
mod world;

use anyhow::{Result, bail};

use crate::duckdb;
use crate::host::{load, machine, peak_resident_bytes};
use crate::timing::{list, median, ms, ratio, timed};

#[derive(clap::Args)]
pub struct Options {
    /// Partners to generate (one in 200 is a distributor).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(200..))]
    partners: u32,
    /// Sales facts to generate.
    #[arg(long, default_value_t = 10_000_000)]
    facts: u64,
    /// Seed of the synthetic data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Runs of the engine's close (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Runs of DuckDB's close.
    #[arg(long, default_value_t = 3)]
    peer_runs: usize,
    /// Also close with the domain's reference and compare every settlement field by field
    /// (one core, every fact held as a transaction: for small scales).
    #[arg(long)]
    check_reference: bool,
    /// Skip DuckDB.
    #[arg(long)]
    no_peers: bool,
    /// Keep DuckDB's files (Parquet, SQL, result) instead of deleting them.
    #[arg(long)]
    keep_files: bool,
}

/// "12.3 bytes": `bytes` ÷ `count` with one decimal, in integers.
fn per(bytes: u64, count: u64) -> String {
    let tenths = bytes * 10 / count.max(1);
    format!("{}.{} bytes", tenths / 10, tenths % 10)
}

pub fn run(options: &Options) -> Result<()> {
    println!(
        "tributary-bench incentives: {} partners, {} sales facts, seed {}",
        options.partners, options.facts, options.seed
    );
    println!("machine: {}; load average {}", machine(), load());
    let period = plans::period();
    let plans = plans::plans();
    if let Err(problem) = plans::check(&plans) {
        bail!("the benchmark's plans are invalid: {problem}");
    }
    let plan_names: Vec<String> = plans.iter().map(|p| p.name.clone()).collect();
    let (world, world_time) = timed(|| world::World::generate(options.seed, options.partners));
    let rates = world::rates(options.seed);
    let rate_table = world::rate_table(&rates);
    let regions = world::region_countries();
    let (eligible, eligible_time) = timed(|| eligible::resolve(&world, &plans));
    let pairs: usize = eligible.iter().map(Vec::len).sum();
    println!(
        "partners generated in {}; {} FX rates; {} eligible (plan, partner) pairs resolved in {}; closing {}",
        ms(world_time),
        rates.len(),
        pairs,
        ms(eligible_time),
        period.key()
    );

    let native = native::image(&world, options.facts);
    let image_bytes = native.image.heap_bytes() as u64;
    println!(
        "\nengine image: {} transactions; generated and recorded in {} ({} per fact recorded), built in {}; \
         {} bytes on the heap ({} per fact)",
        native.image.transaction_count(),
        ms(native.record),
        per(native.recorded_bytes as u64, options.facts),
        ms(native.build),
        image_bytes,
        per(image_bytes, options.facts)
    );
    if let Some(peak) = peak_resident_bytes() {
        println!(
            "peak resident memory after recording and building: {} MiB ({} per fact)",
            peak >> 20,
            per(peak, options.facts)
        );
    }
    let closed = native::close_all(
        &native.image,
        &plans,
        &eligible,
        &period,
        &rate_table,
        &regions,
        options.runs,
    );
    println!(
        "engine close of {} plans (rayon, {} threads): median {} (runs: {})",
        plans.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        ms(closed.median),
        list(&closed.times)
    );
    report::plans(&plans, &eligible, &closed.outcomes)?;
    let peak = peak_resident_bytes();
    if let Some(peak) = peak {
        println!(
            "peak resident memory after image and close: {} MiB, {} per fact (the image {} per fact)",
            peak >> 20,
            per(peak, options.facts),
            per(image_bytes, options.facts)
        );
    }
    let (record_time, build_time) = (native.record, native.build);
    drop(native);
    let mut failures = Vec::new();

    if options.check_reference {
        println!("\nchecking against the domain reference (one partner at a time, one core) …");
        let histories = reference::histories(&world, options.facts);
        let (outcomes, time) =
            timed(|| reference::close(&plans, &eligible, &histories, &period, &rate_table, &regions));
        let agreement = reference::agree(&closed.outcomes, &outcomes, &plans);
        println!(
            "  reference close {} ({} the engine): {} settlements compared field by field, {} differ",
            ms(time),
            ratio(time, closed.median),
            agreement.compared,
            agreement.differing
        );
        for example in &agreement.examples {
            println!("    {example}");
        }
        if agreement.differing > 0 {
            failures.push("the engine differs from the reference");
        }
    }

    let mut duckdb_close = None;
    if !options.no_peers {
        match duckdb::available() {
            Err(why) => println!("\nDuckDB skipped: {why}"),
            Ok(version) => {
                let dir = tempfile::Builder::new()
                    .prefix("tributary-bench-incentives-")
                    .tempdir()?;
                println!("\nDuckDB {version} (files in {})", dir.path().display());
                let (written, files_time) =
                    timed(|| files::write(dir.path(), &world, options.facts, &rates, &plans, &eligible));
                written?;
                println!(
                    "  wrote Parquet (facts regenerated from the seed) in {}",
                    ms(files_time)
                );
                let setup = sql::setup(&plans);
                let query = sql::close_query(&period, plans::max_holding_days(&plans));
                let out = dir.path().join("duckdb_result.csv");
                let workload = duckdb::Workload {
                    tables: &sql::TABLES,
                    setup: &setup,
                    query: &query,
                    order_by: "plan, partner",
                    over_parquet: None,
                };
                let run = duckdb::run(version, dir.path(), &out, &workload, options.peer_runs)?;
                let query_median = median(&run.queries);
                println!(
                    "  load into tables {}, close {} (runs: {})",
                    ms(run.load),
                    ms(query_median),
                    list(&run.queries)
                );
                let peer_lines = lines::read_csv(&out)?;
                let engine_lines = lines::from_outcomes(&closed.outcomes);
                let comparison = lines::compare(&engine_lines, &peer_lines, &plan_names);
                println!(
                    "  DuckDB vs engine: {} lines compared (measure, facts, carry out, unit, gross, withholding, net): \
                     {} differ, {} only from the engine, {} only from DuckDB",
                    comparison.compared, comparison.differing, comparison.only_first, comparison.only_second
                );
                for example in &comparison.examples {
                    println!("    {example}");
                }
                if !comparison.identical() {
                    failures.push("DuckDB's close differs from the engine's");
                }
                if options.keep_files {
                    println!("  kept the files in {}", dir.keep().display());
                }
                duckdb_close = Some(query_median);
            }
        }
    }

    println!("\nsummary (medians; load average now {})", load());
    println!(
        "  engine: recording {} and building {} the image, then the close {}",
        ms(record_time),
        ms(build_time),
        ms(closed.median)
    );
    if let Some(time) = duckdb_close {
        println!(
            "  DuckDB close {}: {} the engine's close (target ≥ 3×)",
            ms(time),
            ratio(time, closed.median)
        );
    }
    if let Some(peak) = peak {
        println!(
            "  peak resident memory after the engine's close {} per fact (target < 40 at 100,000,000 facts); \
             whole run {} MiB",
            per(peak, options.facts),
            peak_resident_bytes().unwrap_or(peak) >> 20
        );
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("; "));
    }
    Ok(())
}
