//! The demo partner program: a quarterly four-level tier structure (Registered, Silver,
//! Gold, Platinum) on trailing-12-month net revenue in USD, certified people, average CSAT
//! and the partner agreement, with lower revenue targets in Latin America; and the metric
//! facts it reads — monthly certified-people counts and training completions, CSAT
//! surveys, and agreement acceptance — so tier cards, histories and what-if runs have
//! something realistic to show.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rust_decimal::Decimal;
use tributary_domain::metric_fact::MetricFactFields;
use tributary_domain::money::Currency;
use tributary_domain::partner::{PartnerFields, SizeBand};
use tributary_domain::tiering::{
    Applicability, Benefits, Cadence, Comparison, EvaluationRules, Level, MetricDefinition, MetricKind, MetricValue,
    MetricWindow, RegionOverride, Requirement, TierStructure,
};

use crate::calendar::Window;
use crate::random::{Stream, chance, stream};

fn metric(key: &str, kind: MetricKind, window: MetricWindow) -> MetricDefinition {
    MetricDefinition {
        key: key.into(),
        kind,
        window,
        custom_name: None,
        aggregation: None,
    }
}

fn at_least(metric: &str, target: i64) -> Requirement {
    Requirement {
        metric: metric.into(),
        comparison: Comparison::AtLeast,
        target: MetricValue::Number(Decimal::from(target)),
    }
}

fn benefits(discount: i64, multiplier: Decimal, mdf: i64, priority: u32, tags: &[&str]) -> Benefits {
    Benefits {
        discount_percent: Decimal::from(discount),
        rebate_multiplier: multiplier,
        mdf_allocation: Decimal::from(mdf),
        lead_priority: priority,
        content_tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

/// The demo program, valid from the first day of the facts window.
pub(crate) fn structure(valid_from: NaiveDate) -> TierStructure {
    let csat = Requirement {
        metric: "csat".into(),
        comparison: Comparison::AtLeast,
        target: MetricValue::Number(Decimal::new(40, 1)),
    };
    let signed = Requirement {
        metric: "agreement".into(),
        comparison: Comparison::Equals,
        target: MetricValue::Flag(true),
    };
    TierStructure {
        name: "Global partner program".into(),
        currency: Currency::parse("USD").expect("USD is a currency"),
        applicability: Applicability::default(),
        cadence: Cadence::Quarterly,
        metrics: vec![
            metric("revenue_12m", MetricKind::NetRevenue, MetricWindow::TrailingMonths(12)),
            metric(
                "new_customers_12m",
                MetricKind::NewCustomers,
                MetricWindow::TrailingMonths(12),
            ),
            metric("certified", MetricKind::CertifiedPeople, MetricWindow::AtDate),
            metric("csat", MetricKind::AverageCsat, MetricWindow::TrailingMonths(6)),
            metric("agreement", MetricKind::AgreementAccepted, MetricWindow::AtDate),
        ],
        levels: vec![
            Level {
                name: "Registered".into(),
                requirements: vec![],
            },
            Level {
                name: "Silver".into(),
                requirements: vec![at_least("revenue_12m", 250_000), signed.clone()],
            },
            Level {
                name: "Gold".into(),
                requirements: vec![
                    at_least("revenue_12m", 1_000_000),
                    at_least("certified", 5),
                    signed.clone(),
                ],
            },
            Level {
                name: "Platinum".into(),
                requirements: vec![
                    at_least("revenue_12m", 3_000_000),
                    at_least("certified", 10),
                    at_least("new_customers_12m", 40),
                    csat,
                    signed,
                ],
            },
        ],
        benefits: vec![
            benefits(0, Decimal::ONE, 0, 0, &["basics"]),
            benefits(8, Decimal::new(11, 1), 5_000, 1, &["basics", "silver-playbooks"]),
            benefits(
                15,
                Decimal::new(125, 2),
                25_000,
                2,
                &["basics", "silver-playbooks", "gold-enablement"],
            ),
            benefits(
                22,
                Decimal::new(15, 1),
                75_000,
                3,
                &["basics", "silver-playbooks", "gold-enablement", "platinum-roadmaps"],
            ),
        ],
        region_overrides: ["latam", "mea"]
            .iter()
            .flat_map(|region| {
                [(1, 150_000), (2, 600_000), (3, 2_000_000)].map(|(level, target)| RegionOverride {
                    region: region.to_string(),
                    level,
                    metric: "revenue_12m".into(),
                    target: MetricValue::Number(Decimal::from(target)),
                })
            })
            .collect(),
        rules: EvaluationRules {
            grace: 1,
            max_demotion_step: 1,
        },
        valid_from,
        valid_until: None,
    }
}

fn staff(size: SizeBand) -> u32 {
    match size {
        SizeBand::Micro => 1,
        SizeBand::Small => 3,
        SizeBand::Medium => 6,
        SizeBand::Large => 11,
        SizeBand::Enterprise => 16,
    }
}

/// Metric facts for every partner over the window, in date order per partner: certified
/// people and training completions on the first of each month, a CSAT score most months,
/// and the agreement acceptance on the first day (most partners accept; a few never do).
pub(crate) fn metric_facts(seed: u64, window: &Window, partners: &[(String, PartnerFields)]) -> Vec<MetricFactFields> {
    let mut rng = stream(seed, Stream::Tiering);
    let months: Vec<NaiveDate> = window.dates().iter().copied().filter(|d| d.day() == 1).collect();
    let mut facts = Vec::new();
    let fact = |partner: &str, metric: &str, date: NaiveDate, value: Decimal| MetricFactFields {
        partner_id: partner.to_string(),
        metric: metric.to_string(),
        fact_date: date,
        value,
        source: "demo".to_string(),
    };
    for (id, partner) in partners {
        let Some(first) = months.first() else {
            return facts;
        };
        let accepted = chance(&mut rng, 92);
        facts.push(fact(
            id,
            "agreement_accepted",
            *first,
            Decimal::from(u32::from(accepted)),
        ));
        let mut certified = rng.random_range(0..=staff(partner.size_band));
        for month in &months {
            if chance(&mut rng, 35) {
                certified = certified.saturating_add_signed(rng.random_range(-1..=2));
            }
            facts.push(fact(id, "certified_people", *month, Decimal::from(certified)));
            facts.push(fact(
                id,
                "training_completions",
                *month,
                Decimal::from(rng.random_range(0..=4u32)),
            ));
            if chance(&mut rng, 80) {
                let score = Decimal::new(rng.random_range(28..=50), 1);
                facts.push(fact(id, "csat", *month, score));
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_structure_is_valid() {
        let s = structure(NaiveDate::from_ymd_opt(2025, 10, 1).unwrap());
        assert_eq!(s.validate(), Ok(()));
    }
}
