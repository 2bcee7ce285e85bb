//! The sales stream: lines in date order, produced one at a time from lookup tables built
//! once, so millions of facts never sit in memory. A few partners sell most (rank-based,
//! heavy-tailed weights), each partner sells mostly to its own base of customers in the
//! countries it serves, prices are converted from USD at the day's rate, and about one line
//! in twenty is a return of a recent sale.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::partner::{PartnerFields, PartnerStatus, PartnerType, SizeBand};

use crate::calendar::Window;
use crate::products::sales_profile;
use crate::random::{Cumulative, Stream, chance, skewed, stream};
use crate::{DemoConfig, DemoDataset, DemoFact};

/// Sales from this many past days can be returned.
const RETURN_DAYS: usize = 45;
/// Fewest sales kept per day as candidates for returns (busy days keep a sixth of theirs).
const KEPT_PER_DAY: usize = 64;

/// A partner that sells, with what is needed to make its lines.
struct Seller {
    partner: u32,
    distributor: Option<u32>,
    currency: Currency,
    /// Index into the rate table; `None` for USD.
    rate_slot: Option<usize>,
    /// Ranges of the account pool covering the countries served.
    spans: Vec<Range<u32>>,
    span_total: u32,
    /// How many customers the partner sells to, and where they start in its spans.
    customer_base: u32,
    first_customer: u32,
    discount: i64,
    /// Terminated partners sell only before the cut-off.
    terminated: bool,
}

impl Seller {
    fn account(&self, rng: &mut ChaCha8Rng, pool: &[u32]) -> u32 {
        let k = u32::try_from(skewed(rng, u64::from(self.customer_base))).expect("below customer_base, a u32");
        let mut position = (self.first_customer + k) % self.span_total;
        for span in &self.spans {
            let len = span.end - span.start;
            if position < len {
                return pool[(span.start + position) as usize];
            }
            position -= len;
        }
        unreachable!("position is below span_total, the sum of the span lengths")
    }
}

struct Product {
    index: u32,
    price_cents: i64,
    max_quantity: u64,
}

/// A recorded sale that a later return can refer to.
#[derive(Clone)]
struct Sale {
    seller: usize,
    account: u32,
    product: u32,
    quantity: i64,
    amount_minor: i64,
    currency: Currency,
    deal_ref: Option<String>,
    source: &'static str,
}

/// The iterator behind [`crate::facts`].
pub(crate) struct FactStream {
    rng: ChaCha8Rng,
    dates: Vec<NaiveDate>,
    counts: Vec<u64>,
    next_day: usize,
    today: usize,
    left_today: u64,
    sold_today: u64,
    keep_today: usize,
    /// Terminated partners sell only before this day.
    cutoff: usize,
    sellers: Vec<Seller>,
    every_seller: Cumulative,
    surviving_sellers: Cumulative,
    pool: Vec<u32>,
    products: Vec<Product>,
    popularity: Cumulative,
    /// Per rate slot and day: the USD→currency rate in force (latest on or before the day).
    rates: Vec<Vec<Option<Decimal>>>,
    recent: Vec<Vec<Sale>>,
    usd: Currency,
    deal_year: i32,
    deal_number: u32,
}

/// Non-house accounts grouped by country (all accounts when every one is a house account).
fn account_pool(dataset: &DemoDataset) -> (Vec<u32>, HashMap<&str, Range<u32>>) {
    let index = |i: usize| u32::try_from(i).expect("fewer than 2^32 accounts");
    let mut by_country: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let any_open = dataset.accounts.iter().any(|(_, a)| !a.is_house_account);
    for (i, (_, account)) in dataset.accounts.iter().enumerate() {
        if !account.is_house_account || !any_open {
            by_country.entry(account.country.as_str()).or_default().push(index(i));
        }
    }
    let mut pool = Vec::new();
    let mut ranges = HashMap::new();
    for (country, accounts) in by_country {
        let start = index(pool.len());
        pool.extend(accounts);
        ranges.insert(country, start..index(pool.len()));
    }
    (pool, ranges)
}

