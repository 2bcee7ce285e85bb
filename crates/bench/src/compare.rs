//! Checking a peer's metric values against the engine's, partner by partner, exactly:
//! decimals compare by value; CSAT compares the engine's average with the peer's exact
//! sum divided by its count in rust_decimal (the reference's own division).

use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use tributary_domain::tiering::MetricValue;
use tributary_engine::MetricTable;

/// The outcome of one comparison.
pub struct Comparison {
    pub partners: usize,
    pub mismatches: usize,
    pub examples: Vec<String>,
}

fn cell(text: &str) -> Result<Option<Decimal>> {
    if text.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        Decimal::from_str(text).with_context(|| format!("not a decimal: {text}"))?,
    ))
}

pub fn compare(table: &MetricTable, csv: &Path) -> Result<Comparison> {
    let column = |key: &str| {
        let index = table
            .keys
            .iter()
            .position(|k| k == key)
            .expect("the program defines the key");
        &table.columns[index]
    };
    let (revenue, new_customers, certified, csat, agreement, events) = (
        column("revenue_12m"),
        column("new_customers_12m"),
        column("certified"),
        column("csat"),
        column("agreement"),
        column("events_fy"),
    );
    let number = |v: Option<Decimal>| v.map(MetricValue::Number);
    let text = std::fs::read_to_string(csv).with_context(|| format!("reading {}", csv.display()))?;
    let mut result = Comparison {
        partners: 0,
        mismatches: 0,
        examples: Vec::new(),
    };
    for line in text.lines() {
        let cells: Vec<&str> = line.split(',').collect();
        let row: usize = cells[0].parse()?;
        let csat_count: u64 = cells[5].parse()?;
        let peer_csat = match cell(cells[4])? {
            Some(sum) if csat_count > 0 => Some(MetricValue::Number(sum / Decimal::from(csat_count))),
            _ => None,
        };
        let checks = [
            ("revenue_12m", revenue[row], number(cell(cells[1])?)),
            ("new_customers_12m", new_customers[row], number(cell(cells[2])?)),
            ("certified", certified[row], number(cell(cells[3])?)),
            ("csat", csat[row], peer_csat),
            (
                "agreement",
                agreement[row],
                Some(MetricValue::Flag(cell(cells[6])?.is_some_and(|v| !v.is_zero()))),
            ),
            ("events_fy", events[row], number(cell(cells[7])?)),
        ];
        result.partners += 1;
        let wrong: Vec<String> = checks
            .iter()
            .filter(|(_, engine, peer)| engine != peer)
            .map(|(key, engine, peer)| format!("{key}: engine {engine:?}, peer {peer:?}"))
            .collect();
        if !wrong.is_empty() {
            result.mismatches += 1;
            if result.examples.len() < 5 {
                result.examples.push(format!("partner {row}: {}", wrong.join("; ")));
            }
        }
    }
    Ok(result)
}
