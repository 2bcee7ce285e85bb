//! The same facts and rates as files for the peers: Parquet for DuckDB (dates as DATE,
//! amounts as INT64 minor units, rates and metric values as exact DECIMAL) and CSV for
//! PostgreSQL's COPY. Row groups are bounded so writing 10 million rows streams; the
//! incentives benchmark writes its own tables through [`write_groups`] from a generator.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use chrono::NaiveDate;
use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use rust_decimal::Decimal;

use crate::synth::{CURRENCIES, Data, METRICS, REGIONS};

pub(crate) const ROW_GROUP_ROWS: usize = 1 << 20;

/// Scale of metric values in the files (CSAT has one decimal, the rest are whole).
pub const VALUE_SCALE: u32 = 2;

/// A column's values for a range of rows (`None` is NULL).
pub(crate) enum Values {
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Text(Vec<ByteArray>),
    Bool(Vec<bool>),
    OptionalInt32(Vec<Option<i32>>),
    OptionalInt64(Vec<Option<i64>>),
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Int32,
    Int64,
    Text,
    Date,
    Decimal { scale: i32 },
    Bool,
    OptionalInt32,
    OptionalInt64,
}

pub(crate) fn days_since_epoch(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

/// The value's digits at `scale` decimal places; a value with more places than that is a
/// bug in the caller (it would be rounded), so it panics.
pub(crate) fn mantissa_at(value: Decimal, scale: u32) -> i64 {
    let mut rescaled = value;
    rescaled.rescale(scale);
    assert_eq!(rescaled, value, "{value} has more than {scale} decimal places");
    i64::try_from(rescaled.mantissa()).expect("benchmark values fit 64 bits")
}

fn schema(name: &str, columns: &[(&str, Kind)]) -> Result<Type> {
    let fields = columns
        .iter()
        .map(|(name, kind)| {
            let (physical, logical) = match kind {
                Kind::Int32 | Kind::OptionalInt32 => (PhysicalType::INT32, None),
                Kind::Int64 | Kind::OptionalInt64 => (PhysicalType::INT64, None),
                Kind::Bool => (PhysicalType::BOOLEAN, None),
                Kind::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
                Kind::Date => (PhysicalType::INT32, Some(LogicalType::Date)),
                Kind::Decimal { scale } => (
                    PhysicalType::INT64,
                    Some(LogicalType::Decimal {
                        scale: *scale,
                        precision: 18,
                    }),
                ),
            };
            let repetition = match kind {
                Kind::OptionalInt32 | Kind::OptionalInt64 => Repetition::OPTIONAL,
                _ => Repetition::REQUIRED,
            };
            let mut builder = Type::primitive_type_builder(name, physical)
                .with_repetition(repetition)
                .with_logical_type(logical);
            if let Kind::Decimal { scale } = kind {
                builder = builder.with_precision(18).with_scale(*scale);
            }
            Ok(Arc::new(builder.build()?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Type::group_type_builder(name).with_fields(fields).build()?)
}

/// Writes `rows` rows to a Parquet file; `group(range)` gives the columns of a row range.
fn write_parquet(
    path: &Path,
    name: &str,
    columns: &[(&str, Kind)],
    rows: usize,
    group: impl Fn(std::ops::Range<usize>) -> Vec<Values>,
) -> Result<()> {
    let groups = (0..rows)
        .step_by(ROW_GROUP_ROWS)
        .map(|start| group(start..(start + ROW_GROUP_ROWS).min(rows)));
    write_groups(path, name, columns, groups)
}

/// (definition levels, the non-null values) of an optional column.
fn present<T: Copy>(values: &[Option<T>]) -> (Vec<i16>, Vec<T>) {
    let levels = values.iter().map(|v| i16::from(v.is_some())).collect();
    (levels, values.iter().flatten().copied().collect())
}

/// Writes a Parquet file of one row group per item of `groups` (each the columns of its
/// rows), so a generator can stream any number of rows through bounded memory.
pub(crate) fn write_groups(
    path: &Path,
    name: &str,
    columns: &[(&str, Kind)],
    groups: impl IntoIterator<Item = Vec<Values>>,
) -> Result<()> {
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut file = SerializedFileWriter::new(
        File::create(path)?,
        Arc::new(schema(name, columns)?),
        Arc::new(properties),
    )?;
    for values in groups {
        let mut row_group = file.next_row_group()?;
        for values in values {
            let mut column = row_group.next_column()?.expect("one writer per schema column");
            match values {
                Values::Int32(v) => column.typed::<Int32Type>().write_batch(&v, None, None)?,
                Values::Int64(v) => column.typed::<Int64Type>().write_batch(&v, None, None)?,
                Values::Text(v) => column.typed::<ByteArrayType>().write_batch(&v, None, None)?,
                Values::Bool(v) => column.typed::<BoolType>().write_batch(&v, None, None)?,
                Values::OptionalInt32(v) => {
                    let (levels, v) = present(&v);
                    column.typed::<Int32Type>().write_batch(&v, Some(&levels), None)?
                }
                Values::OptionalInt64(v) => {
                    let (levels, v) = present(&v);
                    column.typed::<Int64Type>().write_batch(&v, Some(&levels), None)?
                }
            };
            column.close()?;
        }
        row_group.close()?;
    }
    file.close()?;
    Ok(())
}

pub(crate) fn text<'a>(items: impl Iterator<Item = &'a str>) -> Values {
    Values::Text(items.map(ByteArray::from).collect())
}

/// partners, sales, rates and metric_facts as Parquet files in `dir`.
pub fn parquet(data: &Data, dir: &Path) -> Result<()> {
    write_parquet(
        &dir.join("partners.parquet"),
        "partners",
        &[("partner", Kind::Int32), ("region", Kind::Text)],
        data.partners as usize,
        |rows| {
            vec![
                Values::Int32(rows.clone().map(|p| p as i32).collect()),
                text(rows.map(|p| REGIONS[data.region[p] as usize])),
            ]
        },
    )?;
    let s = &data.sales;
    write_parquet(
        &dir.join("sales.parquet"),
        "sales",
        &[
            ("partner", Kind::Int32),
            ("day", Kind::Date),
            ("currency", Kind::Text),
            ("amount_minor", Kind::Int64),
            ("account", Kind::Int32),
        ],
        s.partner.len(),
        |rows| {
            vec![
                Values::Int32(s.partner[rows.clone()].iter().map(|p| *p as i32).collect()),
                Values::Int32(s.date[rows.clone()].iter().map(|d| days_since_epoch(*d)).collect()),
                text(s.currency[rows.clone()].iter().map(|c| CURRENCIES[*c as usize])),
                Values::Int64(s.amount_minor[rows.clone()].to_vec()),
                Values::Int32(s.account[rows].iter().map(|a| *a as i32).collect()),
            ]
        },
    )?;
    write_parquet(
        &dir.join("rates.parquet"),
        "rates",
        &[
            ("currency", Kind::Text),
            ("day", Kind::Date),
            ("rate", Kind::Decimal { scale: 6 }),
        ],
        data.rates.len(),
        |rows| {
            let rates = &data.rates[rows];
            vec![
                text(rates.iter().map(|(c, _, _)| CURRENCIES[*c as usize])),
                Values::Int32(rates.iter().map(|(_, d, _)| days_since_epoch(*d)).collect()),
                Values::Int64(rates.iter().map(|(_, _, r)| mantissa_at(*r, 6)).collect()),
            ]
        },
    )?;
    write_parquet(
        &dir.join("metric_facts.parquet"),
        "metric_facts",
        &[
            ("seq", Kind::Int64),
            ("partner", Kind::Int32),
            ("metric", Kind::Text),
            ("day", Kind::Date),
            (
                "value",
                Kind::Decimal {
                    scale: VALUE_SCALE as i32,
                },
            ),
        ],
        data.metric_facts.len(),
        |rows| {
            let facts = &data.metric_facts[rows.clone()];
            vec![
                Values::Int64(rows.map(|i| i as i64).collect()),
                Values::Int32(facts.iter().map(|f| f.partner as i32).collect()),
                text(facts.iter().map(|f| METRICS[f.metric as usize])),
                Values::Int32(facts.iter().map(|f| days_since_epoch(f.date)).collect()),
                Values::Int64(facts.iter().map(|f| mantissa_at(f.value, VALUE_SCALE)).collect()),
            ]
        },
    )?;
    Ok(())
}

/// The same four tables as CSV files (no header) in `dir`.
pub fn csv(data: &Data, dir: &Path) -> Result<()> {
    let create = |name: &str| -> Result<BufWriter<File>> {
        Ok(BufWriter::with_capacity(1 << 20, File::create(dir.join(name))?))
    };
    let mut out = create("partners.csv")?;
    for (p, region) in data.region.iter().enumerate() {
        writeln!(out, "{p},{}", REGIONS[*region as usize])?;
    }
    out.flush()?;
    let s = &data.sales;
    let mut out = create("sales.csv")?;
    for i in 0..s.partner.len() {
        writeln!(
            out,
            "{},{},{},{},{}",
            s.partner[i], s.date[i], CURRENCIES[s.currency[i] as usize], s.amount_minor[i], s.account[i]
        )?;
    }
    out.flush()?;
    let mut out = create("rates.csv")?;
    for (c, date, rate) in &data.rates {
        writeln!(out, "{},{date},{rate}", CURRENCIES[*c as usize])?;
    }
    out.flush()?;
    let mut out = create("metric_facts.csv")?;
    for (seq, f) in data.metric_facts.iter().enumerate() {
        writeln!(
            out,
            "{seq},{},{},{},{}",
            f.partner, METRICS[f.metric as usize], f.date, f.value
        )?;
    }
    out.flush()?;
    Ok(())
}
