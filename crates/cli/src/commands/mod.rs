//! One module per subcommand.

pub mod audit;
pub mod close;
pub mod demo;
pub mod export;
pub mod import;
pub mod migrate;
pub mod serve;
pub mod user;
