//! Dates as day numbers. The image stores every date as an `i32` count of days so that
//! window tests are integer comparisons and sorted day columns can be binary-searched;
//! windows themselves come from the domain's [`MetricWindow::first_day`], so the engine
//! and the reference agree on every boundary by construction.

use chrono::{Datelike, NaiveDate};
use tributary_domain::tiering::MetricWindow;

/// Days since 0001-01-01 (proleptic Gregorian), as chrono counts them.
pub fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of a day number made by [`day_number`].
pub fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("day numbers come from valid dates")
}

/// The inclusive day range `lo..=hi` a window covers when evaluating at `date`: ending at
/// the evaluation date, open below when the window has no first day (the at-date window).
pub fn window_days(window: MetricWindow, date: NaiveDate) -> (i32, i32) {
    let lo = window.first_day(date).map_or(i32::MIN, day_number);
    (lo, day_number(date))
}

/// The positions `start..end` of the days of a sorted column that fall in `lo..=hi`.
pub fn day_range(days: &[i32], lo: i32, hi: i32) -> (usize, usize) {
    let start = days.partition_point(|d| *d < lo);
    let end = start + days[start..].partition_point(|d| *d <= hi);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_and_windows_are_inclusive() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(date_of(day_number(date)), date);
        let (lo, hi) = window_days(MetricWindow::TrailingMonths(12), date);
        assert_eq!(date_of(lo), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
        assert_eq!(hi, day_number(date));
        assert_eq!(window_days(MetricWindow::AtDate, date).0, i32::MIN);
        let days = [1, 3, 3, 5, 8];
        assert_eq!(day_range(&days, 3, 5), (1, 4));
        assert_eq!(day_range(&days, 9, 12), (5, 5));
        assert_eq!(day_range(&days, i32::MIN, 0), (0, 0));
    }
}
