//! The hot loop of a close: one pass over a payee's candidate rows adding, per counted
//! row, its quantity or its integer minor units times its (currency, day) cell's rate
//! mantissa into an `i128`, the OR of the cells' decimal places, the row count, and the
//! first row in recording order that cannot be converted (no rate, or no cost on a margin
//! plan). A seller's rows in a period are a few contiguous blocks; a distributor's rows are
//! spread over every seller's blocks, so distributors are tallied in one scan of the
//! period's blocks into per-slot tallies (few distributors, so they stay in cache) merged
//! across threads.

use rayon::prelude::*;

use super::grid::RateGrid;
use super::image::{HAS_COST, TransactionImage};
use super::select::{Role, Selection};

/// What a plan's measure adds up (custom metrics are not read from the image).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Quantity,
    Amount,
    Margin,
}

/// The running measure of one payee.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tally {
    /// Σ quantity, or Σ amount_minor × mantissa (at the grid's scale).
    pub sum: i128,
    /// Σ |term|, kept when the image does not bound it below 2^96 in advance.
    pub magnitude: u128,
    pub places: u32,
    pub count: u64,
    /// (recording position, row) of the first row that fails; `u32::MAX` when none.
    pub failure: (u32, u32),
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            sum: 0,
            magnitude: 0,
            places: 0,
            count: 0,
            failure: (u32::MAX, 0),
        }
    }
}

impl Tally {
    pub fn merge(&mut self, other: &Tally) {
        self.sum = self.sum.wrapping_add(other.sum);
        self.magnitude = self.magnitude.saturating_add(other.magnitude);
        self.places |= other.places;
        self.count += other.count;
        self.failure = self.failure.min(other.failure);
    }

    pub fn failed_row(&self) -> Option<usize> {
        (self.failure.0 != u32::MAX).then_some(self.failure.1 as usize)
    }
}

/// One plan's pass over the image.
pub(crate) struct Pass<'a> {
    pub image: &'a TransactionImage,
    pub selection: &'a Selection,
    pub kind: Kind,
    /// The rates into the plan currency (monetary measures only), with a fixed scale.
    pub grid: Option<&'a RateGrid>,
    /// Whether no tally can reach 2^96 in magnitude (so it need not be tracked).
    pub bounded: bool,
}

impl Pass<'_> {
    /// The tally of `partner`'s own sales.
    pub fn seller(&self, partner: u32) -> Tally {
        if self.bounded {
            self.seller_as::<true>(partner)
        } else {
            self.seller_as::<false>(partner)
        }
    }

    fn seller_as<const BOUNDED: bool>(&self, partner: u32) -> Tally {
        let (image, selection) = (self.image, self.selection);
        let mut tally = Tally::default();
        selection.sold(image, partner, |i| {
            if selection.passes(image, i) && selection.is_new(image, i, Role::Seller) {
                self.add::<BOUNDED>(i, &mut tally);
            }
        });
        tally
    }

    /// The tally of every distributor slot `s` with `wanted[s]` (index 0 unused), over the
    /// rows it distributed; with payee "both", rows the distributor also sold are left to
    /// its seller tally.
    pub fn distributors(&self, wanted: &[bool], skip_own_sales: bool) -> Vec<Tally> {
        if self.bounded {
            self.distributors_as::<true>(wanted, skip_own_sales)
        } else {
            self.distributors_as::<false>(wanted, skip_own_sales)
        }
    }

    fn distributors_as<const BOUNDED: bool>(&self, wanted: &[bool], skip_own_sales: bool) -> Vec<Tally> {
        let (image, selection) = (self.image, self.selection);
        let sellers = image.partner_count as usize;
        let pieces = rayon::current_num_threads() * 4;
        let empty = || vec![Tally::default(); wanted.len()];
        (0..sellers)
            .into_par_iter()
            .with_min_len(sellers.div_ceil(pieces).max(1))
            .fold(empty, |mut tallies, seller| {
                let own = if skip_own_sales {
                    image.slot(seller as u32).unwrap_or(0) as usize
                } else {
                    0
                };
                selection.sold(image, seller as u32, |i| {
                    let slot = image.distributor.get(i) as usize;
                    if slot != 0
                        && wanted[slot]
                        && slot != own
                        && selection.passes(image, i)
                        && selection.is_new(image, i, Role::Distributor)
                    {
                        self.add::<BOUNDED>(i, &mut tallies[slot]);
                    }
                });
                tallies
            })
            .reduce(empty, |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    x.merge(y);
                }
                a
            })
    }

    #[inline]
    fn add<const BOUNDED: bool>(&self, i: usize, tally: &mut Tally) {
        let image = self.image;
        tally.count += 1;
        let minor = match self.kind {
            Kind::Quantity => {
                tally.sum += i128::from(image.quantity.get(i));
                return;
            }
            Kind::Amount => image.amount.get(i),
            Kind::Margin => {
                if image.flags[i] & HAS_COST == 0 {
                    fail(image, i, tally);
                    return;
                }
                // As the reference computes it (the same overflow behaviour).
                image.amount.get(i) - image.cost.get(i)
            }
        };
        let grid = self.grid.expect("monetary passes have a grid");
        let cell = grid.cell(image, i);
        if cell.missing {
            fail(image, i, tally);
            return;
        }
        let term = i128::from(minor) * i128::from(cell.mantissa);
        if BOUNDED {
            tally.sum += term;
        } else {
            tally.sum = tally.sum.wrapping_add(term);
            tally.magnitude = tally.magnitude.saturating_add(term.unsigned_abs());
        }
        if minor != 0 {
            tally.places |= cell.places;
        }
    }
}

fn fail(image: &TransactionImage, i: usize, tally: &mut Tally) {
    let seq = image.seq[i];
    if seq < tally.failure.0 {
        tally.failure = (seq, i as u32);
    }
}
