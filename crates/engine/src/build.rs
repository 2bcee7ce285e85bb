//! Turning recorded facts into the image: a stable counting sort by partner, a sort by day
//! inside each partner (recording order breaks ties), the distinct (currency, day) pairs
//! that will each need one FX rate, and per-partner first-sale days for new customers.
//! Everything after the counting sort runs in parallel across partners.

use std::collections::HashMap;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::builder::{FactImageBuilder, RecordedMetricFacts, RecordedSales};
use crate::image::{FactColumn, FactImage, FirstSales, SaleColumns};
use crate::narrow::{Amounts, Slots};

/// Above this many (currency, day) cells the distinct pairs are found by sorting instead of
/// with a dense marker array.
const DENSE_SLOT_CELLS_MAX: usize = 1 << 24;

impl FactImageBuilder {
    /// Builds the image for partners `0..partner_count`.
    ///
    /// # Panics
    /// When a fact names a partner outside `0..partner_count`, or more than 2^32 − 1 sales
    /// were recorded.
    pub fn build(self, partner_count: u32) -> FactImage {
        let FactImageBuilder {
            sales,
            metric_facts,
            currencies,
            metric_names,
            ..
        } = self;
        assert!(
            u32::try_from(sales.day.len()).is_ok_and(|n| n < u32::MAX),
            "too many sales"
        );
        check_partners(&sales.partner, partner_count);
        check_partners(&metric_facts.partner, partner_count);
        let (sales, accounts, rate_slots) = sort_sales(sales, partner_count, currencies.len());
        let first_sales = first_sales(&sales, &accounts);
        drop(accounts);
        let (fact_columns, fact_names) = fact_columns(metric_facts, metric_names, partner_count);
        FactImage {
            partner_count,
            currencies,
            sales,
            first_sales,
            rate_slots,
            fact_columns,
            fact_names,
        }
    }
}

fn check_partners(partners: &[u32], partner_count: u32) {
    if let Some(p) = partners.par_iter().copied().max() {
        assert!(p < partner_count, "partner {p} is outside 0..{partner_count}");
    }
}

/// Offsets of each partner's run after a stable counting sort, and the sorted order.
pub(crate) fn counting_sort(partners: &[u32], partner_count: u32) -> (Vec<usize>, Vec<u32>) {
    let mut offsets = vec![0usize; partner_count as usize + 1];
    for p in partners {
        offsets[*p as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut next = offsets.clone();
    let mut order = vec![0u32; partners.len()];
    for (i, p) in partners.iter().enumerate() {
        let slot = &mut next[*p as usize];
        order[*slot] = i as u32;
        *slot += 1;
    }
    (offsets, order)
}

/// Splits `items` into the disjoint runs `offsets[i]..offsets[i + 1]`.
pub(crate) fn runs_mut<'a, T>(mut items: &'a mut [T], offsets: &[usize]) -> Vec<&'a mut [T]> {
    let mut runs = Vec::with_capacity(offsets.len().saturating_sub(1));
    for pair in offsets.windows(2) {
        let (run, rest) = items.split_at_mut(pair[1] - pair[0]);
        runs.push(run);
        items = rest;
    }
    runs
}

/// The sales sorted by (partner, day, recording order), their accounts in the same order,
/// and the distinct (currency, day) pairs.
fn sort_sales(
    sales: RecordedSales,
    partner_count: u32,
    currency_count: usize,
) -> (SaleColumns, Vec<u32>, Vec<(u16, i32)>) {
    let (offsets, order) = counting_sort(&sales.partner, partner_count);
    let mut keyed: Vec<(i32, u32)> = order.par_iter().map(|i| (sales.day[*i as usize], *i)).collect();
    drop(order);
    runs_mut(&mut keyed, &offsets)
        .into_par_iter()
        .for_each(|run| run.sort_unstable());
    let day: Vec<i32> = keyed.par_iter().map(|(d, _)| *d).collect();
    let seq: Vec<u32> = keyed.par_iter().map(|(_, i)| *i).collect();
    drop(keyed);
    let gather = |i: &u32| *i as usize;
    let amount_minor: Vec<i64> = seq.par_iter().map(|i| sales.amount_minor[gather(i)]).collect();
    let accounts = seq.par_iter().map(|i| sales.account[gather(i)]).collect();
    let currency: Vec<u16> = seq.par_iter().map(|i| sales.currency[gather(i)]).collect();
    drop(sales);
    let (slot, rate_slots) = rate_slots(&currency, &day, currency_count);
    let has_zero_amounts = amount_minor.par_iter().any(|a| *a == 0);
    let amount_minor = Amounts::new(amount_minor);
    let columns = SaleColumns {
        max_run: offsets.windows(2).map(|pair| pair[1] - pair[0]).max().unwrap_or(0),
        max_abs_amount: amount_minor.max_abs(),
        has_zero_amounts,
        offsets,
        day,
        amount_minor,
        slot: Slots::new(slot),
        seq,
    };
    (columns, accounts, rate_slots)
}

