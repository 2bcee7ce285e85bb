//! The fact image: every fact of every partner in struct-of-arrays columns, sorted by
//! (partner, day) with recording order kept within a day, and indexed by per-partner
//! offsets. It is immutable once built, so any number of evaluations and simulations can
//! read it at once from every core.

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;
use tributary_domain::money::Currency;

use crate::narrow::{Amounts, Slots};

/// The sales columns, sorted by (partner, day, recording order).
#[derive(Debug, Default)]
pub(crate) struct SaleColumns {
    /// `offsets[p]..offsets[p + 1]` are partner `p`'s sales.
    pub offsets: Vec<usize>,
    pub day: Vec<i32>,
    pub amount_minor: Amounts,
    /// Index into [`FactImage::rate_slots`]: the sale's (currency, day).
    pub slot: Slots,
    /// Position in recording order (which line the reference meets first).
    pub seq: Vec<u32>,
    /// The most sales one partner has, and the largest amount's magnitude: together they
    /// bound every net-revenue sum, so most evaluations can skip overflow checks.
    pub max_run: usize,
    pub max_abs_amount: u64,
    /// Whether any sale has a zero amount (which adds nothing, not even decimal places).
    pub has_zero_amounts: bool,
}

/// For each partner, the days of the first positive sale to each of its accounts, sorted.
#[derive(Debug, Default)]
pub(crate) struct FirstSales {
    pub offsets: Vec<usize>,
    pub day: Vec<i32>,
}

/// The facts of one imported metric name, sorted by (partner, day, recording order).
#[derive(Debug, Default)]
pub(crate) struct FactColumn {
    pub offsets: Vec<usize>,
    pub day: Vec<i32>,
    pub value: Vec<Decimal>,
    /// Position in recording order, for sums that must be added in the reference's order.
    pub seq: Vec<u32>,
    /// Whether every sum over one partner's facts is exact in decimals (so the order of
    /// adding cannot matter): the largest value times the longest run, at the largest
    /// scale, stays below a decimal's capacity.
    pub exact_sums: bool,
}

/// An immutable, columnar image of the facts of `partner_count` partners.
#[derive(Debug, Default)]
pub struct FactImage {
    pub(crate) partner_count: u32,
    pub(crate) currencies: Vec<Currency>,
    pub(crate) sales: SaleColumns,
    pub(crate) first_sales: FirstSales,
    /// The distinct (currency index, day) pairs of the sales, sorted; one FX rate each.
    pub(crate) rate_slots: Vec<(u16, i32)>,
    pub(crate) fact_columns: Vec<FactColumn>,
    pub(crate) fact_names: HashMap<String, usize>,
}

impl FactImage {
    /// Partners the image has room for (dense indexes `0..partner_count`).
    pub fn partner_count(&self) -> u32 {
        self.partner_count
    }

    /// Facts held: sales plus metric facts.
    pub fn fact_count(&self) -> usize {
        self.sale_count() + self.fact_columns.iter().map(|c| c.day.len()).sum::<usize>()
    }

    /// Sales facts held.
    pub fn sale_count(&self) -> usize {
        self.sales.day.len()
    }

    /// The currencies the sales are in.
    pub fn currencies(&self) -> &[Currency] {
        &self.currencies
    }

    /// Metric facts of one name, if any were recorded.
    pub(crate) fn fact_column(&self, name: &str) -> Option<&FactColumn> {
        self.fact_names.get(name).map(|index| &self.fact_columns[*index])
    }

    pub(crate) fn sales_of(&self, partner: u32) -> Range<usize> {
        segment(&self.sales.offsets, partner)
    }

    pub(crate) fn first_sales_of(&self, partner: u32) -> &[i32] {
        &self.first_sales.day[segment(&self.first_sales.offsets, partner)]
    }
}

impl FactColumn {
    pub(crate) fn of(&self, partner: u32) -> Range<usize> {
        segment(&self.offsets, partner)
    }
}

fn segment(offsets: &[usize], partner: u32) -> Range<usize> {
    let p = partner as usize;
    assert!(p + 1 < offsets.len(), "partner {partner} is outside the image");
    offsets[p]..offsets[p + 1]
}
