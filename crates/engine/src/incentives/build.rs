//! Turning recorded transactions into the image, one column at a time so the peak stays
//! near the image's own size: a stable counting sort by seller gives a permutation (kept
//! as the recording-order column), each seller's run is sorted by day in place, and every
//! recorded column is gathered into sorted order and dropped in turn. Before the accounts
//! are dropped they give each row its payee's first positive sale to the account, per
//! role (seller, distributor, and where a partner plays both, either).

use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::builder::{Recorded, TransactionImageBuilder};
use super::columns::{Signed, Unsigned};
use super::image::{Bounds, HAS_COST, TransactionImage};
use crate::build::{counting_sort, runs_mut};

/// Above this many (currency, day) cells the close has no dense rate grid.
pub(crate) const GRID_CELLS_MAX: u64 = 1 << 21;

/// A partner's first positive sale to each account: (account, day offset + 1), sorted.
type Firsts = Vec<(u32, u32)>;

/// Rows whose "both" first sale differs from their role's: (row, day offset + 1).
type Exceptions = Vec<(u32, u32)>;

impl TransactionImageBuilder {
    /// Builds the image for partners `0..partner_count`.
    ///
    /// # Panics
    /// When a seller or distributor is outside `0..partner_count`, or 2^32 − 1 or more
    /// transactions were recorded.
    pub fn build(self, partner_count: u32) -> TransactionImage {
        let TransactionImageBuilder {
            recorded,
            products,
            countries,
            currencies,
            distributors,
            ..
        } = self;
        let Recorded {
            anchor,
            day: recorded_day,
            seller,
            distributor,
            account,
            product,
            country,
            currency,
            flags,
            quantity,
            amount,
            cost,
        } = recorded;
        let n = seller.len();
        assert!(u32::try_from(n).is_ok_and(|n| n < u32::MAX), "too many transactions");
        for partner in seller.par_iter().max().into_iter().chain(distributors.iter().max()) {
            assert!(
                *partner < partner_count,
                "partner {partner} is outside 0..{partner_count}"
            );
        }
        let (offsets, mut order) = counting_sort(&seller, partner_count);
        drop(seller);
        runs_mut(&mut order, &offsets)
            .into_par_iter()
            .for_each(|run| run.sort_unstable_by_key(|i| (recorded_day.get(*i as usize), *i)));
        let (first, last) = recorded_day.min_max().unwrap_or((0, 0));
        let base_day = i32::try_from(i64::from(anchor.unwrap_or(0)) + first).expect("days come from dates");
        let span = u32::try_from(last - first + 1).expect("days come from dates");
        let day = Unsigned::from_fn(n, span - 1, |i| (recorded_day.get(order[i] as usize) - first) as u32);
        drop(recorded_day);
        let amount = amount.gather(&order);
        let account: Vec<u32> = order.par_iter().map(|i| account[*i as usize]).collect();
        let (distributor, first_seller, first_distributor, groups, both_seller, both_distributor) = {
            let sorted = Sorted {
                account: &account,
                amount: &amount,
                day: &day,
            };
            let first_seller = Unsigned::from_runs(&offsets, span, |_, rows, out| {
                let firsts = sorted.firsts(rows.clone());
                out.extend(rows.map(|i| first_of(&firsts, account[i])));
            });
            let (distributor, groups, first_distributor) = if distributors.is_empty() {
                (Unsigned::default(), Groups::default(), Vec::new())
            } else {
                let distributor = distributor.gather(&order);
                let groups = Groups::new(&distributor, distributors.len());
                let first_distributor = sorted.group_firsts(&groups, n);
                (distributor, groups, first_distributor)
            };
            let both = Both {
                sorted: &sorted,
                offsets: &offsets,
                groups: &groups,
                distributors: &distributors,
                first_seller: &first_seller,
                first_distributor: &first_distributor,
            };
            let (both_seller, both_distributor) = both.exceptions();
            let first_distributor = if distributors.is_empty() {
                Unsigned::default()
            } else {
                Unsigned::from_fn(n, span, |i| first_distributor[i].load(Ordering::Relaxed))
            };
            (
                distributor,
                first_seller,
                first_distributor,
                groups,
                both_seller,
                both_distributor,
            )
        };
        drop(account);
        let product = product.gather(&order);
        let country = country.gather(&order);
        let currency = currency.gather(&order);
        let flags: Vec<u8> = order.par_iter().map(|i| flags[*i as usize]).collect();
        let quantity = quantity.gather(&order);
        let cost = cost.gather(&order);
        let cells = used_cells(&currency, &day, currencies.len(), span);
        let bounds = bounds(&amount, &cost, &flags, &offsets, &groups, &distributors);
        let mut slot_of = vec![0u32; partner_count as usize];
        for (slot, partner) in distributors.iter().enumerate() {
            slot_of[*partner as usize] = slot as u32 + 1;
        }
        TransactionImage {
            partner_count,
            products,
            countries,
            currencies,
            base_day,
            span,
            offsets,
            day,
            flags,
            product,
            country,
            currency,
            quantity,
            amount,
            cost,
            seq: order,
            distributor,
            distributors,
            slot_of,
            first_seller,
            first_distributor,
            both_seller,
            both_distributor,
            cells,
            bounds,
        }
    }
}

