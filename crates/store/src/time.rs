//! Timestamps are stored as fixed-width RFC 3339 UTC text (`2026-03-31T12:00:00.000000Z`)
//! so they sort and compare correctly as text on both backends.

use chrono::{DateTime, NaiveDate, Utc};

use crate::StoreError;

pub const TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

pub fn format_timestamp(at: DateTime<Utc>) -> String {
    at.format(TIMESTAMP_FORMAT).to_string()
}

pub fn now_text() -> String {
    format_timestamp(Utc::now())
}

pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp '{text}': {e}")))
}

/// Today's date in UTC: business dates (expiry, closes, evaluations) are judged on it.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn parse_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| StoreError::Corrupt(format!("date '{text}': {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_and_sort_as_text() {
        let a = Utc::now();
        let b = a + chrono::Duration::microseconds(1);
        assert!(format_timestamp(a) < format_timestamp(b));
        let back = parse_timestamp(&format_timestamp(a)).unwrap();
        assert_eq!(back.timestamp_micros(), a.timestamp_micros());
    }
}
