//! Sales facts: the append-only record of what partners sold and what came back. A return
//! is a line with negative quantity and amount; a correction is another line, never an edit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::{Currency, parse_decimal};
use crate::validation::{Errors, FieldError, date, optional_text, required_text};

/// One sales or return line as submitted (API body or CSV/Parquet row).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SalesFactInput {
    /// YYYY-MM-DD.
    pub fact_date: String,
    /// The selling partner (for two-tier sales: the reseller).
    pub partner_id: String,
    /// The distributor the sale went through, if any.
    pub distributor_id: Option<String>,
    pub account_id: String,
    pub product_sku: String,
    /// Whole units; negative for returns.
    pub quantity: String,
    /// Decimal text in `currency`; negative for returns.
    pub amount: String,
    pub currency: String,
    pub deal_ref: Option<String>,
    /// Where the line came from, e.g. "erp", "distributor-feed".
    pub source: Option<String>,
    /// Cost of the goods, decimal text in `currency` (optional; margin plans need it).
    /// Same sign as the amount: a return gives its cost back.
    pub cost: Option<String>,
}

/// A validated line; references (partner, account, product) are resolved by the importer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesFactFields {
    pub fact_date: NaiveDate,
    pub partner_id: String,
    pub distributor_id: Option<String>,
    pub account_id: String,
    pub product_sku: String,
    pub quantity: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub deal_ref: Option<String>,
    pub source: String,
    /// Cost of the goods in minor units of `currency`, when known.
    pub cost_minor: Option<i64>,
}

impl SalesFactInput {
    pub fn validate(&self) -> Result<SalesFactFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let fact_date = errors.check("fact_date", date(&self.fact_date));
        let partner_id = errors.check("partner_id", required_text(&self.partner_id, 64));
        let account_id = errors.check("account_id", required_text(&self.account_id, 64));
        let product_sku = errors.check(
            "product_sku",
            required_text(&self.product_sku, 64).map(|s| s.to_ascii_uppercase()),
        );
        let quantity = errors.check(
            "quantity",
            self.quantity
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("'{}' is not a whole number", self.quantity.trim())),
        );
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let amount = errors.check("amount", parse_decimal(&self.amount));
        let amount_minor = match (amount, currency) {
            (Some(amount), Some(currency)) => errors.check("amount", currency.to_minor(amount)),
            _ => None,
        };
        if let (Some(q), Some(a)) = (quantity, amount_minor)
            && ((q > 0 && a < 0) || (q < 0 && a > 0))
        {
            errors.add(
                "amount",
                "quantity and amount must have the same sign (returns are negative in both)",
            );
        }
        let cost_minor = match (self.cost.as_deref().map(str::trim).filter(|c| !c.is_empty()), currency) {
            (Some(cost), Some(currency)) => errors
                .check("cost", parse_decimal(cost).and_then(|c| currency.to_minor(c)))
                .map(Some),
            _ => Some(None),
        };
        if let (Some(Some(cost)), Some(a)) = (cost_minor, amount_minor)
            && ((a > 0 && cost < 0) || (a < 0 && cost > 0))
        {
            errors.add(
                "cost",
                "cost and amount must have the same sign (a return gives its cost back)",
            );
        }
        let deal_ref = errors.check("deal_ref", optional_text(self.deal_ref.as_deref(), 100));
        let source = errors.check("source", optional_text(self.source.as_deref(), 60));
        let distributor_id = self
            .distributor_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        errors.finish(|| SalesFactFields {
            fact_date: fact_date.unwrap(),
            partner_id: partner_id.unwrap(),
            distributor_id,
            account_id: account_id.unwrap(),
            product_sku: product_sku.unwrap(),
            quantity: quantity.unwrap(),
            amount_minor: amount_minor.unwrap(),
            currency: currency.unwrap(),
            deal_ref: deal_ref.unwrap(),
            source: source.unwrap().unwrap_or_else(|| "import".to_string()),
            cost_minor: cost_minor.unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> SalesFactInput {
        SalesFactInput {
            fact_date: "2026-03-31".into(),
            partner_id: "p".into(),
            account_id: "a".into(),
            product_sku: "fw-100".into(),
            quantity: "2".into(),
            amount: "2598.00".into(),
            currency: "USD".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_sale_becomes_minor_units() {
        let fact = line().validate().unwrap();
        assert_eq!(fact.amount_minor, 259800);
        assert_eq!(fact.product_sku, "FW-100");
        assert_eq!(fact.source, "import");
    }

    #[test]
    fn signs_must_agree_and_precision_is_checked() {
        let mixed = SalesFactInput {
            quantity: "-1".into(),
            ..line()
        };
        assert_eq!(mixed.validate().unwrap_err()[0].field, "amount");
        let too_precise = SalesFactInput {
            amount: "1.001".into(),
            ..line()
        };
        assert_eq!(too_precise.validate().unwrap_err()[0].field, "amount");
        let bad_qty = SalesFactInput {
            quantity: "1.5".into(),
            ..line()
        };
        assert_eq!(bad_qty.validate().unwrap_err()[0].field, "quantity");
    }

    #[test]
    fn cost_is_optional_exact_and_signed_like_the_amount() {
        assert_eq!(line().validate().unwrap().cost_minor, None);
        let costed = SalesFactInput {
            cost: Some("1800.50".into()),
            ..line()
        };
        assert_eq!(costed.validate().unwrap().cost_minor, Some(180050));
        let returned = SalesFactInput {
            quantity: "-1".into(),
            amount: "-1299.00".into(),
            cost: Some("-900.00".into()),
            ..line()
        };
        assert_eq!(returned.validate().unwrap().cost_minor, Some(-90000));
        let wrong_sign = SalesFactInput {
            cost: Some("-1".into()),
            ..line()
        };
        assert_eq!(wrong_sign.validate().unwrap_err()[0].field, "cost");
        let too_precise = SalesFactInput {
            cost: Some("1.001".into()),
            ..line()
        };
        assert_eq!(too_precise.validate().unwrap_err()[0].field, "cost");
    }
}
