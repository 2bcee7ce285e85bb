//! The facts a close reads, as the domain sees them: stored sales facts become
//! [`Transaction`]s with dense partner and account numbers, metric facts become
//! [`CustomFact`]s, and the stored FX rates and regions become the domain's [`RateTable`]
//! and [`RegionCountries`]. The close and the drill-down of a statement line share these
//! conversions, so a line's facts are selected from exactly what its close saw.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use tributary_domain::incentives::{CustomFact, RegionCountries, Transaction};
use tributary_domain::money::{Currency, parse_decimal};
use tributary_domain::tiering::RateTable;
use tributary_store::Conn;
use tributary_store::repo::metric_facts::MetricFactRow;
use tributary_store::repo::sales::CloseSale;
use tributary_store::repo::{fx_rates, regions};
use tributary_store::time::parse_date;

use super::base_currency;
use crate::error::{AppResult, internal};

pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Dense numbers for partner and account ids: the partners given first (the close's
/// partner list, or the one partner a drill-down is about), other partners and accounts
/// numbered as they are first seen.
pub struct Dense {
    partners: HashMap<String, u32>,
    accounts: HashMap<String, u32>,
}

fn number(map: &mut HashMap<String, u32>, id: &str) -> u32 {
    let next = map.len() as u32;
    *map.entry(id.to_string()).or_insert(next)
}

impl Dense {
    pub fn new<'a>(partner_ids: impl Iterator<Item = &'a str>) -> Dense {
        let mut partners = HashMap::new();
        for id in partner_ids {
            number(&mut partners, id);
        }
        Dense {
            partners,
            accounts: HashMap::new(),
        }
    }

    /// The transaction of a stored sale.
    pub fn transaction(&mut self, sale: &CloseSale) -> AppResult<Transaction> {
        Ok(Transaction {
            date: parse_date(&sale.fact_date)?,
            seller: number(&mut self.partners, &sale.partner_id),
            distributor: sale.distributor_id.as_deref().map(|d| number(&mut self.partners, d)),
            account: number(&mut self.accounts, &sale.account_id),
            sku: sale.sku.clone(),
            family: sale.family.clone(),
            customer_country: sale.customer_country.clone(),
            deal_registered: sale.deal_registered,
            quantity: sale.quantity,
            amount_minor: sale.amount_minor,
            cost_minor: sale.cost_minor,
            currency: Currency::parse(&sale.currency).map_err(internal)?,
        })
    }

    /// The custom fact of a stored metric fact.
    pub fn custom_fact(&mut self, fact: &MetricFactRow) -> AppResult<CustomFact> {
        Ok(CustomFact {
            partner: number(&mut self.partners, &fact.partner_id),
            metric: fact.metric.clone(),
            date: parse_date(&fact.fact_date)?,
            value: parse_decimal(&fact.value).map_err(internal)?,
        })
    }
}

/// Every stored rate dated on or before `until`, crossed through the base currency.
pub async fn rates(conn: &mut Conn<'_>, until: NaiveDate) -> AppResult<RateTable> {
    let mut table = RateTable::with_base(base_currency());
    for rate in fx_rates::all_until(conn, &date_text(until)).await? {
        table.insert(rate.from_currency, rate.to_currency, rate.rate_date, rate.rate);
    }
    Ok(table)
}

/// Region code → its countries.
pub async fn region_countries(conn: &mut Conn<'_>) -> AppResult<RegionCountries> {
    Ok(regions::list(conn)
        .await?
        .into_iter()
        .map(|r| (r.code, r.countries.into_iter().collect::<BTreeSet<String>>()))
        .collect())
}
