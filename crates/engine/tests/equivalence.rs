//! Engine == reference: random valid structures (every metric kind and window, custom
//! metrics with each aggregation, region overrides, flags), random sales in up to three
//! currencies with returns, daily-ish rates (some starting too late, some only through the
//! base currency), metric facts with same-day duplicates, previous states and overrides
//! (active and expired), and random evaluation dates. Metrics, decisions and simulations
//! must all be equal to the domain's.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::tiering::{
    Aggregation, Applicability, Benefits, Cadence, Comparison, EvaluationRules, Level, MetricDefinition, MetricError,
    MetricFact, MetricKind, MetricValue, MetricWindow, Override, PartnerFacts, PreviousState, RateTable,
    RegionOverride, Requirement, RevenueLine, SaleLine, SimulationInput, TierStructure, compute_metrics,
    evaluate_partner, simulate,
};
use tributary_engine::{FactImageBuilder, MetricTable};

const REGIONS: [&str; 3] = ["emea", "apac", "latam"];
const FACT_NAMES: [&str; 8] = [
    "certified_people",
    "csat",
    "agreement_accepted",
    "training_completions",
    "deals_won",
    "pipeline",
    "events",
    "unused",
];
const DAYS: u64 = 800;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

fn day(offset: u64) -> NaiveDate {
    start() + Days::new(offset)
}

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

/// SplitMix64: a tiny deterministic generator for the parts built from one seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn decimal(&mut self, max_mantissa: u64, max_scale: u64) -> Decimal {
        Decimal::new(self.below(max_mantissa + 1) as i64, self.below(max_scale + 1) as u32)
    }
}

