//! Field-level validation errors. Every input that crosses the edge (API body, portal form,
//! CSV row) is parsed into a domain type through these, so a refusal always names the field
//! and the reason, and the same message reaches the API caller, the form and the CSV report.

use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field (API property / CSV column / form input) that is wrong.
    pub field: String,
    /// What is wrong with it, in words a user can act on.
    pub message: String,
}

/// All the problems found in one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records the error of a parse result under `field` and returns the value if it parsed.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// `Ok(value)` when no error was recorded, else every recorded error.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value()) } else { Err(self.0) }
    }
}

/// A required, trimmed, non-empty text of at most `max` characters.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("is required".into());
    }
    bounded_text(trimmed, max)
}

/// An optional text: blank becomes `None`; otherwise trimmed and at most `max` characters.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded_text(text, max).map(Some),
    }
}

fn bounded_text(text: &str, max: usize) -> Result<String, String> {
    if text.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else if text.chars().any(char::is_control) {
        Err("must not contain control characters".into())
    } else {
        Ok(text.to_string())
    }
}

/// A calendar date written as `YYYY-MM-DD`.
pub fn date(value: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{}' is not a date in the form YYYY-MM-DD", value.trim()))
}

/// An internet domain name such as `example.com` (lower-cased; no scheme, path or port).
pub fn domain(value: &str) -> Result<String, String> {
    let host = value.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host
        .strip_prefix("https://")
        .or_else(|| host.strip_prefix("http://"))
        .unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.trim_end_matches('/');
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if host.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(format!("'{}' is not a domain name like example.com", value.trim()));
    }
    let tld = labels[labels.len() - 1];
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("'{}' is not a domain name like example.com", value.trim()));
    }
    Ok(host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(domain("https://www.Example.COM/").unwrap(), "example.com");
        assert_eq!(domain("sub.example.co.uk").unwrap(), "sub.example.co.uk");
        assert!(domain("localhost").is_err());
        assert!(domain("exa mple.com").is_err());
        assert!(domain("-bad.com").is_err());
        assert!(domain("10.0.0.1").is_err());
    }

    #[test]
    fn text_rules() {
        assert_eq!(required_text("  a ", 5).unwrap(), "a");
        assert!(required_text("   ", 5).is_err());
        assert!(required_text("abcdef", 5).is_err());
        assert_eq!(optional_text(Some(" "), 5).unwrap(), None);
        assert!(optional_text(Some("a\u{7}"), 5).is_err());
    }

    #[test]
    fn dates_parse_strictly() {
        assert!(date("2026-02-29").is_err());
        assert!(date("2026-02-28").is_ok());
        assert!(date("28/02/2026").is_err());
    }
}
