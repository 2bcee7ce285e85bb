//! Daily exchange rates for every payout currency against USD, both directions, with six
//! decimal places: a gentle mean-reverting random walk around realistic levels (pegged
//! currencies stay flat). The reverse rate is the rounded reciprocal of the forward one.

use rand::Rng;
use rust_decimal::{Decimal, RoundingStrategy};
use tributary_domain::fx::FxRateFields;
use tributary_domain::money::Currency;

use crate::calendar::Window;
use crate::random::{Stream, stream};

/// Reference level in micro-USD per unit and the largest daily move in basis points.
const LEVELS: &[(&str, i64, i64)] = &[
    ("AED", 272_290, 0),
    ("AUD", 660_000, 40),
    ("BRL", 180_000, 70),
    ("CAD", 740_000, 25),
    ("CHF", 1_130_000, 35),
    ("CLP", 1_050, 50),
    ("CZK", 43_000, 35),
    ("DKK", 145_000, 30),
    ("EUR", 1_080_000, 30),
    ("GBP", 1_270_000, 30),
    ("ILS", 270_000, 40),
    ("INR", 12_000, 20),
    ("JPY", 6_700, 40),
    ("KRW", 730, 35),
    ("MXN", 55_000, 60),
    ("NOK", 94_000, 45),
    ("NZD", 600_000, 45),
    ("PLN", 250_000, 40),
    ("SAR", 266_670, 0),
    ("SEK", 95_000, 45),
    ("SGD", 740_000, 20),
    ("ZAR", 54_000, 70),
];

/// The reference level (USD per unit) and daily volatility (basis points) of `currency`.
fn level(currency: &str) -> Option<(Decimal, i64)> {
    LEVELS
        .iter()
        .find(|(code, _, _)| *code == currency)
        .map(|(_, micro, bp)| (Decimal::new(*micro, 6), *bp))
}

fn six_places(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven);
    rounded.rescale(6);
    rounded.max(Decimal::new(1, 6))
}

/// For each date of `window` and each currency in `currencies` other than USD (in the
/// order given): the X→USD rate followed by the USD→X rate.
pub(crate) fn generate(seed: u64, window: &Window, currencies: &[Currency]) -> Vec<FxRateFields> {
    let mut rng = stream(seed, Stream::Fx);
    let usd = Currency::parse("USD").expect("USD is an ISO 4217 currency");
    let reversion = Decimal::new(1, 2);
    let paths: Vec<(Currency, Vec<Decimal>)> = currencies
        .iter()
        .filter(|c| **c != usd)
        .map(|currency| {
            let (base, volatility) =
                level(currency.code()).expect("every payout currency of the geography table has a level (tested)");
            let mut rate = base;
            let path = window
                .dates()
                .iter()
                .map(|_| {
                    let step = Decimal::new(rng.random_range(-volatility..=volatility), 4);
                    rate = (rate + rate * step + (base - rate) * reversion).round_dp(12);
                    six_places(rate)
                })
                .collect();
            (*currency, path)
        })
        .collect();
    let mut rates = Vec::with_capacity(window.dates().len() * paths.len() * 2);
    for (day, date) in window.dates().iter().enumerate() {
        for (currency, path) in &paths {
            let to_usd = path[day];
            rates.push(FxRateFields {
                from_currency: *currency,
                to_currency: usd,
                rate_date: *date,
                rate: to_usd,
            });
            rates.push(FxRateFields {
                from_currency: usd,
                to_currency: *currency,
                rate_date: *date,
                rate: six_places(Decimal::ONE / to_usd),
            });
        }
    }
    rates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::COUNTRIES;
    use chrono::NaiveDate;

    #[test]
    fn every_payout_currency_has_a_level() {
        for country in COUNTRIES {
            assert!(
                country.currency == "USD" || level(country.currency).is_some(),
                "{}",
                country.currency
            );
        }
    }

    #[test]
    fn rates_stay_near_their_level() {
        let window = Window::new(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(), 13);
        let currencies: Vec<Currency> = ["EUR", "JPY", "KRW", "AED", "USD"]
            .iter()
            .map(|c| Currency::parse(c).unwrap())
            .collect();
        let rates = generate(42, &window, &currencies);
        assert_eq!(rates.len(), window.dates().len() * 4 * 2);
        for rate in &rates {
            assert_eq!(rate.rate.scale(), 6);
            let (base, _) = level(rate.from_currency.code())
                .unwrap_or_else(|| (Decimal::ONE / level(rate.to_currency.code()).unwrap().0, 0));
            let ratio = rate.rate / base;
            assert!(ratio > Decimal::new(85, 2) && ratio < Decimal::new(115, 2), "{rate:?}");
        }
        let aed: Vec<_> = rates
            .iter()
            .filter(|r| r.from_currency.code() == "AED")
            .map(|r| r.rate)
            .collect();
        assert!(aed.windows(2).all(|w| w[0] == w[1]), "a pegged currency stays flat");
    }
}