fn period_window(rng: &mut Rng) -> MetricWindow {
    if rng.chance(70) {
        MetricWindow::TrailingMonths(1 + rng.below(24) as u32)
    } else {
        MetricWindow::FiscalYearToDate {
            first_month: 1 + rng.below(12) as u32,
        }
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

/// Every kind at least sometimes, custom metrics with each aggregation.
fn metrics(rng: &mut Rng) -> Vec<MetricDefinition> {
    let mut metrics = vec![metric("revenue", MetricKind::NetRevenue, period_window(rng))];
    if rng.chance(40) {
        metrics.push(metric("revenue_b", MetricKind::NetRevenue, period_window(rng)));
    }
    let optional = [
        (MetricKind::NewCustomers, "new_customers"),
        (MetricKind::CertifiedPeople, "certified"),
        (MetricKind::AverageCsat, "csat"),
        (MetricKind::AgreementAccepted, "signed"),
        (MetricKind::TrainingCompletions, "trainings"),
        (MetricKind::DealsWon, "deals"),
    ];
    for (kind, key) in optional {
        if rng.chance(70) {
            let window = match kind.default_aggregation() {
                Aggregation::Latest => MetricWindow::AtDate,
                _ => period_window(rng),
            };
            metrics.push(metric(key, kind, window));
        }
    }
    for (index, name) in ["pipeline", "events", "unknown_facts"].iter().enumerate() {
        if rng.chance(60) {
            let aggregation = *rng.pick(&[Aggregation::Sum, Aggregation::Average, Aggregation::Latest]);
            let window = match aggregation {
                Aggregation::Latest => MetricWindow::AtDate,
                _ => period_window(rng),
            };
            metrics.push(MetricDefinition {
                key: format!("custom_{index}"),
                kind: MetricKind::Custom,
                window,
                custom_name: Some(name.to_string()),
                aggregation: (rng.chance(80) || aggregation != Aggregation::Sum).then_some(aggregation),
            });
        }
    }
    metrics
}

/// A target near the values the facts produce, so levels are sometimes met and sometimes not.
fn number_target(rng: &mut Rng, kind: MetricKind) -> Decimal {
    match kind {
        MetricKind::NetRevenue => rng.decimal(400_000, 2) - Decimal::from(200),
        MetricKind::AverageCsat => rng.decimal(60, 1),
        _ => rng.decimal(12, 0) + rng.decimal(9, 1) * Decimal::from(rng.below(2)),
    }
}

fn levels(rng: &mut Rng, metrics: &[MetricDefinition]) -> Vec<Level> {
    let count = 2 + rng.below(4) as usize;
    // Per metric: a comparison and a target that gets stricter level by level.
    let plans: Vec<(Comparison, MetricValue)> = metrics
        .iter()
        .map(|m| {
            if m.kind.is_flag() {
                (Comparison::Equals, MetricValue::Flag(rng.chance(70)))
            } else {
                let comparison = match rng.below(10) {
                    0 => Comparison::Equals,
                    1 => Comparison::AtMost,
                    2 => Comparison::LessThan,
                    3 => Comparison::MoreThan,
                    _ => Comparison::AtLeast,
                };
                (comparison, MetricValue::Number(number_target(rng, m.kind)))
            }
        })
        .collect();
    let mut targets = plans.clone();
    (0..count)
        .map(|index| {
            let mut requirements = Vec::new();
            if index > 0 {
                for (m, (comparison, target)) in metrics.iter().zip(targets.iter_mut()) {
                    if let MetricValue::Number(t) = target {
                        let step = number_target(rng, m.kind).abs() / Decimal::from(4);
                        match comparison {
                            Comparison::AtLeast | Comparison::MoreThan => *t += step,
                            Comparison::AtMost | Comparison::LessThan => *t -= step,
                            Comparison::Equals => {}
                        }
                    }
                    if rng.chance(30) {
                        requirements.push(Requirement {
                            metric: m.key.clone(),
                            comparison: *comparison,
                            target: *target,
                        });
                    }
                }
            }
            Level {
                name: format!("L{index}"),
                requirements,
            }
        })
        .collect()
}

fn benefits(rng: &mut Rng, count: usize) -> Vec<Benefits> {
    (0..count)
        .map(|_| Benefits {
            discount_percent: rng.decimal(3000, 2),
            rebate_multiplier: rng.decimal(300, 2),
            mdf_allocation: rng.decimal(1_000_000, 2),
            lead_priority: rng.below(5) as u32,
            content_tags: vec![],
        })
        .collect()
}

fn region_overrides(rng: &mut Rng, levels: &[Level], metrics: &[MetricDefinition]) -> Vec<RegionOverride> {
    let mut overrides = Vec::new();
    for _ in 0..rng.below(4) {
        let level = rng.below(levels.len() as u64) as usize;
        let Some(requirement) = levels[level].requirements.first() else {
            continue;
        };
        let kind = metrics.iter().find(|m| m.key == requirement.metric).unwrap().kind;
        let target = match requirement.target {
            MetricValue::Flag(_) => MetricValue::Flag(rng.chance(50)),
            MetricValue::Number(_) => MetricValue::Number(number_target(rng, kind)),
        };
        overrides.push(RegionOverride {
            region: rng.pick(&REGIONS).to_string(),
            level,
            metric: requirement.metric.clone(),
            target,
        });
    }
    overrides
}

fn structure(seed: u64, currency_code: &str) -> TierStructure {
    let mut rng = Rng(seed);
    let metrics = metrics(&mut rng);
    let levels = levels(&mut rng, &metrics);
    let count = levels.len();
    let region_overrides = region_overrides(&mut rng, &levels, &metrics);
    TierStructure {
        name: "Program".into(),
        currency: currency(currency_code),
        applicability: Applicability::default(),
        cadence: Cadence::Quarterly,
        benefits: benefits(&mut rng, count),
        metrics,
        levels,
        region_overrides,
        rules: EvaluationRules {
            grace: rng.below(3) as u32,
            max_demotion_step: 1 + rng.below(3) as u32,
        },
        valid_from: start(),
        valid_until: None,
    }
}

/// A draft over the same metrics: new levels, or the published ones with moved targets.
fn draft(seed: u64, published: &TierStructure) -> TierStructure {
    let mut rng = Rng(seed ^ 0xD1A5);
    let mut draft = published.clone();
    if rng.chance(40) {
        draft.levels = levels(&mut rng, &published.metrics);
        draft.region_overrides = region_overrides(&mut rng, &draft.levels, &draft.metrics);
    } else {
        for level in draft.levels.iter_mut().skip(1) {
            for r in &mut level.requirements {
                if let MetricValue::Number(t) = &mut r.target
                    && rng.chance(50)
                {
                    *t *= rng.decimal(150, 2);
                }
            }
        }
    }
    // Drafts are not validated before a simulation: a requirement of the wrong kind is never met.
    if rng.chance(10) {
        let last = draft.levels.len() - 1;
        draft.levels[last].requirements.push(Requirement {
            metric: "revenue".into(),
            comparison: Comparison::Equals,
            target: MetricValue::Flag(true),
        });
    }
    draft.benefits = benefits(&mut rng, draft.levels.len());
    draft
}

/// Rates X→USD (and USD→structure currency when that is not USD) per day or every few
/// days, sometimes starting after the first sales; sometimes a direct pair too.
fn rates(seed: u64, structure_currency: Currency, currencies: &[Currency]) -> RateTable {
    let mut rng = Rng(seed ^ 0xFA7E);
    let usd = currency("USD");
    let mut table = RateTable::with_base(usd);
    let series = |table: &mut RateTable, from: Currency, to: Currency, rng: &mut Rng| {
        let mut offset = if rng.chance(85) { 0 } else { rng.below(300) };
        let step = 1 + rng.below(4);
        let scale = if rng.chance(70) { 6 } else { rng.below(7) };
        while offset < DAYS + 100 {
            let rate = Decimal::new((1 + rng.below(2_500_000)) as i64, 6).round_dp(scale as u32);
            table.insert(from, to, day(offset), rate);
            offset += step;
        }
    };
    for c in currencies.iter().chain([&structure_currency]) {
        if *c != usd && rng.chance(97) {
            series(&mut table, *c, usd, &mut rng);
        }
    }
    if structure_currency != usd {
        series(&mut table, usd, structure_currency, &mut rng);
    }
    if rng.chance(30)
        && let Some(c) = currencies.iter().find(|c| **c != structure_currency)
    {
        series(&mut table, *c, structure_currency, &mut rng);
    }
    table
}

type Sale = (u32, u64, usize, i64, u32);
type Fact = (u32, usize, u64, u64, u32);

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    partners: u32,
    structure_currency: &'static str,
    currencies: Vec<&'static str>,
    sales: Vec<Sale>,
    facts: Vec<Fact>,
    evaluation_day: u64,
    rows: Vec<u32>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        1u32..8,
        any::<u64>(),
        prop::sample::select(vec!["USD", "EUR"]),
        1usize..=3,
    )
        .prop_flat_map(|(partners, seed, structure_currency, currency_count)| {
            let pool = ["USD", "EUR", "GBP", "JPY", "KWD"];
            let currencies = prop::sample::subsequence(pool.to_vec(), currency_count);
            let amount = prop_oneof![8 => -60_000i64..200_000, 1 => Just(0i64), 1 => -3i64..3];
            let sale = (0..partners, 0..DAYS, 0..currency_count, amount, 0u32..6);
            // Metric facts on a coarse grid of days, so that same-day duplicates are common.
            let fact = (0..partners, 0..FACT_NAMES.len(), 0..DAYS / 20, 0u64..1000, 0u32..3);
            let rows = prop::collection::vec(0..partners + 1, 0..12);
            (
                Just(seed),
                Just(partners),
                Just(structure_currency),
                currencies,
                prop::collection::vec(sale, 0..150),
                prop::collection::vec(fact, 0..80),
                evaluation_day(),
                rows,
            )
                .prop_map(
                    |(seed, partners, structure_currency, currencies, sales, facts, evaluation_day, rows)| Case {
                        seed,
                        partners,
                        structure_currency,
                        currencies,
                        sales,
                        facts,
                        evaluation_day,
                        rows,
                    },
                )
        })
}

