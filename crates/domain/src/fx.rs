//! Daily foreign-exchange rates, quoted as "1 unit of `from` = `rate` units of `to`" and
//! used exactly as stored (never inverted, never floating point).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::{Currency, parse_decimal};
use crate::validation::{Errors, FieldError, date};

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FxRateInput {
    pub from_currency: String,
    pub to_currency: String,
    /// YYYY-MM-DD.
    pub rate_date: String,
    /// Decimal text, e.g. "1.0842".
    pub rate: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FxRateFields {
    #[schema(value_type = String)]
    pub from_currency: Currency,
    #[schema(value_type = String)]
    pub to_currency: Currency,
    pub rate_date: NaiveDate,
    #[schema(value_type = String)]
    pub rate: Decimal,
}

impl FxRateInput {
    pub fn validate(&self) -> Result<FxRateFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let from = errors.check("from_currency", Currency::parse(&self.from_currency));
        let to = errors.check("to_currency", Currency::parse(&self.to_currency));
        let rate_date = errors.check("rate_date", date(&self.rate_date));
        let rate = errors.check(
            "rate",
            parse_decimal(&self.rate).and_then(|r| {
                if r > Decimal::ZERO {
                    Ok(r)
                } else {
                    Err(format!("{r} must be greater than zero"))
                }
            }),
        );
        if from.is_some() && from == to {
            errors.add("to_currency", "must differ from from_currency");
        }
        errors.finish(|| FxRateFields {
            from_currency: from.unwrap(),
            to_currency: to.unwrap(),
            rate_date: rate_date.unwrap(),
            rate: rate.unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fx_validation() {
        let ok = FxRateInput {
            from_currency: "EUR".into(),
            to_currency: "USD".into(),
            rate_date: "2026-01-02".into(),
            rate: "1.0842".into(),
        };
        assert!(ok.validate().is_ok());
        let same = FxRateInput {
            to_currency: "eur".into(),
            ..ok.clone()
        };
        assert_eq!(same.validate().unwrap_err()[0].field, "to_currency");
        let zero = FxRateInput { rate: "0".into(), ..ok };
        assert_eq!(zero.validate().unwrap_err()[0].field, "rate");
    }
}