/// Relative sales volume of a partner of this type and size (before its rank).
fn volume(partner: &PartnerFields) -> u64 {
    let size = match partner.size_band {
        SizeBand::Micro => 1,
        SizeBand::Small => 2,
        SizeBand::Medium => 4,
        SizeBand::Large => 8,
        SizeBand::Enterprise => 14,
    };
    let kind = match partner.partner_type {
        PartnerType::Reseller => 10,
        PartnerType::SystemIntegrator => 9,
        PartnerType::Msp => 8,
        PartnerType::Referral => 3,
        PartnerType::Distributor => 0,
    };
    let status = if partner.status == PartnerStatus::Suspended {
        1
    } else {
        2
    };
    size * kind * status
}

fn customer_base(size: SizeBand) -> u32 {
    match size {
        SizeBand::Micro => 30,
        SizeBand::Small => 80,
        SizeBand::Medium => 200,
        SizeBand::Large => 500,
        SizeBand::Enterprise => 1200,
    }
}

/// The partners that sell (active, suspended or terminated; not distributors), each with its
/// customer spans and currency slot; the non-USD currencies in slot order; and the heavy-tailed
/// selling weights (a random rank per partner, weight falling with 1/(rank + 3)).
fn sellers(
    rng: &mut ChaCha8Rng,
    dataset: &DemoDataset,
    ranges: &HashMap<&str, Range<u32>>,
    pool_len: u32,
    usd: Currency,
) -> (Vec<Seller>, Vec<Currency>, Vec<u64>) {
    let partner_index: HashMap<&str, u32> = dataset
        .partners
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), u32::try_from(i).expect("fewer than 2^32 partners")))
        .collect();
    let mut slots: Vec<Currency> = Vec::new();
    let mut sellers = Vec::new();
    let mut volumes = Vec::new();
    for (id, partner) in &dataset.partners {
        let sells = matches!(
            partner.status,
            PartnerStatus::Active | PartnerStatus::Suspended | PartnerStatus::Terminated
        ) && volume(partner) > 0;
        if !sells || pool_len == 0 {
            continue;
        }
        let currency = partner.payout_currency;
        let rate_slot = (currency != usd).then(|| {
            slots.iter().position(|c| *c == currency).unwrap_or_else(|| {
                slots.push(currency);
                slots.len() - 1
            })
        });
        let mut spans: Vec<Range<u32>> = Vec::new();
        for country in std::iter::once(&partner.country).chain(&partner.countries_served) {
            if let Some(range) = ranges.get(country.as_str())
                && !spans.contains(range)
            {
                spans.push(range.clone());
            }
        }
        if spans.is_empty() {
            spans.push(0..pool_len);
        }
        let span_total: u32 = spans.iter().map(|s| s.end - s.start).sum();
        let large = matches!(partner.size_band, SizeBand::Large | SizeBand::Enterprise);
        let discount = match partner.partner_type {
            PartnerType::Msp => 10,
            PartnerType::Reseller => 8,
            PartnerType::SystemIntegrator => 6,
            _ => 0,
        } + if large { 5 } else { 0 };
        volumes.push(volume(partner));
        sellers.push(Seller {
            partner: partner_index[id.as_str()],
            distributor: partner
                .distributor_id
                .as_deref()
                .and_then(|d| partner_index.get(d).copied()),
            currency,
            rate_slot,
            spans,
            span_total,
            customer_base: customer_base(partner.size_band).min(span_total),
            first_customer: rng.random_range(0..span_total),
            discount,
            terminated: partner.status == PartnerStatus::Terminated,
        });
    }
    let mut ranks: Vec<u64> = (0..sellers.len() as u64).collect();
    ranks.shuffle(rng);
    let weights = ranks
        .iter()
        .zip(&volumes)
        .map(|(rank, v)| v * 1_000_000 / (rank + 3))
        .collect();
    (sellers, slots, weights)
}

