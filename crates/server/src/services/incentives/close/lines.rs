//! Statement lines and totals: an `earning` line per plan settlement (carrying the whole
//! settlement as its explanation), a `claim` line per approved claim (converted to the
//! payout currency at the period's end rate and withheld like earnings, each rounded
//! half-even once), `adjustment` lines for the differences an approved period now shows,
//! and a statement's totals — money in its currency, points apart.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tributary_domain::incentives::{POINTS_UNIT, Paid, Settlement, adjustment};
use tributary_domain::money::{Currency, parse_decimal};
use tributary_domain::tiering::RateTable;
use tributary_store::repo::statements::{LineKind, PayableClaim, StatementLine};

use crate::error::{AppError, AppResult, internal};

/// A line before it is placed on a statement (id, number and statement set on writing).
#[derive(Debug, Clone, PartialEq)]
pub struct NewLine {
    pub kind: LineKind,
    pub plan_id: Option<String>,
    pub plan_version: Option<i64>,
    pub claim_id: Option<String>,
    pub adjusts_period_key: Option<String>,
    pub description: String,
    pub unit: String,
    pub measure: Option<Decimal>,
    pub carry_in: Option<Decimal>,
    pub carry_out: Option<Decimal>,
    pub gross: Decimal,
    pub withholding: Decimal,
    pub settlement: Option<Settlement>,
}

impl NewLine {
    pub fn earning(plan_id: &str, version: i64, name: &str, settlement: Settlement) -> NewLine {
        NewLine {
            kind: LineKind::Earning,
            plan_id: Some(plan_id.to_string()),
            plan_version: Some(version),
            claim_id: None,
            adjusts_period_key: None,
            description: name.to_string(),
            unit: settlement.unit.clone(),
            measure: Some(settlement.measure),
            carry_in: Some(settlement.carry_in),
            carry_out: Some(settlement.carry_out),
            gross: settlement.gross,
            withholding: settlement.withholding,
            settlement: Some(settlement),
        }
    }

    /// An approved claim in `payout` currency, converted at `end`'s rate and withheld.
    pub fn claim(
        claim: &PayableClaim,
        payout: Currency,
        withholding_rate: Decimal,
        end: NaiveDate,
        rates: &RateTable,
    ) -> AppResult<NewLine> {
        let currency = Currency::parse(&claim.currency).map_err(internal)?;
        let amount = parse_decimal(&claim.amount).map_err(internal)?;
        let rate = rates.rate(currency, payout, end).map_err(|e| {
            AppError::Conflict(format!(
                "claim '{}': {e}; add the rate and close again — nothing was written",
                claim.description
            ))
        })?;
        let gross = payout.round(amount * rate);
        Ok(NewLine {
            kind: LineKind::Claim,
            plan_id: claim.plan_id.clone(),
            plan_version: None,
            claim_id: Some(claim.id.clone()),
            adjusts_period_key: None,
            description: format!("Claim ({}): {}", claim.kind, claim.description),
            unit: payout.code().to_string(),
            measure: None,
            carry_in: None,
            carry_out: None,
            gross,
            withholding: payout.round(gross * withholding_rate),
            settlement: None,
        })
    }

    pub fn placed(self, id: String, statement_id: &str, line_no: i64, created_at: &str) -> StatementLine {
        StatementLine {
            id,
            statement_id: statement_id.to_string(),
            line_no,
            kind: self.kind,
            plan_id: self.plan_id,
            plan_version: self.plan_version,
            claim_id: self.claim_id,
            adjusts_period_key: self.adjusts_period_key,
            description: self.description,
            unit: self.unit,
            measure: self.measure,
            carry_in: self.carry_in,
            carry_out: self.carry_out,
            net: self.gross - self.withholding,
            gross: self.gross,
            withholding: self.withholding,
            settlement: self.settlement,
            created_at: created_at.to_string(),
        }
    }
}

/// A statement's totals: money lines in `currency`, and points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub gross: Decimal,
    pub withholding: Decimal,
    pub points: Decimal,
}

impl Totals {
    pub fn of<'a>(lines: impl Iterator<Item = &'a StatementLine>, currency: &str) -> Totals {
        let mut totals = Totals::default();
        for line in lines {
            if line.unit == POINTS_UNIT {
                totals.points += line.gross;
            } else if line.unit == currency {
                totals.gross += line.gross;
                totals.withholding += line.withholding;
            }
        }
        totals
    }

    pub fn net(&self) -> Decimal {
        self.gross - self.withholding
    }
}

/// What one plan paid (or now pays) a partner for a period, per unit.
pub type PaidByPlan = BTreeMap<(String, String), Paid>;

/// Adds a line's rounded amounts to its (plan, unit) entry.
pub fn add_paid(paid: &mut PaidByPlan, plan_id: &str, unit: &str, gross: Decimal, withholding: Decimal) {
    let entry = paid.entry((plan_id.to_string(), unit.to_string())).or_default();
    entry.gross += gross;
    entry.withholding += withholding;
}

/// The adjustment lines that turn what was approved for `period_key` (approved lines plus
/// earlier adjustments) into what the period now yields, one per (plan, unit) that moved.
/// `now` holds the recalculated settlements by plan with the plan's version and name;
/// `names` names the plans no longer paying.
pub fn adjustments(
    period_key: &str,
    approved: &PaidByPlan,
    now: &[(String, i64, String, Settlement)],
    names: &BTreeMap<String, String>,
) -> Vec<NewLine> {
    let mut recalculated = PaidByPlan::new();
    for (plan_id, _, _, settlement) in now {
        add_paid(
            &mut recalculated,
            plan_id,
            &settlement.unit,
            settlement.gross,
            settlement.withholding,
        );
    }
    let mut keys: Vec<&(String, String)> = approved.keys().chain(recalculated.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let before = approved.get(key).copied().unwrap_or_default();
            let after = recalculated.get(key).copied().unwrap_or_default();
            let delta = adjustment(before, after)?;
            let (plan_id, unit) = key;
            let current = now.iter().find(|(id, _, _, s)| id == plan_id && &s.unit == unit);
            let name = current
                .map(|(_, _, name, _)| name.clone())
                .or_else(|| names.get(plan_id).cloned())
                .unwrap_or_else(|| plan_id.clone());
            Some(NewLine {
                kind: LineKind::Adjustment,
                plan_id: Some(plan_id.clone()),
                plan_version: current.map(|(_, version, _, _)| *version),
                claim_id: None,
                adjusts_period_key: Some(period_key.to_string()),
                description: format!("Correction of {period_key}: {name}"),
                unit: unit.clone(),
                measure: current.map(|(_, _, _, s)| s.measure),
                carry_in: None,
                carry_out: None,
                gross: delta.gross,
                withholding: delta.withholding,
                settlement: current.map(|(_, _, _, s)| s.clone()),
            })
        })
        .collect()
}
