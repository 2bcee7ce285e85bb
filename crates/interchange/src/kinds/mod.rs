//! The record kinds of the interchange formats and the two traits they implement:
//! [`ImportKind`] (columns, and how a row becomes a validated domain input) and
//! [`ExportKind`] (how a stored record becomes a row with the same columns).
//! Each kind lives in its own module; the shared steps live here.

mod accounts;
mod fx_rates;
mod geography;
mod metric_facts;
mod partners;
mod products;
mod sales_facts;
mod users;

use std::fmt::{Debug, Display};

use tributary_domain::validation::{Errors, FieldError};

use crate::column::Column;
use crate::row::{RowError, RowValues};

pub use accounts::Accounts;
pub use fx_rates::FxRates;
pub use geography::{Regions, Verticals};
pub use metric_facts::{MetricFactRecord, MetricFacts};
pub use partners::Partners;
pub use products::Products;
pub use sales_facts::{SalesFactRecord, SalesFacts};
pub use users::{UserRecord, Users};

/// A kind of record that can be imported from a file.
pub trait ImportKind {
    /// The domain input a row is read into, exactly as the API would receive it.
    type Input: Debug + Clone;
    /// What a valid row becomes: the domain's validated fields (plus the row's `id` for
    /// kinds that can update existing records, see [`Upsert`]).
    type Fields: Debug + Clone + PartialEq;
    /// Plural name for messages and file names ("partners").
    const NAME: &'static str;
    /// The columns of the format, in the order exports write them.
    const COLUMNS: &'static [Column];

    /// Reads one row into the domain input and validates it, reporting every problem with
    /// the name of its column.
    fn parse(row: &RowValues<'_>) -> Result<(Self::Input, Self::Fields), Vec<FieldError>>;
}

/// A kind of record that can be exported with the same columns it is imported with.
pub trait ExportKind: ImportKind {
    /// What one exported row is made from.
    type Record<'a>;

    /// The row's cells, one per entry of [`ImportKind::COLUMNS`], as plain (unescaped) text.
    fn cells(record: Self::Record<'_>) -> Vec<String>;
}

/// One valid imported row.
#[derive(Debug, Clone)]
pub struct ImportedRow<K: ImportKind> {
    /// CSV: the spreadsheet row number (header = 1). Parquet: the 1-based record number.
    pub row: u64,
    pub input: K::Input,
    pub fields: K::Fields,
}

/// The validated fields of a row that either creates a record (`id` blank) or updates the
/// existing record with that id.
#[derive(Debug, Clone, PartialEq)]
pub struct Upsert<F> {
    pub id: Option<String>,
    pub fields: F,
}

/// Parses a row of kind `K`, turning field errors into row errors.
pub(crate) fn import_row<K: ImportKind>(row: u64, values: &RowValues<'_>) -> Result<ImportedRow<K>, Vec<RowError>> {
    K::parse(values)
        .map(|(input, fields)| ImportedRow { row, input, fields })
        .map_err(|errors| RowError::from_fields(row, K::COLUMNS, errors))
}

/// Validates `input`, adding to `errors` (problems found while reading the row's cells)
/// whatever the domain finds; succeeds only when neither found anything.
fn validated<I, F>(
    input: I,
    mut errors: Errors,
    validate: impl FnOnce(&I) -> Result<F, Vec<FieldError>>,
) -> Result<(I, F), Vec<FieldError>> {
    match validate(&input) {
        Ok(fields) => errors.finish(|| (input, fields)),
        Err(found) => {
            errors.0.extend(found);
            Err(errors.0)
        }
    }
}

/// [`validated`] for kinds with an optional `id` column.
fn validated_upsert<I, F>(
    row: &RowValues<'_>,
    mut errors: Errors,
    input: I,
    validate: impl FnOnce(&I) -> Result<F, Vec<FieldError>>,
) -> Result<(I, Upsert<F>), Vec<FieldError>> {
    let id = errors.check("id", row.id()).flatten();
    validated(input, errors, validate).map(|(input, fields)| (input, Upsert { id, fields }))
}

/// An optional value as a cell: blank when absent.
fn optional_cell<T: Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A list as a `;`-separated cell.
fn list_cell(items: &[String]) -> String {
    items.join(";")
}

/// A yes/no value as a cell, in the spelling import reads first.
fn flag_cell(value: bool) -> String {
    value.to_string()
}
