//! The DuckDB peer, driven through its Python package: loads the Parquet files into
//! in-memory tables (timed as the load), runs the metrics query several times as
//! `CREATE TABLE … AS` (timed as the aggregation alone), runs it once more straight over
//! the Parquet files, and writes the result as CSV for the comparison.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::sql::{TABLES, reference_data};

/// What the DuckDB run measured.
pub struct DuckDbRun {
    pub version: String,
    pub load: Duration,
    pub queries: Vec<Duration>,
    pub from_parquet: Duration,
}

/// DuckDB's version, or why it cannot be used.
pub fn available() -> std::result::Result<String, String> {
    let output = Command::new("python3")
        .args(["-c", "import duckdb; print(duckdb.__version__)"])
        .output()
        .map_err(|e| format!("python3 is not available ({e})"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(
            "the duckdb Python package is not installed: run `python3 -m pip install duckdb` \
             (add --break-system-packages for a system Python)"
                .into(),
        )
    }
}

pub fn run(version: String, data_dir: &Path, out: &Path, query: &str, runs: usize) -> Result<DuckDbRun> {
    let script = data_dir.join("duckdb_driver.py");
    std::fs::write(&script, DRIVER_SCRIPT)?;
    let query_path = data_dir.join("metrics.sql");
    std::fs::write(&query_path, query)?;
    let setup = data_dir.join("tables.txt");
    let tables: String = TABLES
        .iter()
        .map(|(name, columns)| format!("{name}:{columns}\n"))
        .collect();
    std::fs::write(&setup, tables)?;
    std::fs::write(data_dir.join("tables.txt.sql"), reference_data())?;
    let output = Command::new("python3")
        .arg(&script)
        .arg(data_dir)
        .arg(out)
        .arg(runs.to_string())
        .arg(&query_path)
        .arg(&setup)
        .output()
        .context("running python3")?;
    if !output.status.success() {
        bail!("DuckDB driver failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let mut run = DuckDbRun {
        version,
        load: Duration::ZERO,
        queries: Vec::new(),
        from_parquet: Duration::ZERO,
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some((key, value)) = line.split_once(' ') else {
            continue;
        };
        let time = Duration::from_micros(value.trim().parse()?);
        match key {
            "load_us" => run.load = time,
            "query_us" => run.queries.push(time),
            "parquet_us" => run.from_parquet = time,
            _ => {}
        }
    }
    Ok(run)
}

const DRIVER_SCRIPT: &str = r#"
import sys, time, duckdb
data_dir, out_path, runs, query_path, setup_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
query = open(query_path).read()
tables = [line.split(":", 1) for line in open(setup_path).read().splitlines() if ":" in line]
reference = open(setup_path + ".sql").read()

def micros(start):
    return int((time.perf_counter() - start) * 1_000_000)

# In-memory tables loaded from Parquet; the aggregation timed alone.
con = duckdb.connect()
start = time.perf_counter()
for name, columns in tables:
    con.execute(f"CREATE TABLE {name} ({columns})")
    con.execute(f"INSERT INTO {name} SELECT * FROM read_parquet('{data_dir}/{name}.parquet')")
con.execute(reference)
print("load_us", micros(start), flush=True)
for _ in range(runs):
    con.execute("DROP TABLE IF EXISTS result")
    start = time.perf_counter()
    con.execute("CREATE TABLE result AS " + query)
    print("query_us", micros(start), flush=True)
con.execute(f"COPY (SELECT * FROM result ORDER BY partner) TO '{out_path}' (HEADER false)")
con.close()

# The same query straight over the Parquet files (rates gain the USD row through a union).
con = duckdb.connect()
for name, _ in tables:
    source = f"read_parquet('{data_dir}/{name}.parquet')"
    if name == "rates":
        source = f"(SELECT * FROM {source} UNION ALL SELECT 'USD', DATE '1900-01-01', 1)"
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source}")
con.execute(reference.split(";")[0] + ";" + reference.split(";")[1] + ";")
start = time.perf_counter()
con.execute("CREATE TABLE result AS " + query)
print("parquet_us", micros(start), flush=True)
"#;
