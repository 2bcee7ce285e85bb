//! Money: exact decimal amounts in ISO 4217 currencies. Amounts are `rust_decimal::Decimal`
//! (never binary floating point); stored facts keep integer minor units so sums are exact
//! and cheap; rounding is half-even and happens only where the product says so.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::reference::currency_minor_units;

/// A validated ISO 4217 currency code such as `EUR`, with its minor units looked up once
/// when parsed (rounding and minor-unit conversions happen per statement line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self, String> {
        let upper = code.trim().to_ascii_uppercase();
        match currency_minor_units(&upper).filter(|_| upper.len() == 3) {
            Some(minor_units) => {
                let bytes = upper.as_bytes();
                Ok(Self {
                    code: [bytes[0], bytes[1], bytes[2]],
                    minor_units: u8::try_from(minor_units).expect("ISO 4217 minor units are single digits"),
                })
            }
            None => Err(format!("'{}' is not an ISO 4217 currency code", code.trim())),
        }
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).expect("currency codes are ASCII")
    }

    /// Digits after the decimal point of the currency's minor unit (EUR 2, JPY 0, KWD 3).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// Rounds half-even to the currency's minor unit: 1234.565 EUR → 1234.56, 10000.5 JPY → 10000.
    pub fn round(&self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(self.minor_units(), RoundingStrategy::MidpointNearestEven)
    }

    /// Converts an amount with no more digits than the minor unit allows into minor units.
    pub fn to_minor(&self, amount: Decimal) -> Result<i64, String> {
        let scaled = amount * Decimal::from(10i64.pow(self.minor_units()));
        if scaled.fract() != Decimal::ZERO {
            return Err(format!(
                "{amount} has more decimals than {} allows ({})",
                self.code(),
                self.minor_units()
            ));
        }
        i64::try_from(scaled).map_err(|_| format!("{amount} is too large"))
    }

    /// The decimal amount of a number of minor units.
    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.minor_units())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.code().to_string()
    }
}

/// Parses a decimal amount written with a `.` decimal point (no thousands separators,
/// no exponent), as it appears in CSV files and API bodies.
pub fn parse_decimal(value: &str) -> Result<Decimal, String> {
    let text = value.trim();
    let well_formed = !text.is_empty()
        && text
            .trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && text.matches('.').count() <= 1;
    if !well_formed {
        return Err(format!("'{text}' is not a decimal number like 1234.56"));
    }
    Decimal::from_str(text).map_err(|_| format!("'{text}' is not a decimal number like 1234.56"))
}

/// Parses a non-negative decimal amount.
pub fn parse_non_negative(value: &str) -> Result<Decimal, String> {
    let amount = parse_decimal(value)?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(format!("{amount} must not be negative"));
    }
    Ok(amount)
}

/// Groups the integer digits of a decimal text in threes: "-1234567.50" → "-1,234,567.50".
pub fn group_thousands(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn half_even_rounding_matches_the_worked_example() {
        let eur = Currency::parse("eur").unwrap();
        assert_eq!(eur.round(dec!(1234.565)), dec!(1234.56));
        assert_eq!(eur.round(dec!(1234.575)), dec!(1234.58));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.round(dec!(10000.5)), dec!(10000));
    }

    #[test]
    fn minor_units_round_trip_and_refuse_excess_precision() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(usd.to_minor(dec!(12.34)).unwrap(), 1234);
        assert_eq!(usd.from_minor(-1234), dec!(-12.34));
        assert!(usd.to_minor(dec!(0.001)).is_err());
        let jpy = Currency::parse("JPY").unwrap();
        assert!(jpy.to_minor(dec!(1.5)).is_err());
    }

    #[test]
    fn decimal_parsing_is_strict() {
        assert_eq!(parse_decimal("-10.50").unwrap(), dec!(-10.50));
        assert!(parse_decimal("1,000").is_err());
        assert!(parse_decimal("1e5").is_err());
        assert!(parse_decimal("").is_err());
        assert!(parse_non_negative("-1").is_err());
        assert!(Currency::parse("XYZ").is_err());
    }
}
