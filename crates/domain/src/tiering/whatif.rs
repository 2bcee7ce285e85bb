//! What-if simulation (reference semantics): a draft structure judged against the same
//! metrics as the published one. "Now" is each partner's assigned level; "draft" is the
//! level the partner qualifies for under the draft. The result is the counts per level,
//! the from×to transition matrix, the movers with the draft requirement results that
//! explain the move, and the change in benefit cost.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{LevelCheck, check_levels, qualifying};
use super::facts::MetricValues;
use super::structure::{Benefits, TierStructure};

/// One partner as the simulation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationInput {
    pub region: Option<String>,
    pub metrics: MetricValues,
    /// The level assigned now under the published structure.
    pub current: u32,
    /// Trailing revenue in the structure's currency, the base of discount and rebate cost.
    pub revenue: Decimal,
}

/// A partner whose level changes under the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Mover {
    /// Position of the partner in the simulation input.
    pub partner: usize,
    pub from: u32,
    pub to: u32,
    /// The draft's results for the higher of the two levels: what now holds (up) or
    /// what no longer does (down).
    pub because: LevelCheck,
}

/// Benefit cost under one structure, in its currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BenefitCost {
    /// Σ discount % × trailing revenue.
    pub discount: Decimal,
    /// Σ MDF allocation.
    pub mdf: Decimal,
    /// Σ rebate multiplier × trailing revenue × the base rebate rate.
    pub rebate: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Simulation {
    pub now_counts: Vec<u64>,
    pub draft_counts: Vec<u64>,
    /// `matrix[from][to]`: partners at `from` now and `to` under the draft.
    pub matrix: Vec<Vec<u64>>,
    pub movers: Vec<Mover>,
    pub cost_now: BenefitCost,
    pub cost_draft: BenefitCost,
}

/// A partner's benefit cost at one level.
pub fn level_cost(benefits: &Benefits, revenue: Decimal, base_rebate_percent: Decimal) -> BenefitCost {
    BenefitCost {
        discount: benefits.discount_percent * revenue / Decimal::ONE_HUNDRED,
        mdf: benefits.mdf_allocation,
        rebate: benefits.rebate_multiplier * revenue * base_rebate_percent / Decimal::ONE_HUNDRED,
    }
}

impl BenefitCost {
    pub fn add(&mut self, other: &BenefitCost) {
        self.discount += other.discount;
        self.mdf += other.mdf;
        self.rebate += other.rebate;
    }
}

/// Simulates `draft` for every partner (levels of `published` give the "now" benefits).
pub fn simulate(
    published: &TierStructure,
    draft: &TierStructure,
    partners: &[SimulationInput],
    base_rebate_percent: Decimal,
) -> Simulation {
    let now_levels = published.levels.len();
    let draft_levels = draft.levels.len();
    let mut result = Simulation {
        now_counts: vec![0; now_levels],
        draft_counts: vec![0; draft_levels],
        matrix: vec![vec![0; draft_levels]; now_levels],
        movers: Vec::new(),
        cost_now: BenefitCost::default(),
        cost_draft: BenefitCost::default(),
    };
    for (index, partner) in partners.iter().enumerate() {
        let from = (partner.current as usize).min(now_levels - 1);
        let checks = check_levels(&draft.levels_for_region(partner.region.as_deref()), &partner.metrics);
        let to = qualifying(&checks) as usize;
        result.now_counts[from] += 1;
        result.draft_counts[to] += 1;
        result.matrix[from][to] += 1;
        result.cost_now.add(&level_cost(
            &published.benefits[from],
            partner.revenue,
            base_rebate_percent,
        ));
        result
            .cost_draft
            .add(&level_cost(&draft.benefits[to], partner.revenue, base_rebate_percent));
        if from != to {
            let explaining = from.max(to).min(draft_levels - 1);
            result.movers.push(Mover {
                partner: index,
                from: from as u32,
                to: to as u32,
                because: checks[explaining].clone(),
            });
        }
    }
    result
}
