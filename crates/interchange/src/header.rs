//! Matching a file's header (CSV first row, Parquet top-level fields) to a kind's columns.
//! Names are compared case-insensitively after trimming spaces, so hand-edited headers
//! such as ` Name ` still work; anything unknown, missing or repeated is refused up front,
//! before any row is read, because every row would be wrong otherwise.

use std::fmt;

use crate::column::Column;

/// Everything wrong with a header, reported at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    /// The record kind being imported ("partners").
    pub kind: &'static str,
    /// Header names that are not columns of the kind, as written.
    pub unknown: Vec<String>,
    /// Required columns the header lacks.
    pub missing: Vec<&'static str>,
    /// Columns named more than once.
    pub duplicated: Vec<&'static str>,
    /// Every column the kind accepts.
    pub accepted: Vec<&'static str>,
}

impl std::error::Error for HeaderError {}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut problems = Vec::new();
        if !self.unknown.is_empty() {
            problems.push(format!(
                "unknown {} {} (the {} columns are: {})",
                plural("column", self.unknown.len()),
                quoted(&self.unknown),
                self.kind,
                self.accepted.join(", ")
            ));
        }
        if !self.missing.is_empty() {
            problems.push(format!(
                "missing required {} {}",
                plural("column", self.missing.len()),
                quoted(&self.missing)
            ));
        }
        if !self.duplicated.is_empty() {
            let verb = if self.duplicated.len() == 1 {
                "appears"
            } else {
                "appear"
            };
            problems.push(format!(
                "{} {} {verb} more than once",
                plural("column", self.duplicated.len()),
                quoted(&self.duplicated)
            ));
        }
        write!(f, "header row: {}", problems.join("; "))
    }
}

fn plural(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn quoted(names: &[impl AsRef<str>]) -> String {
    names
        .iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// For each of `columns`, the position of its cells in the file's rows, or `None` when the
/// file lacks the column or import ignores it. Blank header names are skipped (spreadsheets
/// often leave empty trailing columns).
pub(crate) fn match_header<'h>(
    kind: &'static str,
    columns: &'static [Column],
    names: impl IntoIterator<Item = &'h str>,
) -> Result<Vec<Option<usize>>, HeaderError> {
    let mut positions = vec![None; columns.len()];
    let mut seen = vec![false; columns.len()];
    let mut unknown = Vec::new();
    let mut duplicated = Vec::new();
    for (position, raw) in names.into_iter().enumerate() {
        let name = raw.trim();
        if name.is_empty() {
            continue;
        }
        match columns.iter().position(|c| c.name.eq_ignore_ascii_case(name)) {
            None => unknown.push(name.to_string()),
            Some(index) if seen[index] => duplicated.push(columns[index].name),
            Some(index) => {
                seen[index] = true;
                if columns[index].is_imported() {
                    positions[index] = Some(position);
                }
            }
        }
    }
    let missing: Vec<&'static str> = columns
        .iter()
        .zip(&seen)
        .filter(|(c, seen)| c.is_required() && !**seen)
        .map(|(c, _)| c.name)
        .collect();
    if unknown.is_empty() && missing.is_empty() && duplicated.is_empty() {
        Ok(positions)
    } else {
        Err(HeaderError {
            kind,
            unknown,
            missing,
            duplicated,
            accepted: columns.iter().map(|c| c.name).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column::required("code", "", "emea"),
        Column::optional("name", "", "EMEA"),
        Column::export_only("created_at", "", ""),
    ];

    #[test]
    fn names_match_loosely_and_export_only_columns_are_skipped() {
        let positions = match_header("regions", COLUMNS, [" Created_At", "", "CODE "]).unwrap();
        assert_eq!(positions, vec![Some(2), None, None]);
    }

    #[test]
    fn every_problem_is_reported() {
        let error = match_header("regions", COLUMNS, ["name", "colour", "name", "size"]).unwrap_err();
        assert_eq!(error.unknown, vec!["colour", "size"]);
        assert_eq!(error.missing, vec!["code"]);
        assert_eq!(error.duplicated, vec!["name"]);
        assert_eq!(
            error.to_string(),
            "header row: unknown columns \"colour\", \"size\" (the regions columns are: code, name, created_at); \
             missing required column \"code\"; column \"name\" appears more than once"
        );
    }
}