/// Numbers the distinct (currency, day) pairs in sorted order and gives each sale its pair.
fn rate_slots(currency: &[u16], day: &[i32], currency_count: usize) -> (Vec<u32>, Vec<(u16, i32)>) {
    let Some(min_day) = day.par_iter().copied().min() else {
        return (Vec::new(), Vec::new());
    };
    let max_day = day.par_iter().copied().max().unwrap_or(min_day);
    let span = (i64::from(max_day) - i64::from(min_day) + 1) as usize;
    let offset = |d: i32| (i64::from(d) - i64::from(min_day)) as usize;
    if span.saturating_mul(currency_count) <= DENSE_SLOT_CELLS_MAX {
        let mut cells = vec![u32::MAX; span * currency_count];
        for (c, d) in currency.iter().zip(day) {
            cells[*c as usize * span + offset(*d)] = 0;
        }
        let mut pairs = Vec::new();
        for (cell, value) in cells.iter_mut().enumerate() {
            if *value == 0 {
                *value = pairs.len() as u32;
                pairs.push(((cell / span) as u16, min_day + (cell % span) as i32));
            }
        }
        let slot = currency
            .par_iter()
            .zip(day)
            .map(|(c, d)| cells[*c as usize * span + offset(*d)])
            .collect();
        (slot, pairs)
    } else {
        let mut pairs: Vec<(u16, i32)> = currency.par_iter().copied().zip(day.par_iter().copied()).collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        let slot = currency
            .par_iter()
            .zip(day)
            .map(|(c, d)| pairs.binary_search(&(*c, *d)).expect("every pair was collected") as u32)
            .collect();
        (slot, pairs)
    }
}

/// Per partner, the day each account first bought (a positive amount), sorted by day.
fn first_sales(sales: &SaleColumns, accounts: &[u32]) -> FirstSales {
    let per_partner: Vec<Vec<i32>> = sales
        .offsets
        .par_windows(2)
        .map(|pair| {
            let range = pair[0]..pair[1];
            let mut firsts: Vec<(u32, i32)> = range
                .filter(|i| sales.amount_minor.get(*i) > 0)
                .map(|i| (accounts[i], sales.day[i]))
                .collect();
            firsts.sort_unstable();
            firsts.dedup_by_key(|(account, _)| *account);
            let mut days: Vec<i32> = firsts.into_iter().map(|(_, d)| d).collect();
            days.sort_unstable();
            days
        })
        .collect();
    let mut offsets = Vec::with_capacity(per_partner.len() + 1);
    offsets.push(0);
    let mut day = Vec::with_capacity(per_partner.iter().map(Vec::len).sum());
    for days in per_partner {
        day.extend_from_slice(&days);
        offsets.push(day.len());
    }
    FirstSales { offsets, day }
}

/// One column per metric name, each sorted by (partner, day, recording order).
fn fact_columns(
    facts: RecordedMetricFacts,
    names: Vec<String>,
    partner_count: u32,
) -> (Vec<FactColumn>, HashMap<String, usize>) {
    assert!(u32::try_from(facts.partner.len()).is_ok(), "too many metric facts");
    let mut keys: Vec<(u32, u32, i32, u32)> = (0..facts.partner.len())
        .into_par_iter()
        .map(|i| (facts.metric[i], facts.partner[i], facts.day[i], i as u32))
        .collect();
    keys.par_sort_unstable();
    let mut columns = Vec::with_capacity(names.len());
    let mut start = 0;
    for metric in 0..names.len() as u32 {
        let end = start + keys[start..].partition_point(|k| k.0 == metric);
        let run = &keys[start..end];
        let mut offsets = vec![0usize; partner_count as usize + 1];
        for k in run {
            offsets[k.1 as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let value: Vec<Decimal> = run.iter().map(|k| facts.value[k.3 as usize]).collect();
        let longest = offsets.windows(2).map(|pair| pair[1] - pair[0]).max().unwrap_or(0);
        columns.push(FactColumn {
            exact_sums: sums_are_exact(&value, longest),
            offsets,
            day: run.iter().map(|k| k.2).collect(),
            value,
            seq: run.iter().map(|k| k.3).collect(),
        });
        start = end;
    }
    let index = names.into_iter().enumerate().map(|(i, name)| (name, i)).collect();
    (columns, index)
}

/// Whether `longest` values of at most the largest magnitude, at the largest scale, sum
/// below 10^28 (under a decimal's 2^96): then no partial sum of them rounds.
fn sums_are_exact(values: &[Decimal], longest: usize) -> bool {
    let largest = values.iter().map(|v| v.abs()).max().unwrap_or_default();
    let scale = values.iter().map(Decimal::scale).max().unwrap_or(0);
    let Some(bound) = largest.checked_mul(Decimal::from(longest)) else {
        return false;
    };
    scale <= Decimal::MAX_SCALE && bound < Decimal::from_i128_with_scale(10i128.pow(Decimal::MAX_SCALE - scale), 0)
}
