//! Worked examples through the engine: PRODUCT.md's "tier grace" example over four
//! quarterly evaluations, missing exchange rates named as the reference names them, and
//! rates too precise for the fixed-point path.

use chrono::NaiveDate;
use rust_decimal::{Decimal, dec};
use tributary_domain::money::Currency;
use tributary_domain::tiering::{
    Applicability, Benefits, Cadence, Comparison, EvaluationRules, Level, MetricDefinition, MetricError, MetricKind,
    MetricValue, MetricWindow, PartnerFacts, PreviousState, RateTable, Requirement, RevenueLine, SaleLine, TierChange,
    TierStructure, compute_metrics as reference_metrics, evaluate_partner,
};
use tributary_engine::{FactImageBuilder, compute_metrics, evaluate};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn at_least(metric: &str, target: Decimal) -> Requirement {
    Requirement {
        metric: metric.into(),
        comparison: Comparison::AtLeast,
        target: MetricValue::Number(target),
    }
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

/// Registered < Silver < Gold < Platinum on quarterly revenue, grace 1, max step 1.
fn program(currency_code: &str) -> TierStructure {
    let level = |name: &str, requirements| Level {
        name: name.into(),
        requirements,
    };
    TierStructure {
        name: "Partner program".into(),
        currency: currency(currency_code),
        applicability: Applicability::default(),
        cadence: Cadence::Quarterly,
        metrics: vec![
            metric("revenue_3m", MetricKind::NetRevenue, MetricWindow::TrailingMonths(3)),
            metric("certified", MetricKind::CertifiedPeople, MetricWindow::AtDate),
        ],
        levels: vec![
            level("Registered", vec![]),
            level("Silver", vec![at_least("revenue_3m", dec!(100000))]),
            level(
                "Gold",
                vec![at_least("revenue_3m", dec!(500000)), at_least("certified", dec!(5))],
            ),
            level("Platinum", vec![at_least("revenue_3m", dec!(1000000))]),
        ],
        benefits: vec![Benefits::default(); 4],
        region_overrides: vec![],
        rules: EvaluationRules {
            grace: 1,
            max_demotion_step: 1,
        },
        valid_from: date("2026-01-01"),
        valid_until: None,
    }
}

#[test]
fn the_worked_tier_grace_example() {
    // Quarterly revenue: 150,000 (Silver) three times, then 1,200,000 (Platinum); part of
    // it in EUR at 1.2, and a return.
    let usd = currency("USD");
    let eur = currency("EUR");
    let mut rates = RateTable::with_base(usd);
    rates.insert(eur, usd, date("2025-12-01"), dec!(1.2));
    let sales = [
        ("2026-02-10", usd, 10_000_000, 1),
        ("2026-03-01", eur, 5_000_000, 2),
        ("2026-03-20", usd, -1_000_000, 1),
        ("2026-05-05", usd, 15_000_000, 1),
        ("2026-08-15", eur, 12_500_000, 3),
        ("2026-11-30", usd, 60_000_000, 1),
        ("2026-12-31", eur, 50_000_000, 4),
    ];
    let mut builder = FactImageBuilder::new();
    let mut facts = PartnerFacts::default();
    for (day, currency, amount_minor, account) in sales {
        builder.add_sale(0, date(day), currency, amount_minor, account);
        facts.sales.push(SaleLine {
            revenue: RevenueLine {
                date: date(day),
                amount_minor,
                currency,
            },
            account,
        });
    }
    let image = builder.build(1);
    let structure = program("USD");

    let mut previous = PreviousState {
        assigned: Some(3),
        misses: 0,
    };
    let mut qualifying = Vec::new();
    let mut assigned = Vec::new();
    for day in ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"] {
        let table = compute_metrics(&image, &structure, date(day), &rates, &[0]).unwrap();
        assert_eq!(
            table.row(0),
            reference_metrics(&structure, &facts, date(day), &rates).unwrap()
        );
        let decision = evaluate(&structure, &table, &[None], &[previous], &[None], date(day))[0];
        let expected = evaluate_partner(&structure, None, table.row(0), previous, None, date(day));
        assert_eq!(decision, expected.decision);
        qualifying.push(decision.qualifying);
        assigned.push(decision.assigned);
        previous = PreviousState {
            assigned: Some(decision.assigned),
            misses: decision.misses,
        };
        if day == "2026-06-30" {
            assert_eq!(decision.change, TierChange::Demoted);
        }
    }
    assert_eq!(qualifying, vec![1, 1, 1, 3]);
    assert_eq!(assigned, vec![3, 2, 2, 3]);
}

