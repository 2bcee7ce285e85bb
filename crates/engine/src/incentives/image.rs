//! The transaction image: every transaction in narrow struct-of-arrays columns, in blocks
//! by (sale or return, calendar bucket, seller) sorted by (day, recording order) — see
//! [`super::layout`] — so a partner's transactions in a period are a few contiguous
//! ranges. Two-tier sales carry their distributor as a dense slot; the day of the payee's
//! first positive sale to the account is precomputed per role, so "new customers only" is
//! a comparison per transaction. Immutable once built: any number of closes read it at
//! once from every core.

use std::ops::Range;

use chrono::NaiveDate;
use tributary_domain::money::Currency;

use super::columns::{Signed, Unsigned};
use crate::days::date_of;

/// Flag bits of a transaction.
pub(crate) const RETURN: u8 = 1;
pub(crate) const REGISTERED: u8 = 2;
pub(crate) const HAS_COST: u8 = 4;

/// An interned product: the SKU and family strings filters compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Product {
    pub sku: String,
    pub family: String,
}

/// Where the sums of a close cannot grow beyond: with the largest rate mantissa they prove
/// (or not) that no exact sum leaves a decimal's 96 bits.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bounds {
    pub max_abs_amount: u128,
    /// The largest |amount − cost| over transactions with a cost.
    pub max_abs_margin: u128,
    /// The most transactions one partner is paid on as seller, as distributor, as either.
    pub max_seller_rows: u64,
    pub max_distributor_rows: u64,
    pub max_payee_rows: u64,
}

/// An immutable, columnar image of the transactions of partners `0..partner_count`.
#[derive(Debug, Default)]
pub struct TransactionImage {
    pub(crate) partner_count: u32,
    pub(crate) products: Vec<Product>,
    pub(crate) countries: Vec<String>,
    pub(crate) currencies: Vec<Currency>,
    /// Day number of day offset 0 (the earliest transaction); offsets run `0..span`.
    pub(crate) base_day: i32,
    pub(crate) span: u32,
    /// The first day offset of each calendar bucket (the first is 0).
    pub(crate) bucket_starts: Vec<u32>,
    /// Offsets of the (kind, bucket, seller) blocks, in that order; see [`Self::block`].
    pub(crate) blocks: Vec<u32>,
    pub(crate) day: Unsigned,
    pub(crate) flags: Vec<u8>,
    pub(crate) product: Unsigned,
    pub(crate) country: Unsigned,
    pub(crate) currency: Unsigned,
    pub(crate) quantity: Signed,
    pub(crate) amount: Signed,
    /// 0 where the cost is unknown ([`HAS_COST`] unset).
    pub(crate) cost: Signed,
    /// Position in recording order: the reference meets transactions in this order.
    pub(crate) seq: Vec<u32>,
    /// Distributor slot + 1, 0 when sold direct.
    pub(crate) distributor: Unsigned,
    /// Slot → partner.
    pub(crate) distributors: Vec<u32>,
    /// Partner → slot + 1 (0: not a distributor).
    pub(crate) slot_of: Vec<u32>,
    /// Day offset + 1 of the seller's first positive sale to the account (0: none).
    pub(crate) first_seller: Unsigned,
    /// Day offset + 1 of the distributor's first positive sale to the account (0: none).
    pub(crate) first_distributor: Unsigned,
    /// Where a partner paid as either (payee "both") has an earlier first sale to an account
    /// than in the role alone: (row, day offset + 1), sorted, for each role.
    pub(crate) both_seller: Vec<(u32, u32)>,
    pub(crate) both_distributor: Vec<(u32, u32)>,
    /// The (currency, day offset) cells transactions fall on, as `currency × span + day`,
    /// sorted; `None` when there are too many cells for a dense rate grid.
    pub(crate) cells: Option<Vec<u32>>,
    pub(crate) bounds: Bounds,
}

impl TransactionImage {
    /// Partners the image has room for (dense indexes `0..partner_count`).
    pub fn partner_count(&self) -> u32 {
        self.partner_count
    }

    /// Transactions held.
    pub fn transaction_count(&self) -> usize {
        self.seq.len()
    }

    /// Bytes the image holds on the heap (interned strings counted by length).
    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self
            .products
            .iter()
            .map(|p| p.sku.len() + p.family.len())
            .sum::<usize>()
            + self.countries.iter().map(String::len).sum::<usize>();
        strings
            + self.products.capacity() * size_of::<Product>()
            + self.countries.capacity() * size_of::<String>()
            + self.currencies.capacity() * size_of::<Currency>()
            + self.bucket_starts.capacity() * 4
            + self.blocks.capacity() * 4
            + self.day.heap_bytes()
            + self.flags.capacity()
            + self.product.heap_bytes()
            + self.country.heap_bytes()
            + self.currency.heap_bytes()
            + self.quantity.heap_bytes()
            + self.amount.heap_bytes()
            + self.cost.heap_bytes()
            + self.seq.capacity() * 4
            + self.distributor.heap_bytes()
            + self.distributors.capacity() * 4
            + self.slot_of.capacity() * 4
            + self.first_seller.heap_bytes()
            + self.first_distributor.heap_bytes()
            + (self.both_seller.capacity() + self.both_distributor.capacity()) * 8
            + self.cells.as_ref().map_or(0, |c| c.capacity() * 4)
    }

    /// The sales (or returns) `partner` sold in calendar bucket `bucket`, sorted by day.
    fn block(&self, returns: bool, bucket: usize, partner: u32) -> Range<usize> {
        let partners = self.partner_count as usize;
        let k = (usize::from(returns) * self.bucket_starts.len() + bucket) * partners + partner as usize;
        self.blocks[k] as usize..self.blocks[k + 1] as usize
    }

    /// Calls `each` with the ranges of the sales (or returns) `partner` sold dated in
    /// `lo..=hi` (day offsets); nothing for partners outside the image.
    pub(crate) fn sold(&self, partner: u32, returns: bool, (lo, hi): (u32, u32), mut each: impl FnMut(Range<usize>)) {
        if partner >= self.partner_count || lo > hi || self.seq.is_empty() {
            return;
        }
        let bucket_of = |day: u32| self.bucket_starts.partition_point(|s| *s <= day) - 1;
        for bucket in bucket_of(lo)..=bucket_of(hi) {
            let mut rows = self.block(returns, bucket, partner);
            if rows.is_empty() {
                continue;
            }
            if self.bucket_starts[bucket] < lo {
                rows.start = self.first_on_or_after(rows.clone(), lo);
            }
            if self.bucket_starts.get(bucket + 1).copied().unwrap_or(self.span) > hi + 1 {
                rows.end = self.first_on_or_after(rows.clone(), hi + 1);
            }
            if !rows.is_empty() {
                each(rows);
            }
        }
    }

    /// The first of `rows` (sorted by day) dated on or after `day`.
    fn first_on_or_after(&self, rows: Range<usize>, day: u32) -> usize {
        let (mut a, mut b) = (rows.start, rows.end);
        while a < b {
            let mid = a + (b - a) / 2;
            if self.day.get(mid) < day {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        a
    }

    /// The distributor slot of `partner`, if it distributed any transaction.
    pub(crate) fn slot(&self, partner: u32) -> Option<u32> {
        self.slot_of.get(partner as usize).copied().filter(|s| *s != 0)
    }

    pub(crate) fn date(&self, row: usize) -> NaiveDate {
        date_of(self.base_day + self.day.get(row) as i32)
    }

    pub(crate) fn currency_of(&self, row: usize) -> Currency {
        self.currencies[self.currency.get(row) as usize]
    }
}
