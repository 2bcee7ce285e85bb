//! Incentive periods: a calendar month, quarter or year named by a key ("2026-09",
//! "2026-Q3", "2026"). A plan pays per period of its own cadence; a close run closes one
//! period, and with it every plan of that cadence.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// How long one incentive period is.
    pub enum PeriodKind ("period") {
        Month => ("month", "Monthly"),
        Quarter => ("quarter", "Quarterly"),
        Year => ("year", "Yearly"),
    }
}

impl PeriodKind {
    fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }
}

/// One period: its kind and first and last day (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The period of `kind` containing `date`.
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        let step = kind.months();
        let first_month = (date.month0() / step) * step + 1;
        let start = NaiveDate::from_ymd_opt(date.year(), first_month, 1).expect("a month start exists");
        let end = start
            .checked_add_months(Months::new(step))
            .and_then(|next| next.pred_opt())
            .expect("dates stay in range");
        Period { kind, start, end }
    }

    /// Parses "2026-09" (month), "2026-Q3" (quarter) or "2026" (year).
    pub fn parse(key: &str) -> Result<Period, String> {
        let key = key.trim();
        let bad = || format!("'{key}' is not a period (write 2026-09, 2026-Q3 or 2026)");
        let year_of = |text: &str| text.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y));
        if let Some((year, quarter)) = key.split_once(['Q', 'q']) {
            let year = year_of(year.trim_end_matches('-')).ok_or_else(bad)?;
            let quarter: u32 = quarter.parse().ok().filter(|q| (1..=4).contains(q)).ok_or_else(bad)?;
            let date = NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1).ok_or_else(bad)?;
            return Ok(Period::containing(PeriodKind::Quarter, date));
        }
        if let Some((year, month)) = key.split_once('-') {
            let year = year_of(year).ok_or_else(bad)?;
            let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
            let date = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
            return Ok(Period::containing(PeriodKind::Month, date));
        }
        let year = year_of(key).ok_or_else(bad)?;
        Ok(Period::containing(
            PeriodKind::Year,
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?,
        ))
    }

    /// The key the period is named by.
    pub fn key(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{}-{:02}", self.start.year(), self.start.month()),
            PeriodKind::Quarter => format!("{}-Q{}", self.start.year(), self.start.month0() / 3 + 1),
            PeriodKind::Year => format!("{}", self.start.year()),
        }
    }

    pub fn next(&self) -> Period {
        Period::containing(self.kind, self.end.succ_opt().expect("dates stay in range"))
    }

    pub fn previous(&self) -> Period {
        Period::containing(self.kind, self.start.pred_opt().expect("dates stay in range"))
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn keys_parse_and_print() {
        let q = Period::parse("2026-Q3").unwrap();
        assert_eq!((q.start, q.end), (date("2026-07-01"), date("2026-09-30")));
        assert_eq!(q.key(), "2026-Q3");
        let m = Period::parse("2026-02").unwrap();
        assert_eq!(m.end, date("2026-02-28"));
        assert_eq!(m.next().key(), "2026-03");
        assert_eq!(m.previous().key(), "2026-01");
        let y = Period::parse("2026").unwrap();
        assert_eq!(y.end, date("2026-12-31"));
        assert_eq!(Period::parse("2026-Q4").unwrap().next().key(), "2027-Q1");
        for bad in ["2026-13", "2026-Q5", "26", "", "2026-9x"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
