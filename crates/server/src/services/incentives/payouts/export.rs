//! A payout batch for accounting: the payment file (one row per payment, columns named as
//! vendor-payment imports of NetSuite and QuickBooks expect them) and the journal — per
//! payment, debit incentive expense with the gross, credit the partner payable with the
//! net and withholding tax payable with the withholding — whose debits and credits balance
//! per currency, because every statement's gross is its net plus its withholding.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::money::Currency;
use tributary_store::repo::payouts::{PaymentLine, PayoutBatch};
use utoipa::ToSchema;

use super::accounts::{JournalAccounts, LedgerAccount};
use crate::error::{AppResult, internal};
use crate::services::incentives::csv_table;

/// `amount` with exactly the currency's minor-unit digits (`1000` EUR → `1000.00`).
pub fn money_text(amount: Decimal, currency: &str) -> AppResult<String> {
    let currency = Currency::parse(currency).map_err(internal)?;
    let digits = currency.minor_units() as usize;
    Ok(format!("{:.*}", digits, currency.round(amount)))
}

fn decimal(text: &str) -> AppResult<Decimal> {
    text.parse()
        .map_err(|_| internal(format!("stored amount '{text}' is not a decimal")))
}

fn memo(p: &PaymentLine) -> String {
    format!("Incentive statement {} for {}", p.period_key, p.partner_name)
}

