//! The slice of partner-owned data a caller may see, decided once by the server's policy
//! and applied by every repository query as a SQL condition.

use sea_query::{Cond, Expr, ExprTrait, IntoColumnRef, Query};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every partner (administrators and vendor roles with program-wide duties).
    All,
    /// Partners whose assigned channel manager is this user.
    ManagedBy(String),
    /// Exactly these partner organisations (a partner's own, plus a distributor's resellers).
    Partners(Vec<String>),
}

impl Scope {
    /// The condition "the partner id in `column` is visible", for tables that carry one
    /// (`"partner_id"`, or `("payments", "partner_id")` where a join makes it ambiguous).
    pub fn partner_condition(&self, column: impl IntoColumnRef) -> Cond {
        match self {
            Scope::All => Cond::all(),
            Scope::ManagedBy(user_id) => Cond::all().add(
                Expr::col(column).in_subquery(
                    Query::select()
                        .column("id")
                        .from("partners")
                        .and_where(Expr::col("channel_manager_id").eq(user_id.clone()))
                        .take(),
                ),
            ),
            Scope::Partners(ids) => Cond::all().add(Expr::col(column).is_in(ids.iter().cloned())),
        }
    }

    /// Whether a record of `partner_id` with manager `manager_id` is visible.
    pub fn admits(&self, partner_id: &str, manager_id: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            Scope::ManagedBy(user_id) => manager_id == Some(user_id.as_str()),
            Scope::Partners(ids) => ids.iter().any(|id| id == partner_id),
        }
    }
}
