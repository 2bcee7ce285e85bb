//! Tributary's system of record. One code path serves SQLite (embedded default) and
//! PostgreSQL (production): statements are built with sea-query and run through [`Conn`],
//! which binds them for whichever backend the [`Db`] was opened on. Repositories are small
//! modules of functions over a connection; partner-scoped reads take a [`Scope`] and filter
//! in SQL, so a handler that forgets a check still cannot read another partner's rows.
//! Every mutation is written together with its [`audit`] record in one transaction.

pub mod audit;
mod conn;
mod db;
pub mod dialect;
mod error;
pub mod page;
pub mod repo;
mod scope;
pub mod testing;
pub mod time;

pub use conn::{Conn, DbRow};
pub use db::{Backend, Db, Pooled, Tx};
pub use error::StoreError;
pub use scope::Scope;
