//! Daily exchange rates, one row per currency pair and day, with the rate as exact decimal
//! text ("1 from_currency = rate to_currency").

use tributary_domain::fx::{FxRateFields, FxRateInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, validated};
use crate::column::Column;
use crate::row::RowValues;

/// Foreign-exchange rates.
#[derive(Debug, Clone, Copy)]
pub struct FxRates;

impl ImportKind for FxRates {
    type Input = FxRateInput;
    type Fields = FxRateFields;
    const NAME: &'static str = "fx rates";
    const COLUMNS: &'static [Column] = &[
        Column::required("from_currency", "ISO 4217 code of the currency quoted", "EUR"),
        Column::required("to_currency", "ISO 4217 code of the currency it is quoted in", "USD"),
        Column::required("rate_date", "Date the rate applies to, YYYY-MM-DD", "2026-01-02"),
        Column::required(
            "rate",
            "Units of to_currency for one unit of from_currency, e.g. 1.0842",
            "1.0842",
        ),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(FxRateInput, FxRateFields), Vec<FieldError>> {
        let input = FxRateInput {
            from_currency: row.text("from_currency"),
            to_currency: row.text("to_currency"),
            rate_date: row.text("rate_date"),
            rate: row.text("rate"),
        };
        validated(input, Errors::new(), FxRateInput::validate)
    }
}

impl ExportKind for FxRates {
    type Record<'a> = &'a FxRateFields;

    fn cells(rate: Self::Record<'_>) -> Vec<String> {
        vec![
            rate.from_currency.to_string(),
            rate.to_currency.to_string(),
            rate.rate_date.to_string(),
            rate.rate.to_string(),
        ]
    }
}
