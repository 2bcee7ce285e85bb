//! FX rates as fixed-point integers. Each (currency, day) pair the image holds gets the
//! rate the reference would use — from the same [`RateTable::rate`], so cross rates through
//! the base currency are identical — turned into an integer mantissa at one common scale
//! that also absorbs the currency's minor units. Net revenue then is a sum of
//! `amount_minor × mantissa` in `i128`, exact, with one decimal made at the end.

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::tiering::{MetricError, RateTable};

use crate::days::date_of;
use crate::image::FactImage;

/// The rates of one evaluation, one entry per (currency, day) slot of the image.
#[derive(Debug)]
pub(crate) struct RateGrid {
    /// The exact rate per slot (zero where it is missing).
    pub rates: Vec<Decimal>,
    /// Slots without a rate: a sale in a window on one of them is an error.
    pub missing: Vec<bool>,
    pub any_missing: bool,
    /// When every rate fits: the rate × 10^(`scale` − minor units of the slot's currency),
    /// so `Σ amount_minor × mantissa` is the net revenue × 10^`scale`.
    pub fixed: Option<FixedRates>,
}

#[derive(Debug)]
pub(crate) struct FixedRates {
    /// Per slot: the mantissa, and as a bit (`1 << places`) the decimal places a sale's
    /// converted amount has in the reference (its minor units plus the rate's places; no
    /// bit for a zero rate). OR-ing the bits of a window's sales gives its sum's scale.
    pub slots: Vec<(i64, u32)>,
    pub scale: u32,
    /// The largest mantissa's magnitude.
    pub max_abs_mantissa: u64,
}

impl RateGrid {
    pub fn new(image: &FactImage, target: Currency, rates: &RateTable) -> RateGrid {
        let looked_up: Vec<Result<Decimal, MetricError>> = image
            .rate_slots
            .par_iter()
            .map(|(currency, day)| rates.rate(image.currencies[*currency as usize], target, date_of(*day)))
            .collect();
        let missing: Vec<bool> = looked_up.iter().map(Result::is_err).collect();
        let rates: Vec<Decimal> = looked_up.into_iter().map(|r| r.unwrap_or(Decimal::ZERO)).collect();
        let fixed = FixedRates::new(image, &rates);
        RateGrid {
            any_missing: missing.contains(&true),
            missing,
            rates,
            fixed,
        }
    }

    /// The currency and date of a slot.
    pub fn slot_currency(image: &FactImage, slot: u32) -> (Currency, NaiveDate) {
        let (currency, day) = image.rate_slots[slot as usize];
        (image.currencies[currency as usize], date_of(day))
    }
}

impl FixedRates {
    /// `None` when some rate cannot be held as an `i64` mantissa at the common scale.
    fn new(image: &FactImage, rates: &[Decimal]) -> Option<FixedRates> {
        let minor_max = image.currencies.iter().map(Currency::minor_units).max().unwrap_or(0);
        let rate_scale = rates.iter().map(Decimal::scale).max().unwrap_or(0);
        let scale = rate_scale + minor_max;
        if scale > Decimal::MAX_SCALE {
            return None;
        }
        let mut slots = Vec::with_capacity(rates.len());
        for ((currency, _), rate) in image.rate_slots.iter().zip(rates) {
            let minor = image.currencies[*currency as usize].minor_units();
            let shift = scale - minor - rate.scale();
            let value = rate.mantissa().checked_mul(10i128.checked_pow(shift)?)?;
            let places = if rate.is_zero() { 0 } else { 1 << (minor + rate.scale()) };
            slots.push((i64::try_from(value).ok()?, places));
        }
        Some(FixedRates {
            max_abs_mantissa: slots.iter().map(|(m, _)| m.unsigned_abs()).max().unwrap_or(0),
            slots,
            scale,
        })
    }
}
