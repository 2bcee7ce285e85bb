//! Statements as a period close leaves them, written straight through the store, for the
//! payout tests (which test paying statements, not making them).

#![allow(dead_code)]

use std::str::FromStr;

use rust_decimal::Decimal;
use tributary_store::repo::statements::{self, Statement, StatementStatus};

use super::common::TestApp;

/// A statement as the close would leave it.
pub struct Row<'a> {
    pub partner: &'a str,
    pub period: &'a str,
    pub status: StatementStatus,
    pub currency: &'a str,
    pub gross: &'a str,
    pub withholding: &'a str,
    pub points: &'a str,
    pub payable_on: &'a str,
}

impl<'a> Row<'a> {
    /// An approved EUR statement payable since 2026-01-31.
    pub fn approved(partner: &'a str, period: &'a str, gross: &'a str, withholding: &'a str) -> Self {
        Row {
            partner,
            period,
            status: StatementStatus::Approved,
            currency: "EUR",
            gross,
            withholding,
            points: "0",
            payable_on: "2026-01-31",
        }
    }
}

/// Inserts a statement directly through the store; returns its id.
pub async fn statement(app: &TestApp, row: Row<'_>) -> String {
    let gross = Decimal::from_str(row.gross).unwrap();
    let withholding = Decimal::from_str(row.withholding).unwrap();
    let now = tributary_store::time::now_text();
    let s = Statement {
        id: tributary_domain::ids::new_id(),
        partner_id: row.partner.to_string(),
        partner_name: String::new(),
        period_key: row.period.to_string(),
        period_start: "2025-12-01".into(),
        period_end: "2025-12-31".into(),
        currency: row.currency.to_string(),
        status: row.status,
        close_run_id: None,
        gross,
        withholding,
        net: gross - withholding,
        points: Decimal::from_str(row.points).unwrap(),
        payable_on: row.payable_on.to_string(),
        approved_at: row.status.is_final().then(|| now.clone()),
        paid_at: None,
        created_at: now.clone(),
        updated_at: now,
        version: 1,
    };
    let mut tx = app.db.begin().await.unwrap();
    statements::insert(&mut tx.conn(), &s).await.unwrap();
    tx.commit().await.unwrap();
    s.id
}

/// Today, the latest date a batch may pay through.
pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}