/// The payment file: one row per payment.
pub fn payments_csv(lines: &[PaymentLine]) -> AppResult<Vec<u8>> {
    let mut rows = Vec::with_capacity(lines.len());
    for p in lines {
        rows.push(vec![
            p.id.clone(),
            p.batch_id.clone(),
            p.partner_id.clone(),
            p.partner_name.clone(),
            p.statement_id.clone(),
            p.period_key.clone(),
            p.period_end.clone(),
            p.payable_on.clone(),
            p.currency.clone(),
            money_text(decimal(&p.gross)?, &p.currency)?,
            money_text(decimal(&p.withholding)?, &p.currency)?,
            money_text(decimal(&p.net)?, &p.currency)?,
            p.tax_country.clone(),
            memo(p),
        ]);
    }
    csv_table(
        &[
            "external_id",
            "batch_id",
            "vendor_id",
            "vendor_name",
            "statement_id",
            "period",
            "bill_date",
            "due_date",
            "currency",
            "gross_amount",
            "withholding_amount",
            "net_amount",
            "tax_country",
            "memo",
        ],
        rows,
    )
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct JournalLine {
    /// The journal entry: one per payment, named by the payment id.
    pub entry: String,
    pub line: u32,
    pub date: String,
    pub account_code: String,
    pub account_name: String,
    pub partner_id: String,
    pub partner_name: String,
    pub statement_id: String,
    pub currency: String,
    /// Decimal with the currency's minor-unit digits; `0.00` on the credit side.
    pub debit: String,
    pub credit: String,
    pub memo: String,
}

/// Debits and credits of one currency (equal: the journal balances).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct JournalTotal {
    pub currency: String,
    pub debit: String,
    pub credit: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Journal {
    pub batch_id: String,
    /// The entries' date: the day the batch was created.
    pub date: String,
    pub accounts: JournalAccounts,
    pub lines: Vec<JournalLine>,
    pub totals: Vec<JournalTotal>,
}

/// The journal of `batch`'s payments; refuses (as an internal error) a payment whose
/// gross is not its net plus its withholding, which would unbalance it.
pub fn journal(batch: &PayoutBatch, payments: &[PaymentLine], accounts: &JournalAccounts) -> AppResult<Journal> {
    let date = batch.created_at.get(..10).unwrap_or(&batch.created_at).to_string();
    let mut lines = Vec::new();
    let mut sums: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for p in payments {
        let (gross, withholding, net) = (decimal(&p.gross)?, decimal(&p.withholding)?, decimal(&p.net)?);
        if net + withholding != gross {
            return Err(internal(format!(
                "payment {}: net {net} + withholding {withholding} ≠ gross {gross}",
                p.id
            )));
        }
        let zero = money_text(Decimal::ZERO, &p.currency)?;
        let postings: [(&LedgerAccount, Decimal, bool); 3] = [
            (&accounts.incentive_expense, gross, true),
            (&accounts.partner_payable, net, false),
            (&accounts.withholding_payable, withholding, false),
        ];
        let mut number = 0;
        for (account, amount, is_debit) in postings {
            if amount.is_zero() {
                continue;
            }
            number += 1;
            let sum = sums.entry(p.currency.clone()).or_default();
            let text = money_text(amount, &p.currency)?;
            let (debit, credit) = if is_debit {
                sum.0 += amount;
                (text, zero.clone())
            } else {
                sum.1 += amount;
                (zero.clone(), text)
            };
            lines.push(JournalLine {
                entry: p.id.clone(),
                line: number,
                date: date.clone(),
                account_code: account.code.clone(),
                account_name: account.name.clone(),
                partner_id: p.partner_id.clone(),
                partner_name: p.partner_name.clone(),
                statement_id: p.statement_id.clone(),
                currency: p.currency.clone(),
                debit,
                credit,
                memo: memo(p),
            });
        }
    }
    let mut totals = Vec::with_capacity(sums.len());
    for (currency, (debit, credit)) in sums {
        totals.push(JournalTotal {
            debit: money_text(debit, &currency)?,
            credit: money_text(credit, &currency)?,
            currency,
        });
    }
    Ok(Journal {
        batch_id: batch.id.clone(),
        date,
        accounts: accounts.clone(),
        lines,
        totals,
    })
}

pub fn journal_csv(journal: &Journal) -> AppResult<Vec<u8>> {
    csv_table(
        &[
            "journal_entry",
            "line",
            "date",
            "account_code",
            "account_name",
            "entity_id",
            "entity_name",
            "statement_id",
            "currency",
            "debit",
            "credit",
            "memo",
        ],
        journal.lines.iter().map(|l| {
            vec![
                l.entry.clone(),
                l.line.to_string(),
                l.date.clone(),
                l.account_code.clone(),
                l.account_name.clone(),
                l.partner_id.clone(),
                l.partner_name.clone(),
                l.statement_id.clone(),
                l.currency.clone(),
                l.debit.clone(),
                l.credit.clone(),
                l.memo.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, currency: &str, gross: &str, withholding: &str, net: &str) -> PaymentLine {
        PaymentLine {
            id: id.into(),
            batch_id: "b".into(),
            statement_id: format!("s-{id}"),
            partner_id: "p".into(),
            partner_name: "=Alpha".into(),
            tax_country: "DE".into(),
            period_key: "2026-Q1".into(),
            period_end: "2026-03-31".into(),
            payable_on: "2026-04-30".into(),
            currency: currency.into(),
            gross: gross.into(),
            withholding: withholding.into(),
            net: net.into(),
            points: "0".into(),
            created_at: "2026-05-01T00:00:00.000000Z".into(),
        }
    }

    fn batch() -> PayoutBatch {
        PayoutBatch {
            id: "b".into(),
            idempotency_key: "k".into(),
            status: "created".into(),
            payable_through: "2026-04-30".into(),
            statement_count: 3,
            totals_json: "{}".into(),
            created_by: None,
            created_at: "2026-05-01T09:00:00.000000Z".into(),
            exported_at: None,
            paid_at: None,
        }
    }

    #[test]
    fn journals_balance_per_currency_and_skip_zero_lines() {
        let payments = [
            line("1", "EUR", "1000.00", "150.00", "850.00"),
            line("2", "EUR", "10.01", "0.00", "10.01"),
            line("3", "JPY", "10000", "1000", "9000"),
        ];
        let journal = journal(&batch(), &payments, &JournalAccounts::default()).unwrap();
        assert_eq!(journal.lines.len(), 3 + 2 + 3, "no zero withholding line");
        assert_eq!(journal.date, "2026-05-01");
        let eur = &journal.totals[0];
        assert_eq!((eur.currency.as_str(), eur.debit.as_str()), ("EUR", "1010.01"));
        assert_eq!(eur.debit, eur.credit);
        let jpy = &journal.totals[1];
        assert_eq!((jpy.debit.as_str(), jpy.credit.as_str()), ("10000", "10000"));
        let csv = String::from_utf8(journal_csv(&journal).unwrap()).unwrap();
        assert!(
            csv.contains(",'=Alpha,"),
            "names that look like formulas are escaped: {csv}"
        );
    }

    #[test]
    fn an_unbalanced_payment_is_refused() {
        let payments = [line("1", "EUR", "1000.00", "150.00", "800.00")];
        assert!(journal(&batch(), &payments, &JournalAccounts::default()).is_err());
    }
}
