//! Tributary's interchange formats: the spreadsheet-friendly CSV files (and Parquet, for
//! the large sales-fact feeds) through which partners, users, products, accounts, regions,
//! verticals, exchange rates and sales facts enter and leave the product.
//!
//! Every format is described once, as a list of [`Column`]s per record kind; the reader,
//! the writer, the downloadable template and the column documentation are all derived
//! from that list, so an export can be edited in a spreadsheet and imported again.
//! Imports stream row by row and report every problem with the row number a spreadsheet
//! shows and the column's name, using the same validation as the API and the portal.

mod column;
mod counting;
mod error;
mod export;
mod formula;
mod header;
mod kinds;
mod reader;
mod row;
mod sales_parquet;
mod template;

pub use column::{Column, Usage};
pub use error::{ExportError, ImportError};
pub use export::{CsvExport, export_csv};
pub use formula::escape as escape_formula;
pub use header::HeaderError;
pub use kinds::{
    Accounts, ExportKind, FxRates, ImportKind, ImportedRow, MetricFactRecord, MetricFacts, Partners, Products, Regions,
    SalesFactRecord, SalesFacts, Upsert, UserRecord, Users, Verticals,
};
pub use reader::CsvImport;
pub use row::{RowError, RowValues};
pub use sales_parquet::{SalesParquetReader, read_sales_parquet, write_sales_parquet};
pub use template::{columns_markdown, template_csv};
