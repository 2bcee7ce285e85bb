//! Channel conflict (PRODUCT.md §4) as operations: account reservations with their
//! hierarchy-aware refusal rules, expiry and renewals.

pub mod reservations;
