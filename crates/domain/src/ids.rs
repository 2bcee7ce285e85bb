//! Identifiers: every record is named by a UUIDv7, which sorts by creation time and can be
//! minted by any instance without coordination.

/// A new, time-ordered identifier in its canonical hyphenated text form.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Checks that a caller-supplied identifier is a well-formed UUID, returning it normalised.
pub fn parse_id(value: &str) -> Result<String, String> {
    uuid::Uuid::parse_str(value.trim())
        .map(|id| id.to_string())
        .map_err(|_| format!("'{}' is not a valid identifier", value.trim()))
}
