//! Repositories: one module per aggregate, each a handful of functions over a [`Conn`].
//! Reads of partner-owned data take a [`crate::Scope`]; writes never audit themselves —
//! the service calling them appends the audit record in the same transaction.

pub mod accounts;
pub mod api_tokens;
pub mod fx_rates;
pub mod idempotency;
pub mod imports;
pub mod partners;
pub mod products;
pub mod regions;
pub mod sales;
pub mod segments;
pub mod sessions;
pub mod users;
pub mod verticals;

use sea_query::{Expr, ExprTrait, SimpleExpr};

/// `column LIKE %text%`, case-insensitive on both backends.
pub(crate) fn contains(column: &'static str, text: &str) -> SimpleExpr {
    let pattern = format!(
        "%{}%",
        text.to_lowercase().replace('\\', "").replace('%', "").replace('_', "")
    );
    Expr::expr(sea_query::Func::lower(Expr::col(column))).like(pattern)
}
