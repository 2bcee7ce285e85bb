//! Net revenue per partner over a window. The fast path sums `amount_minor × mantissa`
//! in `i128` over the partner's sales in the window (a binary search finds them) and makes
//! one decimal at the end, at the scale the reference's sum has (the largest scale of its
//! non-zero terms; the reference's own sum can end at a smaller scale when its running
//! total passes through exactly zero — the same value, written with fewer places).
//!
//! The result equals the reference's exactly because neither can round: Σ |term| below
//! 2^96 means every product and partial sum of the reference fits a decimal. Where that
//! is not proven (or the rates have no common fixed-point form), the partner falls back
//! to the reference's own arithmetic, line by line in recording order, roundings and all.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::tiering::{MetricError, MetricValue, RateTable};

use crate::days::day_range;
use crate::image::FactImage;
use crate::narrow::{Amount, Amounts, Slot, Slots};
use crate::rates::{FixedRates, RateGrid};

/// Rows processed together by one task.
const ROWS_PER_TASK: usize = 512;

/// 2^96: a decimal's mantissa is below it.
const DECIMAL_CAPACITY: u128 = 1 << 96;

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
    // The reference is exact (no product or partial sum exceeds a decimal's 96 bits) when
    // even the largest amount times the largest mantissa, as many times as the longest run
    // of sales, stays below 2^96; then no partner needs checking.
    let bounded = grid.fixed.as_ref().is_some_and(|fixed| {
        u128::from(image.sales.max_abs_amount)
            .checked_mul(u128::from(fixed.max_abs_mantissa))
            .and_then(|bound| bound.checked_mul(image.sales.max_run as u128))
            .is_some_and(|bound| bound < DECIMAL_CAPACITY)
    });
    let column = partners
        .par_iter()
        .enumerate()
        .with_min_len(ROWS_PER_TASK)
        .map(|(row, partner)| {
            let lines = window_lines(image, *partner, lo, hi);
            if grid.any_missing && lines.clone().any(|i| grid.missing[image.sales.slot.get(i) as usize]) {
                first_failure.fetch_min(row, Ordering::Relaxed);
                return None;
            }
            let total = grid
                .fixed
                .as_ref()
                .and_then(|fixed| fixed_sum(image, fixed, lines.clone(), bounded))
                .unwrap_or_else(|| reference_sum(image, grid, lines));
            Some(MetricValue::Number(total))
        })
        .collect();
    let failure = first_failure.into_inner();
    (column, (failure != usize::MAX).then_some(failure))
}

/// The positions of a partner's sales dated in `lo..=hi`.
fn window_lines(image: &FactImage, partner: u32, lo: i32, hi: i32) -> Range<usize> {
    let range = image.sales_of(partner);
    let (start, end) = day_range(&image.sales.day[range.clone()], lo, hi);
    range.start + start..range.start + end
}

/// Σ amount × rate in fixed point, as a decimal at the largest scale of its terms;
/// `None` when the reference's own arithmetic might have had to round (so only it gives
/// the reference's value).
fn fixed_sum(image: &FactImage, fixed: &FixedRates, lines: Range<usize>, bounded: bool) -> Option<Decimal> {
    let s = &image.sales;
    let zeros = s.has_zero_amounts;
    let (sum, places) = match (&s.amount_minor, &s.slot) {
        (Amounts::I32(a), Slots::U16(t)) => accumulate(&a[lines.clone()], &t[lines], fixed, bounded, zeros)?,
        (Amounts::I32(a), Slots::U32(t)) => accumulate(&a[lines.clone()], &t[lines], fixed, bounded, zeros)?,
        (Amounts::I64(a), Slots::U16(t)) => accumulate(&a[lines.clone()], &t[lines], fixed, bounded, zeros)?,
        (Amounts::I64(a), Slots::U32(t)) => accumulate(&a[lines.clone()], &t[lines], fixed, bounded, zeros)?,
    };
    let scale = u32::BITS - 1 - places.leading_zeros().min(u32::BITS - 1);
    let shift = fixed.scale - scale;
    // Exact: every term is a multiple of 10^shift at the common scale.
    let exact = match i64::try_from(sum) {
        Ok(small) if shift <= 18 => i128::from(small / 10i64.pow(shift)),
        _ => sum / 10i128.pow(shift),
    };
    Decimal::try_from_i128_with_scale(exact, scale).ok()
}

/// The fixed-point sum and the OR of the scale bits of its non-zero terms. Unless the
/// whole image is `bounded`, Σ |term| is kept too and `None` returned once it reaches
/// 2^96 (every term is below 2^126, so nothing overflows before that). The loop is
/// specialised so the common case stays a multiply, an add and an OR per sale.
fn accumulate<A: Amount, S: Slot>(
    amounts: &[A],
    slots: &[S],
    fixed: &FixedRates,
    bounded: bool,
    zeros: bool,
) -> Option<(i128, u32)> {
    match (bounded, zeros) {
        (true, false) => accumulate_as::<A, S, true, false>(amounts, slots, fixed),
        (true, true) => accumulate_as::<A, S, true, true>(amounts, slots, fixed),
        (false, false) => accumulate_as::<A, S, false, false>(amounts, slots, fixed),
        (false, true) => accumulate_as::<A, S, false, true>(amounts, slots, fixed),
    }
}

fn accumulate_as<A: Amount, S: Slot, const BOUNDED: bool, const ZEROS: bool>(
    amounts: &[A],
    slots: &[S],
    fixed: &FixedRates,
) -> Option<(i128, u32)> {
    let mut sum: i128 = 0;
    let mut magnitude: u128 = 0;
    let mut places: u32 = 0;
    for (amount, slot) in amounts.iter().zip(slots) {
        let amount = amount.wide();
        let (mantissa, bit) = fixed.slots[slot.index()];
        let term = i128::from(amount) * i128::from(mantissa);
        sum += term;
        if !BOUNDED {
            magnitude += term.unsigned_abs();
            if magnitude >= DECIMAL_CAPACITY {
                return None;
            }
        }
        places |= if ZEROS { bit * u32::from(amount != 0) } else { bit };
    }
    Some((sum, places))
}

/// The reference's arithmetic: each line converted as a decimal and added, in recording order.
fn reference_sum(image: &FactImage, grid: &RateGrid, lines: Range<usize>) -> Decimal {
    let mut ordered: Vec<usize> = lines.collect();
    ordered.sort_unstable_by_key(|i| image.sales.seq[*i]);
    ordered.into_iter().fold(Decimal::ZERO, |total, i| {
        let slot = image.sales.slot.get(i);
        let (currency, _) = RateGrid::slot_currency(image, slot);
        total + currency.from_minor(image.sales.amount_minor.get(i)) * grid.rates[slot as usize]
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
        .filter(|i| grid.missing[image.sales.slot.get(*i) as usize])
        .min_by_key(|i| image.sales.seq[*i])?;
    let (currency, date) = RateGrid::slot_currency(image, image.sales.slot.get(first));
    rates.rate(currency, target, date).err()
}
