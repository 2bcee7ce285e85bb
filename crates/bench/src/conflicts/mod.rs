//! The channel-conflict benchmark: generate labelled accounts and registration queries,
//! build the engine's `MatchIndex` (timed), check every query one at a time (each timed),
//! classify the answers with the domain's thresholds and report precision, recall and
//! latency; then run the same candidate search with PostgreSQL `pg_trgm` on the same data,
//! score its candidates the same way and print both.

mod evaluate;
mod generate;
mod pg;
mod world;

use std::time::{Duration, Instant};

use anyhow::Result;
use tributary_domain::matching::{
    MatchClass, MatchThresholds, PreparedAccount, PreparedQuery, normalize_company_name, score_points,
};
use tributary_engine::matching::MatchIndex;

use crate::postgres;
use crate::timing::{ms, ratio, timed};
use evaluate::{Answer, Counts, by_kind, by_variation, counts, sweep};
use generate::{Data, Profile, VARIATIONS, account_id, account_index, generate};

#[derive(clap::Args)]
pub struct Options {
    /// Customer accounts to generate.
    #[arg(long, default_value_t = 1_000_000)]
    accounts: u32,
    /// Registration queries to generate (half true duplicates).
    #[arg(long, default_value_t = 100_000)]
    queries: u32,
    /// Seed of the synthetic data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Candidates returned per check.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Automatic threshold (default: the domain's `MatchThresholds::DEFAULT`).
    #[arg(long)]
    auto: Option<u16>,
    /// Review threshold (default: the domain's `MatchThresholds::DEFAULT`).
    #[arg(long)]
    review: Option<u16>,
    /// How many of the queries PostgreSQL runs (the first ones; it takes about 90 ms a query
    /// on 1,000,000 accounts, so all 100,000 take over two hours).
    #[arg(long, default_value_t = 10_000)]
    pg_queries: usize,
    /// Trigram candidates PostgreSQL returns per query (besides shared domains).
    #[arg(long, default_value_t = 10)]
    pg_top_k: usize,
    /// More typing slips and more queries without a company domain or city (see
    /// `Profile::HARSH`).
    #[arg(long)]
    harsh: bool,
    /// Print this many missed true duplicates and wrong automatic matches, with the
    /// explanations.
    #[arg(long, default_value_t = 0)]
    examples: usize,
    /// Skip PostgreSQL.
    #[arg(long)]
    no_peers: bool,
    /// Keep PostgreSQL's input and output files.
    #[arg(long)]
    keep_files: bool,
    /// PostgreSQL to compare with.
    #[arg(long, env = "TRIBUTARY_BENCH_POSTGRES_URL", default_value = postgres::DEFAULT_URL, hide_env_values = true)]
    postgres_url: String,
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} GiB RAM", (kib + (1 << 19)) >> 20))
        })
        .unwrap_or_else(|| "RAM unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into());
    format!("{cores} cores, {memory}; load average {load}")
}

fn micros(time: Duration) -> String {
    let micros = time.as_micros();
    if micros >= 10_000 {
        ms(time)
    } else {
        format!("{micros} µs")
    }
}

/// p50, p90, p99, max and mean of per-query times.
struct Latency {
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    mean: Duration,
}

fn latency(times: &[Duration]) -> Latency {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |percent: usize| sorted[(sorted.len() * percent / 100).min(sorted.len() - 1)];
    let total: Duration = sorted.iter().sum();
    Latency {
        p50: at(50),
        p90: at(90),
        p99: at(99),
        max: *sorted.last().expect("times"),
        mean: total / sorted.len() as u32,
    }
}

fn print_latency(label: &str, l: &Latency) {
    println!(
        "  {label}: p50 {}, p90 {}, p99 {}, max {}, mean {}",
        micros(l.p50),
        micros(l.p90),
        micros(l.p99),
        micros(l.max),
        micros(l.mean)
    );
}

/// The answer for a query from candidates already sorted best first (account, score).
fn answer(ranked: &[(u32, u16)], truth: Option<u32>) -> Answer {
    Answer {
        best: ranked.first().map(|c| c.0),
        best_score: ranked.first().map_or(0, |c| c.1),
        runner_up: ranked.get(1).map_or(0, |c| c.1),
        truth_found: truth.is_some_and(|t| ranked.iter().any(|c| c.0 == t)),
    }
}

/// Normalised names of all accounts, on every core.
fn normalised_names(data: &Data) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = data.accounts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = data
            .accounts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Vec<String> {
                    part.iter().map(|a| normalize_company_name(&a.name()).text).collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("normalising thread"))
            .collect()
    })
}

