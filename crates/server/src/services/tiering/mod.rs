//! Program tiering (PRODUCT.md §3) as operations: structures edited as drafts and
//! published, evaluations that compute metrics from the facts and write immutable
//! snapshots and tier-change events, the progress card, overrides, what-if simulation and
//! the scheduled evaluation of every published structure.

pub mod evaluation;
pub mod inputs;
pub mod members;
pub mod metric_facts;
pub mod overrides;
pub mod progress;
pub mod reports;
pub mod schedule;
pub mod simulation;
pub mod snapshot_export;
pub mod structures;
