//! Tests of the interchange formats through the crate's public API.

mod csv_export;
mod csv_import;
mod fixtures;
mod sales_parquet;