/// The sorted columns first sales are read from.
struct Sorted<'a> {
    account: &'a [u32],
    amount: &'a Signed,
    day: &'a Unsigned,
}

impl Sorted<'_> {
    /// The first positive sale to each account among `rows`.
    fn firsts(&self, rows: impl Iterator<Item = usize>) -> Firsts {
        let mut firsts: Firsts = rows
            .filter(|i| self.amount.get(*i) > 0)
            .map(|i| (self.account[i], self.day.get(i) + 1))
            .collect();
        firsts.sort_unstable();
        firsts.dedup_by_key(|f| f.0);
        firsts
    }

    /// Per row sold through a distributor, the distributor's first sale to the account.
    fn group_firsts(&self, groups: &Groups, n: usize) -> Vec<AtomicU32> {
        let column: Vec<AtomicU32> = (0..n).into_par_iter().map(|_| AtomicU32::new(0)).collect();
        (0..groups.len()).into_par_iter().for_each(|slot| {
            let rows = groups.rows(slot);
            let firsts = self.firsts(rows.iter().map(|r| *r as usize));
            for row in rows {
                let first = first_of(&firsts, self.account[*row as usize]);
                column[*row as usize].store(first, Ordering::Relaxed);
            }
        });
        column
    }
}

fn first_of(firsts: &Firsts, account: u32) -> u32 {
    firsts
        .binary_search_by_key(&account, |f| f.0)
        .map_or(0, |k| firsts[k].1)
}

/// The rows of each distributor slot (slot `s` at index `s − 1`), in row order.
#[derive(Debug, Default)]
struct Groups {
    offsets: Vec<usize>,
    rows: Vec<u32>,
}

impl Groups {
    fn new(distributor: &Unsigned, slots: usize) -> Groups {
        let mut offsets = vec![0usize; slots + 1];
        for i in 0..distributor.len() {
            let slot = distributor.get(i) as usize;
            if slot != 0 {
                offsets[slot] += 1;
            }
        }
        for s in 1..offsets.len() {
            offsets[s] += offsets[s - 1];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; offsets[slots]];
        for i in 0..distributor.len() {
            let slot = distributor.get(i) as usize;
            if slot != 0 {
                rows[next[slot - 1]] = i as u32;
                next[slot - 1] += 1;
            }
        }
        Groups { offsets, rows }
    }

    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn range(&self, index: usize) -> Range<usize> {
        self.offsets[index]..self.offsets[index + 1]
    }

    fn rows(&self, index: usize) -> &[u32] {
        &self.rows[self.range(index)]
    }
}

