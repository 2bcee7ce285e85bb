//! Descriptions of a format for people: the downloadable template (header plus one example
//! row) and the column reference, both generated from the kind's column list so they can
//! never drift from what import accepts.

use crate::column::{Column, Usage};
use crate::kinds::ImportKind;

/// A CSV file with the importable columns of `K` and one valid example row.
pub fn template_csv<K: ImportKind>() -> String {
    let columns: Vec<&Column> = K::COLUMNS.iter().filter(|c| c.is_imported()).collect();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(columns.iter().map(|c| c.name))
        .expect("writing to memory cannot fail");
    csv.write_record(columns.iter().map(|c| c.example))
        .expect("writing to memory cannot fail");
    let bytes = csv.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("columns and examples are UTF-8 text")
}

/// A Markdown table describing every column of `K`, for help pages and the README.
pub fn columns_markdown<K: ImportKind>() -> String {
    let mut table = String::from("| Column | Use | Description | Example |\n|---|---|---|---|\n");
    for column in K::COLUMNS {
        let usage = match column.usage {
            Usage::Required => "required",
            Usage::Optional => "optional",
            Usage::ExportOnly => "export only, ignored on import",
        };
        let example = if column.example.is_empty() {
            String::new()
        } else {
            format!("`{}`", column.example)
        };
        table.push_str(&format!(
            "| `{}` | {usage} | {} | {example} |\n",
            column.name, column.description
        ));
    }
    table
}
