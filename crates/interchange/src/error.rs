//! Whole-file failures. Problems with single rows are [`crate::RowError`]s and never stop
//! an import; these errors mean the file as a whole cannot be read.

use crate::header::HeaderError;

/// Why a file could not be opened for import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty; its first row must name the columns")]
    Empty,
    #[error("the header row is not valid UTF-8 text; save the file as \"CSV UTF-8\"")]
    HeaderNotUtf8,
    #[error(transparent)]
    Header(#[from] HeaderError),
    #[error("column \"{column}\" {message}")]
    ColumnType { column: String, message: String },
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not read the file: {0}")]
    Csv(#[from] csv::Error),
    #[error("could not read the Parquet file: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not write the export: {0}")]
    Csv(#[from] csv::Error),
    #[error("could not write the Parquet export: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}
