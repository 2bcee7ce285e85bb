//! Metric windows: trailing N calendar months ending at the evaluation date E are the dates
//! d with E − N months < d ≤ E, the day clamped to the month's end (N = 12 and E = 2026-03-31
//! cover 2025-04-01 ..= 2026-03-31). Fiscal-year-to-date windows start on the first day
//! of the fiscal year containing E.

use chrono::{Datelike, Months, NaiveDate};

use super::structure::MetricWindow;

/// The first date inside the trailing `months`-month window ending at `evaluation_date`.
pub fn trailing_months_start(evaluation_date: NaiveDate, months: u32) -> Option<NaiveDate> {
    evaluation_date.checked_sub_months(Months::new(months))?.succ_opt()
}

/// The first day of the fiscal year (starting in `first_month`) that contains `date`.
pub fn fiscal_year_start(date: NaiveDate, first_month: u32) -> Option<NaiveDate> {
    let year = if date.month() >= first_month {
        date.year()
    } else {
        date.year() - 1
    };
    NaiveDate::from_ymd_opt(year, first_month, 1)
}

impl MetricWindow {
    /// The first date a period window covers when evaluating at `date` (the window ends at
    /// `date` inclusive); `None` for the at-date window, which reads the latest value.
    pub fn first_day(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            MetricWindow::TrailingMonths(months) => trailing_months_start(date, months),
            MetricWindow::FiscalYearToDate { first_month } => fiscal_year_start(date, first_month),
            MetricWindow::AtDate => None,
        }
    }
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
        let fiscal = MetricWindow::FiscalYearToDate { first_month: 4 };
        assert_eq!(fiscal.first_day(date("2026-03-31")), Some(date("2025-04-01")));
        assert_eq!(fiscal.first_day(date("2026-04-01")), Some(date("2026-04-01")));
    }
}
