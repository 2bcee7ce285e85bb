//! Incentives (PRODUCT.md §5) as operations: plans edited as drafts and published as
//! versions ([`plans`]), the period close that turns published plans and the facts into
//! statements ([`close`]), and the statements themselves — read, explained down to the
//! facts, exported, submitted for approval and decided ([`statements`]). The arithmetic
//! is the domain's (`tributary_domain::incentives`); these modules load its inputs, store
//! its results and audit every change.

pub mod close;
pub mod facts;
pub mod payouts;
pub mod plans;

use tributary_domain::money::Currency;

/// The deployment's base currency: pairs without a stored rate are crossed through it
/// (as tier metrics do), and a plan in another currency needs rates to exist.
pub fn base_currency() -> Currency {
    Currency::parse("USD").expect("USD is a currency")
}
