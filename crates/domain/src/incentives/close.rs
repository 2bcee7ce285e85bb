//! The reference close of one plan for one period: for each eligible partner, the measure
//! (step 1) and the settlement (steps 2–7). Plain and slow on purpose — the engine's
//! columnar close is checked against it to the cent.

use rust_decimal::Decimal;

use super::error::CloseError;
use super::measure::{CustomFact, RegionCountries, Transaction, measure};
use super::period::Period;
use super::plan::Plan;
use super::settle::{PartnerTerms, Settlement, settle};
use crate::tiering::RateTable;

/// A partner the plan pays this period, with its terms and the carry from earlier periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligiblePartner {
    pub partner: u32,
    pub terms: PartnerTerms,
    /// The plan's negative balance carried into this period (≤ 0).
    pub carry_in: Decimal,
}

/// What the close needs besides the plan: the facts, rates and region memberships.
#[derive(Debug, Clone, Copy)]
pub struct CloseData<'a> {
    pub transactions: &'a [Transaction],
    pub custom_facts: &'a [CustomFact],
    pub rates: &'a RateTable,
    pub regions: &'a RegionCountries,
}

/// The material settlements of `plan` in `period`, in the order of `partners`. When any
/// partner's close fails, the error reported is the first by [`CloseError::sort_key`].
pub fn close_plan(
    plan: &Plan,
    period: &Period,
    partners: &[EligiblePartner],
    data: CloseData<'_>,
) -> Result<Vec<(u32, Settlement)>, CloseError> {
    let mut settled = Vec::new();
    let mut failure: Option<CloseError> = None;
    for eligible in partners {
        let outcome = measure(
            plan,
            eligible.partner,
            period,
            data.transactions,
            data.custom_facts,
            data.rates,
            data.regions,
        )
        .and_then(|m| {
            settle(
                plan,
                m.value,
                m.fact_count,
                &eligible.terms,
                eligible.carry_in,
                period.end,
                data.rates,
            )
            .map_err(CloseError::from)
        });
        match outcome {
            Ok(settlement) if settlement.is_material() => settled.push((eligible.partner, settlement)),
            Ok(_) => {}
            Err(error) => {
                if failure.as_ref().is_none_or(|f| error.sort_key() < f.sort_key()) {
                    failure = Some(error);
                }
            }
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(settled),
    }
}
