//! The transaction image: every transaction in narrow struct-of-arrays columns, sorted by
//! (seller, day, recording order) and indexed by per-seller offsets, so a partner's
//! transactions in a period are two binary searches away. Two-tier sales carry their
//! distributor as a dense slot; the day of the payee's first positive sale to the account
//! is precomputed per role, so "new customers only" is a comparison per transaction.
//! Immutable once built: any number of closes read it at once from every core.

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
    /// `offsets[p]..offsets[p + 1]` are the transactions partner `p` sold.
    pub(crate) offsets: Vec<usize>,
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
            + self.offsets.capacity() * size_of::<usize>()
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

    /// The rows partner `partner` sold (empty for partners outside the image).
    pub(crate) fn sold_by(&self, partner: u32) -> Range<usize> {
        let p = partner as usize;
        if p + 1 < self.offsets.len() {
            self.offsets[p]..self.offsets[p + 1]
        } else {
            0..0
        }
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
