//! Sales facts: one row per sale or return line (returns are negative in quantity and
//! amount). Amounts — and the optional cost that margin plans read — are decimal text in
//! the line's currency and must fit its minor unit; they are never floating point. Facts
//! are append-only, so the exported id, deal registration flag and creation time are for
//! information and ignored on import.

use tributary_domain::sales::{SalesFactFields, SalesFactInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, flag_cell, optional_cell, validated};
use crate::column::Column;
use crate::row::RowValues;

/// Sales and return lines.
#[derive(Debug, Clone, Copy)]
pub struct SalesFacts;

/// A stored sales fact as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesFactRecord {
    pub id: String,
    pub fact: SalesFactFields,
    /// Whether the line was matched to a registered deal.
    pub deal_registered: bool,
    /// RFC 3339 timestamp.
    pub created_at: String,
}

impl ImportKind for SalesFacts {
    type Input = SalesFactInput;
    type Fields = SalesFactFields;
    const NAME: &'static str = "sales facts";
    const COLUMNS: &'static [Column] = &[
        Column::export_only(
            "id",
            "The line's id (ignored on import)",
            "0190d0d0-0000-7000-8000-000000000004",
        ),
        Column::required("fact_date", "Date of the sale or return, YYYY-MM-DD", "2026-03-31"),
        Column::required(
            "partner_id",
            "The selling partner (for two-tier sales: the reseller)",
            "0190d0d0-0000-7000-8000-000000000005",
        ),
        Column::optional(
            "distributor_id",
            "The distributor the sale went through, if any",
            "0190d0d0-0000-7000-8000-000000000001",
        ),
        Column::required(
            "account_id",
            "The end customer's account",
            "0190d0d0-0000-7000-8000-000000000006",
        ),
        Column::required("product_sku", "SKU of the product sold", "FW-100"),
        Column::required("quantity", "Whole units; negative for returns", "2"),
        Column::required(
            "amount",
            "Decimal amount in the currency, at most its minor-unit decimals (e.g. 2598.00); negative for returns",
            "2598.00",
        ),
        Column::required("currency", "ISO 4217 code of the amount", "USD"),
        Column::optional("deal_ref", "Reference of the registered deal, if any", "DR-2026-0042"),
        Column::optional("source", "Where the line came from, e.g. erp (blank: import)", "erp"),
        Column::optional(
            "cost",
            "Cost of the goods in the currency, same sign as the amount (margin plans need it)",
            "1800.00",
        ),
        Column::export_only(
            "deal_registered",
            "Matched to a registered deal (ignored on import)",
            "true",
        ),
        Column::export_only(
            "created_at",
            "When the line was recorded (ignored on import)",
            "2026-04-01T06:00:00Z",
        ),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(SalesFactInput, SalesFactFields), Vec<FieldError>> {
        let input = SalesFactInput {
            fact_date: row.text("fact_date"),
            partner_id: row.text("partner_id"),
            distributor_id: row.optional("distributor_id"),
            account_id: row.text("account_id"),
            product_sku: row.text("product_sku"),
            quantity: row.text("quantity"),
            amount: row.text("amount"),
            currency: row.text("currency"),
            deal_ref: row.optional("deal_ref"),
            source: row.optional("source"),
            cost: row.optional("cost"),
        };
        validated(input, Errors::new(), SalesFactInput::validate)
    }
}

impl ExportKind for SalesFacts {
    type Record<'a> = &'a SalesFactRecord;

    fn cells(record: Self::Record<'_>) -> Vec<String> {
        let fact = &record.fact;
        vec![
            record.id.clone(),
            fact.fact_date.to_string(),
            fact.partner_id.clone(),
            optional_cell(fact.distributor_id.as_ref()),
            fact.account_id.clone(),
            fact.product_sku.clone(),
            fact.quantity.to_string(),
            fact.currency.from_minor(fact.amount_minor).to_string(),
            fact.currency.to_string(),
            optional_cell(fact.deal_ref.as_ref()),
            fact.source.clone(),
            fact.cost_minor
                .map_or(String::new(), |cost| fact.currency.from_minor(cost).to_string()),
            flag_cell(record.deal_registered),
            record.created_at.clone(),
        ]
    }
}
