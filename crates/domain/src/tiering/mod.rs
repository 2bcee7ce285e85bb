//! Program tiering, reference semantics (PRODUCT.md §3): which level a partner's metrics
//! qualify for, how an evaluation turns that into the assigned level (promotion at once,
//! demotion only after the grace is exhausted and by at most the maximum step, overrides
//! winning while active), and the trailing-months window metrics are computed over.
//! Plain, obviously-correct code: the fast engine is checked against it.

pub mod decision;
pub mod metrics;
pub mod requirement;
pub mod structure;
pub mod window;

pub use decision::{Decision, EvaluationRules, Override, PreviousState, TierChange, decide};
pub use metrics::{MetricError, RateTable, RevenueLine, net_revenue};
pub use requirement::{Comparison, Level, MetricValue, Requirement, RequirementResult, qualifying_level};
pub use structure::{Benefits, MetricDefinition, MetricKind, MetricWindow, RegionOverride, TierStructure};
pub use window::trailing_months_start;
