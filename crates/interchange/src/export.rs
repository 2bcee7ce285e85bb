//! CSV export: the header and one row per record, with the same columns import reads, so
//! an export can be edited in a spreadsheet and imported again. Cells that a spreadsheet
//! would run as a formula are neutralised (see [`crate::formula`]).

use std::io::Write;
use std::marker::PhantomData;

use crate::error::ExportError;
use crate::formula;
use crate::kinds::ExportKind;

/// A CSV export of records of kind `K`, written row by row.
pub struct CsvExport<K: ExportKind, W: Write> {
    csv: csv::Writer<W>,
    kind: PhantomData<K>,
}

impl<K: ExportKind, W: Write> CsvExport<K, W> {
    /// Starts the export by writing the header row.
    pub fn new(writer: W) -> Result<Self, ExportError> {
        let mut csv = csv::Writer::from_writer(writer);
        csv.write_record(K::COLUMNS.iter().map(|c| c.name))?;
        Ok(Self { csv, kind: PhantomData })
    }

    pub fn write(&mut self, record: K::Record<'_>) -> Result<(), ExportError> {
        let cells = K::cells(record);
        debug_assert_eq!(
            cells.len(),
            K::COLUMNS.len(),
            "{} export rows must fill every column",
            K::NAME
        );
        let escaped: Vec<_> = cells.iter().map(|cell| formula::escape(cell)).collect();
        self.csv.write_record(escaped.iter().map(|cell| cell.as_bytes()))?;
        Ok(())
    }

    /// Flushes the export and returns the writer.
    pub fn finish(self) -> Result<W, ExportError> {
        self.csv
            .into_inner()
            .map_err(|error| ExportError::Io(error.into_error()))
    }
}

/// Writes a complete export of `records` and returns the writer.
pub fn export_csv<'a, K: ExportKind, W: Write>(
    writer: W,
    records: impl IntoIterator<Item = K::Record<'a>>,
) -> Result<W, ExportError> {
    let mut export = CsvExport::<K, W>::new(writer)?;
    for record in records {
        export.write(record)?;
    }
    export.finish()
}
