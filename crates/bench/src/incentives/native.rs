//! The engine's side: the transaction image recorded straight from the fact generator (no
//! list of all facts is ever held), recording and building timed apart; then
//! `tributary_engine::incentives::close` of every plan for the period, timed end to end —
//! from the image in memory to the rounded settlements — over several runs.

use std::time::Duration;

use tributary_domain::incentives::{EligiblePartner, Period, Plan, RegionCountries};
use tributary_domain::tiering::RateTable;
use tributary_engine::incentives::{
    PlanClose, PlanOutcome, RawTransaction, TransactionImage, TransactionImageBuilder, close,
};

use super::facts::Facts;
use super::world::{COUNTRIES, PRODUCTS, World, currency};
use crate::synth::CURRENCIES;
use crate::timing::{median_of, timed};

pub struct Image {
    pub image: TransactionImage,
    pub record: Duration,
    pub build: Duration,
    /// Heap bytes of the recorded columns just before the build.
    pub recorded_bytes: usize,
}

/// The image of `fact_count` generated facts.
pub fn image(world: &World, fact_count: u64) -> Image {
    let (builder, record) = timed(|| {
        let mut builder = TransactionImageBuilder::with_capacity(fact_count as usize);
        let products: Vec<u32> = PRODUCTS.iter().map(|p| builder.product(p.sku, p.family)).collect();
        let countries: Vec<u16> = COUNTRIES.iter().map(|c| builder.country(c.code)).collect();
        let currencies: Vec<_> = (0..CURRENCIES.len() as u8).map(currency).collect();
        for f in Facts::new(world, fact_count) {
            builder.push_raw(RawTransaction {
                date: f.day,
                seller: f.seller,
                distributor: f.distributor,
                account: f.account,
                product: products[f.product as usize],
                customer_country: countries[f.country as usize],
                deal_registered: f.deal_registered,
                quantity: f.quantity,
                amount_minor: f.amount_minor,
                cost_minor: f.cost_minor,
                currency: currencies[f.currency as usize],
            });
        }
        builder
    });
    let recorded_bytes = builder.heap_bytes();
    let (image, build) = timed(|| builder.build(world.partners));
    Image {
        image,
        record,
        build,
        recorded_bytes,
    }
}

pub struct Closed {
    pub outcomes: Vec<PlanOutcome>,
    pub times: Vec<Duration>,
    pub median: Duration,
}

/// `runs` closes of every plan; the last run's outcomes.
pub fn close_all(
    image: &TransactionImage,
    plans: &[Plan],
    eligible: &[Vec<EligiblePartner>],
    period: &Period,
    rates: &RateTable,
    regions: &RegionCountries,
    runs: usize,
) -> Closed {
    let closes: Vec<PlanClose<'_>> = plans
        .iter()
        .zip(eligible)
        .map(|(plan, partners)| PlanClose { plan, partners })
        .collect();
    let (outcomes, median, times) = median_of(runs, || close(image, &[], &closes, period, rates, regions));
    Closed {
        outcomes,
        times,
        median,
    }
}
