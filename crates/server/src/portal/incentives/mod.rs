//! Incentives in the portal (PRODUCT.md §5): plans edited without code as drafts and
//! published as versions, the period close with its progress, statements reviewed and
//! approved through the approval workflow, spend by plan and region; for partners the
//! earnings overview and each statement with the explanation of every line. Every action
//! goes through the same services as the REST API, which authorise it again.

pub mod approval;
pub mod claims;
pub mod close;
pub mod describe;
pub mod earnings;
pub mod editor;
pub mod explain;
pub mod payouts;
pub mod plan_form;
pub mod plans;
pub mod spend;
pub mod statement;
pub mod statements;

use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::incentives::POINTS_UNIT;
use tributary_domain::money::Currency;
use tributary_store::repo::incentive_plans::StoredPlan;
use tributary_store::repo::statements::Statement;

use self::explain::exact_text;
use super::conflict::Tab;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::{self, Access, Resource, authorize};
use crate::state::AppState;

/// The plan pages, and the navigation area of the vendor's incentive pages.
pub const PLANS: &str = "/incentives/plans";
/// The close runs and the start of a close.
pub const CLOSE: &str = "/incentives/close";
/// The statement review list (vendor); each statement's page is under it for everyone.
pub const STATEMENTS: &str = "/incentives/statements";
/// The partner's earnings overview, its navigation area.
pub const EARNINGS: &str = "/earnings";

/// The navigation area of an incentive page for the caller.
pub fn section(caller: &Caller) -> &'static str {
    if caller.is_partner() { EARNINGS } else { PLANS }
}

/// The sub-navigation of the incentive pages the caller may read, `current` marking the page shown.
pub fn tabs(caller: &Caller, current: &str) -> Vec<Tab> {
    let candidates: Vec<(Resource, &'static str, &'static str)> = if caller.is_partner() {
        vec![
            (Resource::Statements, EARNINGS, "Earnings"),
            (Resource::Claims, claims::CLAIMS, "Claims"),
        ]
    } else {
        vec![
            (Resource::IncentivePlans, PLANS, "Plans"),
            (Resource::IncentiveClose, CLOSE, "Period close"),
            (Resource::Statements, STATEMENTS, "Statements"),
            (Resource::Statements, spend::SPEND, "Spend"),
            (Resource::Claims, claims::CLAIMS, "Claims"),
            (Resource::Payouts, payouts::PAYOUTS, "Payouts"),
        ]
    };
    candidates
        .into_iter()
        .filter(|(resource, _, _)| policy::can_read(caller, *resource))
        .map(|(_, href, label)| Tab {
            href,
            label,
            current: href == current,
        })
        .collect()
}

/// An amount of a payout currency rounded to its minor unit, grouped, with its code
/// ("1,234.50 EUR"); points (`PTS`) as whole points ("26 points").
pub fn amount_text(value: Decimal, unit: &str) -> String {
    match Currency::parse(unit) {
        Ok(currency) => format!("{} {unit}", exact_text(currency.round(value), currency.minor_units())),
        Err(_) if unit == POINTS_UNIT => format!("{} points", exact_text(value, 0)),
        Err(_) => format!("{} {unit}", exact_text(value, 0)),
    }
}

/// Whether the caller may edit and publish plans.
pub fn may_write_plans(caller: &Caller) -> bool {
    authorize(caller, Resource::IncentivePlans, Access::Write).is_ok()
}

/// Plan `id` for a caller who may read plans (a partner only a published one).
pub async fn load_plan(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredPlan> {
    crate::api::incentive_plans::visible_plan(state, caller, id).await
}

/// A statement as a row of the lists and cards: amounts as people read them.
#[derive(Debug, Clone, Serialize)]
pub struct StatementRow {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub period_key: String,
    pub period_start: String,
    pub period_end: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub currency: String,
    pub gross: String,
    pub withholding: String,
    pub net: String,
    /// Empty when the statement pays no points.
    pub points: String,
    pub payable_on: String,
    pub approved_at: Option<String>,
    pub paid_at: Option<String>,
    /// Calculated or rejected: it can be submitted for approval.
    pub submittable: bool,
}

impl StatementRow {
    pub fn of(s: &Statement) -> Self {
        Self {
            id: s.id.clone(),
            partner_id: s.partner_id.clone(),
            partner_name: s.partner_name.clone(),
            period_key: s.period_key.clone(),
            period_start: s.period_start.clone(),
            period_end: s.period_end.clone(),
            status: s.status.as_str(),
            status_label: s.status.label(),
            currency: s.currency.clone(),
            gross: amount_text(s.gross, &s.currency),
            withholding: amount_text(s.withholding, &s.currency),
            net: amount_text(s.net, &s.currency),
            points: if s.points.is_zero() {
                String::new()
            } else {
                amount_text(s.points, POINTS_UNIT)
            },
            payable_on: s.payable_on.clone(),
            approved_at: s.approved_at.clone(),
            paid_at: s.paid_at.clone(),
            submittable: s.status.is_open(),
        }
    }
}

/// Orders statements by the list's `sort` parameter (`period`, `partner`, `status`, `net`,
/// `-` for descending; newest period first by default).
pub fn sort_statements(statements: &mut [Statement], sort: Option<&str>) {
    let sort = sort.unwrap_or("-period");
    let (key, descending) = sort.strip_prefix('-').map_or((sort, false), |key| (key, true));
    statements.sort_by(|a, b| {
        let order = match key {
            "partner" => a.partner_name.to_lowercase().cmp(&b.partner_name.to_lowercase()),
            "status" => a.status.as_str().cmp(b.status.as_str()),
            "net" => a.currency.cmp(&b.currency).then(a.net.cmp(&b.net)),
            _ => a.period_end.cmp(&b.period_end),
        }
        .then_with(|| a.partner_name.cmp(&b.partner_name))
        .then_with(|| a.id.cmp(&b.id));
        if descending { order.reverse() } else { order }
    });
}
