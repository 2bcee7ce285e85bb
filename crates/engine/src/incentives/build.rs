//! Turning recorded transactions into the image, one column at a time so the peak stays
//! near the image's own size. A stable counting sort by seller, then by day within each
//! seller's run, gives the rows a payee's first positive sale to each account is found in,
//! per role (seller, distributor, and where a partner plays both, either); a second
//! counting sort moves them into their (kind, bucket, seller) blocks. Each column is
//! gathered into its order and the old one dropped in turn; the composed permutation is
//! kept as the recording-order column.

use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::builder::{Recorded, TransactionImageBuilder};
use super::columns::{Signed, Unsigned, gather};
use super::image::{Bounds, HAS_COST, TransactionImage};
use super::layout::{bucket_starts, layout};
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
        // By seller and day first: a payee's first sales to each account are found per run.
        let (runs, order) = sort(&seller, &recorded_day, partner_count);
        drop(seller);
        let (first, last) = recorded_day.min_max().unwrap_or((0, 0));
        let base_day = i32::try_from(i64::from(anchor.unwrap_or(0)) + first).expect("days come from dates");
        let span = u32::try_from(last - first + 1).expect("days come from dates");
        let day = Unsigned::from_fn(n, span - 1, |i| (recorded_day.get(order[i] as usize) - first) as u32);
        drop(recorded_day);
        let amount = amount.gather(&order);
        let flags = gather(flags, &order);
        // Without distributors the column (all zeros) is not kept.
        let distributor = if distributors.is_empty() {
            drop(distributor);
            Unsigned::default()
        } else {
            distributor.gather(&order)
        };
        let sorted = Sorted {
            account: gather(account, &order),
            amount: &amount,
            day: &day,
            span,
        };
        let firsts = sorted.payee_firsts(&runs, &distributor, &distributors);
        drop(sorted);
        let mut bounds = row_bounds(&runs, &firsts.group_offsets, &distributors);
        // Then into blocks by (kind, bucket, seller).
        let bucket_starts = bucket_starts(base_day, span, partner_count, n);
        let (blocks, permutation) = layout(&runs, &day, &flags, &bucket_starts, span);
        drop(runs);
        let day = day.gather(&permutation);
        let amount = amount.gather(&permutation);
        let flags = gather(flags, &permutation);
        let distributor = distributor.gather(&permutation);
        let first_seller = firsts.seller.gather(&permutation);
        let first_distributor = firsts.distributor.gather(&permutation);
        let both_seller = renumber(firsts.both_seller, &permutation);
        let both_distributor = renumber(firsts.both_distributor, &permutation);
        let seq = gather(order, &permutation);
        drop(permutation);
        let product = product.gather(&seq);
        let country = country.gather(&seq);
        let currency = currency.gather(&seq);
        let quantity = quantity.gather(&seq);
        let cost = cost.gather(&seq);
        let cells = used_cells(&currency, &day, currencies.len(), span);
        (bounds.max_abs_amount, bounds.max_abs_margin) = value_bounds(&amount, &cost, &flags);
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
            bucket_starts,
            blocks,
            day,
            flags,
            product,
            country,
            currency,
            quantity,
            amount,
            cost,
            seq,
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

/// Sorts rows by seller (stably, so recording order is kept) and each seller's rows by
/// day: the permutation, and the offsets of each seller's run in it.
fn sort(seller: &[u32], day: &Signed, partner_count: u32) -> (Vec<usize>, Vec<u32>) {
    let (offsets, mut order) = counting_sort(seller, partner_count);
    // Each run's days are read once (not once per comparison) and sorted with it.
    runs_mut(&mut order, &offsets)
        .into_par_iter()
        .for_each_init(Vec::new, |keyed, run| {
            keyed.clear();
            keyed.extend(run.iter().map(|i| (day.get(*i as usize), *i)));
            keyed.sort_unstable();
            for (slot, (_, i)) in run.iter_mut().zip(keyed.iter()) {
                *slot = *i;
            }
        });
    (offsets, order)
}

