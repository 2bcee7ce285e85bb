//! Withholding tax on partner payouts, one rate per tax country (ISO 3166 code). The close
//! reads them all at once to settle statements; finance edits them one country at a time,
//! and the service records each change with its before and after in the audit trail.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::money::parse_decimal;

use crate::{Conn, StoreError, time};

/// A stored rate with who set it and when.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WithholdingRate {
    /// ISO 3166-1 alpha-2 tax country.
    pub country: String,
    /// The share of a payout withheld, a decimal in [0, 1) such as `0.15`.
    #[schema(value_type = String)]
    pub rate: Decimal,
    pub updated_by: Option<String>,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    country: String,
    rate: String,
    updated_by: Option<String>,
    updated_at: String,
}

impl TryFrom<Row> for WithholdingRate {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let rate = parse_decimal(&row.rate)
            .map_err(|e| StoreError::Corrupt(format!("withholding rate {}: {e}", row.country)))?;
        Ok(WithholdingRate {
            country: row.country,
            rate,
            updated_by: row.updated_by,
            updated_at: row.updated_at,
        })
    }
}

const COLUMNS: [&str; 4] = ["country", "rate", "updated_by", "updated_at"];

/// Every rate, by country (a country without a row withholds nothing).
pub async fn all(conn: &mut Conn<'_>) -> Result<BTreeMap<String, Decimal>, StoreError> {
    Ok(list(conn).await?.into_iter().map(|r| (r.country, r.rate)).collect())
}

/// Every rate with its provenance, ordered by country.
pub async fn list(conn: &mut Conn<'_>) -> Result<Vec<WithholdingRate>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from("withholding_rates")
                .order_by("country", Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(WithholdingRate::try_from).collect()
}

pub async fn get(conn: &mut Conn<'_>, country: &str) -> Result<Option<WithholdingRate>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("withholding_rates")
                .and_where(Expr::col("country").eq(country))
                .take(),
        )
        .await?;
    row.map(WithholdingRate::try_from).transpose()
}

/// Sets the rate of `country`, replacing any earlier one, and returns what was stored.
pub async fn put(
    conn: &mut Conn<'_>,
    country: &str,
    rate: Decimal,
    updated_by: Option<&str>,
) -> Result<WithholdingRate, StoreError> {
    let stored = WithholdingRate {
        country: country.to_string(),
        rate,
        updated_by: updated_by.map(str::to_string),
        updated_at: time::now_text(),
    };
    let changed = conn
        .execute(
            &Query::update()
                .table("withholding_rates")
                .values([
                    ("rate", rate.to_string().into()),
                    ("updated_by", stored.updated_by.clone().into()),
                    ("updated_at", stored.updated_at.clone().into()),
                ])
                .and_where(Expr::col("country").eq(country))
                .take(),
        )
        .await?;
    if changed == 0 {
        conn.execute(
            &Query::insert()
                .into_table("withholding_rates")
                .columns(COLUMNS)
                .values_panic([
                    stored.country.clone().into(),
                    rate.to_string().into(),
                    stored.updated_by.clone().into(),
                    stored.updated_at.clone().into(),
                ])
                .take(),
        )
        .await?;
    }
    Ok(stored)
}

/// Removes the rate of `country`; returns whether there was one.
pub async fn delete(conn: &mut Conn<'_>, country: &str) -> Result<bool, StoreError> {
    let removed = conn
        .execute(
            &Query::delete()
                .from_table("withholding_rates")
                .and_where(Expr::col("country").eq(country))
                .take(),
        )
        .await?;
    Ok(removed > 0)
}
