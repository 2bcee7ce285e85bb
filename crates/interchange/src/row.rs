//! One data row on its way into the domain: its cells by column name ([`RowValues`]) and
//! the problems found in it ([`RowError`]), each naming the row as a spreadsheet numbers
//! it and the column as the header names it.

use std::fmt;

use serde::Serialize;
use tributary_domain::ids::parse_id;
use tributary_domain::validation::FieldError;

use crate::column::Column;

/// One problem with one row of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// CSV: the spreadsheet row (the header is row 1). Parquet: the 1-based record number.
    pub row: u64,
    /// The column at fault; empty when the problem is the row as a whole.
    pub column: String,
    pub message: String,
}

impl RowError {
    pub(crate) fn whole_row(row: u64, message: impl Into<String>) -> Self {
        Self {
            row,
            column: String::new(),
            message: message.into(),
        }
    }

    pub(crate) fn in_column(row: u64, column: &str, message: impl Into<String>) -> Self {
        Self {
            row,
            column: column.to_string(),
            message: message.into(),
        }
    }

    /// The domain's field errors as row errors, in column order. Domain field names are the
    /// column names by design (`payout_currency`, `countries_served` …).
    pub(crate) fn from_fields(row: u64, columns: &[Column], mut errors: Vec<FieldError>) -> Vec<Self> {
        errors.sort_by_key(|e| columns.iter().position(|c| c.name == e.field).unwrap_or(columns.len()));
        errors
            .into_iter()
            .map(|e| Self {
                row,
                column: e.field,
                message: e.message,
            })
            .collect()
    }
}

impl std::error::Error for RowError {}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "row {}: {}", self.row, self.message)
        } else {
            write!(f, "row {}, column \"{}\": {}", self.row, self.column, self.message)
        }
    }
}

/// The cells of one row, addressed by column name; a column the file lacks reads as blank.
#[derive(Debug)]
pub struct RowValues<'a> {
    columns: &'static [Column],
    cells: Vec<&'a str>,
}

impl<'a> RowValues<'a> {
    /// `cells` holds one entry per column of `columns`, in the same order.
    pub(crate) fn new(columns: &'static [Column], cells: Vec<&'a str>) -> Self {
        debug_assert_eq!(columns.len(), cells.len());
        Self { columns, cells }
    }

    /// The raw cell. Asking for a column the kind does not declare is a programming error.
    pub fn cell(&self, column: &str) -> &'a str {
        let index = self
            .columns
            .iter()
            .position(|c| c.name == column)
            .unwrap_or_else(|| panic!("column \"{column}\" is not declared by this kind"));
        self.cells[index]
    }

    /// The cell as owned text, for required input fields (the domain trims and checks it).
    pub fn text(&self, column: &str) -> String {
        self.cell(column).to_string()
    }

    /// The cell, or `None` when it is blank.
    pub fn optional(&self, column: &str) -> Option<String> {
        let cell = self.cell(column);
        (!cell.trim().is_empty()).then(|| cell.to_string())
    }

    /// A `;`-separated list cell such as `DE;AT;CH`; blank items are dropped.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.cell(column)
            .split(';')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A yes/no cell (`true`/`false`, `yes`/`no`, `1`/`0`, any case); `None` when blank.
    pub fn flag(&self, column: &str) -> Result<Option<bool>, String> {
        let text = self.cell(column).trim();
        match text.to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "yes" | "1" => Ok(Some(true)),
            "false" | "no" | "0" => Ok(Some(false)),
            _ => Err(format!("'{text}' is not a yes/no value (true, false, yes, no, 1 or 0)")),
        }
    }

    /// The optional `id` column: blank means a new record, otherwise a well-formed identifier.
    pub fn id(&self) -> Result<Option<String>, String> {
        match self.cell("id").trim() {
            "" => Ok(None),
            text => parse_id(text).map(Some),
        }
    }
}
