//! The engine's side of the benchmark: the fact image built from the synthetic data, the
//! full evaluation (metrics for every partner, then decisions) and the what-if simulation
//! over the cached metric table, each timed over several runs; and a check of all three
//! against the domain's reference semantics for every partner.

use std::time::Duration;

use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, dec};
use tributary_domain::money::Currency;
use tributary_domain::tiering::{
    self, Decision, MetricValue, Override, PartnerFacts, PreviousState, RateTable, RevenueLine, SaleLine, Simulation,
    SimulationInput, TierStructure,
};
use tributary_engine::{FactImage, FactImageBuilder, MetricTable, compute_metrics, evaluate, simulate};

use crate::synth::{CURRENCIES, Data, METRICS, REGIONS, evaluation_date};
use crate::timing::{median_of, timed};

pub struct Inputs {
    pub image: FactImage,
    pub rates: RateTable,
    pub regions: Vec<Option<String>>,
    pub previous: Vec<PreviousState>,
    pub overrides: Vec<Option<Override>>,
    pub record_time: Duration,
    pub build_time: Duration,
}

fn currencies() -> Vec<Currency> {
    CURRENCIES
        .iter()
        .map(|c| Currency::parse(c).expect("ISO code"))
        .collect()
}

/// The image, the rates and each partner's region and override (one in 200 partners
/// has one, half of them already expired); previous states come from [`previous_states`].
pub fn inputs(data: &Data) -> Inputs {
    let currencies = currencies();
    let (builder, record_time) = timed(|| {
        let s = &data.sales;
        let mut builder = FactImageBuilder::with_capacity(s.partner.len(), data.metric_facts.len());
        for i in 0..s.partner.len() {
            builder.add_sale(
                s.partner[i],
                s.date[i],
                currencies[s.currency[i] as usize],
                s.amount_minor[i],
                s.account[i],
            );
        }
        for f in &data.metric_facts {
            builder.add_metric_fact(f.partner, METRICS[f.metric as usize], f.date, f.value);
        }
        builder
    });
    let (image, build_time) = timed(|| builder.build(data.partners));
    let mut rates = RateTable::with_base(currencies[0]);
    for (c, date, rate) in &data.rates {
        rates.insert(currencies[*c as usize], currencies[0], *date, *rate);
    }
    let date = evaluation_date();
    let n = data.partners as usize;
    let overrides = (0..n)
        .map(|p| {
            (p % 200 == 7).then(|| {
                let starts = date - Days::new(if p % 400 == 7 { 30 } else { 200 });
                Override {
                    level: 3,
                    reason: "strategic partner".into(),
                    starts,
                    expires: starts + Days::new(120),
                }
            })
        })
        .collect();
    Inputs {
        image,
        rates,
        regions: data
            .region
            .iter()
            .map(|r| Some(REGIONS[*r as usize].to_string()))
            .collect(),
        previous: Vec::new(),
        overrides,
        record_time,
        build_time,
    }
}

/// The previous quarter's evaluation (every partner's first), as the previous states of
/// the one measured; one partner in ten is new since.
pub fn previous_states(inputs: &mut Inputs, published: &TierStructure) {
    let date = previous_quarter_end();
    let partners: Vec<u32> = (0..inputs.image.partner_count()).collect();
    let table =
        compute_metrics(&inputs.image, published, date, &inputs.rates, &partners).expect("rates cover every sale");
    let none = vec![PreviousState::default(); partners.len()];
    let no_overrides = vec![None; partners.len()];
    inputs.previous = evaluate(published, &table, &inputs.regions, &none, &no_overrides, date)
        .into_iter()
        .enumerate()
        .map(|(p, d)| {
            if p % 10 == 0 {
                PreviousState::default()
            } else {
                PreviousState {
                    assigned: Some(d.assigned),
                    misses: d.misses,
                }
            }
        })
        .collect();
}

fn previous_quarter_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 31).expect("valid date")
}

pub struct Measured {
    pub table: MetricTable,
    pub decisions: Vec<Decision>,
    pub simulation: Simulation,
    pub metrics_times: Vec<Duration>,
    pub evaluate_times: Vec<Duration>,
    pub full_times: Vec<Duration>,
    pub simulate_times: Vec<Duration>,
    pub metrics_median: Duration,
    pub evaluate_median: Duration,
    pub full_median: Duration,
    pub simulate_median: Duration,
    pub current: Vec<u32>,
    pub revenue: Vec<Decimal>,
}

pub const BASE_REBATE_PERCENT: Decimal = dec!(2);

