//! The reconciliation report: per partner and currency, what the close calculated (the
//! statements' net), what was approved, what is in payout batches and what was paid — and
//! for every statement not (yet) paid, the amount and the reason ("awaiting approval",
//! "held until 2026-10-30", "in batch … not yet marked paid"). The paid figure comes from
//! the payments, the calculated one from the statements, so anything the reasons do not
//! account for — a payment that differs from its statement, a statement marked paid
//! without a payment — shows up as an unexplained difference, which must be zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_store::repo::payouts::StatementPayment;
use utoipa::ToSchema;

use super::export::money_text;
use crate::error::{AppResult, internal};

/// Part of a difference, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Explained {
    pub statement_id: String,
    pub period_key: String,
    pub amount: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReconciliationRow {
    pub partner_id: String,
    pub partner_name: String,
    pub currency: String,
    pub statements: u64,
    /// Σ net of every statement.
    pub calculated: String,
    /// Σ net of approved (or paid) statements.
    pub approved: String,
    /// Σ net of the payments in any batch.
    pub in_batches: String,
    /// Σ net of the payments in batches marked paid.
    pub paid: String,
    /// calculated − paid.
    pub difference: String,
    pub explained: Vec<Explained>,
    /// difference − Σ explained: zero unless something is wrong.
    pub unexplained: String,
    /// Points on the statements (not money; never paid by batches).
    pub points: String,
}

/// The unexplained total of one currency over all rows.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReconciliationTotal {
    pub currency: String,
    pub calculated: String,
    pub approved: String,
    pub in_batches: String,
    pub paid: String,
    pub difference: String,
    pub unexplained: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reconciliation {
    pub period_key: Option<String>,
    pub rows: Vec<ReconciliationRow>,
    pub totals: Vec<ReconciliationTotal>,
}

#[derive(Default)]
struct Sums {
    partner_name: String,
    statements: u64,
    calculated: Decimal,
    approved: Decimal,
    in_batches: Decimal,
    paid: Decimal,
    points: Decimal,
    explained: Vec<(Decimal, Explained)>,
}

fn decimal(text: &str) -> AppResult<Decimal> {
    text.parse()
        .map_err(|_| internal(format!("stored amount '{text}' is not a decimal")))
}

/// Why `s` (not paid) is not paid, with the amount that reason accounts for.
fn reason(s: &StatementPayment, net: Decimal, today: NaiveDate) -> AppResult<Option<(Decimal, String)>> {
    if let (Some(batch), Some(payment)) = (&s.batch_id, &s.payment_net) {
        if s.batch_status.as_deref() == Some("paid") {
            return Ok(None);
        }
        return Ok(Some((
            decimal(payment)?,
            format!("in batch {batch} not yet marked paid"),
        )));
    }
    Ok(match s.status.as_str() {
        "paid" => None,
        "approved" if net.is_zero() => None,
        "approved" if net < Decimal::ZERO => Some((net, "negative net: not paid".into())),
        "approved" => {
            let payable = tributary_store::time::parse_date(&s.payable_on)?;
            let why = if payable > today {
                format!("held until {}", s.payable_on)
            } else {
                format!("payable since {}, not yet in a batch", s.payable_on)
            };
            Some((net, why))
        }
        "calculated" | "pending_approval" => Some((net, "awaiting approval".into())),
        "rejected" => Some((net, "rejected: awaiting a corrected close".into())),
        status => Some((net, format!("not approved (statement {status})"))),
    })
}