/// The active USD products with a positive price, and how often each sells: by family
/// popularity, cheaper items more often.
fn catalogue(dataset: &DemoDataset, usd: Currency) -> (Vec<Product>, Cumulative) {
    let mut popularity = Vec::new();
    let products = dataset
        .products
        .iter()
        .enumerate()
        .filter(|(_, (_, p))| p.active && p.currency == usd)
        .filter_map(|(i, (_, p))| {
            let (max_quantity, family_popularity) = sales_profile(&p.family);
            let product = Product {
                index: u32::try_from(i).ok()?,
                price_cents: usd.to_minor(p.list_price).ok().filter(|c| *c > 0)?,
                max_quantity: u64::try_from(max_quantity).ok()?.max(1),
            };
            let root_price = u64::try_from(product.price_cents).ok()?.isqrt().max(1);
            popularity.push(family_popularity * 1_000_000 / root_price);
            Some(product)
        })
        .collect();
    (products, Cumulative::new(popularity))
}

impl FactStream {
    pub(crate) fn new(config: &DemoConfig, dataset: &DemoDataset) -> Self {
        let mut rng = stream(config.seed, Stream::Facts);
        let usd = Currency::parse("USD").expect("USD is an ISO 4217 currency");
        let window = Window::new(config.end_date, config.months);
        let dates = window.dates().to_vec();
        let (pool, ranges) = account_pool(dataset);
        let pool_len = u32::try_from(pool.len()).expect("fewer than 2^32 accounts");
        let (sellers, slots, weights) = sellers(&mut rng, dataset, &ranges, pool_len, usd);
        let every_seller = Cumulative::new(weights.iter().copied());
        let surviving_sellers = Cumulative::new(
            weights
                .iter()
                .zip(&sellers)
                .map(|(w, s)| if s.terminated { 0 } else { *w }),
        );
        let (products, popularity) = catalogue(dataset, usd);
        let rates = slots.iter().map(|c| rate_table(dataset, usd, *c, &dates)).collect();
        let counts = if sellers.is_empty() || products.is_empty() {
            vec![0; dates.len()]
        } else {
            window.daily_counts(config.facts as u64)
        };
        Self {
            rng,
            cutoff: dates.len() * 3 / 5,
            dates,
            counts,
            next_day: 0,
            today: 0,
            left_today: 0,
            sold_today: 0,
            keep_today: KEPT_PER_DAY,
            sellers,
            every_seller,
            surviving_sellers,
            pool,
            products,
            popularity,
            rates,
            recent: vec![Vec::new(); RETURN_DAYS],
            usd,
            deal_year: 0,
            deal_number: 0,
        }
    }

    /// A sale on `today`, or `None` when nobody may sell that day.
    fn sale(&mut self) -> Option<DemoFact> {
        let day = self.today;
        let table = if day < self.cutoff {
            &self.every_seller
        } else {
            &self.surviving_sellers
        };
        let seller_index = table.sample(&mut self.rng)?;
        let product_index = self.popularity.sample(&mut self.rng)?;
        let deal_ref = chance(&mut self.rng, 10).then(|| self.deal_ref());
        let seller = &self.sellers[seller_index];
        let product = &self.products[product_index];
        let account = seller.account(&mut self.rng, &self.pool);
        let quantity =
            1 + i64::try_from(skewed(&mut self.rng, product.max_quantity)).expect("below max_quantity, an i64");
        let extra = if deal_ref.is_some() {
            self.rng.random_range(10..=20)
        } else {
            0
        };
        let discount = seller.discount + self.rng.random_range(0..=10) + extra;
        let usd_amount = Decimal::new(product.price_cents * quantity * (100 - discount), 4);
        let (currency, amount) = match seller.rate_slot.and_then(|slot| self.rates[slot][day]) {
            Some(rate) => (seller.currency, seller.currency.round(usd_amount * rate)),
            None => (self.usd, self.usd.round(usd_amount)),
        };
        let amount_minor = currency
            .to_minor(amount)
            .expect("the amount was just rounded to the currency's minor units");
        let source = match (seller.distributor.is_some(), chance(&mut self.rng, 70)) {
            (true, true) => "distributor_feed",
            (false, true) => "erp",
            (_, false) => "pos",
        };
        let sale = Sale {
            seller: seller_index,
            account,
            product: product.index,
            quantity,
            amount_minor,
            currency,
            deal_ref,
            source,
        };
        let fact = self.fact(&sale, quantity, amount_minor);
        self.keep(sale);
        Some(fact)
    }

