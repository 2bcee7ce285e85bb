//! Metric windows: trailing N calendar months ending at the evaluation date E are the dates
//! d with E − N months < d ≤ E, the day clamped to the month's end (N = 12 and E = 2026-03-31
//! cover 2025-04-01 ..= 2026-03-31).

use chrono::{Months, NaiveDate};

/// The first date inside the trailing `months`-month window ending at `evaluation_date`.
pub fn trailing_months_start(evaluation_date: NaiveDate, months: u32) -> Option<NaiveDate> {
    evaluation_date.checked_sub_months(Months::new(months))?.succ_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_follow_the_product_definition() {
        assert_eq!(trailing_months_start(date("2026-03-31"), 12), Some(date("2025-04-01")));
        assert_eq!(trailing_months_start(date("2026-02-28"), 1), Some(date("2026-01-29")));
        // The day is clamped to the end of a shorter month: 2026-05-31 − 3 months = 2026-02-28.
        assert_eq!(trailing_months_start(date("2026-05-31"), 3), Some(date("2026-03-01")));
    }
}
