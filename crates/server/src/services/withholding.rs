//! Withholding tax rates by tax country: the share of a partner's gross payout that the
//! close withholds as its own statement line. Finance sets a rate per ISO 3166 country
//! (a decimal in [0, 1)); a country without a rate withholds nothing. Every change and
//! removal is audited with the rate before and after.

use rust_decimal::Decimal;
use serde::Deserialize;
use tributary_domain::money::parse_decimal;
use tributary_domain::partner::country_code;
use tributary_domain::validation::{Errors, FieldError};
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::withholding_rates::{self, WithholdingRate};
use utoipa::ToSchema;

use super::record;
use crate::error::{AppError, AppResult};

/// The body of `PUT /api/v1/withholding-rates/{country}` (and the portal form, which also
/// names the country).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, ToSchema)]
pub struct WithholdingRateInput {
    /// ISO 3166-1 alpha-2 tax country; the API takes it from the path.
    #[serde(default)]
    pub country: String,
    /// The share withheld, a decimal in [0, 1) such as `0.15`.
    #[serde(default)]
    pub rate: String,
}

impl WithholdingRateInput {
    /// The upper-cased country code and the rate, or every problem with them.
    pub fn validate(&self) -> Result<(String, Decimal), Vec<FieldError>> {
        let mut errors = Errors::new();
        let country = errors.check("country", country_code(&self.country));
        let rate = errors.check("rate", parse_rate(&self.rate));
        match (country, rate) {
            (Some(country), Some(rate)) if errors.is_empty() => Ok((country, rate)),
            _ => Err(errors.0),
        }
    }
}

fn parse_rate(text: &str) -> Result<Decimal, String> {
    let rate = parse_decimal(text)?;
    if rate < Decimal::ZERO || rate >= Decimal::ONE {
        return Err(format!("{rate} is outside [0, 1): write 15% as 0.15"));
    }
    Ok(rate.normalize())
}

/// Sets the rate of `country`, replacing any earlier one.
pub async fn save(conn: &mut Conn<'_>, actor: &Actor, country: &str, rate: Decimal) -> AppResult<WithholdingRate> {
    let before = withholding_rates::get(conn, country).await?;
    let after = withholding_rates::put(conn, country, rate, actor.user_id.as_deref()).await?;
    record(
        conn,
        actor,
        "withholding_rate.saved",
        "withholding_rate",
        country,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(after)
}

/// Removes the rate of `country` (its partners are no longer withheld from).
pub async fn remove(conn: &mut Conn<'_>, actor: &Actor, country: &str) -> AppResult<()> {
    let before = withholding_rates::get(conn, country)
        .await?
        .ok_or_else(|| AppError::not_found("withholding rate"))?;
    withholding_rates::delete(conn, country).await?;
    record(
        conn,
        actor,
        "withholding_rate.deleted",
        "withholding_rate",
        country,
        Some(&before),
        None::<&WithholdingRate>,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(country: &str, rate: &str) -> WithholdingRateInput {
        WithholdingRateInput {
            country: country.into(),
            rate: rate.into(),
        }
    }

    #[test]
    fn rates_lie_in_zero_to_one_and_countries_are_iso_codes() {
        assert_eq!(
            input(" br ", "0.150").validate(),
            Ok(("BR".to_string(), Decimal::new(15, 2)))
        );
        assert_eq!(input("US", "0").validate(), Ok(("US".to_string(), Decimal::ZERO)));
        let fields = |i: WithholdingRateInput| -> Vec<String> {
            i.validate().unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(input("US", "1")), ["rate"]);
        assert_eq!(fields(input("US", "-0.1")), ["rate"]);
        assert_eq!(fields(input("US", "15%")), ["rate"]);
        assert_eq!(fields(input("XX", "0.1")), ["country"]);
        assert_eq!(fields(input("", "")), ["country", "rate"]);
    }
}