#[test]
fn a_missing_rate_names_the_pair_and_the_date_the_reference_names() {
    let usd = currency("USD");
    let gbp = currency("GBP");
    let jpy = currency("JPY");
    let mut builder = FactImageBuilder::new();
    // Partner 0: GBP sales without any GBP rate. The reference meets the 2026-03-10 line
    // first (recording order), although the 2026-02-01 one is earlier.
    builder.add_sale(0, date("2026-03-10"), gbp, 1_000, 1);
    builder.add_sale(0, date("2026-02-01"), gbp, 2_000, 1);
    // Partner 1: yen into euros through the base currency, whose USD→EUR leg is missing.
    builder.add_sale(1, date("2026-03-05"), jpy, 50_000, 2);
    // Partner 2: dollars, and a pound sale outside the window.
    builder.add_sale(2, date("2026-03-15"), usd, 5_000, 3);
    builder.add_sale(2, date("2024-01-15"), gbp, 5_000, 3);
    let image = builder.build(3);
    let mut rates = RateTable::with_base(usd);
    rates.insert(jpy, usd, date("2026-01-01"), dec!(0.006712));
    let evaluation = date("2026-03-31");

    let error = compute_metrics(&image, &program("USD"), evaluation, &rates, &[2, 0, 1]).unwrap_err();
    assert_eq!(
        error,
        MetricError::MissingRate {
            from: gbp,
            to: usd,
            date: date("2026-03-10")
        }
    );
    assert_eq!(error.to_string(), "no GBP→USD exchange rate on or before 2026-03-10");

    let error = compute_metrics(&image, &program("EUR"), evaluation, &rates, &[1, 0, 2]).unwrap_err();
    assert_eq!(error.to_string(), "no USD→EUR exchange rate on or before 2026-03-05");

    // A partner whose window holds no sale without a rate evaluates.
    let table = compute_metrics(&image, &program("USD"), evaluation, &rates, &[2]).unwrap();
    assert_eq!(table.row(0)["revenue_3m"], MetricValue::Number(dec!(50.00)));
}

#[test]
fn rates_too_precise_for_fixed_point_still_give_the_reference_value() {
    let usd = currency("USD");
    let eur = currency("EUR");
    let kwd = currency("KWD");
    let mut rates = RateTable::default();
    rates.insert(eur, usd, date("2026-01-01"), dec!(1.0000000000000000001));
    rates.insert(kwd, usd, date("2026-01-01"), dec!(3.254));
    let mut builder = FactImageBuilder::new();
    let mut facts = PartnerFacts::default();
    for (day, currency, amount_minor) in [
        ("2026-02-01", eur, 123_456),
        ("2026-02-02", kwd, 1_005),
        ("2026-02-02", usd, -99),
    ] {
        builder.add_sale(0, date(day), currency, amount_minor, 1);
        facts.sales.push(SaleLine {
            revenue: RevenueLine {
                date: date(day),
                amount_minor,
                currency,
            },
            account: 1,
        });
    }
    let image = builder.build(1);
    let structure = program("USD");
    let table = compute_metrics(&image, &structure, date("2026-03-31"), &rates, &[0]).unwrap();
    let expected = reference_metrics(&structure, &facts, date("2026-03-31"), &rates).unwrap();
    assert_eq!(table.row(0), expected);
    assert_eq!(
        table.row(0)["revenue_3m"],
        MetricValue::Number(dec!(1234.56) * dec!(1.0000000000000000001) + dec!(1.005) * dec!(3.254) - dec!(0.99))
    );
}

