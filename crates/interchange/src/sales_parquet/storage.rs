//! How a Parquet column stores its values, which storages each sales-fact column accepts,
//! and how a stored value becomes the text the domain validates. Money is never floating
//! point, so FLOAT/DOUBLE amounts are refused before a single row is read.

use std::fmt;

use chrono::NaiveDate;
use parquet::basic::{ConvertedType, Repetition, Type as PhysicalType};
use parquet::data_type::Decimal as ParquetDecimal;
use parquet::record::Field;
use parquet::schema::types::Type;
use rust_decimal::Decimal;

use crate::error::ImportError;

/// A column's storage, as far as import cares.
enum Storage {
    Text,
    WholeNumber,
    Decimal,
    Date,
    FloatingPoint,
    Other(String),
}

impl Storage {
    fn of(field: &Type) -> Self {
        let info = field.get_basic_info();
        if !field.is_primitive() || (info.has_repetition() && info.repetition() == Repetition::REPEATED) {
            return Self::Other("a nested or repeated field".to_string());
        }
        match (field.get_physical_type(), info.converted_type()) {
            (PhysicalType::BYTE_ARRAY, ConvertedType::NONE | ConvertedType::UTF8 | ConvertedType::ENUM) => Self::Text,
            (
                PhysicalType::INT32,
                ConvertedType::NONE | ConvertedType::INT_8 | ConvertedType::INT_16 | ConvertedType::INT_32,
            )
            | (PhysicalType::INT64, ConvertedType::NONE | ConvertedType::INT_64) => Self::WholeNumber,
            (_, ConvertedType::DECIMAL) => Self::Decimal,
            (PhysicalType::INT32, ConvertedType::DATE) => Self::Date,
            (PhysicalType::FLOAT | PhysicalType::DOUBLE, _) => Self::FloatingPoint,
            (physical, ConvertedType::NONE) => Self::Other(physical.to_string()),
            (physical, converted) => Self::Other(format!("{physical} ({converted})")),
        }
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text => f.write_str("text"),
            Self::WholeNumber => f.write_str("whole numbers"),
            Self::Decimal => f.write_str("DECIMAL"),
            Self::Date => f.write_str("DATE"),
            Self::FloatingPoint => f.write_str("floating point (FLOAT/DOUBLE)"),
            Self::Other(name) => f.write_str(name),
        }
    }
}

/// Checks that the file's `field` can feed the sales-fact column `column`.
pub(super) fn check_column(column: &'static str, field: &Type) -> Result<(), ImportError> {
    let storage = Storage::of(field);
    let message = match (column, &storage) {
        (_, Storage::Text)
        | ("quantity", Storage::WholeNumber)
        | ("amount", Storage::Decimal)
        | ("fact_date", Storage::Date) => return Ok(()),
        ("amount", Storage::FloatingPoint) => "is stored as floating point (FLOAT/DOUBLE), which cannot hold money \
            exactly; amounts must be stored as DECIMAL or as text such as \"2598.00\""
            .to_string(),
        ("quantity", _) => format!("is stored as {storage}; expected whole numbers (INT32/INT64) or text"),
        ("amount", _) => format!("is stored as {storage}; expected DECIMAL or text"),
        ("fact_date", _) => format!("is stored as {storage}; expected DATE or text (YYYY-MM-DD)"),
        _ => format!("is stored as {storage}; expected text (UTF8 strings)"),
    };
    Err(ImportError::ColumnType {
        column: column.to_string(),
        message,
    })
}

/// A stored value as the text the domain parses; nulls are blank.
pub(super) fn field_text(field: Field) -> Result<String, String> {
    match field {
        Field::Null => Ok(String::new()),
        Field::Str(text) => Ok(text),
        Field::Bytes(bytes) => {
            String::from_utf8(bytes.data().to_vec()).map_err(|_| "is not valid UTF-8 text".to_string())
        }
        Field::Byte(n) => Ok(n.to_string()),
        Field::Short(n) => Ok(n.to_string()),
        Field::Int(n) => Ok(n.to_string()),
        Field::Long(n) => Ok(n.to_string()),
        Field::Decimal(decimal) => decimal_text(&decimal),
        Field::Date(days) => date_text(days),
        other => Err(format!("holds a value of an unsupported type: {other}")),
    }
}

/// A Parquet DECIMAL (big-endian two's-complement unscaled value and a scale) as exact text.
fn decimal_text(decimal: &ParquetDecimal) -> Result<String, String> {
    let bytes = decimal.data();
    let too_large = || "is a DECIMAL too large to import".to_string();
    if bytes.len() > 16 {
        return Err(too_large());
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut unscaled = if negative { [0xff; 16] } else { [0; 16] };
    unscaled[16 - bytes.len()..].copy_from_slice(bytes);
    let scale = u32::try_from(decimal.scale()).map_err(|_| too_large())?;
    Decimal::try_from_i128_with_scale(i128::from_be_bytes(unscaled), scale)
        .map(|d| d.to_string())
        .map_err(|_| too_large())
}

/// A Parquet DATE (days since 1970-01-01) as `YYYY-MM-DD`.
fn date_text(days: i32) -> Result<String, String> {
    const DAYS_FROM_CE_TO_UNIX_EPOCH: i32 = 719_163;
    days.checked_add(DAYS_FROM_CE_TO_UNIX_EPOCH)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map(|date| date.to_string())
        .ok_or_else(|| format!("{days} days after 1970-01-01 is not a representable date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_dates_become_exact_text() {
        let negative = ParquetDecimal::from_i64(-1250, 9, 2);
        assert_eq!(decimal_text(&negative).unwrap(), "-12.50");
        let wide = ParquetDecimal::from_bytes(vec![0x01, 0x00].into(), 5, 1);
        assert_eq!(decimal_text(&wide).unwrap(), "25.6");
        assert_eq!(date_text(0).unwrap(), "1970-01-01");
        assert_eq!(date_text(20_543).unwrap(), "2026-03-31");
        assert!(date_text(i32::MAX).is_err());
    }
}