/// Each row's payee's first positive sale to the row's account, per role.
struct PayeeFirsts {
    seller: Unsigned,
    distributor: Unsigned,
    both_seller: Exceptions,
    both_distributor: Exceptions,
    /// `group_offsets[s − 1]..group_offsets[s]`: how many rows distributor slot `s` has.
    group_offsets: Vec<usize>,
}

/// The sorted columns first sales are read from.
struct Sorted<'a> {
    account: Vec<u32>,
    amount: &'a Signed,
    day: &'a Unsigned,
    span: u32,
}

impl Sorted<'_> {
    fn payee_firsts(&self, offsets: &[usize], distributor: &Unsigned, distributors: &[u32]) -> PayeeFirsts {
        let n = self.account.len();
        let seller = Unsigned::from_runs(offsets, self.span, |_, rows, out| {
            let firsts = self.firsts(rows.clone());
            out.extend(rows.map(|i| first_of(&firsts, self.account[i])));
        });
        if distributors.is_empty() {
            return PayeeFirsts {
                seller,
                distributor: Unsigned::default(),
                both_seller: Vec::new(),
                both_distributor: Vec::new(),
                group_offsets: vec![0],
            };
        }
        let groups = Groups::new(distributor, distributors.len());
        let first_distributor = self.group_firsts(&groups, n);
        let both = Both {
            sorted: self,
            offsets,
            groups: &groups,
            distributors,
            first_seller: &seller,
            first_distributor: &first_distributor,
        };
        let (both_seller, both_distributor) = both.exceptions();
        let Groups {
            offsets: group_offsets,
            rows,
        } = groups;
        drop(rows);
        let distributor = Unsigned::from_fn(n, self.span, |i| first_distributor[i].load(Ordering::Relaxed));
        PayeeFirsts {
            seller,
            distributor,
            both_seller,
            both_distributor,
            group_offsets,
        }
    }

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
#[derive(Debug)]
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
        let account = &self.sorted.account;
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

/// The most rows one partner is paid on as seller, as distributor, as either.
fn row_bounds(runs: &[usize], group_offsets: &[usize], distributors: &[u32]) -> Bounds {
    let sold = |p: usize| (runs[p + 1] - runs[p]) as u64;
    let max_seller_rows = (0..runs.len() - 1).map(sold).max().unwrap_or(0);
    let distributed = |index: usize| (group_offsets[index + 1] - group_offsets[index]) as u64;
    let max_distributor_rows = (0..group_offsets.len() - 1).map(distributed).max().unwrap_or(0);
    let max_payee_rows = distributors
        .iter()
        .enumerate()
        .map(|(index, partner)| sold(*partner as usize) + distributed(index))
        .chain([max_seller_rows])
        .max()
        .unwrap_or(0);
    Bounds {
        max_seller_rows,
        max_distributor_rows,
        max_payee_rows,
        ..Bounds::default()
    }
}

/// The largest |amount| and, over rows with a cost, the largest |amount − cost|.
fn value_bounds(amount: &Signed, cost: &Signed, flags: &[u8]) -> (u128, u128) {
    let max_abs_amount = amount
        .min_max()
        .map_or(0, |(lo, hi)| u128::from(lo.unsigned_abs().max(hi.unsigned_abs())));
    let max_abs_margin = (0..flags.len())
        .into_par_iter()
        .filter(|i| flags[*i] & HAS_COST != 0)
        .map(|i| (i128::from(amount.get(i)) - i128::from(cost.get(i))).unsigned_abs())
        .max()
        .unwrap_or(0);
    (max_abs_amount, max_abs_margin)
}

/// Exceptions renumbered from seller-sorted rows to block order, sorted again.
fn renumber(exceptions: Exceptions, permutation: &[u32]) -> Exceptions {
    if exceptions.is_empty() {
        return exceptions;
    }
    let mut renumbered: Exceptions = permutation
        .par_iter()
        .enumerate()
        .filter_map(|(position, row)| {
            exceptions
                .binary_search_by_key(row, |e| e.0)
                .ok()
                .map(|k| (position as u32, exceptions[k].1))
        })
        .collect();
    renumbered.par_sort_unstable();
    renumbered
}
