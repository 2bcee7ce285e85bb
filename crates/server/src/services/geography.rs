//! Regions, verticals and FX rates: reference data upserted by key, each change audited
//! with its previous value.

use tributary_domain::fx::FxRateFields;
use tributary_domain::geography::{RegionFields, VerticalFields};
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::{fx_rates, regions, verticals};

use super::record;
use crate::error::AppResult;

pub async fn save_region(conn: &mut Conn<'_>, actor: &Actor, region: &RegionFields) -> AppResult<()> {
    let before = regions::get(conn, &region.code).await?;
    regions::upsert(conn, region).await?;
    record(
        conn,
        actor,
        "region.saved",
        "region",
        &region.code,
        before.as_ref(),
        Some(region),
    )
    .await
}

pub async fn save_vertical(conn: &mut Conn<'_>, actor: &Actor, vertical: &VerticalFields) -> AppResult<()> {
    let before = verticals::get(conn, &vertical.code).await?;
    verticals::upsert(conn, vertical).await?;
    record(
        conn,
        actor,
        "vertical.saved",
        "vertical",
        &vertical.code,
        before.as_ref(),
        Some(vertical),
    )
    .await
}

/// The audit entity id of a rate: `FROM/TO/DATE`.
pub fn fx_key(rate: &FxRateFields) -> String {
    format!("{}/{}/{}", rate.from_currency, rate.to_currency, rate.rate_date)
}

pub async fn save_fx_rate(conn: &mut Conn<'_>, actor: &Actor, rate: &FxRateFields) -> AppResult<()> {
    let date = rate.rate_date.format("%Y-%m-%d").to_string();
    let before = fx_rates::get(conn, rate.from_currency.code(), rate.to_currency.code(), &date).await?;
    fx_rates::upsert(conn, rate).await?;
    record(
        conn,
        actor,
        "fx_rate.saved",
        "fx_rate",
        &fx_key(rate),
        before.as_ref(),
        Some(rate),
    )
    .await
}
