//! The PostgreSQL peer, driven through `psql`: the CSV files are loaded with `\copy` into
//! unlogged tables of a scratch schema (timed as the load, with the rates index and
//! ANALYZE), the metrics query runs several times as `CREATE TABLE … AS` timed by psql's
//! `\timing`, and the result is copied out as CSV for the comparison. The schema is
//! dropped afterwards.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::sql::{TABLES, reference_data};
use crate::timing::timed;

pub const DEFAULT_URL: &str = "postgres://postgres:postgres@127.0.0.1:5432/postgres";
const SCHEMA: &str = "tributary_bench";

pub struct PostgresRun {
    pub version: String,
    pub load: Duration,
    pub queries: Vec<Duration>,
}

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
        .args([url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
        .arg(path)
        .output()
        .context("running psql")?;
    if !output.status.success() {
        bail!("psql failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The server's version, or why it cannot be used.
pub fn available(url: &str) -> std::result::Result<String, String> {
    psql(url, "SHOW server_version")
        .map(|v| v.trim().to_string())
        .map_err(|e| format!("PostgreSQL at {} is not reachable ({e})", redact(url)))
}

/// The URL without its password, for printing.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// "Time: 1234.567 ms" → 1234.567 ms.
fn parse_timing(line: &str) -> Option<Duration> {
    let number = line.strip_prefix("Time: ")?.split_whitespace().next()?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    let fraction = format!("{fraction:0<3}");
    Some(Duration::from_micros(
        whole.parse::<u64>().ok()? * 1000 + fraction[..3].parse::<u64>().ok()?,
    ))
}

pub fn run(version: String, url: &str, data_dir: &Path, out: &Path, query: &str, runs: usize) -> Result<PostgresRun> {
    let mut load =
        format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;\nCREATE SCHEMA {SCHEMA};\nSET search_path = {SCHEMA};\n");
    for (name, columns) in TABLES {
        load += &format!("CREATE UNLOGGED TABLE {name} ({columns});\n");
        load += &format!(
            "\\copy {name} FROM '{}' WITH (FORMAT csv)\n",
            data_dir.join(format!("{name}.csv")).display()
        );
    }
    load += &reference_data();
    load += "CREATE INDEX ON rates (currency, day);\nANALYZE partners, sales, rates, metric_facts, currencies;\n";
    let load_path = data_dir.join("pg_load.sql");
    std::fs::write(&load_path, load)?;
    let (loaded, load_time) = timed(|| psql_file(url, &load_path));
    loaded?;

    let mut script = format!("SET search_path = {SCHEMA};\nSET work_mem = '256MB';\n");
    for _ in 0..runs {
        script += "DROP TABLE IF EXISTS result;\n\\timing on\n";
        script += &format!("CREATE UNLOGGED TABLE result AS {query};\n\\timing off\n");
    }
    script += &format!(
        "\\copy (SELECT * FROM result ORDER BY partner) TO '{}' WITH (FORMAT csv)\n",
        out.display()
    );
    let query_path = data_dir.join("pg_query.sql");
    std::fs::write(&query_path, script)?;
    let output = psql_file(url, &query_path);
    let dropped = psql(url, &format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"));
    let output = output?;
    dropped?;
    let queries = output.lines().filter_map(parse_timing).collect();
    Ok(PostgresRun {
        version,
        load: load_time,
        queries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings_and_urls() {
        assert_eq!(
            parse_timing("Time: 1234.5 ms (00:01.235)"),
            Some(Duration::from_micros(1_234_500))
        );
        assert_eq!(parse_timing("Time: 7.123 ms"), Some(Duration::from_micros(7_123)));
        assert_eq!(parse_timing("SELECT 1"), None);
        assert_eq!(redact(DEFAULT_URL), "postgres://postgres:***@127.0.0.1:5432/postgres");
        assert_eq!(redact("postgres://bench@db/x"), "postgres://bench@db/x");
    }
}
