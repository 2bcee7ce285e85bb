//! Reading sales facts from a Parquet file, row group by row group (never the whole file),
//! after checking its columns exactly as a CSV header is checked.

use std::fs::File;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Row;
use parquet::record::reader::RowIter;
use parquet::schema::types::Type;

use super::storage::{check_column, field_text};
use crate::error::ImportError;
use crate::header::match_header;
use crate::kinds::{ImportKind, ImportedRow, SalesFacts, import_row};
use crate::row::{RowError, RowValues};

/// Sales facts read from a Parquet file; iterating yields, per record, the validated line
/// (numbered from 1) or every problem found in it.
pub struct SalesParquetReader {
    rows: RowIter<'static>,
    /// Per field of a read record, the index of its column in [`SalesFacts::COLUMNS`].
    columns: Vec<usize>,
    total: u64,
    record: u64,
    finished: bool,
}

/// Opens a Parquet file of sales facts and checks its columns and their types.
pub fn read_sales_parquet(path: impl AsRef<Path>) -> Result<SalesParquetReader, ImportError> {
    let reader = SerializedFileReader::new(File::open(path)?)?;
    let metadata = reader.metadata().file_metadata();
    let total = u64::try_from(metadata.num_rows()).unwrap_or_default();
    let schema = metadata.schema_descr().root_schema();
    let fields = schema.get_fields();
    let positions = match_header(SalesFacts::NAME, SalesFacts::COLUMNS, fields.iter().map(|f| f.name()))?;
    // (position in the file, column index), in file order: only these fields are read.
    let mut wanted: Vec<(usize, usize)> = positions
        .iter()
        .enumerate()
        .filter_map(|(column, position)| position.map(|p| (p, column)))
        .collect();
    wanted.sort_unstable();
    for &(position, column) in &wanted {
        check_column(SalesFacts::COLUMNS[column].name, &fields[position])?;
    }
    let projection = Type::group_type_builder(schema.name())
        .with_fields(wanted.iter().map(|&(position, _)| fields[position].clone()).collect())
        .build()?;
    let columns = wanted.into_iter().map(|(_, column)| column).collect();
    let rows = RowIter::from_file_into(Box::new(reader)).project(Some(projection))?;
    Ok(SalesParquetReader {
        rows,
        columns,
        total,
        record: 0,
        finished: false,
    })
}

impl SalesParquetReader {
    /// Number of records in the file, for progress reporting.
    pub fn total_records(&self) -> u64 {
        self.total
    }

    /// Number of records read so far.
    pub fn records_read(&self) -> u64 {
        self.record
    }

    fn parse(&self, row: Row) -> Result<ImportedRow<SalesFacts>, Vec<RowError>> {
        let mut texts = vec![String::new(); SalesFacts::COLUMNS.len()];
        let mut errors = Vec::new();
        for ((_, field), &column) in row.into_columns().into_iter().zip(&self.columns) {
            match field_text(field) {
                Ok(text) => texts[column] = text,
                Err(message) => errors.push(RowError::in_column(
                    self.record,
                    SalesFacts::COLUMNS[column].name,
                    message,
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        import_row::<SalesFacts>(
            self.record,
            &RowValues::new(SalesFacts::COLUMNS, texts.iter().map(String::as_str).collect()),
        )
    }
}

impl Iterator for SalesParquetReader {
    type Item = Result<ImportedRow<SalesFacts>, Vec<RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = self.rows.next()?;
        self.record += 1;
        Some(match next {
            Ok(row) => self.parse(row),
            Err(error) => {
                // A damaged page or row group: nothing after it can be trusted.
                self.finished = true;
                Err(vec![RowError::whole_row(
                    self.record,
                    format!("could not read the rest of the file: {error}"),
                )])
            }
        })
    }
}
