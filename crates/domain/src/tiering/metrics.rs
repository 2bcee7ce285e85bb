//! Metric values from facts, reference semantics. Net revenue is the sum of sales minus
//! returns inside the window, each line converted to the structure's currency at its own
//! date's rate (the latest rate on or before that date); a missing rate is an error that
//! names the currency and date, never a silent zero. Exact decimals throughout.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::Currency;

/// One sales or return line, in minor units of its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevenueLine {
    pub date: NaiveDate,
    pub amount_minor: i64,
    pub currency: Currency,
}

/// Daily rates "1 `from` = rate `to`" per (from, to) pair. A pair with no stored rate is
/// converted through the deployment's base currency (source→base × base→target, both legs
/// as of the same date, no intermediate rounding).
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    base: Option<Currency>,
    rates: BTreeMap<(Currency, Currency), BTreeMap<NaiveDate, Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetricError {
    #[error("no {from}→{to} exchange rate on or before {date}")]
    MissingRate {
        from: Currency,
        to: Currency,
        date: NaiveDate,
    },
}

impl RateTable {
    pub fn with_base(base: Currency) -> Self {
        Self {
            base: Some(base),
            rates: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, from: Currency, to: Currency, date: NaiveDate, rate: Decimal) {
        self.rates.entry((from, to)).or_default().insert(date, rate);
    }

    fn stored(&self, from: Currency, to: Currency, date: NaiveDate) -> Option<Decimal> {
        self.rates
            .get(&(from, to))
            .and_then(|by_date| by_date.range(..=date).next_back())
            .map(|(_, rate)| *rate)
    }

    /// The rate for `date`, or the latest earlier one; 1 for the same currency; through the
    /// base currency when the pair itself has no rate.
    pub fn rate(&self, from: Currency, to: Currency, date: NaiveDate) -> Result<Decimal, MetricError> {
        if from == to {
            return Ok(Decimal::ONE);
        }
        if let Some(rate) = self.stored(from, to, date) {
            return Ok(rate);
        }
        match self.base.filter(|base| *base != from && *base != to) {
            Some(base) => {
                let from_to_base =
                    self.stored(from, base, date)
                        .ok_or(MetricError::MissingRate { from, to: base, date })?;
                let base_to_to =
                    self.stored(base, to, date)
                        .ok_or(MetricError::MissingRate { from: base, to, date })?;
                Ok(from_to_base * base_to_to)
            }
            None => Err(MetricError::MissingRate { from, to, date }),
        }
    }
}

/// Net revenue in `currency` of the lines dated in `first..=last`.
pub fn net_revenue(
    lines: &[RevenueLine],
    first: NaiveDate,
    last: NaiveDate,
    currency: Currency,
    rates: &RateTable,
) -> Result<Decimal, MetricError> {
    lines
        .iter()
        .filter(|line| first <= line.date && line.date <= last)
        .try_fold(Decimal::ZERO, |total, line| {
            let rate = rates.rate(line.currency, currency, line.date)?;
            Ok(total + line.currency.from_minor(line.amount_minor) * rate)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn net_revenue_converts_each_line_at_its_date_and_nets_returns() {
        let mut rates = RateTable::default();
        rates.insert(currency("EUR"), currency("USD"), date("2026-01-01"), dec!(1.10));
        rates.insert(currency("EUR"), currency("USD"), date("2026-02-01"), dec!(1.20));
        let lines = [
            RevenueLine {
                date: date("2026-01-15"),
                amount_minor: 100_000,
                currency: currency("EUR"),
            },
            RevenueLine {
                date: date("2026-02-10"),
                amount_minor: -20_000,
                currency: currency("EUR"),
            },
            RevenueLine {
                date: date("2026-02-11"),
                amount_minor: 5_050,
                currency: currency("USD"),
            },
            RevenueLine {
                date: date("2025-12-31"),
                amount_minor: 999_999,
                currency: currency("USD"),
            },
        ];
        let total = net_revenue(&lines, date("2026-01-01"), date("2026-03-31"), currency("USD"), &rates).unwrap();
        // 1000.00 × 1.10 − 200.00 × 1.20 + 50.50 = 1100 − 240 + 50.50
        assert_eq!(total, dec!(910.50));
    }

    #[test]
    fn pairs_without_a_rate_go_through_the_base_currency() {
        let mut rates = RateTable::with_base(currency("USD"));
        rates.insert(currency("EUR"), currency("USD"), date("2026-01-01"), dec!(1.08));
        rates.insert(currency("USD"), currency("GBP"), date("2026-01-01"), dec!(0.79));
        assert_eq!(
            rates
                .rate(currency("EUR"), currency("GBP"), date("2026-01-05"))
                .unwrap(),
            dec!(0.8532)
        );
        let missing = rates
            .rate(currency("EUR"), currency("JPY"), date("2026-01-05"))
            .unwrap_err();
        assert_eq!(missing.to_string(), "no USD→JPY exchange rate on or before 2026-01-05");
    }

    #[test]
    fn a_missing_rate_is_named() {
        let lines = [RevenueLine {
            date: date("2026-01-15"),
            amount_minor: 100,
            currency: currency("GBP"),
        }];
        let error = net_revenue(
            &lines,
            date("2026-01-01"),
            date("2026-01-31"),
            currency("USD"),
            &RateTable::default(),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "no GBP→USD exchange rate on or before 2026-01-15");
    }
}
