//! The domain's reference close over the same facts — the correctness oracle at small
//! scale. `close_plan` reads every transaction it is given for each partner, so each
//! partner is closed over its own history only (the transactions it is paid on as seller
//! or distributor): the same result, without reading everyone's facts per partner.

use tributary_domain::incentives::{
    CloseData, CloseError, EligiblePartner, Period, Plan, RegionCountries, Transaction, close_plan,
};
use tributary_domain::tiering::RateTable;
use tributary_engine::incentives::PlanOutcome;

use super::facts::{Fact, Facts};
use super::world::{COUNTRIES, PRODUCTS, World, currency};

fn transaction(fact: &Fact) -> Transaction {
    let product = &PRODUCTS[fact.product as usize];
    Transaction {
        date: fact.day,
        seller: fact.seller,
        distributor: fact.distributor,
        account: fact.account,
        sku: product.sku.to_string(),
        family: product.family.to_string(),
        customer_country: COUNTRIES[fact.country as usize].code.to_string(),
        deal_registered: fact.deal_registered,
        quantity: fact.quantity,
        amount_minor: fact.amount_minor,
        cost_minor: fact.cost_minor,
        currency: currency(fact.currency),
    }
}

/// Each partner's history: the transactions it is paid on as seller or as distributor.
pub fn histories(world: &World, fact_count: u64) -> Vec<Vec<Transaction>> {
    let mut histories = vec![Vec::new(); world.partners as usize];
    for fact in Facts::new(world, fact_count) {
        let t = transaction(&fact);
        if let Some(d) = fact.distributor.filter(|d| *d != fact.seller) {
            histories[d as usize].push(t.clone());
        }
        histories[fact.seller as usize].push(t);
    }
    histories
}

/// Every plan's close by the reference, partner by partner on one core.
pub fn close(
    plans: &[Plan],
    eligible: &[Vec<EligiblePartner>],
    histories: &[Vec<Transaction>],
    period: &Period,
    rates: &RateTable,
    regions: &RegionCountries,
) -> Vec<PlanOutcome> {
    plans
        .iter()
        .zip(eligible)
        .map(|(plan, partners)| {
            let mut settled = Vec::new();
            let mut failure: Option<CloseError> = None;
            for e in partners {
                let data = CloseData {
                    transactions: &histories[e.partner as usize],
                    custom_facts: &[],
                    rates,
                    regions,
                };
                match close_plan(plan, period, std::slice::from_ref(e), data) {
                    Ok(lines) => settled.extend(lines),
                    Err(error) => {
                        if failure.as_ref().is_none_or(|f| error.sort_key() < f.sort_key()) {
                            failure = Some(error);
                        }
                    }
                }
            }
            failure.map_or(Ok(settled), Err)
        })
        .collect()
}

/// Settlements compared field by field (measure, working, multiplier, cap, carry, FX, tax).
pub struct Agreement {
    pub compared: usize,
    pub differing: usize,
    pub examples: Vec<String>,
}

/// The engine's outcomes against the reference's, plan by plan and line by line.
pub fn agree(engine: &[PlanOutcome], reference: &[PlanOutcome], plans: &[Plan]) -> Agreement {
    let mut agreement = Agreement {
        compared: 0,
        differing: 0,
        examples: Vec::new(),
    };
    for ((engine, reference), plan) in engine.iter().zip(reference).zip(plans) {
        let note = |agreement: &mut Agreement, text: String| {
            agreement.differing += 1;
            if agreement.examples.len() < 5 {
                agreement.examples.push(format!("{}: {text}", plan.name));
            }
        };
        match (engine, reference) {
            (Ok(engine), Ok(reference)) => {
                if engine.len() != reference.len() {
                    note(
                        &mut agreement,
                        format!(
                            "{} lines from the engine, {} from the reference",
                            engine.len(),
                            reference.len()
                        ),
                    );
                }
                for (e, r) in engine.iter().zip(reference) {
                    agreement.compared += 1;
                    if e != r {
                        note(&mut agreement, format!("engine {e:?}\n      reference {r:?}"));
                    }
                }
            }
            (e, r) if e == r => {}
            (e, r) => note(&mut agreement, format!("engine {e:?}, reference {r:?}")),
        }
    }
    agreement
}
