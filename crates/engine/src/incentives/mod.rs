//! The fast path of the incentive period close (PRODUCT.md §5): a columnar image of the
//! transactions and a close of many plans over it that yields exactly what the domain's
//! reference `tributary_domain::incentives::close_plan` yields — the same settlements,
//! field for field, or the same error — at a fraction of its time and memory.
//!
//! - [`TransactionImageBuilder`] records transactions (strings interned to dense ids,
//!   values in narrow columns); [`TransactionImageBuilder::build`] sorts them by seller and
//!   day into an immutable [`TransactionImage`] of about 27 bytes per transaction.
//! - [`close`] measures each plan's eligible partners on the image (integer minor units
//!   times fixed-point FX mantissas per (currency, day) cell, summed exactly in `i128` and
//!   made one decimal per partner), then calls the domain's `settle` for steps 2–7.
//!
//! Where the integer sum cannot prove it equals the reference's decimal sum (rates too
//! precise for a common scale, or sums near a decimal's 96 bits), that partner is measured
//! with the reference's own arithmetic in recording order, so even those results agree.

mod build;
mod builder;
mod close;
mod columns;
mod custom;
mod grid;
mod image;
mod layout;
mod measure;
mod reference;
mod select;
mod tally;

pub use builder::{RawTransaction, TransactionImageBuilder};
pub use close::{PlanClose, PlanOutcome, close};
pub use image::TransactionImage;
