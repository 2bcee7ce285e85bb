//! Statement lines as the comparison sees them — (plan, partner) with the facts counted,
//! the measure, the carry out, the unit, gross, withholding and net — and the comparison
//! of two closes line by line. Decimals compare exactly as normalised text (no trailing
//! zeros, no "-0"), so "1234.50000000000000" from SQL equals the engine's 1234.5.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use tributary_engine::incentives::PlanOutcome;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub facts: u64,
    pub measure: String,
    pub carry_out: String,
    pub unit: String,
    pub gross: String,
    pub withholding: String,
    pub net: String,
}

/// (plan index, partner) → its line.
pub type Lines = BTreeMap<(usize, u32), Line>;

/// A decimal's text without trailing fractional zeros or a negative zero.
pub fn normalise(text: &str) -> String {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = match digits.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => digits.to_string(),
    };
    let digits = match digits.trim_start_matches('0') {
        "" => "0".to_string(),
        rest if rest.starts_with('.') => format!("0{rest}"),
        rest => rest.to_string(),
    };
    if negative && digits != "0" {
        format!("-{digits}")
    } else {
        digits
    }
}

/// The lines of each plan's settlements (a plan whose close failed has none).
pub fn from_outcomes(plans: &[PlanOutcome]) -> Lines {
    let text = |d: rust_decimal::Decimal| normalise(&d.to_string());
    plans
        .iter()
        .enumerate()
        .filter_map(|(plan, outcome)| outcome.as_ref().ok().map(|settled| (plan, settled)))
        .flat_map(|(plan, settled)| {
            settled.iter().map(move |(partner, s)| {
                (
                    (plan, *partner),
                    Line {
                        facts: s.fact_count,
                        measure: text(s.measure),
                        carry_out: text(s.carry_out),
                        unit: s.unit.clone(),
                        gross: text(s.gross),
                        withholding: text(s.withholding),
                        net: text(s.net),
                    },
                )
            })
        })
        .collect()
}

/// The lines of the SQL close's CSV (plan, partner, facts, measure, carry_out, unit,
/// gross, withholding, net).
pub fn read_csv(path: &Path) -> Result<Lines> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = Lines::new();
    for row in text.lines() {
        let cells: Vec<&str> = row.split(',').collect();
        if cells.len() != 9 {
            bail!("expected 9 columns: {row}");
        }
        let key = (cells[0].parse()?, cells[1].parse()?);
        let line = Line {
            facts: cells[2].parse()?,
            measure: normalise(cells[3]),
            carry_out: normalise(cells[4]),
            unit: cells[5].to_string(),
            gross: normalise(cells[6]),
            withholding: normalise(cells[7]),
            net: normalise(cells[8]),
        };
        if lines.insert(key, line).is_some() {
            bail!("two lines for plan {} partner {}", key.0, key.1);
        }
    }
    Ok(lines)
}

/// How two closes compare.
pub struct Comparison {
    /// Lines present in both.
    pub compared: usize,
    pub differing: usize,
    pub only_first: usize,
    pub only_second: usize,
    pub examples: Vec<String>,
}

impl Comparison {
    pub fn identical(&self) -> bool {
        self.differing == 0 && self.only_first == 0 && self.only_second == 0
    }
}

impl Comparison {
    fn note(&mut self, example: impl FnOnce() -> String) {
        if self.examples.len() < 5 {
            self.examples.push(example());
        }
    }
}

/// Every line of `first` against `second` and the other way round; `plan_names` name the
/// plans in the examples of differences.
pub fn compare(first: &Lines, second: &Lines, plan_names: &[String]) -> Comparison {
    let mut result = Comparison {
        compared: 0,
        differing: 0,
        only_first: 0,
        only_second: 0,
        examples: Vec::new(),
    };
    for ((plan, partner), line) in first {
        let name = &plan_names[*plan];
        match second.get(&(*plan, *partner)) {
            None => {
                result.only_first += 1;
                result.note(|| format!("{name}, partner {partner}: only in the first: {line:?}"));
            }
            Some(other) => {
                result.compared += 1;
                if other != line {
                    result.differing += 1;
                    result.note(|| format!("{name}, partner {partner}: {line:?} vs {other:?}"));
                }
            }
        }
    }
    for ((plan, partner), line) in second {
        if !first.contains_key(&(*plan, *partner)) {
            result.only_second += 1;
            let name = &plan_names[*plan];
            result.note(|| format!("{name}, partner {partner}: only in the second: {line:?}"));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(gross: &str) -> Line {
        Line {
            facts: 3,
            measure: "1000.5".into(),
            carry_out: "0".into(),
            unit: "EUR".into(),
            gross: gross.into(),
            withholding: "0".into(),
            net: gross.into(),
        }
    }

    #[test]
    fn differences_and_missing_lines_are_counted_both_ways() {
        let engine = Lines::from([((0, 1), line("40.02")), ((0, 2), line("7")), ((1, 1), line("1"))]);
        let peer = Lines::from([((0, 1), line("40.02")), ((0, 2), line("7.01")), ((1, 2), line("1"))]);
        let names = vec!["A".to_string(), "B".to_string()];
        let c = compare(&engine, &peer, &names);
        assert_eq!((c.compared, c.differing, c.only_first, c.only_second), (2, 1, 1, 1));
        assert!(!c.identical());
        assert_eq!(c.examples.len(), 3);
        assert!(compare(&engine, &engine, &names).identical());
    }

    #[test]
    fn decimals_normalise_to_one_text() {
        assert_eq!(normalise("1234.50000000000000"), "1234.5");
        assert_eq!(normalise("-0.000"), "0");
        assert_eq!(normalise("0.0100"), "0.01");
        assert_eq!(normalise("-12.340"), "-12.34");
        assert_eq!(normalise("10000"), "10000");
        assert_eq!(normalise("-0.5"), "-0.5");
        assert_eq!(normalise("007.10"), "7.1");
    }
}
