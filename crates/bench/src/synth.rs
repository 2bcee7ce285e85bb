//! Deterministic synthetic tiering data: partners in a few regions with a skewed size
//! (1 % large, 9 % mid-size, the rest small), sales and returns over ~13 months in five
//! currencies recorded day by day as a ledger would, weekday FX rates X→USD with six
//! decimals as a random walk, and metric facts (certifications, CSAT answers, agreement
//! acceptances, marketing events). Integer arithmetic only; the same seed always gives
//! the same data.

use chrono::{Datelike, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

pub const CURRENCIES: [&str; 5] = ["USD", "EUR", "GBP", "JPY", "AUD"];
pub const REGIONS: [&str; 4] = ["emea", "north_america", "apac", "latam"];
pub const METRICS: [&str; 4] = ["certified_people", "csat", "agreement_accepted", "marketing_events"];

pub fn first_sale_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 1).expect("valid date")
}

pub fn evaluation_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid date")
}

fn first_rate_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).expect("valid date")
}

/// Sales in recording order, as columns.
#[derive(Default)]
pub struct Sales {
    pub partner: Vec<u32>,
    pub date: Vec<NaiveDate>,
    pub currency: Vec<u8>,
    pub amount_minor: Vec<i64>,
    pub account: Vec<u32>,
}

pub struct MetricFactRow {
    pub partner: u32,
    pub metric: u8,
    pub date: NaiveDate,
    pub value: Decimal,
}

pub struct Data {
    pub partners: u32,
    /// Index into [`REGIONS`] per partner.
    pub region: Vec<u8>,
    pub sales: Sales,
    /// (index into [`CURRENCIES`], date, rate to USD).
    pub rates: Vec<(u8, NaiveDate, Decimal)>,
    pub metric_facts: Vec<MetricFactRow>,
}

/// 0 small, 1 mid-size, 2 large.
fn size_classes(partners: u32, order: &Permutation) -> Vec<u8> {
    let mut class = vec![0u8; partners as usize];
    for rank in 0..partners {
        class[order.apply(rank) as usize] = if rank < partners / 100 {
            2
        } else if rank < partners / 10 {
            1
        } else {
            0
        };
    }
    class
}

/// A bijection of `0..n` (rank → partner) so the large partners are spread out.
pub(crate) struct Permutation {
    n: u64,
    multiplier: u64,
}

impl Permutation {
    pub(crate) fn new(n: u32) -> Self {
        let n = u64::from(n.max(1));
        let gcd = |mut a: u64, mut b: u64| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        let multiplier = (7919..).find(|m| gcd(*m, n) == 1).expect("a coprime exists");
        Self { n, multiplier }
    }

    pub(crate) fn apply(&self, rank: u32) -> u32 {
        ((u64::from(rank) * self.multiplier + 13) % self.n) as u32
    }
}

/// The ChaCha stream `stream` of `seed`: each kind of data draws from its own stream.
pub(crate) fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Every day from `first` to `last` inclusive.
pub(crate) fn days(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |d| *d <= last)
}

pub fn generate(seed: u64, partners: u32, sales_count: u64, progress: impl Fn(&str)) -> Data {
    let order = Permutation::new(partners);
    let class = size_classes(partners, &order);
    let mut r = rng(seed, 1);
    let region: Vec<u8> = (0..partners)
        .map(|_| match r.random_range(0..100) {
            0..35 => 0,
            35..65 => 1,
            65..85 => 2,
            _ => 3,
        })
        .collect();
    // Home currency: EUR or GBP in EMEA, USD in the Americas, JPY or AUD in APAC.
    let home: Vec<u8> = region
        .iter()
        .map(|region| match region {
            0 => 1 + u8::from(r.random_range(0..100) < 35),
            2 => 3 + u8::from(r.random_range(0..100) < 40),
            _ => 0,
        })
        .collect();
    let rates = rates(seed);
    progress(&format!("{} FX rates", rates.len()));
    let sales = sales(seed, partners, sales_count, &order, &home, &progress);
    let metric_facts = metric_facts(seed, partners, &class);
    progress(&format!("{} metric facts", metric_facts.len()));
    Data {
        partners,
        region,
        sales,
        rates,
        metric_facts,
    }
}

/// Weekday rates X→USD with six decimals, each a random walk of at most ±0.4 % a day.
fn rates(seed: u64) -> Vec<(u8, NaiveDate, Decimal)> {
    let mut r = rng(seed, 2);
    // USD (index 0) is the target: it needs no rate.
    let mut mantissa: [i64; 5] = [1_000_000, 1_085_000, 1_270_000, 6_700, 660_000];
    let mut rates = Vec::new();
    for date in days(first_rate_day(), evaluation_date()) {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for (c, m) in mantissa.iter_mut().enumerate().skip(1) {
            let step = r.random_range(-400..=400i64);
            *m = (*m + *m * step / 100_000).max(1);
            rates.push((c as u8, date, Decimal::new(*m, 6)));
        }
    }
    rates
}

