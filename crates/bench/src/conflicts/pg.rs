//! The PostgreSQL `pg_trgm` peer, driven through `psql`.
//!
//! The accounts' normalised names (the domain's `normalize_company_name`, the same text the
//! engine compares), countries and domains, and the queries' normalised names, countries and
//! company domains are loaded with `\copy` into unlogged tables of a scratch schema, with a
//! GIN trigram index on the names and a b-tree on the domains (`pg_trgm` is created in that
//! schema when the database does not have it, so dropping the schema removes it again).
//! Each query then runs inside a PL/pgSQL loop on the server — no client round trip is
//! timed — as the same candidate search the engine does: names similar by trigrams
//! (`name % query`, `similarity_threshold` 0.3) in the query's country when it names one,
//! best `top_k` by `similarity()`, plus every account sharing a company domain, timed per
//! query with `clock_timestamp()`. The candidates are scored afterwards by the bench with
//! the domain's `score`, so both peers' decisions use the same scoring and thresholds.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const SCHEMA: &str = "tributary_conflicts";

fn psql(url: &str, script: &str) -> Result<String> {
    let output = Command::new("psql")
        .args([url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", script])
        .output()
        .context("running psql")?;
    if !output.status.success() {
        bail!("psql failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn psql_file(url: &str, path: &Path) -> Result<String> {
    let output = Command::new("psql")
        .args([url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-f"])
        .arg(path)
        .output()
        .context("running psql")?;
    if !output.status.success() {
        bail!("psql failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether `pg_trgm` can be used: the version it would have, or why not.
pub fn trigram_extension(url: &str) -> std::result::Result<String, String> {
    match psql(
        url,
        "SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'), \
         (SELECT default_version FROM pg_available_extensions WHERE name = 'pg_trgm'), '')",
    ) {
        Ok(version) if !version.trim().is_empty() => Ok(version.trim().to_string()),
        Ok(_) => Err(
            "the pg_trgm extension is not available (on Debian it ships with the postgresql \
                      package; elsewhere install postgresql-contrib)"
                .into(),
        ),
        Err(e) => Err(e.to_string()),
    }
}

/// A CSV field, quoted.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The input of the peer.
pub struct PgAccount<'a> {
    pub name: &'a str,
    pub country: &'a str,
    pub domains: &'a [String],
}

pub struct PgQuery<'a> {
    pub name: &'a str,
    pub country: Option<&'a str>,
    pub domains: &'a [String],
}

pub struct PgRun {
    pub load: Duration,
    pub index: Duration,
    /// Per query (in order): the candidate accounts by descending similarity, with the
    /// similarity in per mille.
    pub candidates: Vec<Vec<(u32, u16)>>,
    /// Per query, the server-side time of the search.
    pub latencies: Vec<Duration>,
}

pub fn write_inputs(dir: &Path, accounts: &[PgAccount], queries: &[PgQuery]) -> Result<()> {
    let mut text = String::with_capacity(accounts.len() * 48);
    let mut domains = String::with_capacity(accounts.len() * 24);
    for (id, a) in accounts.iter().enumerate() {
        writeln!(text, "{id},{},{}", quoted(a.name), a.country)?;
        for d in a.domains {
            writeln!(domains, "{id},{}", quoted(d))?;
        }
    }
    std::fs::write(dir.join("accounts.csv"), text)?;
    std::fs::write(dir.join("account_domains.csv"), domains)?;
    let mut text = String::with_capacity(queries.len() * 48);
    for (id, q) in queries.iter().enumerate() {
        let array = format!(
            "{{{}}}",
            q.domains.iter().map(|d| quoted(d)).collect::<Vec<_>>().join(",")
        );
        writeln!(
            text,
            "{id},{},{},{}",
            quoted(q.name),
            q.country.map(quoted).unwrap_or_default(),
            quoted(&array)
        )?;
    }
    std::fs::write(dir.join("queries.csv"), text)?;
    Ok(())
}

fn search_block(first: usize, end: usize, top_k: usize) -> String {
    format!(
        r#"
DO $$
DECLARE
  q record;
  started timestamptz;
  ids integer[];
  sims real[];
BEGIN
  FOR q IN SELECT * FROM queries WHERE qid >= {first} AND qid < {end} ORDER BY qid LOOP
    started := clock_timestamp();
    SELECT array_agg(c.id ORDER BY c.s DESC, c.id), array_agg(c.s ORDER BY c.s DESC, c.id) INTO ids, sims
    FROM (
      SELECT u.id, max(u.s) AS s FROM (
        (SELECT a.id, similarity(a.name, q.name) AS s FROM accounts a
          WHERE a.name % q.name AND (q.country IS NULL OR a.country = q.country)
          ORDER BY s DESC, a.id LIMIT {top_k})
        UNION ALL
        (SELECT a.id, similarity(a.name, q.name) AS s FROM account_domains d JOIN accounts a ON a.id = d.id
          WHERE d.domain = ANY (q.domains))
      ) u GROUP BY u.id
    ) c;
    INSERT INTO timings VALUES (q.qid, (extract(epoch FROM clock_timestamp() - started) * 1000000)::bigint);
    IF ids IS NOT NULL THEN
      INSERT INTO results SELECT q.qid, ids[i], sims[i] FROM generate_subscripts(ids, 1) AS i;
    END IF;
  END LOOP;
END $$;
"#
    )
}

/// Loads, indexes, searches `queries` (the first that many of the written queries) in chunks
/// and reads the results back; always drops the scratch schema.
pub fn run(url: &str, dir: &Path, queries: usize, top_k: usize, progress: impl Fn(usize)) -> Result<PgRun> {
    let result = run_inner(url, dir, queries, top_k, progress);
    let dropped = psql(url, &format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"));
    let run = result?;
    dropped?;
    Ok(run)
}

fn run_inner(url: &str, dir: &Path, queries: usize, top_k: usize, progress: impl Fn(usize)) -> Result<PgRun> {
    let path = |name: &str| dir.join(name).display().to_string();
    let head = format!("SET search_path = {SCHEMA}, public;\n");
    let load = format!(
        "DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;\nCREATE SCHEMA {SCHEMA};\n{head}\
         CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA {SCHEMA};\n\
         CREATE UNLOGGED TABLE accounts (id integer PRIMARY KEY, name text NOT NULL, country text NOT NULL);\n\
         CREATE UNLOGGED TABLE account_domains (id integer NOT NULL, domain text NOT NULL);\n\
         CREATE UNLOGGED TABLE queries (qid integer PRIMARY KEY, name text NOT NULL, country text, domains text[] NOT NULL);\n\
         CREATE UNLOGGED TABLE results (qid integer NOT NULL, id integer NOT NULL, s real NOT NULL);\n\
         CREATE UNLOGGED TABLE timings (qid integer NOT NULL, micros bigint NOT NULL);\n\
         \\copy accounts FROM '{}' WITH (FORMAT csv)\n\
         \\copy account_domains FROM '{}' WITH (FORMAT csv)\n\
         \\copy queries FROM '{}' WITH (FORMAT csv)\n",
        path("accounts.csv"),
        path("account_domains.csv"),
        path("queries.csv"),
    );
    let load_path = dir.join("pg_conflicts_load.sql");
    std::fs::write(&load_path, load)?;
    let started = Instant::now();
    psql_file(url, &load_path)?;
    let load_time = started.elapsed();

    let index = format!(
        "{head}CREATE INDEX accounts_name_trgm ON accounts USING gin (name gin_trgm_ops);\n\
         CREATE INDEX account_domains_domain ON account_domains (domain);\nANALYZE accounts, account_domains, queries;\n"
    );
    let index_path = dir.join("pg_conflicts_index.sql");
    std::fs::write(&index_path, index)?;
    let started = Instant::now();
    psql_file(url, &index_path)?;
    let index_time = started.elapsed();

    let chunk = 2_000;
    let mut first = 0;
    while first < queries {
        let end = (first + chunk).min(queries);
        let script = format!(
            "{head}SET pg_trgm.similarity_threshold = 0.3;\n{}",
            search_block(first, end, top_k)
        );
        let script_path = dir.join("pg_conflicts_search.sql");
        std::fs::write(&script_path, script)?;
        psql_file(url, &script_path)?;
        first = end;
        progress(first);
    }

    let out = format!(
        "{head}\\copy (SELECT qid, id, round(s * 1000)::integer FROM results ORDER BY qid, s DESC, id) TO '{}' WITH (FORMAT csv)\n\
         \\copy (SELECT qid, micros FROM timings ORDER BY qid) TO '{}' WITH (FORMAT csv)\n",
        path("pg_results.csv"),
        path("pg_timings.csv"),
    );
    let out_path = dir.join("pg_conflicts_out.sql");
    std::fs::write(&out_path, out)?;
    psql_file(url, &out_path)?;

    let mut candidates = vec![Vec::new(); queries];
    for line in std::fs::read_to_string(dir.join("pg_results.csv"))?.lines() {
        let mut fields = line.split(',');
        let (Some(q), Some(id), Some(s)) = (fields.next(), fields.next(), fields.next()) else {
            bail!("unexpected result line {line:?}");
        };
        let q: usize = q.parse()?;
        candidates[q].push((id.parse()?, s.parse()?));
    }
    let mut latencies = vec![Duration::ZERO; queries];
    for line in std::fs::read_to_string(dir.join("pg_timings.csv"))?.lines() {
        let (q, micros) = line.split_once(',').context("a timing line")?;
        latencies[q.parse::<usize>()?] = Duration::from_micros(micros.parse()?);
    }
    Ok(PgRun {
        load: load_time,
        index: index_time,
        candidates,
        latencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_and_the_search_block() {
        assert_eq!(quoted("a \"b\""), "\"a \"\"b\"\"\"");
        let block = search_block(0, 10, 7);
        assert!(block.contains("qid >= 0 AND qid < 10"));
        assert!(block.contains("LIMIT 7"));
    }
}
