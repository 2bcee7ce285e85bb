//! The facts window (whole months ending at the configured end date) and how busy each of
//! its days is: weekdays over weekends, the last month of a quarter over the first, the
//! final week of a quarter busiest of all, with gentle growth over the window.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// Every date from the first day of the first month to the end date, in order.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    dates: Vec<NaiveDate>,
}

impl Window {
    /// `months` whole calendar months ending with the month of `end_date` (at least one),
    /// cut off at `end_date` itself.
    pub(crate) fn new(end_date: NaiveDate, months: u32) -> Self {
        let first_of_end_month = NaiveDate::from_ymd_opt(end_date.year(), end_date.month(), 1).unwrap_or(end_date);
        let start = first_of_end_month
            .checked_sub_months(Months::new(months.max(1) - 1))
            .unwrap_or(NaiveDate::MIN);
        let dates = start.iter_days().take_while(|d| *d <= end_date).collect();
        Self { dates }
    }

    pub(crate) fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// How many facts each day gets so that they add up to exactly `total`.
    pub(crate) fn daily_counts(&self, total: u64) -> Vec<u64> {
        let Some(first) = self.dates.first() else {
            return Vec::new();
        };
        let weights: Vec<u128> = self.dates.iter().map(|d| u128::from(day_weight(*first, *d))).collect();
        let sum: u128 = weights.iter().sum();
        let mut running = 0u128;
        let mut handed_out = 0u64;
        weights
            .iter()
            .map(|w| {
                running += w;
                let due = u64::try_from(u128::from(total) * running / sum).expect("at most `total`, a u64");
                let count = due - handed_out;
                handed_out = due;
                count
            })
            .collect()
    }
}

/// Relative sales activity of `date` in a window starting at `start`.
fn day_weight(start: NaiveDate, date: NaiveDate) -> u64 {
    let weekday = match date.weekday() {
        Weekday::Sat => 25,
        Weekday::Sun => 15,
        _ => 100,
    };
    let month_of_quarter = match date.month() % 3 {
        1 => 80,
        2 => 95,
        _ => 125,
    };
    let in_last_week = date
        .checked_add_days(Days::new(7))
        .is_none_or(|later| later.month() != date.month());
    let quarter_close = if date.month().is_multiple_of(3) && in_last_week {
        170
    } else {
        100
    };
    let months_in = u64::from(date.month0()) + 12 * u64::try_from(date.year() - start.year()).unwrap_or(0);
    let months_in = months_in.saturating_sub(u64::from(start.month0()));
    let growth = 100 + 2 * months_in;
    weekday * month_of_quarter * quarter_close * growth
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn thirteen_months_ending_october() {
        let window = Window::new(date(2026, 10, 31), 13);
        assert_eq!(window.dates().first(), Some(&date(2025, 10, 1)));
        assert_eq!(window.dates().last(), Some(&date(2026, 10, 31)));
        assert_eq!(window.dates().len(), 396);
        let partial = Window::new(date(2026, 3, 15), 0);
        assert_eq!(partial.dates().len(), 15);
    }

    #[test]
    fn counts_add_up_and_quarter_ends_are_busiest() {
        let window = Window::new(date(2026, 10, 31), 13);
        let counts = window.daily_counts(250_000);
        assert_eq!(counts.iter().sum::<u64>(), 250_000);
        let month = |m: u32, y: i32| -> u64 {
            window
                .dates()
                .iter()
                .zip(&counts)
                .filter(|(d, _)| d.month() == m && d.year() == y)
                .map(|(_, c)| c)
                .sum()
        };
        assert!(month(3, 2026) > month(1, 2026));
        assert!(month(6, 2026) > month(5, 2026));
        let weekday = counts[window.dates().iter().position(|d| *d == date(2026, 2, 4)).unwrap()];
        let sunday = counts[window.dates().iter().position(|d| *d == date(2026, 2, 8)).unwrap()];
        assert!(weekday > 3 * sunday);
    }
}
