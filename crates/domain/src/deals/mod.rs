//! Channel conflict (PRODUCT.md §4), reference semantics: who may reserve a customer
//! account (hierarchy-aware refusal rules, the "is this account taken?" answer) and how a
//! deal registration is decided (rules 1–6) and moves through its lifecycle.

pub mod registration;
pub mod reservation;
