//! Writing sales facts as Parquet: every column of the sales-fact CSV as an optional UTF8
//! string column (blank cells become nulls), in row groups of bounded size so exports of
//! any length stream in constant memory. Text keeps amounts exact and reads back through
//! the same validation as an import.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::error::ExportError;
use crate::kinds::{ExportKind, ImportKind, SalesFactRecord, SalesFacts};

/// Records per row group.
const ROW_GROUP_RECORDS: usize = 8192;

/// Writes `records` as a Parquet file and returns the writer.
pub fn write_sales_parquet<'a, W: Write + Send>(
    writer: W,
    records: impl IntoIterator<Item = &'a SalesFactRecord>,
) -> Result<W, ExportError> {
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut file = SerializedFileWriter::new(writer, Arc::new(schema()?), Arc::new(properties))?;
    let mut batch = Vec::with_capacity(ROW_GROUP_RECORDS);
    for record in records {
        batch.push(SalesFacts::cells(record));
        if batch.len() == ROW_GROUP_RECORDS {
            write_row_group(&mut file, &mut batch)?;
        }
    }
    if !batch.is_empty() {
        write_row_group(&mut file, &mut batch)?;
    }
    Ok(file.into_inner()?)
}

fn schema() -> Result<Type, ParquetError> {
    let fields = SalesFacts::COLUMNS
        .iter()
        .map(|column| {
            Type::primitive_type_builder(column.name, PhysicalType::BYTE_ARRAY)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(Some(LogicalType::String))
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder("sales_facts").with_fields(fields).build()
}

/// Writes the buffered rows as one row group, column by column, and empties the buffer.
fn write_row_group<W: Write + Send>(
    file: &mut SerializedFileWriter<W>,
    batch: &mut Vec<Vec<String>>,
) -> Result<(), ParquetError> {
    let mut group = file.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let mut values = Vec::with_capacity(batch.len());
        let mut definition_levels = Vec::with_capacity(batch.len());
        for row in batch.iter_mut() {
            let cell = std::mem::take(&mut row[index]);
            definition_levels.push(i16::from(!cell.is_empty()));
            if !cell.is_empty() {
                values.push(ByteArray::from(cell.into_bytes()));
            }
        }
        column
            .typed::<ByteArrayType>()
            .write_batch(&values, Some(&definition_levels), None)?;
        column.close()?;
        index += 1;
    }
    group.close()?;
    batch.clear();
    Ok(())
}
