//! Products: what partners sell, by SKU and family, with a list price.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::{Currency, parse_non_negative};
use crate::validation::{Errors, FieldError, required_text};

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub family: String,
    /// Decimal text, e.g. "1299.00".
    pub list_price: String,
    pub currency: String,
    /// Defaults to true.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductFields {
    pub sku: String,
    pub name: String,
    pub family: String,
    #[schema(value_type = String)]
    pub list_price: Decimal,
    #[schema(value_type = String)]
    pub currency: Currency,
    pub active: bool,
}

impl ProductInput {
    pub fn validate(&self) -> Result<ProductFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let sku = errors.check("sku", required_text(&self.sku, 64).and_then(sku_code));
        let name = errors.check("name", required_text(&self.name, 200));
        let family = errors.check("family", required_text(&self.family, 100));
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let list_price = errors.check("list_price", parse_non_negative(&self.list_price));
        if let (Some(price), Some(currency)) = (list_price, currency)
            && let Err(message) = currency.to_minor(price)
        {
            errors.add("list_price", message);
        }
        errors.finish(|| ProductFields {
            sku: sku.unwrap(),
            name: name.unwrap(),
            family: family.unwrap(),
            list_price: list_price.unwrap(),
            currency: currency.unwrap(),
            active: self.active.unwrap_or(true),
        })
    }
}

fn sku_code(sku: String) -> Result<String, String> {
    if sku.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
        Ok(sku.to_ascii_uppercase())
    } else {
        Err(format!("'{sku}' may contain only letters, digits and - _ . /"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_validation() {
        let ok = ProductInput {
            sku: "fw-100".into(),
            name: "Firewall 100".into(),
            family: "Firewalls".into(),
            list_price: "1299.00".into(),
            currency: "USD".into(),
            active: None,
        };
        let fields = ok.validate().unwrap();
        assert_eq!(fields.sku, "FW-100");
        assert!(fields.active);
        let bad = ProductInput {
            sku: "a b".into(),
            list_price: "-1".into(),
            ..ok.clone()
        };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.len(), 2);
        let jpy = ProductInput {
            currency: "JPY".into(),
            list_price: "10.5".into(),
            ..ok
        };
        assert_eq!(jpy.validate().unwrap_err()[0].field, "list_price");
    }
}
