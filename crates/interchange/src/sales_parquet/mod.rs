//! Parquet files of sales facts, the format data teams and distributor feeds produce at
//! volume. The columns are those of the sales-fact CSV, read with the same validation and
//! reported with the same errors; typed Parquet columns are accepted where they are exact
//! (whole numbers, DECIMAL, DATE) and floating-point amounts are refused outright.

mod read;
mod storage;
mod write;

pub use read::{SalesParquetReader, read_sales_parquet};
pub use write::write_sales_parquet;
