//! Why a close fails. A close never pays a silent zero: a missing rate or cost stops it
//! with the currency pair, SKU and date named, so the data can be fixed and the close rerun.

use chrono::NaiveDate;

use crate::money::Currency;
use crate::tiering::MetricError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloseError {
    #[error("no {from}→{to} exchange rate on or before {date}")]
    MissingRate {
        from: Currency,
        to: Currency,
        date: NaiveDate,
    },
    #[error("a margin plan needs the cost of every sale: the {sku} sale on {date} has none")]
    MissingCost { sku: String, date: NaiveDate },
}

impl From<MetricError> for CloseError {
    fn from(error: MetricError) -> Self {
        match error {
            MetricError::MissingRate { from, to, date } => CloseError::MissingRate { from, to, date },
        }
    }
}

impl CloseError {
    /// The order in which errors are reported when several partners hit one: earliest
    /// date first, then currency or SKU, so every implementation names the same one.
    pub fn sort_key(&self) -> (NaiveDate, String) {
        match self {
            CloseError::MissingRate { from, to, date } => (*date, format!("{from}{to}")),
            CloseError::MissingCost { sku, date } => (*date, sku.clone()),
        }
    }
}
