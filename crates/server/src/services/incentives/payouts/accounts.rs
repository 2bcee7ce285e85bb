//! The ledger accounts a payout journal posts to — incentive expense (debit, gross),
//! partner payable (credit, net) and withholding tax payable (credit, withholding) — kept
//! in the program settings so finance can match its chart of accounts without a release.

use serde::{Deserialize, Serialize};
use tributary_domain::validation::{Errors, FieldError};
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::settings;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, internal};
use crate::services::record;

const SETTING: &str = "payout_journal_accounts";

/// One account of the chart: its code (what an import matches on) and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LedgerAccount {
    pub code: String,
    pub name: String,
}

/// The three accounts of a payout journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JournalAccounts {
    /// Debited with each payment's gross.
    pub incentive_expense: LedgerAccount,
    /// Credited with each payment's net (what the partner receives).
    pub partner_payable: LedgerAccount,
    /// Credited with each payment's withholding tax.
    pub withholding_payable: LedgerAccount,
}

impl Default for JournalAccounts {
    /// Codes in the ranges most small-business charts use (6xxx expenses, 2xxx liabilities).
    fn default() -> Self {
        let account = |code: &str, name: &str| LedgerAccount {
            code: code.into(),
            name: name.into(),
        };
        Self {
            incentive_expense: account("6400", "Partner incentive expense"),
            partner_payable: account("2110", "Partner incentives payable"),
            withholding_payable: account("2310", "Withholding tax payable"),
        }
    }
}

impl JournalAccounts {
    fn each(&self) -> [(&'static str, &LedgerAccount); 3] {
        [
            ("incentive_expense", &self.incentive_expense),
            ("partner_payable", &self.partner_payable),
            ("withholding_payable", &self.withholding_payable),
        ]
    }

    /// Codes and names present and short, and three different codes.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::new();
        for (field, account) in self.each() {
            let code = account.code.trim();
            if code.is_empty() || code.chars().count() > 40 {
                errors.add(&format!("{field}.code"), "give a code of 1 to 40 characters");
            }
            let name = account.name.trim();
            if name.is_empty() || name.chars().count() > 120 {
                errors.add(&format!("{field}.name"), "give a name of 1 to 120 characters");
            }
        }
        let [(_, expense), (_, payable), (_, withholding)] = self.each();
        if expense.code.trim() == payable.code.trim() || expense.code.trim() == withholding.code.trim() {
            errors.add("incentive_expense.code", "must differ from the payable accounts");
        }
        if payable.code.trim() == withholding.code.trim() {
            errors.add(
                "withholding_payable.code",
                "must differ from the partner payable account",
            );
        }
        errors.finish(|| ())
    }

    fn trimmed(&self) -> Self {
        let trim = |a: &LedgerAccount| LedgerAccount {
            code: a.code.trim().to_string(),
            name: a.name.trim().to_string(),
        };
        Self {
            incentive_expense: trim(&self.incentive_expense),
            partner_payable: trim(&self.partner_payable),
            withholding_payable: trim(&self.withholding_payable),
        }
    }
}

/// The program's accounts (the defaults until finance saves some).
pub async fn load(conn: &mut Conn<'_>) -> AppResult<JournalAccounts> {
    match settings::get(conn, SETTING).await? {
        Some(json) => serde_json::from_str(&json).map_err(internal),
        None => Ok(JournalAccounts::default()),
    }
}

pub async fn save(conn: &mut Conn<'_>, actor: &Actor, new: &JournalAccounts) -> AppResult<JournalAccounts> {
    new.validate().map_err(AppError::Validation)?;
    let new = new.trimmed();
    let before = load(conn).await?;
    let json = serde_json::to_string(&new).map_err(internal)?;
    settings::put(conn, SETTING, &json, actor.user_id.as_deref()).await?;
    record(
        conn,
        actor,
        "payout_journal_accounts.saved",
        "setting",
        SETTING,
        Some(&before),
        Some(&new),
    )
    .await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_clashes_are_named() {
        assert!(JournalAccounts::default().validate().is_ok());
        let mut same = JournalAccounts::default();
        same.withholding_payable.code = same.partner_payable.code.clone();
        same.incentive_expense.name = " ".into();
        let fields: Vec<String> = same.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["incentive_expense.name", "withholding_payable.code"]);
    }
}