/// A generated metric fact: flags are 0 or 1, CSAT 0.0–4.9, others any small decimal; the
/// day is on a coarse grid (plus the scale, to vary it a little).
fn metric_fact((partner, name, slot, mantissa, scale): &Fact) -> (u32, &'static str, NaiveDate, Decimal) {
    let name = FACT_NAMES[*name];
    let value = match name {
        "agreement_accepted" => Decimal::from(*mantissa % 2),
        "csat" => Decimal::new((*mantissa % 50) as i64, 1),
        _ => Decimal::new(*mantissa as i64, *scale),
    };
    (*partner, name, day(slot * 20 + u64::from(*scale)), value)
}

/// Any day, a day metric facts fall on, or a month's last day (where windows clamp).
fn evaluation_day() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..DAYS + 60,
        (0..DAYS / 20, 0u64..3).prop_map(|(slot, extra)| slot * 20 + extra),
        (0u32..27).prop_map(|month| {
            let first = start().checked_add_months(chrono::Months::new(month + 1)).unwrap();
            (first - start()).num_days() as u64 - 1
        }),
    ]
}

/// The reference's view of each partner's facts, in recording order.
fn partner_facts(case: &Case, currencies: &[Currency]) -> Vec<PartnerFacts> {
    let mut facts = vec![PartnerFacts::default(); case.partners as usize + 1];
    for (partner, offset, c, amount_minor, account) in &case.sales {
        facts[*partner as usize].sales.push(SaleLine {
            revenue: RevenueLine {
                date: day(*offset),
                amount_minor: *amount_minor,
                currency: currencies[*c],
            },
            account: *account,
        });
    }
    for fact in &case.facts {
        let (partner, name, date, value) = metric_fact(fact);
        facts[partner as usize].metric_facts.push(MetricFact {
            metric: name.to_string(),
            date,
            value,
        });
    }
    facts
}

