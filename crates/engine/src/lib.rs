//! The fast path of tier evaluation: a columnar image of the facts with dense partner
//! indexes, day numbers and integer minor units, evaluated across cores.
//!
//! - [`FactImageBuilder`] records facts; [`FactImageBuilder::build`] sorts and indexes them
//!   into an immutable [`FactImage`].
//! - [`compute_metrics`] gives a structure's metric values for many partners as a
//!   [`MetricTable`], equal (as decimals) to the domain's `compute_metrics` per partner.
//! - [`evaluate`] turns a table into decisions; [`simulate`] judges a draft structure
//!   against a cached table (the what-if sandbox).
//! - [`MatchIndex`] finds the customer accounts a registered customer could be (blocking
//!   and the domain's matching score); see [`matching`].
//! - [`incentives`] closes incentive plans for a period on a columnar image of the
//!   transactions ([`incentives::TransactionImage`], [`incentives::close`]), equal to the
//!   domain's `close_plan`.
//!
//! The domain's reference semantics (`tributary_domain::tiering`, `::incentives`) define
//! every result; the property tests in `tests/` check the engine against them on random
//! inputs. Results are equal as decimals. Where the reference's own decimal arithmetic would
//! round (amounts or rates so large or precise that a product or a sum leaves a
//! decimal's 96 bits), the engine detects it and repeats the reference's arithmetic in
//! the reference's order, so even those results are the same.

mod aggregate;
mod build;
mod builder;
mod compute;
pub mod days;
mod evaluate;
mod image;
pub mod incentives;
mod levels;
pub mod matching;
mod narrow;
mod rates;
mod revenue;
mod simulate;
mod table;

pub use builder::FactImageBuilder;
pub use compute::compute_metrics;
pub use evaluate::evaluate;
pub use image::FactImage;
pub use matching::{Candidate, MatchIndex};
pub use simulate::simulate;
pub use table::MetricTable;
