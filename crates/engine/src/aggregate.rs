//! Metrics read from imported `(partner, metric, date, value)` facts and new customers.
//! A partner's facts of one name are a day-sorted run, so a window is two binary searches
//! and the latest value is the element just before the first day after the evaluation
//! date (the last one recorded on that day, as recording order is kept within a day).
//! Sums are exact whenever no partial sum of a column can exceed a decimal's capacity
//! (checked once when the image is built); otherwise they add in recording order.

use std::ops::Range;

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::tiering::{Aggregation, MetricKind, MetricValue};

use crate::days::day_range;
use crate::image::{FactColumn, FactImage};

const ROWS_PER_TASK: usize = 1024;

/// The value of a fact-based metric for each of `partners`.
pub(crate) fn fact_metric_column(
    image: &FactImage,
    kind: MetricKind,
    name: &str,
    aggregation: Aggregation,
    (lo, hi): (i32, i32),
    partners: &[u32],
) -> Vec<Option<MetricValue>> {
    let column = image.fact_column(name);
    partners
        .par_iter()
        .with_min_len(ROWS_PER_TASK)
        .map(|partner| {
            let value = match column {
                Some(column) => aggregate(column, *partner, aggregation, lo, hi),
                None => empty(aggregation),
            };
            match kind {
                MetricKind::AgreementAccepted => Some(MetricValue::Flag(value.is_some_and(|v| !v.is_zero()))),
                _ => value.map(MetricValue::Number),
            }
        })
        .collect()
}

/// The aggregate of no facts: a zero sum, no average, no latest value.
fn empty(aggregation: Aggregation) -> Option<Decimal> {
    (aggregation == Aggregation::Sum).then_some(Decimal::ZERO)
}

fn aggregate(column: &FactColumn, partner: u32, aggregation: Aggregation, lo: i32, hi: i32) -> Option<Decimal> {
    let range = column.of(partner);
    let days = &column.day[range.clone()];
    let values = &column.value[range.clone()];
    let window = || {
        let (start, end) = day_range(days, lo, hi);
        range.start + start..range.start + end
    };
    match aggregation {
        Aggregation::Sum => Some(sum(column, window())),
        Aggregation::Average => {
            let window = window();
            (!window.is_empty()).then(|| sum(column, window.clone()) / Decimal::from(window.len()))
        }
        Aggregation::Latest => {
            let end = days.partition_point(|d| *d <= hi);
            end.checked_sub(1).map(|last| values[last])
        }
    }
}

/// The sum of some facts: in day order when no sum of the column can round, otherwise in
/// recording order, as the reference adds them.
fn sum(column: &FactColumn, positions: Range<usize>) -> Decimal {
    if column.exact_sums {
        return column.value[positions].iter().sum();
    }
    let mut ordered: Vec<usize> = positions.collect();
    ordered.sort_unstable_by_key(|i| column.seq[*i]);
    ordered.into_iter().map(|i| column.value[i]).sum()
}

/// Accounts whose first positive sale with each of `partners` falls in `lo..=hi`.
pub(crate) fn new_customers_column(
    image: &FactImage,
    (lo, hi): (i32, i32),
    partners: &[u32],
) -> Vec<Option<MetricValue>> {
    partners
        .par_iter()
        .with_min_len(ROWS_PER_TASK)
        .map(|partner| {
            let (start, end) = day_range(image.first_sales_of(*partner), lo, hi);
            Some(MetricValue::Number(Decimal::from(end - start)))
        })
        .collect()
}
