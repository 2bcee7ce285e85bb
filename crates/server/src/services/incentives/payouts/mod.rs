//! Payouts (PRODUCT.md §5, items 5 of issue 6): approved, payable statements grouped into
//! batches that pay each statement exactly once ([`batch`]); the batch exported to
//! accounting as a payment file and as a balanced journal ([`export`]) under account codes
//! the program configures ([`accounts`]); marking a batch paid ([`batch::mark_paid`]); and the
//! reconciliation of calculated vs approved vs paid per partner, where every difference
//! has a reason ([`reconciliation`]).

pub mod accounts;
pub mod batch;
pub mod export;
pub mod reconciliation;
