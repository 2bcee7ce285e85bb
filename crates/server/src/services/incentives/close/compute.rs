//! The arithmetic of a close: each plan's settlements for its eligible partners, computed
//! by the engine's columnar close (`tributary_engine::incentives::close`), which yields
//! exactly what the domain's reference `close_plan` yields — property tests in the engine
//! prove it. Plans are closed one at a time so the caller can show progress; each plan's
//! partners run across cores. A failure anywhere (a missing FX rate, a margin sale without
//! a cost) stops the close with the problem named, and the reported problem is the same
//! whatever order plans run in: the first by the domain's `CloseError::sort_key`.

use tributary_domain::incentives::{CloseError, Settlement};
use tributary_engine::incentives::{PlanClose, close};

use super::inputs::CloseInputs;

/// One material settlement: which plan (index in the inputs), which partner (index), what.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    pub plan: usize,
    pub partner: usize,
    pub settlement: Settlement,
}

/// Why a plan could not be closed, with the plan's name.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFailure {
    pub plan: String,
    pub error: CloseError,
}

impl std::fmt::Display for PlanFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (plan '{}'); add the missing data and close again — nothing was written",
            self.error, self.plan
        )
    }
}

/// The settlements of plan `index` (in the order of its eligible partners).
pub fn close_plan(inputs: &CloseInputs, index: usize) -> Result<Vec<Settled>, PlanFailure> {
    let plan = &inputs.plans[index];
    let closes = [PlanClose {
        plan: &plan.definition,
        partners: &inputs.eligible[index],
    }];
    let outcome = close(
        &inputs.image,
        &inputs.custom_facts,
        &closes,
        &inputs.period,
        &inputs.rates,
        &inputs.regions,
    )
    .pop()
    .expect("one outcome per plan");
    outcome
        .map(|settled| {
            settled
                .into_iter()
                .map(|(partner, settlement)| Settled {
                    plan: index,
                    partner: partner as usize,
                    settlement,
                })
                .collect()
        })
        .map_err(|error| PlanFailure {
            plan: plan.name.clone(),
            error,
        })
}

/// The failure to report of several: the first by the domain's order (then plan order).
pub fn first_failure(failures: Vec<PlanFailure>) -> Option<PlanFailure> {
    failures.into_iter().min_by_key(|f| f.error.sort_key())
}
