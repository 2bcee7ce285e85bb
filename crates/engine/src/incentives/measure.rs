//! Step 1 of the close for every eligible partner of one plan: the measure over the rows
//! the partner is paid on, each converted at its own day's rate. The integer tally gives
//! the exact value (or the failing row) for almost every partner; a partner it cannot
//! prove exact for is measured with the reference's arithmetic in recording order.

use std::collections::HashMap;

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::incentives::{
    CloseError, EligiblePartner, Measure, Measured, Payee, Period, Plan, RegionCountries,
};
use tributary_domain::tiering::RateTable;

use super::grid::RateGrid;
use super::image::TransactionImage;
use super::reference::Reference;
use super::select::{Role, Selection};
use super::tally::{Kind, Pass, Tally};

/// 2^96: a decimal's mantissa is below it.
const DECIMAL_CAPACITY: u128 = 1 << 96;

/// Partners measured together by one task.
const PARTNERS_PER_TASK: usize = 64;

/// What one plan's measures are computed from.
pub(crate) struct PlanInputs<'a> {
    pub image: &'a TransactionImage,
    pub plan: &'a Plan,
    pub period: &'a Period,
    pub regions: &'a RegionCountries,
    /// The rates into the plan currency (monetary measures; `None` without a dense grid).
    pub grid: Option<&'a RateGrid>,
    pub rates: &'a RateTable,
}

/// The measure of each of `partners` (in order) under a plan that reads transactions.
pub(crate) fn measures(inputs: &PlanInputs<'_>, partners: &[EligiblePartner]) -> Vec<Result<Measured, CloseError>> {
    let PlanInputs { image, plan, .. } = *inputs;
    let kind = match plan.measure {
        Measure::NetAmount => Kind::Amount,
        Measure::Quantity => Kind::Quantity,
        Measure::Margin => Kind::Margin,
        Measure::CustomMetric { .. } => unreachable!("custom metrics are measured from their facts"),
    };
    let selection = Selection::new(image, plan, inputs.period, inputs.regions);
    let reference = Reference {
        image,
        kind,
        currency: plan.currency,
        rates: inputs.rates,
    };
    let grid = inputs.grid.filter(|g| g.scale.is_some() && kind != Kind::Quantity);
    let mut outcomes: Vec<Option<Result<Measured, CloseError>>> = if kind == Kind::Quantity || grid.is_some() {
        let pass = Pass {
            image,
            selection: &selection,
            kind,
            grid,
            bounded: bounded(image, kind, plan.payee, grid),
        };
        let distributed = (selection.pays_distributor() && !image.distributors.is_empty()).then(|| {
            let wanted = wanted_slots(image, partners.iter().map(|p| p.partner));
            pass.distributors(&wanted, plan.payee == Payee::Both)
        });
        partners
            .par_iter()
            .with_min_len(PARTNERS_PER_TASK)
            .map(|eligible| {
                let mut tally = if selection.pays_seller() {
                    pass.seller(eligible.partner)
                } else {
                    Tally::default()
                };
                if let (Some(tallies), Some(slot)) = (&distributed, image.slot(eligible.partner)) {
                    tally.merge(&tallies[slot as usize]);
                }
                finish(&tally, &pass, grid, &reference)
            })
            .collect()
    } else {
        vec![None; partners.len()]
    };
    let pending: Vec<usize> = (0..partners.len()).filter(|k| outcomes[*k].is_none()).collect();
    if !pending.is_empty() {
        let slow = Slow {
            image,
            selection: &selection,
            payee: plan.payee,
        };
        let distributed = slow.distributed_rows(pending.iter().map(|k| partners[*k].partner));
        let measured: Vec<Result<Measured, CloseError>> = pending
            .par_iter()
            .map(|k| reference.measure(slow.rows(partners[*k].partner, &distributed)))
            .collect();
        for (k, m) in pending.into_iter().zip(measured) {
            outcomes[k] = Some(m);
        }
    }
    outcomes
        .into_iter()
        .map(|o| o.expect("every partner is measured"))
        .collect()
}

