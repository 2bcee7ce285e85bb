//! The close of many plans over one image: each plan's measures (step 1, from the image or
//! the custom facts), then the domain's own `settle` for steps 2–7, keeping the material
//! settlements in the order the partners were given — or, when any partner fails, the
//! error the reference reports: the first by [`CloseError::sort_key`], the earliest such
//! partner on a tie. Plans and partners run in parallel; rates are looked up once per
//! (currency, day) cell and plan currency.

use std::sync::Mutex;

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::incentives::{
    CloseError, CustomFact, EligiblePartner, Measure, Measured, PartnerTerms, Period, Plan, RegionCountries,
    Settlement, calculate, settle,
};
use tributary_domain::money::Currency;
use tributary_domain::tiering::RateTable;

use super::custom::CustomFacts;
use super::grid::RateGrid;
use super::image::TransactionImage;
use super::measure::{PlanInputs, measures};

/// One plan to close and the partners it pays this period (with their terms and carry).
#[derive(Debug, Clone, Copy)]
pub struct PlanClose<'a> {
    pub plan: &'a Plan,
    pub partners: &'a [EligiblePartner],
}

/// What one plan's close yields: its material settlements by partner, or the error.
pub type PlanOutcome = Result<Vec<(u32, Settlement)>, CloseError>;

/// Closes every plan for `period`; one result per plan, in order, each equal to
/// `tributary_domain::incentives::close_plan` on the same inputs.
pub fn close(
    image: &TransactionImage,
    custom_facts: &[CustomFact],
    plans: &[PlanClose<'_>],
    period: &Period,
    rates: &RateTable,
    regions: &RegionCountries,
) -> Vec<PlanOutcome> {
    let custom = CustomFacts::new(custom_facts);
    let mut targets: Vec<Currency> = plans
        .iter()
        .filter(|p| p.plan.measure.is_monetary())
        .map(|p| p.plan.currency)
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let grids: Vec<(Currency, Option<RateGrid>)> = targets
        .into_par_iter()
        .map(|currency| (currency, RateGrid::new(image, currency, rates)))
        .collect();
    plans
        .par_iter()
        .map(|close| {
            let plan = close.plan;
            let measured: Vec<Result<Measured, CloseError>> = match &plan.measure {
                Measure::CustomMetric { name } => custom
                    .measures(name, period, close.partners)
                    .into_iter()
                    .map(Ok)
                    .collect(),
                _ => {
                    let grid = grids
                        .iter()
                        .find(|(currency, _)| *currency == plan.currency)
                        .and_then(|(_, grid)| grid.as_ref());
                    let inputs = PlanInputs {
                        image,
                        plan,
                        period,
                        regions,
                        grid,
                        rates,
                    };
                    measures(&inputs, close.partners)
                }
            };
            settle_all(plan, period, close.partners, measured, rates)
        })
        .collect()
}

/// Keeps the error the reference reports: the first by sort key, the earliest partner on a tie.
fn keep_first(failure: &mut Option<(usize, CloseError)>, index: usize, error: CloseError) {
    if failure
        .as_ref()
        .is_none_or(|(k, f)| (error.sort_key(), index) < (f.sort_key(), *k))
    {
        *failure = Some((index, error));
    }
}

/// Steps 2–7 for each partner, then the reference's choice of lines or error.
fn settle_all(
    plan: &Plan,
    period: &Period,
    partners: &[EligiblePartner],
    measured: Vec<Result<Measured, CloseError>>,
    rates: &RateTable,
) -> PlanOutcome {
    // A partner with no facts and no carry settles to an all-zero, immaterial line when the
    // calculation pays nothing on 0 and the cap cannot make 0 negative: skip the call.
    let idle_is_immaterial =
        calculate(&plan.calculation, Decimal::ZERO).amount.is_zero() && plan.cap.is_none_or(|cap| cap >= Decimal::ZERO);
    let mut failure = None;
    let mut to_settle: Vec<(usize, Measured)> = Vec::with_capacity(partners.len());
    for (index, (eligible, measured)) in partners.iter().zip(measured).enumerate() {
        match measured {
            Err(error) => keep_first(&mut failure, index, error),
            Ok(m) if idle_is_immaterial && m.fact_count == 0 && m.value.is_zero() && eligible.carry_in.is_zero() => {}
            Ok(m) => to_settle.push((index, m)),
        }
    }
    let failure = Mutex::new(failure);
    // Each settlement (a few hundred bytes) is written once, straight into the result.
    let mut lines: Vec<(u32, Settlement)> = to_settle
        .par_iter()
        .with_min_len(64)
        .map(|(index, m)| {
            let eligible = &partners[*index];
            let settled = settle(
                plan,
                m.value,
                m.fact_count,
                &eligible.terms,
                eligible.carry_in,
                period.end,
                rates,
            );
            let settlement = settled.unwrap_or_else(|error| {
                let mut failure = failure.lock().expect("no task panics holding the lock");
                keep_first(&mut failure, *index, CloseError::from(error));
                // A stand-in the failed close never returns: 0 in the plan's own currency
                // needs no rate.
                let terms = PartnerTerms {
                    tier_level: None,
                    payout_currency: plan.currency,
                    withholding_rate: Decimal::ZERO,
                };
                settle(plan, Decimal::ZERO, 0, &terms, Decimal::ZERO, period.end, rates)
                    .expect("the plan's own currency converts at 1")
            });
            (eligible.partner, settlement)
        })
        .collect();
    match failure.into_inner().expect("no task panicked holding the lock") {
        Some((_, error)) => Err(error),
        None => {
            lines.retain(|(_, settlement)| settlement.is_material());
            Ok(lines)
        }
    }
}
