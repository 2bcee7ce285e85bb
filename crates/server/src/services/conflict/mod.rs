//! Channel conflict (PRODUCT.md §4) as operations: account reservations with their
//! hierarchy-aware refusal rules, expiry and renewals; the customer matching index; deal
//! registrations decided by the program's rules.

pub mod customers;
pub mod registrations;
pub mod reservations;