    /// Remembers a sale as a return candidate: a uniform sample of the day's sales.
    fn keep(&mut self, sale: Sale) {
        self.sold_today += 1;
        let kept = &mut self.recent[self.today % RETURN_DAYS];
        if kept.len() < self.keep_today {
            kept.push(sale);
        } else {
            let slot = self.rng.random_range(0..self.sold_today);
            if let Some(replaced) = usize::try_from(slot).ok().and_then(|s| kept.get_mut(s)) {
                *replaced = sale;
            }
        }
    }

    /// A return of part or all of a sale from the past weeks (each sale is returned at most
    /// once), or `None` when there is none to return or its partner may no longer trade.
    fn give_back(&mut self) -> Option<DemoFact> {
        let lag = 1 + usize::try_from(skewed(&mut self.rng, 30)).expect("below 30");
        let sold_on = self.today.checked_sub(lag)?;
        let candidates = &mut self.recent[sold_on % RETURN_DAYS];
        if candidates.is_empty() {
            return None;
        }
        let sale = candidates.swap_remove(self.rng.random_range(0..candidates.len()));
        if self.today >= self.cutoff && self.sellers[sale.seller].terminated {
            return None;
        }
        let returned = if sale.quantity > 1 {
            self.rng.random_range(1..=sale.quantity)
        } else {
            1
        };
        let amount = i128::from(sale.amount_minor) * i128::from(returned) / i128::from(sale.quantity);
        let amount = i64::try_from(amount).expect("no larger than the original amount");
        Some(self.fact(&sale, -returned, -amount))
    }

    fn fact(&self, sale: &Sale, quantity: i64, amount_minor: i64) -> DemoFact {
        let seller = &self.sellers[sale.seller];
        DemoFact {
            fact_date: self.dates[self.today],
            partner: seller.partner,
            distributor: seller.distributor,
            account: sale.account,
            product: sale.product,
            quantity,
            amount_minor,
            currency: sale.currency,
            deal_ref: sale.deal_ref.clone(),
            source: sale.source,
        }
    }

    /// The next deal-registration reference of the current year, "DR-2026-000123".
    fn deal_ref(&mut self) -> String {
        let year = self.dates[self.today].year();
        if year != self.deal_year {
            self.deal_year = year;
            self.deal_number = 0;
        }
        self.deal_number += 1;
        format!("DR-{year}-{:06}", self.deal_number)
    }
}

/// USD→`currency` per day of `dates`, carrying the latest earlier rate forward.
fn rate_table(dataset: &DemoDataset, usd: Currency, currency: Currency, dates: &[NaiveDate]) -> Vec<Option<Decimal>> {
    let quoted: BTreeMap<NaiveDate, Decimal> = dataset
        .fx_rates
        .iter()
        .filter(|r| r.from_currency == usd && r.to_currency == currency)
        .map(|r| (r.rate_date, r.rate))
        .collect();
    dates
        .iter()
        .map(|date| quoted.range(..=*date).next_back().map(|(_, rate)| *rate))
        .collect()
}

impl Iterator for FactStream {
    type Item = DemoFact;

    fn next(&mut self) -> Option<DemoFact> {
        loop {
            if self.left_today > 0 {
                self.left_today -= 1;
                if chance(&mut self.rng, 5)
                    && let Some(fact) = self.give_back()
                {
                    return Some(fact);
                }
                match self.sale() {
                    Some(fact) => return Some(fact),
                    None => self.left_today = 0,
                }
            }
            if self.next_day >= self.dates.len() {
                return None;
            }
            self.today = self.next_day;
            self.next_day += 1;
            self.left_today = self.counts[self.today];
            self.sold_today = 0;
            self.keep_today = KEPT_PER_DAY.max(usize::try_from(self.left_today / 6).unwrap_or(usize::MAX));
            self.recent[self.today % RETURN_DAYS].clear();
        }
    }
}