/// One partner's sales as the builder and the reference each see them.
fn both(sales: &[(NaiveDate, Currency, i64, u32)]) -> (tributary_engine::FactImage, PartnerFacts) {
    let mut builder = FactImageBuilder::new();
    let mut facts = PartnerFacts::default();
    for (date, currency, amount_minor, account) in sales {
        builder.add_sale(0, *date, *currency, *amount_minor, *account);
        facts.sales.push(SaleLine {
            revenue: RevenueLine {
                date: *date,
                amount_minor: *amount_minor,
                currency: *currency,
            },
            account: *account,
        });
    }
    (builder.build(1), facts)
}

#[test]
fn huge_amounts_far_apart_dates_and_many_rate_slots_take_the_wide_paths() {
    let usd = currency("USD");
    let eur = currency("EUR");
    let mut rates = RateTable::default();
    let far_past = NaiveDate::from_ymd_opt(-50_000, 1, 1).unwrap();
    rates.insert(eur, usd, far_past, dec!(1.234567));
    let evaluation = date("2026-03-31");
    let mut structure = program("USD");
    structure.metrics[0].window = MetricWindow::AtDate;

    // Amounts beyond 32 bits; dates tens of thousands of years apart (the sparse slot index).
    let (image, facts) = both(&[
        (
            NaiveDate::from_ymd_opt(-40_000, 6, 1).unwrap(),
            eur,
            4_000_000_000_000_000_000,
            1,
        ),
        (date("2026-01-15"), eur, -3_999_999_999_999_999_999, 2),
        (date("2026-02-15"), usd, 7_000_000_000_000, 3),
        (date("2099-01-01"), usd, 5, 4),
    ]);
    let table = compute_metrics(&image, &structure, evaluation, &rates, &[0]).unwrap();
    assert_eq!(
        table.row(0),
        reference_metrics(&structure, &facts, evaluation, &rates).unwrap()
    );

    // A rate with 18 places: the reference's products of these amounts round, and only
    // its own arithmetic gives its value.
    rates.insert(eur, usd, date("2000-01-01"), dec!(4.611686018427387904));
    let table = compute_metrics(&image, &structure, evaluation, &rates, &[0]).unwrap();
    let expected = reference_metrics(&structure, &facts, evaluation, &rates).unwrap();
    assert_eq!(table.row(0), expected);
    // The exact value needs 20 places (…99 × …904 ends in 6); the reference's has fewer.
    let MetricValue::Number(revenue) = expected["revenue_3m"] else {
        panic!("a number")
    };
    assert!(revenue.scale() < 20, "{revenue}");

    // Two sales that nearly cancel: the exact sum is small, the reference's rounded
    // products are not exactly opposite, and the engine must give the reference's value.
    let (image, facts) = both(&[
        (date("2026-01-15"), eur, 3_999_999_999_999_999_999, 1),
        (date("2026-01-16"), eur, -3_999_999_999_999_999_998, 2),
    ]);
    let table = compute_metrics(&image, &structure, evaluation, &rates, &[0]).unwrap();
    let expected = reference_metrics(&structure, &facts, evaluation, &rates).unwrap();
    assert_eq!(table.row(0), expected);
    assert_ne!(
        expected["revenue_3m"],
        MetricValue::Number(dec!(0.04611686018427387904))
    );

    // More than 65,536 distinct (currency, day) pairs: 32-bit slots.
    let start = date("1800-01-01");
    let sales: Vec<_> = (0..70_000u64)
        .map(|i| {
            (
                start + chrono::Days::new(i),
                if i % 2 == 0 { eur } else { usd },
                i as i64 - 500,
                1 + (i % 9) as u32,
            )
        })
        .collect();
    let (image, facts) = both(&sales);
    let table = compute_metrics(&image, &structure, evaluation, &rates, &[0]).unwrap();
    assert_eq!(
        table.row(0),
        reference_metrics(&structure, &facts, evaluation, &rates).unwrap()
    );
}