/// Whether every tally of the plan stays below 2^96 in magnitude: the largest value times
/// the largest mantissa, as many times as one payee has rows.
fn bounded(image: &TransactionImage, kind: Kind, payee: Payee, grid: Option<&RateGrid>) -> bool {
    let b = &image.bounds;
    let rows = u128::from(match payee {
        Payee::Reseller => b.max_seller_rows,
        Payee::Distributor => b.max_distributor_rows,
        Payee::Both => b.max_payee_rows,
    });
    let value = match kind {
        Kind::Quantity => return true,
        Kind::Amount => b.max_abs_amount,
        Kind::Margin => b.max_abs_margin,
    };
    let mantissa = u128::from(grid.map_or(0, |g| g.max_abs_mantissa));
    value
        .checked_mul(mantissa)
        .and_then(|v| v.checked_mul(rows))
        .is_some_and(|v| v < DECIMAL_CAPACITY)
}

/// `wanted[slot]` for the distributor slots of `partners` (index 0 unused).
fn wanted_slots(image: &TransactionImage, partners: impl Iterator<Item = u32>) -> Vec<bool> {
    let mut wanted = vec![false; image.distributors.len() + 1];
    for slot in partners.filter_map(|p| image.slot(p)) {
        wanted[slot as usize] = true;
    }
    wanted
}

/// The measure a tally proves, its row's error if it failed, or `None` when only the
/// reference's arithmetic can tell.
fn finish(
    tally: &Tally,
    pass: &Pass<'_>,
    grid: Option<&RateGrid>,
    reference: &Reference<'_>,
) -> Option<Result<Measured, CloseError>> {
    if let Some(row) = tally.failed_row() {
        return reference.contribution(row).err().map(Err);
    }
    let value = if pass.kind == Kind::Quantity {
        Decimal::try_from_i128_with_scale(tally.sum, 0).ok()?
    } else if !pass.bounded && tally.magnitude >= DECIMAL_CAPACITY {
        return None;
    } else {
        // The reference's sum has the largest scale of its non-zero terms (it ends at fewer
        // places only where its running total passed through exactly zero — the same
        // value). Exact: every term is a multiple of 10^(scale − places).
        let scale = grid?.scale?;
        let places = u32::BITS - 1 - tally.places.leading_zeros().min(u32::BITS - 1);
        Decimal::try_from_i128_with_scale(tally.sum / 10i128.pow(scale - places), places).ok()?
    };
    Some(Ok(Measured {
        value,
        fact_count: tally.count,
    }))
}

/// Row lists for partners measured the reference's way.
struct Slow<'a> {
    image: &'a TransactionImage,
    selection: &'a Selection,
    payee: Payee,
}

impl Slow<'_> {
    /// The counted rows each distributor among `partners` is paid on (one scan of all runs).
    fn distributed_rows(&self, partners: impl Iterator<Item = u32>) -> HashMap<u32, Vec<u32>> {
        let (image, selection) = (self.image, self.selection);
        let mut by_slot: HashMap<u32, Vec<u32>> = HashMap::new();
        if !selection.pays_distributor() || image.distributors.is_empty() {
            return by_slot;
        }
        let wanted = &wanted_slots(image, partners);
        if !wanted.contains(&true) {
            return by_slot;
        }
        let mut rows: Vec<(u32, u32)> = (0..image.partner_count)
            .into_par_iter()
            .fold(Vec::new, |mut rows, seller| {
                let own = match self.payee {
                    Payee::Both => image.slot(seller).unwrap_or(0),
                    _ => 0,
                };
                selection.sold(image, seller, |i| {
                    let slot = image.distributor.get(i);
                    if slot != 0
                        && wanted[slot as usize]
                        && slot != own
                        && selection.passes(image, i)
                        && selection.is_new(image, i, Role::Distributor)
                    {
                        rows.push((slot, i as u32));
                    }
                });
                rows
            })
            .flatten()
            .collect();
        rows.par_sort_unstable();
        for (slot, row) in rows {
            by_slot.entry(slot).or_default().push(row);
        }
        by_slot
    }

    /// The counted rows `partner` is paid on.
    fn rows(&self, partner: u32, distributed: &HashMap<u32, Vec<u32>>) -> Vec<u32> {
        let (image, selection) = (self.image, self.selection);
        let mut rows: Vec<u32> = Vec::new();
        if selection.pays_seller() {
            selection.sold(image, partner, |i| {
                if selection.passes(image, i) && selection.is_new(image, i, Role::Seller) {
                    rows.push(i as u32);
                }
            });
        }
        if let Some(own) = image.slot(partner).and_then(|slot| distributed.get(&slot)) {
            rows.extend_from_slice(own);
        }
        rows
    }
}
