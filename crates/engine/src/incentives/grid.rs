//! FX rates of one close as a dense grid over (currency, day) cells, per plan currency.
//! Every cell a transaction falls on is looked up once with the reference's own
//! [`RateTable::rate`] (so cross rates through the base currency are the same decimals), and
//! held as an integer mantissa at one common scale that also absorbs the currency's minor
//! units: a measure is then `Σ amount_minor × mantissa` in `i128` — the integer minor units
//! of each (currency, day) times that day's rate, summed exactly — made a decimal once.

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::tiering::RateTable;

use super::image::TransactionImage;
use crate::days::date_of;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cell {
    /// The rate × 10^(scale − minor units − rate scale).
    pub mantissa: i64,
    /// `1 << (minor units + rate scale)`: the places the reference's converted amount has
    /// (0 for a zero rate, which adds nothing). OR-ing them gives a sum's scale.
    pub places: u32,
    /// No rate for this cell: a counted transaction on it fails the close.
    pub missing: bool,
}

/// The rates into one plan currency.
#[derive(Debug)]
pub(crate) struct RateGrid {
    span: usize,
    cells: Vec<Cell>,
    /// The common scale of the mantissas; `None` when some rate has no `i64` mantissa at a
    /// common scale of at most 28 (then measures take the reference's arithmetic).
    pub scale: Option<u32>,
    pub max_abs_mantissa: u64,
}

impl RateGrid {
    /// The grid into `target`, or `None` when the image has too many cells for one.
    pub fn new(image: &TransactionImage, target: Currency, rates: &RateTable) -> Option<RateGrid> {
        let used = image.cells.as_ref()?;
        let span = image.span as usize;
        let looked_up: Vec<(usize, Option<Decimal>)> = used
            .par_iter()
            .map(|cell| {
                let cell = *cell as usize;
                let currency = image.currencies[cell / span];
                let date = date_of(image.base_day + (cell % span) as i32);
                (cell, rates.rate(currency, target, date).ok())
            })
            .collect();
        let minor = |cell: usize| image.currencies[cell / span].minor_units();
        let rate_scale = looked_up.iter().filter_map(|(_, r)| r.map(|r| r.scale())).max();
        let minor_max = looked_up.iter().map(|(cell, _)| minor(*cell)).max().unwrap_or(0);
        let mut scale = Some(rate_scale.unwrap_or(0) + minor_max).filter(|s| *s <= Decimal::MAX_SCALE);
        let mut cells = vec![Cell::default(); image.currencies.len() * span];
        for (cell, rate) in &looked_up {
            let entry = &mut cells[*cell];
            let Some(rate) = rate else {
                entry.missing = true;
                continue;
            };
            let places = minor(*cell) + rate.scale();
            let mantissa = scale.and_then(|s| {
                let shifted = rate.mantissa().checked_mul(10i128.checked_pow(s - places)?)?;
                i64::try_from(shifted).ok()
            });
            match mantissa {
                Some(mantissa) => {
                    entry.mantissa = mantissa;
                    entry.places = if rate.is_zero() { 0 } else { 1 << places };
                }
                None => scale = None,
            }
        }
        Some(RateGrid {
            span,
            max_abs_mantissa: cells.iter().map(|c| c.mantissa.unsigned_abs()).max().unwrap_or(0),
            cells,
            scale,
        })
    }

    /// The cell of row `i`.
    #[inline]
    pub fn cell(&self, image: &TransactionImage, i: usize) -> &Cell {
        &self.cells[image.currency.get(i) as usize * self.span + image.day.get(i) as usize]
    }
}
