//! Every metric of a structure for a list of partners, one column at a time: net revenue
//! through the fixed-point rate grid, new customers from the precomputed first-sale days,
//! and fact-based metrics from their per-name columns. Equal, partner by partner, to the
//! domain's `compute_metrics`.

use chrono::NaiveDate;
use tributary_domain::tiering::{MetricError, MetricKind, RateTable, TierStructure};

use crate::aggregate::{fact_metric_column, new_customers_column};
use crate::days::window_days;
use crate::image::FactImage;
use crate::rates::RateGrid;
use crate::revenue::{missing_rate, net_revenue_column};
use crate::table::MetricTable;

/// The metrics of `structure` at `date` for `partners` (row `i` is `partners[i]`).
///
/// A sale in a net-revenue window without an exchange rate is an error, as in the
/// reference. When several partners have one, the error reported is that of the first of
/// them in `partners` order: the one the reference gives for that partner alone (its first
/// net-revenue metric in the structure's order that fails, at the first failing sale in
/// recording order).
///
/// # Panics
/// When a partner is outside the image.
pub fn compute_metrics(
    image: &FactImage,
    structure: &TierStructure,
    date: NaiveDate,
    rates: &RateTable,
    partners: &[u32],
) -> Result<MetricTable, MetricError> {
    if let Some(p) = partners.iter().find(|p| **p >= image.partner_count) {
        panic!("partner {p} is outside the image of {} partners", image.partner_count);
    }
    let needs_rates = structure.metrics.iter().any(|m| m.kind == MetricKind::NetRevenue);
    let grid = needs_rates.then(|| RateGrid::new(image, structure.currency, rates));
    let mut table = MetricTable::default();
    let mut first_failure: Option<usize> = None;
    for definition in &structure.metrics {
        let window = window_days(definition.window, date);
        let column = match (definition.kind, definition.fact_name(), &grid) {
            (MetricKind::NetRevenue, _, Some(grid)) => {
                let (column, failure) = net_revenue_column(image, grid, window.0, window.1, partners);
                first_failure = first_failure.into_iter().chain(failure).min();
                column
            }
            (MetricKind::NewCustomers, _, _) => new_customers_column(image, window, partners),
            (_, Some(name), _) => {
                fact_metric_column(image, definition.kind, name, definition.aggregation(), window, partners)
            }
            _ => vec![None; partners.len()],
        };
        table.keys.push(definition.key.clone());
        table.columns.push(column);
    }
    match (first_failure, grid) {
        (Some(row), Some(grid)) => Err(first_error(image, &grid, structure, date, rates, partners[row])),
        _ => Ok(table),
    }
}

/// The reference's error for one partner: its first failing net-revenue metric.
fn first_error(
    image: &FactImage,
    grid: &RateGrid,
    structure: &TierStructure,
    date: NaiveDate,
    rates: &RateTable,
    partner: u32,
) -> MetricError {
    structure
        .metrics
        .iter()
        .filter(|m| m.kind == MetricKind::NetRevenue)
        .find_map(|m| {
            let (lo, hi) = window_days(m.window, date);
            missing_rate(image, grid, structure.currency, rates, partner, lo, hi)
        })
        .expect("the failing partner has a sale without a rate")
}