fn print_quality(label: &str, auto: &Counts, review: &Counts) {
    println!(
        "  {label}: at auto precision {} recall {} ({} matched, {} correct of {} true duplicates); \
         at review precision {} recall {}",
        auto.precision(),
        auto.recall(),
        auto.matched,
        auto.correct,
        auto.positives,
        review.precision(),
        review.recall()
    );
}

pub fn run(options: &Options) -> Result<()> {
    let defaults = MatchThresholds::DEFAULT;
    let thresholds = MatchThresholds {
        auto: options.auto.unwrap_or(defaults.auto),
        review: options.review.unwrap_or(defaults.review),
    };
    if let Err(why) = thresholds.validate() {
        anyhow::bail!(why);
    }
    println!(
        "tributary-bench conflicts: {} accounts, {} queries, seed {}, thresholds auto {} review {}",
        options.accounts, options.queries, options.seed, thresholds.auto, thresholds.review
    );
    println!("machine: {}", machine());
    let profile = if options.harsh { Profile::HARSH } else { Profile::FORM };
    println!("queries: {}", profile.describe());
    let (data, generate_time) = timed(|| {
        generate(options.seed, options.accounts, options.queries, profile, |s| {
            println!("  generating {s}")
        })
    });
    let duplicates = data.queries.iter().filter(|q| q.truth.is_some()).count();
    println!(
        "generated in {}: {} accounts in {} countries ({} namesakes of an earlier account); {} queries: {} true duplicates, {} not in the accounts",
        ms(generate_time),
        data.accounts.len(),
        data.world.countries.len(),
        data.namesakes,
        data.queries.len(),
        duplicates,
        data.queries.len() - duplicates
    );

    let accounts: Vec<(String, _)> = data
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (account_id(i as u32), a.candidate(&data.world)))
        .collect();
    let (index, build_time) = timed(|| MatchIndex::build(accounts));
    println!(
        "\nengine: MatchIndex::build of {} accounts in {} (rayon, {} threads)",
        index.len(),
        ms(build_time),
        rayon_threads()
    );

    let warm_up = data.queries.len().min(1000);
    for q in &data.queries[..warm_up] {
        std::hint::black_box(index.search(&q.query, options.limit));
    }
    let mut answers = Vec::with_capacity(data.queries.len());
    let mut latencies = Vec::with_capacity(data.queries.len());
    for q in &data.queries {
        let started = Instant::now();
        let candidates = index.search(&q.query, options.limit);
        latencies.push(started.elapsed());
        let ranked: Vec<(u32, u16)> = candidates
            .iter()
            .map(|c| (account_index(&c.account_id).expect("a bench id"), c.explanation.score))
            .collect();
        answers.push(answer(&ranked, q.truth));
    }
    let engine_latency = latency(&latencies);
    println!(
        "  {} checks, one at a time on one thread (after {warm_up} warm-up checks), limit {}:",
        data.queries.len(),
        options.limit
    );
    print_latency("latency per check", &engine_latency);
    let auto = counts(&data.queries, &answers, thresholds, false);
    let review = counts(&data.queries, &answers, thresholds, true);
    print_quality("engine", &auto, &review);
    let found = data
        .queries
        .iter()
        .zip(&answers)
        .filter(|(q, a)| q.truth.is_some() && a.truth_found)
        .count();
    println!("  true account among the candidates: {found} of {duplicates}");
    report_misses(&data, &answers, thresholds);
    report_kinds(&data, &answers, thresholds);
    if options.examples > 0 {
        print_examples(&data, &index, &answers, thresholds, options.examples);
    }
    report_variations(&data, &answers, thresholds);
    println!("\n  automatic threshold sweep (review {}):", thresholds.review);
    for (auto, c) in sweep(&data.queries, &answers, thresholds.review, 600, 900, 25) {
        println!(
            "    auto {auto}: precision {} recall {}{}",
            c.precision(),
            c.recall(),
            if c.precision_at_least(980) && c.recall_at_least(970) {
                "  (meets both targets)"
            } else {
                ""
            }
        );
    }

    let mut summary = vec![format!(
        "engine: build {}, p50 {}, p99 {}, precision {} recall {} at auto {}",
        ms(build_time),
        micros(engine_latency.p50),
        micros(engine_latency.p99),
        auto.precision(),
        auto.recall(),
        thresholds.auto
    )];
    if !options.no_peers {
        peer(options, &data, &answers, &latencies, thresholds, &mut summary)?;
    }
    println!(
        "\nsummary (load average now {})",
        machine().rsplit("load average ").next().unwrap_or("")
    );
    for line in summary {
        println!("  {line}");
    }
    Ok(())
}

