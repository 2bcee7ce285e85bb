//! Parquet sales facts: round trip through the writer, typed columns (whole numbers,
//! DECIMAL, DATE) accepted, floating-point amounts refused, and bad values reported by
//! record number and column.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use tributary_interchange::{ImportError, RowError, SalesFactRecord, read_sales_parquet, write_sales_parquet};

use crate::fixtures;

const DECIMAL_AMOUNT: &str = "int64 amount (DECIMAL(18,2))";

/// The values of one required column of a hand-made file.
enum Values {
    Text(Vec<&'static str>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Double(Vec<f64>),
}

/// Writes a one-row-group file with the given schema, as other tools would.
fn write_typed(path: &Path, schema: &str, columns: Vec<Values>) {
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let mut writer = SerializedFileWriter::new(File::create(path).unwrap(), schema, Default::default()).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut columns = columns.into_iter();
    while let Some(mut column) = group.next_column().unwrap() {
        match columns.next().expect("a value list per schema column") {
            Values::Text(values) => {
                let values: Vec<ByteArray> = values.into_iter().map(ByteArray::from).collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, None, None)
                    .unwrap()
            }
            Values::Int32(values) => column.typed::<Int32Type>().write_batch(&values, None, None).unwrap(),
            Values::Int64(values) => column.typed::<Int64Type>().write_batch(&values, None, None).unwrap(),
            Values::Double(values) => column.typed::<DoubleType>().write_batch(&values, None, None).unwrap(),
        };
        column.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}

/// A two-line feed with typed columns; `amount` declares the amount column's type.
fn typed_feed(amount: &str, amounts: Values, currencies: Vec<&'static str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.parquet");
    let schema = format!(
        "message feed {{
            required int32 fact_date (DATE);
            required binary partner_id (UTF8);
            required binary account_id (UTF8);
            required binary product_sku (UTF8);
            required int64 quantity;
            required {amount};
            required binary currency (UTF8);
        }}"
    );
    write_typed(
        &path,
        &schema,
        vec![
            Values::Int32(vec![20_543, 20_544]),
            Values::Text(vec![fixtures::PARTNER_ID, fixtures::PARTNER_ID]),
            Values::Text(vec![fixtures::ACCOUNT_ID, fixtures::ACCOUNT_ID]),
            Values::Text(vec!["fw-100", "fw-200"]),
            Values::Int64(vec![2, -1]),
            amounts,
            Values::Text(currencies),
        ],
    );
    (dir, path)
}

fn write_records(path: &Path, records: &[SalesFactRecord]) {
    write_sales_parquet(File::create(path).unwrap(), records).unwrap();
}

#[test]
fn written_sales_facts_read_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sales.parquet");
    let records = fixtures::sales_facts();
    write_records(&path, &records);
    let reader = read_sales_parquet(&path).unwrap();
    assert_eq!(reader.total_records(), 4);
    let rows: Vec<_> = reader.map(Result::unwrap).collect();
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let facts: Vec<_> = rows.into_iter().map(|r| r.fields).collect();
    assert_eq!(facts, records.into_iter().map(|r| r.fact).collect::<Vec<_>>());
}

#[test]
fn large_exports_span_row_groups_and_stream_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.parquet");
    let template = fixtures::sales_facts().remove(1);
    let records: Vec<SalesFactRecord> = (0..8195).map(|_| template.clone()).collect();
    write_records(&path, &records);
    let metadata = SerializedFileReader::new(File::open(&path).unwrap())
        .unwrap()
        .metadata()
        .clone();
    assert_eq!(metadata.num_row_groups(), 2);
    let mut reader = read_sales_parquet(&path).unwrap();
    let mut count = 0;
    for row in reader.by_ref() {
        assert_eq!(row.unwrap().fields, template.fact);
        count += 1;
    }
    assert_eq!((count, reader.records_read()), (8195, 8195));
}

#[test]
fn typed_decimal_date_and_integer_columns_are_accepted() {
    let (_dir, path) = typed_feed(DECIMAL_AMOUNT, Values::Int64(vec![259_800, -1_250]), vec!["USD", "EUR"]);
    let facts: Vec<_> = read_sales_parquet(&path)
        .unwrap()
        .map(|row| row.unwrap().fields)
        .collect();
    assert_eq!(facts[0].fact_date.to_string(), "2026-03-31");
    assert_eq!(
        (facts[0].quantity, facts[0].amount_minor, facts[0].currency.code()),
        (2, 259_800, "USD")
    );
    assert_eq!(
        (facts[1].quantity, facts[1].amount_minor, facts[1].product_sku.as_str()),
        (-1, -1_250, "FW-200")
    );
}

#[test]
fn a_plain_integer_amount_is_refused_as_ambiguous() {
    let (_dir, path) = typed_feed("int64 amount", Values::Int64(vec![259_800, -1_250]), vec!["USD", "EUR"]);
    let Err(error) = read_sales_parquet(&path) else {
        panic!("an INT64 amount was accepted")
    };
    assert_eq!(
        error.to_string(),
        "column \"amount\" is stored as whole numbers; expected DECIMAL or text"
    );
}

#[test]
fn floating_point_amounts_are_refused() {
    let (_dir, path) = typed_feed("double amount", Values::Double(vec![2598.0, -12.5]), vec!["USD", "EUR"]);
    let Err(error) = read_sales_parquet(&path) else {
        panic!("a DOUBLE amount was accepted")
    };
    assert!(
        matches!(&error, ImportError::ColumnType { column, .. } if column == "amount"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "column \"amount\" is stored as floating point (FLOAT/DOUBLE), which cannot hold money exactly; \
         amounts must be stored as DECIMAL or as text such as \"2598.00\""
    );
}

#[test]
fn bad_values_are_reported_by_record_and_column() {
    let (_dir, path) = typed_feed(
        DECIMAL_AMOUNT,
        Values::Int64(vec![150_000, -150_050]),
        vec!["JPY", "JPY"],
    );
    let rows: Vec<_> = read_sales_parquet(&path).unwrap().collect();
    assert_eq!(
        rows[0].as_ref().unwrap().fields.amount_minor,
        1_500,
        "1500.00 JPY is whole yen"
    );
    assert_eq!(
        rows[1].as_ref().unwrap_err(),
        &vec![RowError {
            row: 2,
            column: "amount".into(),
            message: "-1500.50 has more decimals than JPY allows (0)".into()
        }]
    );
}

#[test]
fn parquet_columns_are_checked_like_a_csv_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.parquet");
    write_typed(
        &path,
        "message odd { required binary fact_date (UTF8); required binary colour (UTF8); }",
        vec![Values::Text(vec!["2026-03-31"]), Values::Text(vec!["red"])],
    );
    let Err(ImportError::Header(header)) = read_sales_parquet(&path) else {
        panic!("the columns were accepted")
    };
    assert_eq!(header.unknown, vec!["colour"]);
    assert_eq!(
        header.missing,
        vec![
            "partner_id",
            "account_id",
            "product_sku",
            "quantity",
            "amount",
            "currency"
        ]
    );
    assert!(matches!(
        read_sales_parquet(dir.path().join("absent.parquet")),
        Err(ImportError::Io(_))
    ));
}
