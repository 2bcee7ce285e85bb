//! Metric values from one partner's facts, exactly as PRODUCT.md §3 defines them:
//! net revenue converted at each sale's date, new customers (accounts whose first sale with
//! the partner falls in the window), and metrics read from imported `(partner, metric,
//! date, value)` facts — summed or averaged over the window, or the latest value on the
//! evaluation date. This is the reference the engine's columnar path is checked against.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::metrics::{MetricError, RateTable, RevenueLine, net_revenue};
use super::requirement::MetricValue;
use super::structure::{Aggregation, MetricDefinition, MetricKind, TierStructure};

/// One sales fact (a return is a negative amount) with the customer account it was sold to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleLine {
    pub revenue: RevenueLine,
    /// Dense customer-account number (only equality matters).
    pub account: u32,
}

/// One imported metric fact, e.g. `certified_people = 4` on 2026-03-01.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricFact {
    pub metric: String,
    pub date: NaiveDate,
    pub value: Decimal,
}

/// Everything recorded for one partner, in the order it was recorded.
#[derive(Debug, Clone, Default)]
pub struct PartnerFacts {
    pub sales: Vec<SaleLine>,
    pub metric_facts: Vec<MetricFact>,
}

/// Metric values by key; a metric without a value (an average over no facts, a latest
/// value never recorded) is absent, and every requirement on it is missed.
pub type MetricValues = BTreeMap<String, MetricValue>;

/// The value of every metric of `structure` for one partner at `date`.
pub fn compute_metrics(
    structure: &TierStructure,
    facts: &PartnerFacts,
    date: NaiveDate,
    rates: &RateTable,
) -> Result<MetricValues, MetricError> {
    let mut values = MetricValues::new();
    for definition in &structure.metrics {
        if let Some(value) = metric_value(definition, facts, date, structure, rates)? {
            values.insert(definition.key.clone(), value);
        }
    }
    Ok(values)
}

fn metric_value(
    definition: &MetricDefinition,
    facts: &PartnerFacts,
    date: NaiveDate,
    structure: &TierStructure,
    rates: &RateTable,
) -> Result<Option<MetricValue>, MetricError> {
    let first = definition.window.first_day(date);
    let in_window = |d: NaiveDate| d <= date && first.is_none_or(|f| f <= d);
    match definition.kind {
        MetricKind::NetRevenue => {
            let lines: Vec<RevenueLine> = facts.sales.iter().map(|s| s.revenue).collect();
            let first = first.unwrap_or(NaiveDate::MIN);
            Ok(Some(MetricValue::Number(net_revenue(
                &lines,
                first,
                date,
                structure.currency,
                rates,
            )?)))
        }
        MetricKind::NewCustomers => {
            let mut first_sale: HashMap<u32, NaiveDate> = HashMap::new();
            for sale in facts.sales.iter().filter(|s| s.revenue.amount_minor > 0) {
                let day = first_sale.entry(sale.account).or_insert(sale.revenue.date);
                *day = (*day).min(sale.revenue.date);
            }
            let count = first_sale.values().filter(|d| in_window(**d)).count();
            Ok(Some(MetricValue::Number(Decimal::from(count))))
        }
        _ => {
            let Some(name) = definition.fact_name() else {
                return Ok(None);
            };
            let matching = facts.metric_facts.iter().filter(|f| f.metric == name);
            let value = match definition.aggregation() {
                Aggregation::Sum => Some(matching.filter(|f| in_window(f.date)).map(|f| f.value).sum()),
                Aggregation::Average => {
                    let values: Vec<Decimal> = matching.filter(|f| in_window(f.date)).map(|f| f.value).collect();
                    (!values.is_empty()).then(|| values.iter().sum::<Decimal>() / Decimal::from(values.len()))
                }
                Aggregation::Latest => latest(matching, date),
            };
            Ok(match definition.kind {
                MetricKind::AgreementAccepted => Some(MetricValue::Flag(value.is_some_and(|v| !v.is_zero()))),
                _ => value.map(MetricValue::Number),
            })
        }
    }
}

/// The value recorded on the latest date on or before `date` (the last one recorded on
/// that day when several were).
fn latest<'a>(facts: impl Iterator<Item = &'a MetricFact>, date: NaiveDate) -> Option<Decimal> {
    facts
        .filter(|f| f.date <= date)
        .fold(None, |best: Option<&MetricFact>, f| match best {
            Some(b) if b.date > f.date => Some(b),
            _ => Some(f),
        })
        .map(|f| f.value)
}

#[cfg(test)]
mod tests {
    use super::super::decision::EvaluationRules;
    use super::super::requirement::Level;
    use super::super::structure::{Applicability, Benefits, Cadence, MetricWindow};
    use super::*;
    use crate::money::Currency;
    use rust_decimal::dec;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn metric(key: &str, kind: MetricKind, window: MetricWindow) -> MetricDefinition {
        MetricDefinition {
            key: key.into(),
            kind,
            window,
            custom_name: None,
            aggregation: None,
        }
    }

