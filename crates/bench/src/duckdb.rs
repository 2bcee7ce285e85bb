//! The DuckDB peer, driven through its Python package: loads the Parquet files into
//! in-memory tables and runs the workload's setup (timed together as the load), runs the
//! query several times as `CREATE TABLE … AS` (timed as the query alone), writes the
//! result as CSV for the comparison, and, when the workload says how, runs the query once
//! more straight over the Parquet files.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// What DuckDB runs.
pub struct Workload<'a> {
    /// (name, column definitions) of the tables loaded from `<name>.parquet`.
    pub tables: &'a [(&'a str, &'a str)],
    /// SQL run after loading (small reference tables, macros); part of the load.
    pub setup: &'a str,
    /// The measured query: one SELECT.
    pub query: &'a str,
    /// The columns the written result is ordered by.
    pub order_by: &'a str,
    /// SQL that defines the same names over the Parquet files (views) for a second,
    /// unloaded run; `None` skips it.
    pub over_parquet: Option<&'a str>,
}

/// What the DuckDB run measured.
pub struct DuckDbRun {
    pub version: String,
    pub load: Duration,
    pub queries: Vec<Duration>,
    pub from_parquet: Option<Duration>,
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

/// Runs `workload` on the Parquet files in `data_dir` (`runs` timed runs of the query) and
/// writes the result to `out` as CSV without a header.
pub fn run(version: String, data_dir: &Path, out: &Path, workload: &Workload<'_>, runs: usize) -> Result<DuckDbRun> {
    let script = data_dir.join("duckdb_driver.py");
    std::fs::write(&script, DRIVER_SCRIPT)?;
    let query_path = data_dir.join("query.sql");
    std::fs::write(&query_path, workload.query)?;
    let tables_path = data_dir.join("tables.txt");
    let tables: String = workload
        .tables
        .iter()
        .map(|(name, columns)| format!("{name}:{columns}\n"))
        .collect();
    std::fs::write(&tables_path, tables)?;
    let setup_path = data_dir.join("setup.sql");
    std::fs::write(&setup_path, workload.setup)?;
    let parquet_path = data_dir.join("over_parquet.sql");
    if let Some(sql) = workload.over_parquet {
        std::fs::write(&parquet_path, sql)?;
    }
    let output = Command::new("python3")
        .arg(&script)
        .arg(data_dir)
        .arg(out)
        .arg(runs.to_string())
        .arg(&query_path)
        .arg(&tables_path)
        .arg(&setup_path)
        .arg(workload.order_by)
        .arg(if workload.over_parquet.is_some() {
            parquet_path.as_os_str()
        } else {
            "-".as_ref()
        })
        .output()
        .context("running python3")?;
    if !output.status.success() {
        bail!("DuckDB driver failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let mut run = DuckDbRun {
        version,
        load: Duration::ZERO,
        queries: Vec::new(),
        from_parquet: None,
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some((key, value)) = line.split_once(' ') else {
            continue;
        };
        let time = Duration::from_micros(value.trim().parse()?);
        match key {
            "load_us" => run.load = time,
            "query_us" => run.queries.push(time),
            "parquet_us" => run.from_parquet = Some(time),
            _ => {}
        }
    }
    Ok(run)
}

const DRIVER_SCRIPT: &str = r#"
import sys, time, duckdb
data_dir, out_path, runs, query_path, tables_path, setup_path, order_by, parquet_path = sys.argv[1:9]
runs = int(runs)
query = open(query_path).read()
tables = [line.split(":", 1) for line in open(tables_path).read().splitlines() if ":" in line]
setup = open(setup_path).read()

def micros(start):
    return int((time.perf_counter() - start) * 1_000_000)

# In-memory tables loaded from Parquet, then the setup; the query timed alone.
con = duckdb.connect()
start = time.perf_counter()
for name, columns in tables:
    con.execute(f"CREATE TABLE {name} ({columns})")
    con.execute(f"INSERT INTO {name} SELECT * FROM read_parquet('{data_dir}/{name}.parquet')")
if setup.strip():
    con.execute(setup)
print("load_us", micros(start), flush=True)
for _ in range(runs):
    con.execute("DROP TABLE IF EXISTS result")
    start = time.perf_counter()
    con.execute("CREATE TABLE result AS " + query)
    print("query_us", micros(start), flush=True)
con.execute(f"COPY (SELECT * FROM result ORDER BY {order_by}) TO '{out_path}' (HEADER false)")
con.close()

# The same query straight over the Parquet files, when the workload defines the views.
if parquet_path != "-":
    con = duckdb.connect()
    con.execute(open(parquet_path).read())
    start = time.perf_counter()
    con.execute("CREATE TABLE result AS " + query)
    print("parquet_us", micros(start), flush=True)
"#;
