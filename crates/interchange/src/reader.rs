//! The streaming CSV import: reads and checks the header, then turns one row at a time
//! into a validated domain input, so a file of any size is imported in constant memory
//! and every bad row is reported without stopping the others.

use std::io::Read;
use std::marker::PhantomData;

use csv::ByteRecord;

use crate::counting::CountingReader;
use crate::error::ImportError;
use crate::formula;
use crate::header::match_header;
use crate::kinds::{ImportKind, ImportedRow, import_row};
use crate::row::{RowError, RowValues};

/// An import of records of kind `K` from CSV text. Iterating yields, per data row, the
/// validated row or every problem found in it.
pub struct CsvImport<K: ImportKind, R: Read> {
    csv: csv::Reader<CountingReader<R>>,
    /// Per column of `K`, the position of its cells in a record.
    positions: Vec<Option<usize>>,
    /// Number of cells the header has, which every row must have too.
    width: usize,
    record: ByteRecord,
    /// Spreadsheet number of the last row read (the header is row 1).
    row: u64,
    finished: bool,
    kind: PhantomData<K>,
}

impl<K: ImportKind, R: Read> CsvImport<K, R> {
    /// Reads and checks the header row. A UTF-8 byte-order mark is ignored.
    pub fn new(reader: R) -> Result<Self, ImportError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(CountingReader::new(reader));
        let mut record = ByteRecord::new();
        if !csv.read_byte_record(&mut record)? {
            return Err(ImportError::Empty);
        }
        let names = record
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<Vec<&str>, _>>()
            .map_err(|_| ImportError::HeaderNotUtf8)?;
        let positions = match_header(K::NAME, K::COLUMNS, names)?;
        Ok(Self {
            csv,
            positions,
            width: record.len(),
            record,
            row: 1,
            finished: false,
            kind: PhantomData,
        })
    }

    /// Bytes consumed from the underlying reader so far, for progress reporting.
    pub fn bytes_read(&self) -> u64 {
        self.csv.get_ref().count()
    }

    /// Decodes the current record's cells (UTF-8, formula escaping) and parses them.
    fn parse_record(&self) -> Result<ImportedRow<K>, Vec<RowError>> {
        let row = self.row;
        if self.record.len() != self.width {
            let cells = if self.record.len() == 1 { "cell" } else { "cells" };
            return Err(vec![RowError::whole_row(
                row,
                format!(
                    "has {} {cells} but the header has {} columns",
                    self.record.len(),
                    self.width
                ),
            )]);
        }
        let mut cells = Vec::with_capacity(K::COLUMNS.len());
        let mut errors = Vec::new();
        for (column, position) in K::COLUMNS.iter().zip(&self.positions) {
            let bytes = position.map_or(&b""[..], |p| &self.record[p]);
            match std::str::from_utf8(bytes) {
                Ok(text) => cells.push(formula::unescape(text)),
                Err(_) => {
                    errors.push(RowError::in_column(
                        row,
                        column.name,
                        "is not valid UTF-8 text; save the file as \"CSV UTF-8\"",
                    ));
                    cells.push("");
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        import_row::<K>(row, &RowValues::new(K::COLUMNS, cells))
    }
}

impl<K: ImportKind, R: Read> Iterator for CsvImport<K, R> {
    type Item = Result<ImportedRow<K>, Vec<RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            match self.csv.read_byte_record(&mut self.record) {
                Ok(true) => {
                    self.row += 1;
                    // Spreadsheets save rows they consider empty as `,,,`: skip them.
                    if self.record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                        continue;
                    }
                    return Some(self.parse_record());
                }
                Ok(false) => self.finished = true,
                Err(error) => {
                    // Only I/O fails a flexible byte reader; the rest of the file is unreadable.
                    self.finished = true;
                    return Some(Err(vec![RowError::whole_row(
                        self.row + 1,
                        format!("could not read the rest of the file: {error}"),
                    )]));
                }
            }
        }
        None
    }
}