fn image(case: &Case) -> tributary_engine::FactImage {
    let mut builder = FactImageBuilder::new();
    // The case's order is the recording order, partners interleaved as in a ledger.
    for (partner, offset, c, amount_minor, account) in &case.sales {
        builder.add_sale(
            *partner,
            day(*offset),
            currency(case.currencies[*c]),
            *amount_minor,
            *account,
        );
    }
    for fact in &case.facts {
        let (partner, name, date, value) = metric_fact(fact);
        builder.add_metric_fact(partner, name, date, value);
    }
    builder.build(case.partners + 1)
}

fn region(seed: u64, row: usize) -> Option<String> {
    let mut rng = Rng(seed ^ (row as u64).wrapping_mul(7919));
    match rng.below(5) {
        0 => None,
        1 => Some("nowhere".into()),
        n => Some(REGIONS[n as usize - 2].to_string()),
    }
}

fn previous(seed: u64, row: usize, levels: usize) -> PreviousState {
    let mut rng = Rng(seed ^ 0xBEEF ^ row as u64);
    PreviousState {
        assigned: rng.chance(80).then(|| rng.below(levels as u64) as u32),
        misses: rng.below(3) as u32,
    }
}

fn manual(seed: u64, row: usize, levels: usize, date: NaiveDate) -> Option<Override> {
    let mut rng = Rng(seed ^ 0xCAFE ^ row as u64);
    rng.chance(30).then(|| {
        let starts = date - Days::new(rng.below(60));
        Override {
            level: rng.below(levels as u64) as u32,
            reason: "strategic".into(),
            starts,
            expires: starts + Days::new(rng.below(90)),
        }
    })
}

fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let published = structure(case.seed, case.structure_currency);
    prop_assert!(published.validate().is_ok(), "{:?}", published.validate());
    let currencies: Vec<Currency> = case.currencies.iter().map(|c| currency(c)).collect();
    let rates = rates(case.seed, published.currency, &currencies);
    let facts = partner_facts(case, &currencies);
    let image = image(case);
    prop_assert_eq!(image.fact_count(), case.sales.len() + case.facts.len());
    let date = day(case.evaluation_day);

    // Rows: every partner in order, then the case's own (repeats and the empty partner).
    let rows: Vec<u32> = (0..=case.partners).chain(case.rows.iter().copied()).collect();
    let expected: Vec<Result<_, MetricError>> = rows
        .iter()
        .map(|p| compute_metrics(&published, &facts[*p as usize], date, &rates))
        .collect();
    let table = tributary_engine::compute_metrics(&image, &published, date, &rates, &rows);
    let table: MetricTable = match expected.iter().find_map(|r| r.as_ref().err()) {
        Some(error) => {
            prop_assert_eq!(table.unwrap_err(), error.clone());
            // The partners without a failure still evaluate: keep those rows only.
            let ok: Vec<u32> = rows
                .iter()
                .zip(&expected)
                .filter(|(_, r)| r.is_ok())
                .map(|(p, _)| *p)
                .collect();
            return check_rows(case, &published, &image, &facts, &rates, date, &ok);
        }
        None => table.unwrap(),
    };
    drop(table);
    check_rows(case, &published, &image, &facts, &rates, date, &rows)
}

#[allow(clippy::too_many_arguments)]
fn check_rows(
    case: &Case,
    published: &TierStructure,
    image: &tributary_engine::FactImage,
    facts: &[PartnerFacts],
    rates: &RateTable,
    date: NaiveDate,
    rows: &[u32],
) -> Result<(), TestCaseError> {
    let table = tributary_engine::compute_metrics(image, published, date, rates, rows).unwrap();
    prop_assert_eq!(table.len(), rows.len());
    let reference: Vec<_> = rows
        .iter()
        .map(|p| compute_metrics(published, &facts[*p as usize], date, rates).unwrap())
        .collect();
    for (row, expected) in reference.iter().enumerate() {
        prop_assert_eq!(&table.row(row), expected, "row {} (partner {})", row, rows[row]);
    }

    let levels = published.levels.len();
    let regions: Vec<Option<String>> = (0..rows.len()).map(|r| region(case.seed, r)).collect();
    let previous: Vec<PreviousState> = (0..rows.len()).map(|r| previous(case.seed, r, levels)).collect();
    let overrides: Vec<Option<Override>> = (0..rows.len()).map(|r| manual(case.seed, r, levels, date)).collect();
    let decisions = tributary_engine::evaluate(published, &table, &regions, &previous, &overrides, date);
    for (row, decision) in decisions.iter().enumerate() {
        let expected = evaluate_partner(
            published,
            regions[row].as_deref(),
            reference[row].clone(),
            previous[row],
            overrides[row].as_ref(),
            date,
        );
        prop_assert_eq!(decision, &expected.decision, "row {}", row);
    }

    let draft = draft(case.seed, published);
    let current: Vec<u32> = decisions
        .iter()
        .enumerate()
        .map(|(row, d)| if row % 3 == 0 { d.assigned + 1 } else { d.assigned })
        .collect();
    let revenue: Vec<Decimal> = reference
        .iter()
        .map(|m| match m.get("revenue") {
            Some(MetricValue::Number(v)) => *v,
            _ => Decimal::ZERO,
        })
        .collect();
    let base_rebate = Decimal::new((case.seed % 500) as i64, 2);
    let inputs: Vec<SimulationInput> = (0..rows.len())
        .map(|row| SimulationInput {
            region: regions[row].clone(),
            metrics: reference[row].clone(),
            current: current[row],
            revenue: revenue[row],
        })
        .collect();
    let expected = simulate(published, &draft, &inputs, base_rebate);
    let simulated = tributary_engine::simulate(published, &draft, &table, &regions, &current, &revenue, base_rebate);
    prop_assert_eq!(simulated, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_equals_the_reference(case in case()) {
        check_case(&case)?;
    }
}
