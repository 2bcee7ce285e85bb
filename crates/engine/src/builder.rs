//! Recording facts before the image is built. The builder only appends to flat columns
//! (interning currencies and metric names to small integers), so loading millions of
//! facts costs a few pushes each; all sorting and indexing happens once, in
//! [`FactImageBuilder::build`].

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;

use crate::days::day_number;

/// Sales and metric facts in recording order, as flat columns.
#[derive(Debug, Default)]
pub struct FactImageBuilder {
    pub(crate) sales: RecordedSales,
    pub(crate) metric_facts: RecordedMetricFacts,
    pub(crate) currencies: Vec<Currency>,
    currency_index: HashMap<Currency, u16>,
    pub(crate) metric_names: Vec<String>,
    metric_index: HashMap<String, u32>,
}

#[derive(Debug, Default)]
pub(crate) struct RecordedSales {
    pub partner: Vec<u32>,
    pub day: Vec<i32>,
    pub currency: Vec<u16>,
    pub amount_minor: Vec<i64>,
    pub account: Vec<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct RecordedMetricFacts {
    pub partner: Vec<u32>,
    pub metric: Vec<u32>,
    pub day: Vec<i32>,
    pub value: Vec<Decimal>,
}

impl FactImageBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `sales` sales facts, to avoid regrowing the columns while loading.
    pub fn with_capacity(sales: usize, metric_facts: usize) -> Self {
        let mut builder = Self::default();
        let s = &mut builder.sales;
        s.partner.reserve(sales);
        s.day.reserve(sales);
        s.currency.reserve(sales);
        s.amount_minor.reserve(sales);
        s.account.reserve(sales);
        let m = &mut builder.metric_facts;
        m.partner.reserve(metric_facts);
        m.metric.reserve(metric_facts);
        m.day.reserve(metric_facts);
        m.value.reserve(metric_facts);
        builder
    }

    /// Records a sale (a return is a negative amount) of partner `partner` (a dense index)
    /// to customer account `account`.
    pub fn add_sale(&mut self, partner: u32, date: NaiveDate, currency: Currency, amount_minor: i64, account: u32) {
        let index = match self.currency_index.get(&currency) {
            Some(index) => *index,
            None => {
                let index = u16::try_from(self.currencies.len()).expect("fewer than 65,536 currencies");
                self.currencies.push(currency);
                self.currency_index.insert(currency, index);
                index
            }
        };
        let s = &mut self.sales;
        s.partner.push(partner);
        s.day.push(day_number(date));
        s.currency.push(index);
        s.amount_minor.push(amount_minor);
        s.account.push(account);
    }

    /// Records an imported `(partner, metric, date, value)` fact.
    pub fn add_metric_fact(&mut self, partner: u32, metric: &str, date: NaiveDate, value: Decimal) {
        let index = match self.metric_index.get(metric) {
            Some(index) => *index,
            None => {
                let index = u32::try_from(self.metric_names.len()).expect("fewer than 2^32 metric names");
                self.metric_names.push(metric.to_string());
                self.metric_index.insert(metric.to_string(), index);
                index
            }
        };
        let m = &mut self.metric_facts;
        m.partner.push(partner);
        m.metric.push(index);
        m.day.push(day_number(date));
        m.value.push(value);
    }

    /// Sales facts recorded so far.
    pub fn sale_count(&self) -> usize {
        self.sales.partner.len()
    }

    /// Metric facts recorded so far.
    pub fn metric_fact_count(&self) -> usize {
        self.metric_facts.partner.len()
    }
}
