//! The benchmark's partner program: Registered < Silver < Gold < Platinum in USD on net
//! revenue over the trailing 12 months, new customers, certified people, average CSAT,
//! the partner agreement and a custom "marketing events" metric, with regional targets
//! for LATAM and APAC; and the draft the what-if sandbox judges against it.

use rust_decimal::{Decimal, dec};
use tributary_domain::money::Currency;
use tributary_domain::tiering::{
    Aggregation, Applicability, Benefits, Cadence, Comparison, EvaluationRules, Level, MetricDefinition, MetricKind,
    MetricValue, MetricWindow, RegionOverride, Requirement, TierStructure,
};

use crate::synth::first_sale_day;

fn metric(key: &str, kind: MetricKind, window: MetricWindow) -> MetricDefinition {
    MetricDefinition {
        key: key.into(),
        kind,
        window,
        custom_name: None,
        aggregation: None,
    }
}

fn at_least(metric: &str, target: Decimal) -> Requirement {
    Requirement {
        metric: metric.into(),
        comparison: Comparison::AtLeast,
        target: MetricValue::Number(target),
    }
}

fn signed() -> Requirement {
    Requirement {
        metric: "agreement".into(),
        comparison: Comparison::Equals,
        target: MetricValue::Flag(true),
    }
}

fn level(name: &str, requirements: Vec<Requirement>) -> Level {
    Level {
        name: name.into(),
        requirements,
    }
}

fn benefits(
    discount_percent: Decimal,
    rebate_multiplier: Decimal,
    mdf_allocation: Decimal,
    lead_priority: u32,
) -> Benefits {
    Benefits {
        discount_percent,
        rebate_multiplier,
        mdf_allocation,
        lead_priority,
        content_tags: vec![],
    }
}

/// The published structure.
pub fn published() -> TierStructure {
    let events = MetricDefinition {
        key: "events_fy".into(),
        kind: MetricKind::Custom,
        window: MetricWindow::FiscalYearToDate { first_month: 1 },
        custom_name: Some("marketing_events".into()),
        aggregation: Some(Aggregation::Sum),
    };
    TierStructure {
        name: "Global partner program".into(),
        currency: Currency::parse("USD").expect("USD"),
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
            metric("csat", MetricKind::AverageCsat, MetricWindow::TrailingMonths(12)),
            metric("agreement", MetricKind::AgreementAccepted, MetricWindow::AtDate),
            events,
        ],
        levels: vec![
            level("Registered", vec![]),
            level("Silver", vec![at_least("revenue_12m", dec!(75000)), signed()]),
            level(
                "Gold",
                vec![
                    at_least("revenue_12m", dec!(250000)),
                    at_least("certified", dec!(2)),
                    at_least("csat", dec!(3.4)),
                    signed(),
                ],
            ),
            level(
                "Platinum",
                vec![
                    at_least("revenue_12m", dec!(1000000)),
                    at_least("new_customers_12m", dec!(60)),
                    at_least("certified", dec!(6)),
                    at_least("csat", dec!(3.6)),
                    at_least("events_fy", dec!(3)),
                    signed(),
                ],
            ),
        ],
        benefits: vec![
            benefits(dec!(0), dec!(0), dec!(0), 0),
            benefits(dec!(5), dec!(1), dec!(2000), 1),
            benefits(dec!(10), dec!(1.5), dec!(10000), 2),
            benefits(dec!(15), dec!(2), dec!(50000), 3),
        ],
        region_overrides: vec![
            RegionOverride {
                region: "latam".into(),
                level: 2,
                metric: "revenue_12m".into(),
                target: MetricValue::Number(dec!(150000)),
            },
            RegionOverride {
                region: "apac".into(),
                level: 3,
                metric: "revenue_12m".into(),
                target: MetricValue::Number(dec!(800000)),
            },
        ],
        rules: EvaluationRules {
            grace: 1,
            max_demotion_step: 1,
        },
        valid_from: first_sale_day(),
        valid_until: None,
    }
}

/// The draft: Gold's revenue target lowered to 200,000 and Silver now also needing one
/// certified person.
pub fn draft() -> TierStructure {
    let mut draft = published();
    draft.name = "Global partner program (draft)".into();
    draft.levels[2].requirements[0].target = MetricValue::Number(dec!(200000));
    draft.levels[1].requirements.push(at_least("certified", dec!(1)));
    draft
}
