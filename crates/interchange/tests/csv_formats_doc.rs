//! `docs/csv-formats.md` is generated from the column definitions, so the documentation of
//! the file formats can never drift from what the importer accepts. Run with
//! `UPDATE_DOCS=1` to rewrite it after changing a format.

use tributary_interchange::{
    Accounts, FxRates, ImportKind, MetricFacts, Partners, Products, Regions, SalesFacts, Users, Verticals,
    columns_markdown,
};

fn section<K: ImportKind>(file: &str, intro: &str) -> String {
    format!(
        "## {} (`{file}`)\n\n{intro}\n\n{}\n",
        K::NAME[..1].to_uppercase() + &K::NAME[1..],
        columns_markdown::<K>()
    )
}

fn document() -> String {
    let mut text = String::from(
        "# CSV formats\n\n\
         Every kind of record is imported and exported with the same columns, so an export can be edited in a \
         spreadsheet and imported again. Files are UTF-8 (a byte-order mark is accepted), comma-separated, with a \
         header row naming the columns in any order (case does not matter). Lists go in one cell separated by `;`. \
         Decimals use `.` and no thousands separators; amounts may not have more decimals than the currency allows \
         (JPY none, EUR two, KWD three). Dates are `YYYY-MM-DD`.\n\n\
         An import checks every row before anything is written. Each problem is reported with the row number a \
         spreadsheet shows (the header is row 1) and the column, and a file with any bad row imports nothing.\n\n\
         Import with `tributary import <kind> <file>`, `POST /api/v1/imports/<kind>` (the file as the body) or the \
         portal's Imports page; export with `tributary export <kind>`, `GET /api/v1/exports/<kind>` or the Export \
         link above any table. `GET /api/v1/imports/<kind>/template` gives a file with the header and one example row.\n\n\
         *This file is generated from the code (`UPDATE_DOCS=1 cargo test -p tributary-interchange --test csv_formats_doc`).*\n\n",
    );
    text.push_str(&section::<Partners>(
        "partners",
        "Rows with an existing `id` update that partner; other rows create one.",
    ));
    text.push_str(&section::<Users>("users", "Rows whose e-mail exists update that user; others create users who set a password later (an administrator sets it, or `PUT /api/v1/users/{id}/password`)."));
    text.push_str(&section::<Products>(
        "products",
        "Rows whose SKU exists update that product; others create one.",
    ));
    text.push_str(&section::<Accounts>("accounts", "Rows with an existing `id` update that account; others create one. A parent must come before its children in the file (or exist already)."));
    text.push_str(&section::<Regions>(
        "regions",
        "Rows replace the region with the same code, including its country list.",
    ));
    text.push_str(&section::<Verticals>(
        "verticals",
        "Rows create or rename the vertical with the same code.",
    ));
    text.push_str(&section::<FxRates>("fx-rates", "One rate per pair and day: 1 unit of `from_currency` = `rate` units of `to_currency`. A row for an existing pair and day corrects it (the audit trail keeps the old value)."));
    text.push_str(&section::<SalesFacts>("sales-facts", "Sales facts are append-only: every row adds a line; a return is a line with negative quantity and amount. The same columns are accepted from Parquet files (`.parquet`, with string, integer, DECIMAL or DATE columns; floating-point amounts are refused)."));
    text.push_str(&section::<MetricFacts>("metric-facts", "Metric facts are append-only values that tier metrics read: `certified_people` and `agreement_accepted` (1 = yes, 0 = no) are read as the latest value on the evaluation date; `csat` is averaged and `training_completions` and `deals_won` are summed over the metric's window; any other name is a custom metric whose aggregation the tier structure chooses."));
    text
}

#[test]
fn csv_formats_doc_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/csv-formats.md");
    let expected = document();
    if std::env::var("UPDATE_DOCS").is_ok() {
        std::fs::write(path, &expected).expect("write docs/csv-formats.md");
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/csv-formats.md is stale: run UPDATE_DOCS=1 cargo test -p tributary-interchange --test csv_formats_doc"
    );
}