/// Sales and returns day by day; a fact's partner is drawn from the large partners a
/// quarter of the time, the mid-size ones a third, anyone otherwise.
fn sales(seed: u64, partners: u32, count: u64, order: &Permutation, home: &[u8], progress: &impl Fn(&str)) -> Sales {
    let mut r = rng(seed, 3);
    let all: Vec<NaiveDate> = days(first_sale_day(), evaluation_date()).collect();
    let per_day = count / all.len() as u64;
    let extra = count % all.len() as u64;
    let mut sales = Sales::default();
    sales.partner.reserve(count as usize);
    sales.date.reserve(count as usize);
    sales.currency.reserve(count as usize);
    sales.amount_minor.reserve(count as usize);
    sales.account.reserve(count as usize);
    let large = (partners / 100).max(1);
    let mid = (partners / 10).max(1);
    let mut reported = 0;
    for (index, date) in all.iter().enumerate() {
        let today = per_day + u64::from((index as u64) < extra);
        for _ in 0..today {
            let rank = match r.random_range(0..100) {
                0..25 => r.random_range(0..large),
                25..58 => r.random_range(0..mid),
                _ => r.random_range(0..partners),
            };
            let partner = order.apply(rank);
            let currency = if r.random_range(0..100) < 85 {
                home[partner as usize]
            } else {
                0
            };
            let usd = (20 + r.random_range(0..980i64)) * [1, 1, 1, 2, 3, 5, 10, 25][r.random_range(0..8)];
            // Local amount in major units, then minor units with random cents.
            let (major, minor_units) = match currency {
                1 => (usd * 92 / 100, 100),
                2 => (usd * 79 / 100, 100),
                3 => (usd * 150, 1),
                4 => (usd * 3 / 2, 100),
                _ => (usd, 100),
            };
            let mut amount_minor = major * minor_units + r.random_range(0..minor_units);
            if r.random_range(0..100) < 7 {
                amount_minor = -amount_minor;
            }
            // Customers: mostly the partner's first few accounts, now and then a new one.
            let account = partner * 1024 + r.random_range(0..32u32) * r.random_range(0..32u32);
            sales.partner.push(partner);
            sales.date.push(*date);
            sales.currency.push(currency);
            sales.amount_minor.push(amount_minor);
            sales.account.push(account);
        }
        let done = sales.partner.len() as u64 * 10 / count.max(1);
        if done > reported {
            reported = done;
            progress(&format!(
                "sales: {} % ({} facts, up to {date})",
                done * 10,
                sales.partner.len()
            ));
        }
    }
    sales
}

fn metric_facts(seed: u64, partners: u32, class: &[u8]) -> Vec<MetricFactRow> {
    let mut r = rng(seed, 4);
    let all: Vec<NaiveDate> = days(first_sale_day(), evaluation_date()).collect();
    let months: Vec<NaiveDate> = all.iter().copied().filter(|d| d.day() == 1).collect();
    let mut facts = Vec::new();
    let mut push = |partner, metric: u8, date, value| {
        facts.push(MetricFactRow {
            partner,
            metric,
            date,
            value,
        })
    };
    for partner in 0..partners {
        let size = i64::from(class[partner as usize]);
        // Certified people: a monthly count drifting up, now and then corrected the same day.
        let mut certified = r.random_range(0..4 + 6 * size);
        for month in &months {
            certified = (certified + r.random_range(-1..=1)).max(0);
            push(partner, 0, *month, Decimal::from(certified));
            if r.random_range(0..100) < 3 {
                certified = (certified - 1).max(0);
                push(partner, 0, *month, Decimal::from(certified));
            }
        }
        // CSAT answers 2.5–5.0.
        for _ in 0..r.random_range(0..4 + 4 * size) {
            let date = all[r.random_range(0..all.len())];
            push(partner, 1, date, Decimal::new(25 + r.random_range(0..26), 1));
        }
        // The partner agreement: most accept, a few revoke later.
        if r.random_range(0..100) < 90 {
            let accepted = r.random_range(0..all.len());
            push(partner, 2, all[accepted], Decimal::ONE);
            if r.random_range(0..100) < 5 {
                let revoked = r.random_range(accepted..all.len());
                push(partner, 2, all[revoked], Decimal::ZERO);
            }
        }
        // Marketing events run (a custom metric), summed over the fiscal year.
        for _ in 0..r.random_range(0..3 + 3 * size) {
            let date = all[r.random_range(0..all.len())];
            push(partner, 3, date, Decimal::from(r.random_range(1..4)));
        }
    }
    facts
}
