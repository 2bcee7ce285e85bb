//! When scheduled evaluations fall: at the last day of each month (monthly cadence) or of
//! each calendar quarter (quarterly).

use chrono::{Datelike, Months, NaiveDate};

use super::structure::Cadence;

fn months(cadence: Cadence) -> u32 {
    match cadence {
        Cadence::Monthly => 1,
        Cadence::Quarterly => 3,
    }
}

/// The last day of the period (per cadence) containing `date`.
pub fn period_end(cadence: Cadence, date: NaiveDate) -> NaiveDate {
    let step = months(cadence);
    let first_month = (date.month0() / step) * step + 1;
    let start = NaiveDate::from_ymd_opt(date.year(), first_month, 1).expect("a month start exists");
    start
        .checked_add_months(Months::new(step))
        .and_then(|next| next.pred_opt())
        .expect("dates stay in range")
}

/// The latest period end on or before `date`.
pub fn last_period_end(cadence: Cadence, date: NaiveDate) -> NaiveDate {
    let end = period_end(cadence, date);
    if end == date {
        end
    } else {
        let start = end
            .checked_sub_months(Months::new(months(cadence)))
            .expect("dates stay in range");
        period_end(
            cadence,
            NaiveDate::from_ymd_opt(start.year(), start.month(), 1).expect("month start"),
        )
    }
}

/// The first period end after `date`.
pub fn next_period_end(cadence: Cadence, date: NaiveDate) -> NaiveDate {
    let end = period_end(cadence, date);
    if end > date {
        end
    } else {
        period_end(cadence, date.succ_opt().expect("dates stay in range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_end_at_month_and_quarter_ends() {
        assert_eq!(period_end(Cadence::Quarterly, date("2026-02-10")), date("2026-03-31"));
        assert_eq!(period_end(Cadence::Monthly, date("2026-02-10")), date("2026-02-28"));
        assert_eq!(
            last_period_end(Cadence::Quarterly, date("2026-11-23")),
            date("2026-09-30")
        );
        assert_eq!(
            last_period_end(Cadence::Quarterly, date("2026-09-30")),
            date("2026-09-30")
        );
        assert_eq!(
            last_period_end(Cadence::Monthly, date("2026-03-01")),
            date("2026-02-28")
        );
        assert_eq!(
            next_period_end(Cadence::Quarterly, date("2026-03-31")),
            date("2026-06-30")
        );
        assert_eq!(
            next_period_end(Cadence::Monthly, date("2026-01-31")),
            date("2026-02-28")
        );
    }
}