    fn structure(metrics: Vec<MetricDefinition>) -> TierStructure {
        TierStructure {
            name: "Program".into(),
            currency: Currency::parse("USD").unwrap(),
            applicability: Applicability::default(),
            cadence: Cadence::Quarterly,
            metrics,
            levels: vec![
                Level {
                    name: "Registered".into(),
                    requirements: vec![],
                },
                Level {
                    name: "Silver".into(),
                    requirements: vec![],
                },
            ],
            benefits: vec![Benefits::default(); 2],
            region_overrides: vec![],
            rules: EvaluationRules {
                grace: 1,
                max_demotion_step: 1,
            },
            valid_from: date("2025-01-01"),
            valid_until: None,
        }
    }

    fn fact(metric: &str, day: &str, value: Decimal) -> MetricFact {
        MetricFact {
            metric: metric.into(),
            date: date(day),
            value,
        }
    }

    #[test]
    fn each_metric_kind_aggregates_its_facts() {
        let usd = Currency::parse("USD").unwrap();
        let eur = Currency::parse("EUR").unwrap();
        let sale = |day: &str, amount_minor: i64, currency, account| SaleLine {
            revenue: RevenueLine {
                date: date(day),
                amount_minor,
                currency,
            },
            account,
        };
        let facts = PartnerFacts {
            sales: vec![
                sale("2025-02-10", 50_000, usd, 1),
                sale("2025-06-01", 100_000, eur, 2),
                sale("2026-01-15", -20_000, usd, 2),
                sale("2026-02-01", 30_000, usd, 1),
                sale("2026-03-01", 10_000, usd, 3),
            ],
            metric_facts: vec![
                fact("certified_people", "2026-01-01", dec!(3)),
                fact("certified_people", "2026-02-01", dec!(5)),
                fact("certified_people", "2026-02-01", dec!(4)),
                fact("certified_people", "2026-04-01", dec!(9)),
                fact("csat", "2026-01-10", dec!(4)),
                fact("csat", "2026-02-10", dec!(4.5)),
                fact("agreement_accepted", "2025-01-01", dec!(1)),
                fact("training_completions", "2024-01-01", dec!(7)),
                fact("training_completions", "2026-03-01", dec!(2)),
            ],
        };
        let mut rates = RateTable::default();
        rates.insert(eur, usd, date("2025-01-01"), dec!(1.1));
        let s = structure(vec![
            metric("revenue_12m", MetricKind::NetRevenue, MetricWindow::TrailingMonths(12)),
            metric("new_12m", MetricKind::NewCustomers, MetricWindow::TrailingMonths(12)),
            metric("certified", MetricKind::CertifiedPeople, MetricWindow::AtDate),
            metric("csat", MetricKind::AverageCsat, MetricWindow::TrailingMonths(3)),
            metric("signed", MetricKind::AgreementAccepted, MetricWindow::AtDate),
            metric(
                "training_fy",
                MetricKind::TrainingCompletions,
                MetricWindow::FiscalYearToDate { first_month: 1 },
            ),
            metric("deals", MetricKind::DealsWon, MetricWindow::TrailingMonths(12)),
        ]);
        assert!(s.validate().is_ok(), "{:?}", s.validate());
        let values = compute_metrics(&s, &facts, date("2026-03-31"), &rates).unwrap();
        // 1,100.00 (EUR at 1.1) − 200.00 + 300.00 + 100.00; the 2025-02-10 sale is outside.
        assert_eq!(values["revenue_12m"], MetricValue::Number(dec!(1300.00)));
        // Account 2 first bought 2025-06-01 (inside), account 3 on 2026-03-01; account 1 in 2025-02.
        assert_eq!(values["new_12m"], MetricValue::Number(dec!(2)));
        // The last value recorded on the latest date on or before E.
        assert_eq!(values["certified"], MetricValue::Number(dec!(4)));
        assert_eq!(values["csat"], MetricValue::Number(dec!(4.25)));
        assert_eq!(values["signed"], MetricValue::Flag(true));
        assert_eq!(values["training_fy"], MetricValue::Number(dec!(2)));
        assert_eq!(values["deals"], MetricValue::Number(dec!(0)));

        let none = compute_metrics(&s, &PartnerFacts::default(), date("2026-03-31"), &rates).unwrap();
        assert!(!none.contains_key("csat") && !none.contains_key("certified"));
        assert_eq!(none["signed"], MetricValue::Flag(false));
    }

    #[test]
    fn a_missing_rate_names_the_pair_and_date() {
        let facts = PartnerFacts {
            sales: vec![SaleLine {
                revenue: RevenueLine {
                    date: date("2026-03-01"),
                    amount_minor: 100,
                    currency: Currency::parse("GBP").unwrap(),
                },
                account: 1,
            }],
            metric_facts: vec![],
        };
        let s = structure(vec![metric(
            "revenue_12m",
            MetricKind::NetRevenue,
            MetricWindow::TrailingMonths(12),
        )]);
        let error = compute_metrics(&s, &facts, date("2026-03-31"), &RateTable::default()).unwrap_err();
        assert_eq!(error.to_string(), "no GBP→USD exchange rate on or before 2026-03-01");
    }
}