/// Missed true duplicates and wrong automatic matches, with the explanations.
fn print_examples(data: &Data, index: &MatchIndex, answers: &[Answer], thresholds: MatchThresholds, count: usize) {
    let show = |title: &str, wanted: &dyn Fn(&generate::LabelledQuery, &Answer) -> bool| {
        println!("\n  {title}:");
        for (q, _) in data
            .queries
            .iter()
            .zip(answers)
            .filter(|(q, a)| wanted(q, a))
            .take(count)
        {
            println!("    {:?} [{}]", q.query, q.kind.label());
            if let Some(truth) = q.truth {
                let account = data.accounts[truth as usize].candidate(&data.world);
                let e = tributary_domain::matching::score(&q.query, &account);
                println!(
                    "      truth {}: {:?} → {}: {}",
                    account_id(truth),
                    account,
                    e.score,
                    e.summary()
                );
            }
            for c in index.search(&q.query, 2) {
                println!(
                    "      found {}: {}: {}",
                    c.account_id,
                    c.explanation.score,
                    c.explanation.summary()
                );
            }
        }
    };
    show("missed true duplicates", &|q, a| {
        q.truth.is_some() && !(a.class(thresholds) == MatchClass::Same && a.best == q.truth)
    });
    show("wrong automatic matches", &|q, a| {
        a.class(thresholds) == MatchClass::Same && (q.truth.is_none() || a.best != q.truth)
    });
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn report_kinds(data: &Data, answers: &[Answer], thresholds: MatchThresholds) {
    println!(
        "\n  by kind of query (at the thresholds): count | same, right account | same, wrong | review | different"
    );
    for (kind, row) in by_kind(&data.queries, answers, thresholds) {
        println!(
            "    {:<28} {:>7} | {:>7} | {:>6} | {:>6} | {:>7}",
            kind.label(),
            row[0],
            row[1],
            row[2],
            row[3],
            row[4]
        );
    }
}

/// Why true duplicates were not matched automatically.
fn report_misses(data: &Data, answers: &[Answer], thresholds: MatchThresholds) {
    let (mut ambiguous, mut other_best, mut low, mut not_found) = (0, 0, 0, 0);
    for (q, a) in data.queries.iter().zip(answers) {
        let Some(truth) = q.truth else { continue };
        if a.class(thresholds) == MatchClass::Same && a.best == Some(truth) {
            continue;
        }
        if !a.truth_found {
            not_found += 1;
        } else if a.best != Some(truth) {
            other_best += 1;
        } else if a.best_score >= thresholds.auto {
            ambiguous += 1;
        } else {
            low += 1;
        }
    }
    println!(
        "  missed true duplicates: {low} best but below auto, {ambiguous} best but a second account also at or above \
         auto, {other_best} another account ranked first, {not_found} not among the candidates"
    );
}

fn report_variations(data: &Data, answers: &[Answer], thresholds: MatchThresholds) {
    println!("\n  true duplicates by variation: count | matched automatically to their account");
    for (name, (count, correct)) in VARIATIONS.iter().zip(by_variation(&data.queries, answers, thresholds)) {
        println!(
            "    {:<40} {:>6} | {:>6} ({})",
            name,
            count,
            correct,
            evaluate::ratio(correct, count)
        );
    }
}

fn peer(
    options: &Options,
    data: &Data,
    engine_answers: &[Answer],
    engine_latencies: &[Duration],
    thresholds: MatchThresholds,
    summary: &mut Vec<String>,
) -> Result<()> {
    let url = &options.postgres_url;
    println!("\nPostgreSQL pg_trgm ({})", postgres::redact(url));
    let version = match postgres::available(url) {
        Ok(version) => version,
        Err(why) => {
            println!("  skipped: {why}");
            return Ok(());
        }
    };
    let trgm = match pg::trigram_extension(url) {
        Ok(version) => version,
        Err(why) => {
            println!("  skipped: {why}");
            return Ok(());
        }
    };
    let count = options.pg_queries.min(data.queries.len());
    let dir = tempfile::Builder::new().prefix("tributary-conflicts-").tempdir()?;
    let (names, names_time) = timed(|| normalised_names(data));
    let prepared: Vec<PreparedQuery> = data.queries[..count]
        .iter()
        .map(|q| PreparedQuery::new(&q.query))
        .collect();
    let pg_accounts: Vec<pg::PgAccount> = data
        .accounts
        .iter()
        .zip(&names)
        .map(|(a, name)| pg::PgAccount {
            name,
            country: data.world.countries[a.country as usize].code,
            domains: &a.domains,
        })
        .collect();
    let pg_queries: Vec<pg::PgQuery> = prepared
        .iter()
        .map(|q| pg::PgQuery {
            name: &q.name.text,
            country: q.country.as_deref(),
            domains: &q.domains,
        })
        .collect();
    pg::write_inputs(dir.path(), &pg_accounts, &pg_queries)?;
    println!(
        "  PostgreSQL {version}, pg_trgm {trgm}; normalised the names in {}, wrote CSV to {}",
        ms(names_time),
        dir.path().display()
    );
    let run = pg::run(url, dir.path(), count, options.pg_top_k, |done| {
        if done % 20_000 == 0 || done == count {
            println!("    searched {done} of {count} queries");
        }
    })?;
    println!(
        "  COPY load {}, GIN trigram index + domain index + ANALYZE {}",
        ms(run.load),
        ms(run.index)
    );
    let pg_latency = latency(&run.latencies);
    print_latency(
        &format!(
            "latency per check (server side, {count} queries, top {} + shared domains)",
            options.pg_top_k
        ),
        &pg_latency,
    );

    // The same scoring and decisions for PostgreSQL's candidates.
    let mut rescored = Vec::with_capacity(count);
    let mut trigram_best = Vec::with_capacity(count);
    for ((q, query), candidates) in prepared.iter().zip(&data.queries).zip(&run.candidates) {
        let mut ranked: Vec<(u16, i32, String, u32)> = candidates
            .iter()
            .map(|&(id, _)| {
                let account = PreparedAccount::new(&data.accounts[id as usize].candidate(&data.world));
                let (value, points) = score_points(q, &account);
                (value, points, account_id(id), id)
            })
            .filter(|c| c.0 > 0)
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let ranked: Vec<(u32, u16)> = ranked.iter().map(|c| (c.3, c.0)).collect();
        rescored.push(answer(&ranked, query.truth));
        trigram_best.push(candidates.first().copied());
    }
    let subset = &data.queries[..count];
    let pg_auto = counts(subset, &rescored, thresholds, false);
    let pg_review = counts(subset, &rescored, thresholds, true);
    let engine_auto = counts(subset, &engine_answers[..count], thresholds, false);
    let engine_review = counts(subset, &engine_answers[..count], thresholds, true);
    println!("  the same {count} queries, candidates scored with the domain's score and thresholds:");
    print_quality("pg_trgm candidates", &pg_auto, &pg_review);
    print_quality("engine            ", &engine_auto, &engine_review);
    let found = subset
        .iter()
        .zip(&rescored)
        .filter(|(q, a)| q.truth.is_some() && a.truth_found)
        .count();
    println!(
        "  true account among pg_trgm's candidates: {found} of {}",
        subset.iter().filter(|q| q.truth.is_some()).count()
    );
    println!("  pg_trgm similarity alone (best candidate's similarity ≥ t counts as the same customer):");
    for t in [500u16, 600, 700, 800, 900] {
        let mut c = Counts::default();
        for (query, best) in subset.iter().zip(&trigram_best) {
            c.positives += u64::from(query.truth.is_some());
            if let Some((id, similarity)) = best
                && *similarity >= t
            {
                c.matched += 1;
                c.correct += u64::from(query.truth == Some(*id));
            }
        }
        println!(
            "    t = 0.{}: precision {} recall {}",
            t / 100,
            c.precision(),
            c.recall()
        );
    }
    let engine_subset = latency(&engine_latencies[..count]);
    println!(
        "  latency ratio PostgreSQL ÷ engine on these queries: p50 {}, p99 {}, mean {}",
        ratio(pg_latency.p50, engine_subset.p50),
        ratio(pg_latency.p99, engine_subset.p99),
        ratio(pg_latency.mean, engine_subset.mean)
    );
    summary.push(format!(
        "PostgreSQL {version} pg_trgm: load {} + index {}, p50 {}, p99 {}, precision {} recall {} at auto {} \
         ({count} queries); PostgreSQL ÷ engine p50 {}, p99 {}",
        ms(run.load),
        ms(run.index),
        micros(pg_latency.p50),
        micros(pg_latency.p99),
        pg_auto.precision(),
        pg_auto.recall(),
        thresholds.auto,
        ratio(pg_latency.p50, engine_subset.p50),
        ratio(pg_latency.p99, engine_subset.p99),
    ));
    if options.keep_files {
        println!("  kept the files in {}", dir.keep().display());
    }
    Ok(())
}
