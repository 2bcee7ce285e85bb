//! Net revenue per partner over a window. The fast path sums `amount_minor × mantissa`
//! in `i128` over the partner's sales in the window (a binary search finds them) and makes
//! one decimal at the end, at the scale the reference's sum has. If the sum would overflow
//! or not fit a decimal, or the rates have no common fixed-point form, the partner falls
//! back to the reference's own arithmetic, line by line in recording order.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::tiering::{MetricError, MetricValue, RateTable};

use crate::days::day_range;
use crate::image::FactImage;
use crate::rates::{FixedRates, RateGrid};

/// Rows processed together by one task.
const ROWS_PER_TASK: usize = 512;

/// The net revenue column over `lo..=hi` for `partners`, and the first row (in `partners`
/// order) with a sale in the window that has no rate, if any (its value is left absent).
pub(crate) fn net_revenue_column(
    image: &FactImage,
    grid: &RateGrid,
    lo: i32,
    hi: i32,
    partners: &[u32],
) -> (Vec<Option<MetricValue>>, Option<usize>) {
    let first_failure = AtomicUsize::new(usize::MAX);
    let column = partners
        .par_iter()
        .enumerate()
        .with_min_len(ROWS_PER_TASK)
        .map(|(row, partner)| {
            let lines = window_lines(image, *partner, lo, hi);
            if grid.any_missing && lines.clone().any(|i| grid.missing[image.sales.slot[i] as usize]) {
                first_failure.fetch_min(row, Ordering::Relaxed);
                return None;
            }
            let total = grid
                .fixed
                .as_ref()
                .and_then(|fixed| fixed_sum(image, fixed, lines.clone()))
                .unwrap_or_else(|| reference_sum(image, grid, lines));
            Some(MetricValue::Number(total))
        })
        .collect();
    let failure = first_failure.into_inner();
    (column, (failure != usize::MAX).then_some(failure))
}

/// The positions of a partner's sales dated in `lo..=hi`.
fn window_lines(image: &FactImage, partner: u32, lo: i32, hi: i32) -> std::ops::Range<usize> {
    let range = image.sales_of(partner);
    let (start, end) = day_range(&image.sales.day[range.clone()], lo, hi);
    range.start + start..range.start + end
}

/// Σ amount × rate in fixed point, as a decimal at the largest scale of its terms;
/// `None` on overflow.
fn fixed_sum(image: &FactImage, fixed: &FixedRates, lines: std::ops::Range<usize>) -> Option<Decimal> {
    let amounts = &image.sales.amount_minor[lines.clone()];
    let slots = &image.sales.slot[lines];
    let mut sum: i128 = 0;
    let mut scale: u8 = 0;
    for (amount, slot) in amounts.iter().zip(slots) {
        let slot = *slot as usize;
        sum = sum.checked_add(i128::from(*amount) * i128::from(fixed.mantissa[slot]))?;
        scale = scale.max(fixed.term_scale[slot] * u8::from(*amount != 0));
    }
    let scale = u32::from(scale);
    let exact = sum / 10i128.pow(fixed.scale - scale);
    Decimal::try_from_i128_with_scale(exact, scale).ok()
}

/// The reference's arithmetic: each line converted as a decimal and added, in recording order.
fn reference_sum(image: &FactImage, grid: &RateGrid, lines: std::ops::Range<usize>) -> Decimal {
    let mut ordered: Vec<usize> = lines.collect();
    ordered.sort_unstable_by_key(|i| image.sales.seq[*i]);
    ordered.into_iter().fold(Decimal::ZERO, |total, i| {
        let slot = image.sales.slot[i];
        let (currency, _) = RateGrid::slot_currency(image, slot);
        total + currency.from_minor(image.sales.amount_minor[i]) * grid.rates[slot as usize]
    })
}

/// The error the reference reports for a partner whose window holds a sale without a rate:
/// the first such sale in recording order.
pub(crate) fn missing_rate(
    image: &FactImage,
    grid: &RateGrid,
    target: Currency,
    rates: &RateTable,
    partner: u32,
    lo: i32,
    hi: i32,
) -> Option<MetricError> {
    let first = window_lines(image, partner, lo, hi)
        .filter(|i| grid.missing[image.sales.slot[*i] as usize])
        .min_by_key(|i| image.sales.seq[*i])?;
    let (currency, date) = RateGrid::slot_currency(image, image.sales.slot[first]);
    rates.rate(currency, target, date).err()
}
