//! Incentives (PRODUCT.md §5) as operations: plans edited as drafts and published as
//! versions ([`plans`]), the period close that turns published plans and the facts into
//! statements ([`close`]), and the statements themselves — read, explained down to the
//! facts, exported, submitted for approval and decided ([`statements`]). The arithmetic
//! is the domain's (`tributary_domain::incentives`); these modules load its inputs, store
//! its results and audit every change.

pub mod claims;
pub mod close;
pub mod facts;
pub mod payouts;
pub mod plans;
pub mod statements;

use tributary_domain::money::Currency;

/// The deployment's base currency: pairs without a stored rate are crossed through it
/// (as tier metrics do), and a plan in another currency needs rates to exist.
pub fn base_currency() -> Currency {
    Currency::parse("USD").expect("USD is a currency")
}

/// Writes `rows` under `header` as CSV, cells a spreadsheet would run as formulas escaped.
pub fn csv_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> crate::error::AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(crate::error::internal)?;
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| tributary_interchange::escape_formula(cell).into_owned())
            .collect();
        writer.write_record(&cells).map_err(crate::error::internal)?;
    }
    writer.into_inner().map_err(crate::error::internal)
}
