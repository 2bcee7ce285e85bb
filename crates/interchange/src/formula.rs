//! Spreadsheet formula injection: a cell such as `=HYPERLINK(...)` in an exported file would
//! be evaluated by the spreadsheet that opens it. Exports prefix such cells with an
//! apostrophe (which spreadsheets treat as "this is text"); imports remove exactly that
//! prefix again, so an export re-imports to the same values. Numbers such as `-12.50`
//! start with a sign but are not formulas and are left alone.

use std::borrow::Cow;

/// The cell as it must be written to a CSV export.
pub fn escape(cell: &str) -> Cow<'_, str> {
    if looks_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell's value as imported: an export's protective apostrophe is removed.
pub(crate) fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@']) && !is_number(cell)
}

/// A plain decimal number: optional sign, digits, at most one decimal point.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(escape("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(escape("+49 30 1234"), "'+49 30 1234");
        assert_eq!(escape("@cmd"), "'@cmd");
        assert_eq!(escape("-Acme"), "'-Acme");
        assert_eq!(escape("-12.50"), "-12.50");
        assert_eq!(escape("+3"), "+3");
        assert_eq!(escape("-"), "'-");
        assert_eq!(escape("Acme = best"), "Acme = best");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn unescape_inverts_escape() {
        for cell in ["=1+2", "-Acme", "-12.50", "'quoted'", "'-5", "plain", "@x", ""] {
            assert_eq!(unescape(&escape(cell)), cell);
        }
    }
}
