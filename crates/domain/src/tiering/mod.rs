//! Program tiering, reference semantics (PRODUCT.md §3): the metrics a partner's facts
//! yield in a window, which level those metrics qualify for, how an evaluation turns that
//! into the assigned level (promotion at once, demotion only after the grace is exhausted
//! and by at most the maximum step, overrides winning while active), the progress towards
//! the next level, and what-if simulation of a draft structure.
//! Plain, obviously-correct code: the fast engine is checked against it.

pub mod decision;
pub mod evaluation;
pub mod facts;
pub mod metrics;
pub mod requirement;
pub mod schedule;
pub mod sentence;
pub mod structure;
pub mod whatif;
pub mod window;

pub use decision::{Decision, EvaluationRules, Override, PreviousState, TierChange, decide};
pub use evaluation::{
    LevelCheck, NextLevel, PartnerEvaluation, Progress, RequirementProgress, evaluate_partner, progress,
};
pub use facts::{MetricFact, MetricValues, PartnerFacts, SaleLine, compute_metrics};
pub use metrics::{MetricError, RateTable, RevenueLine, net_revenue};
pub use requirement::{Comparison, Level, MetricValue, Requirement, RequirementResult, qualifying_level};
pub use structure::{
    Aggregation, Applicability, Benefits, Cadence, MetricDefinition, MetricKind, MetricWindow, RegionOverride,
    TierStructure,
};
pub use whatif::{BenefitCost, Mover, Simulation, SimulationInput, simulate};
pub use window::trailing_months_start;