pub fn measure(
    inputs: &Inputs,
    published: &TierStructure,
    draft: &TierStructure,
    runs: usize,
    whatif_runs: usize,
) -> Measured {
    let date = evaluation_date();
    let partners: Vec<u32> = (0..inputs.image.partner_count()).collect();
    let metrics =
        || compute_metrics(&inputs.image, published, date, &inputs.rates, &partners).expect("rates cover every sale");
    let decide = |table: &MetricTable| {
        evaluate(
            published,
            table,
            &inputs.regions,
            &inputs.previous,
            &inputs.overrides,
            date,
        )
    };
    let mut metrics_times = Vec::new();
    let mut evaluate_times = Vec::new();
    let (table, full_median, full_times) = median_of(runs, || {
        let (table, metrics_time) = timed(metrics);
        let (decisions, evaluate_time) = timed(|| decide(&table));
        metrics_times.push(metrics_time);
        evaluate_times.push(evaluate_time);
        (table, decisions)
    });
    let (table, decisions) = table;
    let current: Vec<u32> = decisions.iter().map(|d| d.assigned).collect();
    let revenue: Vec<Decimal> = table.columns[0]
        .iter()
        .map(|v| match v {
            Some(MetricValue::Number(v)) => *v,
            _ => Decimal::ZERO,
        })
        .collect();
    let (simulation, simulate_median, simulate_times) = median_of(whatif_runs, || {
        simulate(
            published,
            draft,
            &table,
            &inputs.regions,
            &current,
            &revenue,
            BASE_REBATE_PERCENT,
        )
    });
    Measured {
        metrics_median: crate::timing::median(&metrics_times),
        evaluate_median: crate::timing::median(&evaluate_times),
        table,
        decisions,
        simulation,
        metrics_times,
        evaluate_times,
        full_times,
        simulate_times,
        full_median,
        simulate_median,
        current,
        revenue,
    }
}

/// How the engine compared with the domain's reference over every partner.
pub struct ReferenceCheck {
    pub partners: usize,
    pub metric_mismatches: usize,
    pub decision_mismatches: usize,
    pub simulation_equal: bool,
    pub metrics_time: Duration,
    pub simulate_time: Duration,
}

/// Runs the reference (one partner at a time, single-threaded) over everything.
pub fn reference_check(
    data: &Data,
    inputs: &Inputs,
    published: &TierStructure,
    draft: &TierStructure,
    measured: &Measured,
) -> ReferenceCheck {
    let currencies = currencies();
    let date: NaiveDate = evaluation_date();
    let mut facts = vec![PartnerFacts::default(); data.partners as usize];
    let s = &data.sales;
    for i in 0..s.partner.len() {
        facts[s.partner[i] as usize].sales.push(SaleLine {
            revenue: RevenueLine {
                date: s.date[i],
                amount_minor: s.amount_minor[i],
                currency: currencies[s.currency[i] as usize],
            },
            account: s.account[i],
        });
    }
    for f in &data.metric_facts {
        facts[f.partner as usize].metric_facts.push(tiering::MetricFact {
            metric: METRICS[f.metric as usize].to_string(),
            date: f.date,
            value: f.value,
        });
    }
    let (values, metrics_time) = timed(|| {
        facts
            .iter()
            .map(|f| tiering::compute_metrics(published, f, date, &inputs.rates).expect("rates cover every sale"))
            .collect::<Vec<_>>()
    });
    drop(facts);
    let metric_mismatches = values
        .iter()
        .enumerate()
        .filter(|(row, v)| measured.table.row(*row) != **v)
        .count();
    let decision_mismatches = values
        .iter()
        .enumerate()
        .filter(|(row, v)| {
            let expected = tiering::evaluate_partner(
                published,
                inputs.regions[*row].as_deref(),
                (*v).clone(),
                inputs.previous[*row],
                inputs.overrides[*row].as_ref(),
                date,
            );
            expected.decision != measured.decisions[*row]
        })
        .count();
    let simulation_inputs: Vec<SimulationInput> = values
        .into_iter()
        .enumerate()
        .map(|(row, metrics)| SimulationInput {
            region: inputs.regions[row].clone(),
            metrics,
            current: measured.current[row],
            revenue: measured.revenue[row],
        })
        .collect();
    let (simulation, simulate_time) =
        timed(|| tiering::simulate(published, draft, &simulation_inputs, BASE_REBATE_PERCENT));
    ReferenceCheck {
        partners: simulation_inputs.len(),
        metric_mismatches,
        decision_mismatches,
        simulation_equal: simulation == measured.simulation,
        metrics_time,
        simulate_time,
    }
}