/// Partners that both sell and distribute: where their first sale to an account in either
/// role is earlier than in the role of a row, the row's "both" first sale differs.
struct Both<'a> {
    sorted: &'a Sorted<'a>,
    offsets: &'a [usize],
    groups: &'a Groups,
    distributors: &'a [u32],
    first_seller: &'a Unsigned,
    first_distributor: &'a [AtomicU32],
}

impl Both<'_> {
    fn exceptions(&self) -> (Exceptions, Exceptions) {
        let (mut seller, mut distributor): (Exceptions, Exceptions) = self
            .distributors
            .par_iter()
            .enumerate()
            .map(|(index, partner)| self.of(*partner, index))
            .reduce(
                || (Vec::new(), Vec::new()),
                |mut a, b| {
                    a.0.extend(b.0);
                    a.1.extend(b.1);
                    a
                },
            );
        seller.par_sort_unstable();
        distributor.par_sort_unstable();
        (seller, distributor)
    }

    fn of(&self, partner: u32, index: usize) -> (Exceptions, Exceptions) {
        let sold = self.offsets[partner as usize]..self.offsets[partner as usize + 1];
        if sold.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let distributed = self.groups.rows(index);
        let rows = sold.clone().chain(distributed.iter().map(|r| *r as usize));
        let either = self.sorted.firsts(rows);
        let account = self.sorted.account;
        let seller = sold
            .map(|row| (row, first_of(&either, account[row])))
            .filter(|(row, first)| *first != self.first_seller.get(*row))
            .map(|(row, first)| (row as u32, first))
            .collect();
        let distributor = distributed
            .iter()
            .map(|row| (*row, first_of(&either, account[*row as usize])))
            .filter(|(row, first)| *first != self.first_distributor[*row as usize].load(Ordering::Relaxed))
            .collect();
        (seller, distributor)
    }
}

/// The distinct `currency × span + day` cells, sorted, when a dense grid of them is small.
fn used_cells(currency: &Unsigned, day: &Unsigned, currencies: usize, span: u32) -> Option<Vec<u32>> {
    let cells = (currencies as u64).saturating_mul(u64::from(span));
    if cells > GRID_CELLS_MAX {
        return None;
    }
    let mut used = vec![false; cells as usize];
    for i in 0..day.len() {
        used[(currency.get(i) * span + day.get(i)) as usize] = true;
    }
    Some(
        used.iter()
            .enumerate()
            .filter(|(_, u)| **u)
            .map(|(cell, _)| cell as u32)
            .collect(),
    )
}

fn bounds(
    amount: &Signed,
    cost: &Signed,
    flags: &[u8],
    offsets: &[usize],
    groups: &Groups,
    distributors: &[u32],
) -> Bounds {
    let max_abs_amount = amount
        .min_max()
        .map_or(0, |(lo, hi)| u128::from(lo.unsigned_abs().max(hi.unsigned_abs())));
    let max_abs_margin = (0..flags.len())
        .into_par_iter()
        .filter(|i| flags[*i] & HAS_COST != 0)
        .map(|i| (i128::from(amount.get(i)) - i128::from(cost.get(i))).unsigned_abs())
        .max()
        .unwrap_or(0);
    let sold = |p: usize| (offsets[p + 1] - offsets[p]) as u64;
    let max_seller_rows = (0..offsets.len() - 1).map(sold).max().unwrap_or(0);
    let distributed = |index: usize| groups.range(index).len() as u64;
    let max_distributor_rows = (0..groups.len()).map(distributed).max().unwrap_or(0);
    let max_payee_rows = distributors
        .iter()
        .enumerate()
        .map(|(index, partner)| sold(*partner as usize) + distributed(index))
        .chain([max_seller_rows])
        .max()
        .unwrap_or(0);
    Bounds {
        max_abs_amount,
        max_abs_margin,
        max_seller_rows,
        max_distributor_rows,
        max_payee_rows,
    }
}