/// Reconciles `statements` (with their payments) as of `today`.
pub fn reconcile(
    period_key: Option<String>,
    statements: &[StatementPayment],
    today: NaiveDate,
) -> AppResult<Reconciliation> {
    let mut by_partner: BTreeMap<(String, String, String), Sums> = BTreeMap::new();
    for s in statements {
        let net = decimal(&s.net)?;
        let key = (s.partner_name.clone(), s.partner_id.clone(), s.currency.clone());
        let sums = by_partner.entry(key).or_default();
        sums.partner_name = s.partner_name.clone();
        sums.statements += 1;
        sums.calculated += net;
        sums.points += decimal(&s.points)?;
        if matches!(s.status.as_str(), "approved" | "paid") {
            sums.approved += net;
        }
        // A payment counts in its own currency only: one in another currency is unexplained.
        if let Some(payment) = s
            .payment_net
            .as_deref()
            .filter(|_| s.payment_currency.as_deref() == Some(&s.currency))
        {
            let amount = decimal(payment)?;
            sums.in_batches += amount;
            if s.batch_status.as_deref() == Some("paid") {
                sums.paid += amount;
            }
        }
        if let Some((amount, why)) = reason(s, net, today)? {
            let text = money_text(amount, &s.currency)?;
            sums.explained.push((
                amount,
                Explained {
                    statement_id: s.statement_id.clone(),
                    period_key: s.period_key.clone(),
                    amount: text,
                    reason: why,
                },
            ));
        }
    }
    let mut rows = Vec::with_capacity(by_partner.len());
    let mut totals: BTreeMap<String, [Decimal; 6]> = BTreeMap::new();
    for ((_, partner_id, currency), sums) in by_partner {
        let difference = sums.calculated - sums.paid;
        let unexplained = difference - sums.explained.iter().map(|(a, _)| *a).sum::<Decimal>();
        let total = totals.entry(currency.clone()).or_default();
        for (slot, value) in total.iter_mut().zip([
            sums.calculated,
            sums.approved,
            sums.in_batches,
            sums.paid,
            difference,
            unexplained,
        ]) {
            *slot += value;
        }
        let money = |amount: Decimal| money_text(amount, &currency);
        rows.push(ReconciliationRow {
            calculated: money(sums.calculated)?,
            approved: money(sums.approved)?,
            in_batches: money(sums.in_batches)?,
            paid: money(sums.paid)?,
            difference: money(difference)?,
            unexplained: money(unexplained)?,
            explained: sums.explained.into_iter().map(|(_, e)| e).collect(),
            points: sums.points.normalize().to_string(),
            statements: sums.statements,
            partner_name: sums.partner_name,
            partner_id,
            currency: currency.clone(),
        });
    }
    let mut currency_totals = Vec::with_capacity(totals.len());
    for (currency, [calculated, approved, in_batches, paid, difference, unexplained]) in totals {
        let money = |amount: Decimal| money_text(amount, &currency);
        currency_totals.push(ReconciliationTotal {
            calculated: money(calculated)?,
            approved: money(approved)?,
            in_batches: money(in_batches)?,
            paid: money(paid)?,
            difference: money(difference)?,
            unexplained: money(unexplained)?,
            currency: currency.clone(),
        });
    }
    Ok(Reconciliation {
        period_key,
        rows,
        totals: currency_totals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(id: &str, status: &str, net: &str, payable_on: &str) -> StatementPayment {
        StatementPayment {
            statement_id: id.into(),
            partner_id: "p1".into(),
            partner_name: "Alpha".into(),
            period_key: format!("2026-{id}"),
            currency: "EUR".into(),
            status: status.into(),
            net: net.into(),
            points: "0".into(),
            payable_on: payable_on.into(),
            payment_net: None,
            payment_currency: None,
            batch_id: None,
            batch_status: None,
        }
    }

    fn paid_in(mut s: StatementPayment, batch: &str, batch_status: &str) -> StatementPayment {
        s.payment_net = Some(s.net.clone());
        s.payment_currency = Some(s.currency.clone());
        s.batch_id = Some(batch.into());
        s.batch_status = Some(batch_status.into());
        s
    }

    #[test]
    fn every_difference_has_a_reason() {
        let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let statements = [
            paid_in(statement("01", "paid", "100.00", "2026-02-01"), "B1", "paid"),
            paid_in(statement("02", "approved", "200.00", "2026-05-01"), "B2", "created"),
            statement("03", "approved", "300.00", "2026-10-30"),
            statement("04", "approved", "400.00", "2026-06-30"),
            statement("05", "pending_approval", "500.00", "2026-09-30"),
            statement("06", "approved", "-60.00", "2026-06-30"),
        ];
        let report = reconcile(None, &statements, today).unwrap();
        let row = &report.rows[0];
        assert_eq!(row.calculated, "1440.00");
        assert_eq!(row.approved, "940.00");
        assert_eq!(row.in_batches, "300.00");
        assert_eq!(row.paid, "100.00");
        assert_eq!(row.difference, "1340.00");
        assert_eq!(row.unexplained, "0.00");
        let reasons: Vec<&str> = row.explained.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "in batch B2 not yet marked paid",
                "held until 2026-10-30",
                "payable since 2026-06-30, not yet in a batch",
                "awaiting approval",
                "negative net: not paid",
            ]
        );
    }

    #[test]
    fn a_payment_unlike_its_statement_is_unexplained() {
        let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let mut wrong = paid_in(statement("01", "paid", "100.00", "2026-02-01"), "B1", "paid");
        wrong.payment_net = Some("90.00".into());
        let marked_only = statement("02", "paid", "50.00", "2026-02-01");
        let report = reconcile(None, &[wrong, marked_only], today).unwrap();
        assert_eq!(report.rows[0].unexplained, "60.00");
        assert_eq!(report.totals[0].unexplained, "60.00");
    }
}
