//! Repositories: one module per aggregate, each a handful of functions over a [`Conn`].
//! Reads of partner-owned data take a [`crate::Scope`]; writes never audit themselves —
//! the service calling them appends the audit record in the same transaction.

pub mod accounts;
pub mod api_tokens;
pub mod approvals;
pub mod attachments;
pub mod claims;
pub mod close_runs;
mod drafts;
pub mod events;
pub mod fx_rates;
pub mod idempotency;
pub mod imports;
pub mod incentive_plans;
pub mod metric_facts;
pub mod partners;
pub mod payouts;
pub mod products;
pub mod regions;
pub mod registrations;
pub mod reservations;
pub mod sales;
pub mod segments;
pub mod sessions;
pub mod settings;
pub mod statements;
pub mod tier_evaluations;
pub mod tier_overrides;
pub mod tier_snapshots;
pub mod tier_structures;
pub mod users;
pub mod verticals;
pub mod webhooks;
pub mod withholding_rates;

use sea_query::{Cond, Expr, ExprTrait, LikeExpr, SimpleExpr};

/// `column` contains `text` literally (`%` and `_` match themselves), case-insensitive on
/// both backends.
pub(crate) fn contains(column: &'static str, text: &str) -> SimpleExpr {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Expr::expr(sea_query::Func::lower(Expr::col(column))).like(LikeExpr::new(pattern).escape('\\'))
}

/// The list-filter condition shared by fact tables: each `(column, value)` with a non-empty
/// value must match exactly, and `date_column` must lie within the non-empty bounds.
pub(crate) fn matching(
    mut cond: Cond,
    equal: &[(&'static str, &Option<String>)],
    date_column: &'static str,
    (from, to): (&Option<String>, &Option<String>),
) -> Cond {
    for (column, value) in equal {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(Expr::col(*column).eq(value));
        }
    }
    if let Some(from) = from.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col(date_column).gte(from));
    }
    if let Some(to) = to.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col(date_column).lte(to));
    }
    cond
}
