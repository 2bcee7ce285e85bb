//! Tributary's domain: the entities a partner program is made of, the value types that
//! keep them valid (currencies, countries, money, lifecycles) and, as the product grows,
//! the reference semantics of its rules. Everything here is plain, synchronous code with
//! no I/O, so it can be read, tested and trusted on its own.

pub mod account;
pub mod approval;
pub mod code_enum;
pub mod deals;
pub mod fx;
pub mod geography;
pub mod ids;
pub mod incentives;
pub mod matching;
pub mod metric_fact;
pub mod money;
pub mod partner;
pub mod product;
pub mod reference;
pub mod role;
pub mod sales;
pub mod segment;
pub mod tiering;
pub mod user;
pub mod validation;
