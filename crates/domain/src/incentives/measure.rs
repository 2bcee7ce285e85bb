//! Step 1 of the close: the measure `m` of one payee over a period's matching transactions,
//! each converted to the plan currency at its own date's rate (the latest on or before it).
//! Reference semantics: one transaction at a time, exact decimals.
//!
//! Which transactions match: the payee is paid on them (the seller, the distributor, or
//! either, per the plan's payee), they pass every criterion of the plan's filter, and they
//! fall in the period — a sale by its date; a return (negative amount or quantity) by its
//! date minus the plan's holding days, so a return that arrives while earnings are still
//! held is netted against the period it reverses, and counts in no other.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::error::CloseError;
use super::period::Period;
use super::plan::{Measure, Payee, Plan, TransactionFilter};
use crate::money::Currency;
use crate::tiering::RateTable;

/// One sales or return line as the close sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub date: NaiveDate,
    /// Dense index of the selling partner (the reseller on a two-tier sale).
    pub seller: u32,
    pub distributor: Option<u32>,
    /// Dense customer-account number (only equality matters).
    pub account: u32,
    pub sku: String,
    pub family: String,
    /// ISO country of the customer account.
    pub customer_country: String,
    pub deal_registered: bool,
    pub quantity: i64,
    pub amount_minor: i64,
    /// Cost of the goods, in minor units of `currency`, when known.
    pub cost_minor: Option<i64>,
    pub currency: Currency,
}

impl Transaction {
    pub fn is_return(&self) -> bool {
        self.amount_minor < 0 || self.quantity < 0
    }

    /// Whether `partner` is paid on this transaction under `payee`.
    pub fn pays(&self, partner: u32, payee: Payee) -> bool {
        match payee {
            Payee::Reseller => self.seller == partner,
            Payee::Distributor => self.distributor == Some(partner),
            Payee::Both => self.seller == partner || self.distributor == Some(partner),
        }
    }

    /// The day the transaction counts on: a return's date minus the holding days.
    pub fn counted_on(&self, holding_days: u32) -> NaiveDate {
        if self.is_return() {
            self.date
                .checked_sub_days(Days::new(u64::from(holding_days)))
                .unwrap_or(NaiveDate::MIN)
        } else {
            self.date
        }
    }
}

/// One custom-metric fact (installations completed, trainings passed …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFact {
    pub partner: u32,
    pub metric: String,
    pub date: NaiveDate,
    pub value: Decimal,
}

/// Region code → the ISO countries in it.
pub type RegionCountries = BTreeMap<String, BTreeSet<String>>;

/// The measure and how many facts made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    pub value: Decimal,
    pub fact_count: u64,
}

/// Whether a transaction passes the filter's product, region and deal criteria (the
/// new-customer criterion needs the payee's history; see [`first_sales`]).
pub fn passes(filter: &TransactionFilter, t: &Transaction, regions: &RegionCountries) -> bool {
    (filter.product_families.is_empty()
        || filter
            .product_families
            .iter()
            .any(|f| f.eq_ignore_ascii_case(&t.family)))
        && (filter.skus.is_empty() || filter.skus.iter().any(|s| s.eq_ignore_ascii_case(&t.sku)))
        && (filter.customer_regions.is_empty()
            || filter.customer_regions.iter().any(|r| {
                regions
                    .get(r)
                    .is_some_and(|countries| countries.contains(&t.customer_country))
            }))
        && (!filter.registered_deals_only || t.deal_registered)
}

/// The day of the payee's first positive sale to each account, over all its history.
pub fn first_sales<'a>(
    partner: u32,
    payee: Payee,
    transactions: impl Iterator<Item = &'a Transaction>,
) -> HashMap<u32, NaiveDate> {
    let mut first: HashMap<u32, NaiveDate> = HashMap::new();
    for t in transactions.filter(|t| t.amount_minor > 0 && t.pays(partner, payee)) {
        let day = first.entry(t.account).or_insert(t.date);
        *day = (*day).min(t.date);
    }
    first
}

/// `m` for `partner` under `plan` in `period`. `transactions` may hold anyone's (those the
/// partner is not paid on are skipped) and must hold the partner's whole history when the
/// plan counts new customers only.
pub fn measure(
    plan: &Plan,
    partner: u32,
    period: &Period,
    transactions: &[Transaction],
    custom_facts: &[CustomFact],
    rates: &RateTable,
    regions: &RegionCountries,
) -> Result<Measured, CloseError> {
    if let Measure::CustomMetric { name } = &plan.measure {
        let facts: Vec<&CustomFact> = custom_facts
            .iter()
            .filter(|f| f.partner == partner && &f.metric == name && period.contains(f.date))
            .collect();
        return Ok(Measured {
            value: facts.iter().map(|f| f.value).sum(),
            fact_count: facts.len() as u64,
        });
    }
    let mut measured = Measured {
        value: Decimal::ZERO,
        fact_count: 0,
    };
    let counts = matcher(plan, partner, period, transactions, regions);
    for t in transactions.iter().filter(|t| counts(t)) {
        measured.value += contribution(&plan.measure, plan.currency, t, rates)?.value;
        measured.fact_count += 1;
    }
    Ok(measured)
}

/// Whether a transaction counts for `partner` under `plan` in `period`: the partner is
/// paid on it, it counts on a day of the period, it passes the filter, and (for
/// new-customer plans) it goes to an account first sold to in the period. `transactions`
/// must hold the partner's whole history for new-customer plans.
pub fn matcher<'a>(
    plan: &'a Plan,
    partner: u32,
    period: &'a Period,
    transactions: &'a [Transaction],
    regions: &'a RegionCountries,
) -> impl Fn(&Transaction) -> bool + 'a {
    let first = plan
        .filter
        .new_customers_only
        .then(|| first_sales(partner, plan.payee, transactions.iter()));
    move |t| {
        t.pays(partner, plan.payee)
            && period.contains(t.counted_on(plan.holding_days))
            && passes(&plan.filter, t, regions)
            && first
                .as_ref()
                .is_none_or(|first| first.get(&t.account).is_some_and(|day| period.contains(*day)))
    }
}

/// What one matching transaction adds to the measure, and the rate it was converted at
/// (none for quantities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution {
    pub rate: Option<Decimal>,
    pub value: Decimal,
}

/// What one matching transaction adds to a measure in `currency`.
pub fn contribution(
    measure: &Measure,
    currency: Currency,
    t: &Transaction,
    rates: &RateTable,
) -> Result<Contribution, CloseError> {
    let minor = match measure {
        Measure::Quantity => {
            return Ok(Contribution {
                rate: None,
                value: Decimal::from(t.quantity),
            });
        }
        Measure::NetAmount => t.amount_minor,
        Measure::Margin => {
            let cost = t.cost_minor.ok_or_else(|| CloseError::MissingCost {
                sku: t.sku.clone(),
                date: t.date,
            })?;
            t.amount_minor - cost
        }
        Measure::CustomMetric { .. } => unreachable!("custom metrics read custom facts"),
    };
    let rate = rates.rate(t.currency, currency, t.date)?;
    Ok(Contribution {
        rate: Some(rate),
        value: t.currency.from_minor(minor) * rate,
    })
}
