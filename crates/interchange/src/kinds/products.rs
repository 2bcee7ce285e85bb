//! Products: the catalogue, keyed by SKU (an import row with a known SKU updates that
//! product), with list prices exact to the currency's minor unit.

use tributary_domain::product::{ProductFields, ProductInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, flag_cell, validated};
use crate::column::Column;
use crate::row::RowValues;

/// The product catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Products;

impl ImportKind for Products {
    type Input = ProductInput;
    type Fields = ProductFields;
    const NAME: &'static str = "products";
    const COLUMNS: &'static [Column] = &[
        Column::required(
            "sku",
            "Stock-keeping unit: letters, digits and - _ . / (the product's key)",
            "FW-100",
        ),
        Column::required("name", "Product name, at most 200 characters", "Firewall 100"),
        Column::required("family", "Product family, at most 100 characters", "Firewalls"),
        Column::required(
            "list_price",
            "Decimal price such as 1299.00, no thousands separators",
            "1299.00",
        ),
        Column::required("currency", "ISO 4217 code of the list price", "USD"),
        Column::optional("active", "true/false, yes/no or 1/0 (blank: true)", "true"),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(ProductInput, ProductFields), Vec<FieldError>> {
        let mut errors = Errors::new();
        let input = ProductInput {
            sku: row.text("sku"),
            name: row.text("name"),
            family: row.text("family"),
            list_price: row.text("list_price"),
            currency: row.text("currency"),
            active: errors.check("active", row.flag("active")).flatten(),
        };
        validated(input, errors, ProductInput::validate)
    }
}

impl ExportKind for Products {
    type Record<'a> = &'a ProductFields;

    fn cells(product: Self::Record<'_>) -> Vec<String> {
        vec![
            product.sku.clone(),
            product.name.clone(),
            product.family.clone(),
            product.list_price.to_string(),
            product.currency.to_string(),
            flag_cell(product.active),
        ]
    }
}
