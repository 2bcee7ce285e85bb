//! The facts an evaluation or simulation reads, loaded once: every sales fact and metric
//! fact up to the evaluation date for the structure's members, and every FX rate (pairs
//! not stored directly are crossed through USD). Metric values are then computed on the
//! engine's columnar image of those facts.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::tiering::{MetricError, MetricValues, RateTable, TierStructure};
use tributary_engine::{FactImage, FactImageBuilder};
use tributary_store::Conn;
use tributary_store::repo::{fx_rates, metric_facts, sales};

use super::members::Member;
use crate::error::{AppError, AppResult, internal};

/// The loaded facts of a structure's members, indexed like the members.
pub struct Inputs {
    pub image: FactImage,
    pub rates: RateTable,
}

fn date(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(internal)
}

/// Loads the facts dated on or before `until` of `members`.
pub async fn load(conn: &mut Conn<'_>, members: &[Member], until: NaiveDate) -> AppResult<Inputs> {
    let until_text = until.format("%Y-%m-%d").to_string();
    let index: HashMap<&str, u32> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.partner_id.as_str(), i as u32))
        .collect();
    let mut builder = FactImageBuilder::new();
    let mut accounts: HashMap<String, u32> = HashMap::new();
    for sale in sales::for_metrics(conn, &until_text).await? {
        let Some(&partner) = index.get(sale.partner_id.as_str()) else {
            continue;
        };
        let next = accounts.len() as u32;
        let account = *accounts.entry(sale.account_id).or_insert(next);
        let currency = Currency::parse(&sale.currency).map_err(internal)?;
        builder.add_sale(partner, date(&sale.fact_date)?, currency, sale.amount_minor, account);
    }
    for fact in metric_facts::for_metrics(conn, &until_text).await? {
        let Some(&partner) = index.get(fact.partner_id.as_str()) else {
            continue;
        };
        let value: Decimal = fact.value.parse().map_err(internal)?;
        builder.add_metric_fact(partner, &fact.metric, date(&fact.fact_date)?, value);
    }
    let mut rates = RateTable::with_base(Currency::parse("USD").expect("USD is a currency"));
    for rate in fx_rates::all_until(conn, &until_text).await? {
        rates.insert(rate.from_currency, rate.to_currency, rate.rate_date, rate.rate);
    }
    Ok(Inputs {
        image: builder.build(members.len() as u32),
        rates,
    })
}

/// Every member's metric values under `structure` at `date`.
pub fn metric_values(structure: &TierStructure, date: NaiveDate, inputs: &Inputs) -> AppResult<Vec<MetricValues>> {
    let rows: Vec<u32> = (0..inputs.image.partner_count()).collect();
    let table = tributary_engine::compute_metrics(&inputs.image, structure, date, &inputs.rates, &rows)
        .map_err(missing_rate)?;
    Ok((0..table.len()).map(|row| table.row(row)).collect())
}

/// A metric that cannot be computed is the vendor's data problem, named precisely.
pub fn missing_rate(error: MetricError) -> AppError {
    AppError::Conflict(format!(
        "cannot compute net revenue: {error}; add the rate and evaluate again"
    ))
}
