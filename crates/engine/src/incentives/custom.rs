//! Custom-metric measures (installations completed, trainings passed …): the sum of a
//! partner's facts of the plan's metric dated in the period. The facts are indexed by
//! metric once per close; a plan sorts its metric's facts in the period by partner, keeping
//! their given order, and adds each partner's in that order — the reference's very sum.

use std::collections::HashMap;

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::incentives::{CustomFact, EligiblePartner, Measured, Period};

/// The positions of the facts of each metric name, in the given order.
pub(crate) struct CustomFacts<'a> {
    facts: &'a [CustomFact],
    by_metric: HashMap<&'a str, Vec<u32>>,
}

impl<'a> CustomFacts<'a> {
    pub fn new(facts: &'a [CustomFact]) -> Self {
        let mut by_metric: HashMap<&str, Vec<u32>> = HashMap::new();
        for (index, fact) in facts.iter().enumerate() {
            let index = u32::try_from(index).expect("fewer than 2^32 custom facts");
            by_metric.entry(fact.metric.as_str()).or_default().push(index);
        }
        CustomFacts { facts, by_metric }
    }

    /// The measure of each of `partners` over metric `name` in `period`.
    pub fn measures(&self, name: &str, period: &Period, partners: &[EligiblePartner]) -> Vec<Measured> {
        let mut in_period: Vec<(u32, u32)> = self
            .by_metric
            .get(name)
            .into_iter()
            .flatten()
            .map(|index| (&self.facts[*index as usize], *index))
            .filter(|(fact, _)| period.contains(fact.date))
            .map(|(fact, index)| (fact.partner, index))
            .collect();
        in_period.sort_unstable();
        partners
            .par_iter()
            .map(|eligible| {
                let start = in_period.partition_point(|(p, _)| *p < eligible.partner);
                let end = start + in_period[start..].partition_point(|(p, _)| *p == eligible.partner);
                let facts = &in_period[start..end];
                Measured {
                    value: facts
                        .iter()
                        .map(|(_, index)| self.facts[*index as usize].value)
                        .sum::<Decimal>(),
                    fact_count: facts.len() as u64,
                }
            })
            .collect()
    }
}