#[test]
fn sums_of_facts_that_round_add_in_recording_order() {
    use tributary_domain::tiering::{Aggregation, MetricFact};
    let mut structure = program("USD");
    for (key, aggregation) in [
        ("precise_sum", Aggregation::Sum),
        ("precise_average", Aggregation::Average),
    ] {
        structure.metrics.push(MetricDefinition {
            key: key.into(),
            kind: MetricKind::Custom,
            window: MetricWindow::TrailingMonths(3),
            custom_name: Some("precise".into()),
            aggregation: Some(aggregation),
        });
    }
    // Values with 27 places: their sums leave a decimal's range and round, so the order of
    // adding shows. Recorded out of day order.
    let values = [
        ("2026-03-01", dec!(39.123456789012345678901234567)),
        ("2026-01-20", dec!(-0.000000000000000000000000001)),
        ("2026-02-11", dec!(47.777777777777777777777777777)),
        ("2026-01-20", dec!(33.333333333333333333333333333)),
        ("2026-02-11", dec!(41.000000000000000000000000009)),
        ("2026-01-05", dec!(0.000000000000000000000000005)),
    ];
    let mut builder = FactImageBuilder::new();
    let mut facts = PartnerFacts::default();
    for (day, value) in values {
        builder.add_metric_fact(0, "precise", date(day), value);
        facts.metric_facts.push(MetricFact {
            metric: "precise".into(),
            date: date(day),
            value,
        });
    }
    let image = builder.build(1);
    let rates = RateTable::default();
    let table = compute_metrics(&image, &structure, date("2026-03-31"), &rates, &[0]).unwrap();
    assert_eq!(
        table.row(0),
        reference_metrics(&structure, &facts, date("2026-03-31"), &rates).unwrap()
    );
}

#[test]
fn benefit_costs_that_could_round_are_summed_as_the_reference_sums_them() {
    use tributary_domain::tiering::{SimulationInput, simulate as reference_simulate};
    let mut published = program("USD");
    for (level, b) in published.benefits.iter_mut().enumerate() {
        b.discount_percent = Decimal::new(level as i64 * 125, 2);
        b.rebate_multiplier = Decimal::new(level as i64 * 3 + 1, 1);
        b.mdf_allocation = Decimal::from(level * 1000);
    }
    let draft = published.clone();
    // Revenue with 26 decimal places: a discount of it needs more than 28 places, so the
    // reference rounds each partner's cost and the sum per level would not be the same.
    let revenue: Vec<Decimal> = (1..=50)
        .map(|i| Decimal::from_i128_with_scale(i * 7_777_777_777_777_777_777_777_777 / 10, 26))
        .collect();
    let metrics = tributary_engine::MetricTable {
        keys: vec!["revenue_3m".into(), "certified".into()],
        columns: vec![
            revenue
                .iter()
                .map(|r| Some(MetricValue::Number(*r * dec!(1000000))))
                .collect(),
            (0..50)
                .map(|i| Some(MetricValue::Number(Decimal::from(i % 7))))
                .collect(),
        ],
    };
    let regions = vec![None; 50];
    let current: Vec<u32> = (0..50).map(|i| i % 4).collect();
    let simulated = tributary_engine::simulate(&published, &draft, &metrics, &regions, &current, &revenue, dec!(2.5));
    let inputs: Vec<SimulationInput> = (0..50)
        .map(|row| SimulationInput {
            region: None,
            metrics: metrics.row(row),
            current: current[row],
            revenue: revenue[row],
        })
        .collect();
    assert_eq!(simulated, reference_simulate(&published, &draft, &inputs, dec!(2.5)));
    assert!(!simulated.movers.is_empty());
}
