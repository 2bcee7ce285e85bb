//! The incentives benchmark's world, deterministic from a seed: 21 countries in regions (a
//! country can be in several, e.g. "emea" and "eurozone"), each with the currency its
//! customers pay in and, for some, a withholding rate on payouts to partners headquartered
//! there; a catalogue of 32 products in 8 families (the four physical families always carry
//! a cost, so margin plans close); the partners (type, head office, payout currency, tier
//! level, agreement, segment, size, and the distributor their two-tier sales go through);
//! and daily FX rates in both directions between USD (the base) and the four others.
//!
//! Payout currencies are chosen so that a conversion from a plan currency other than USD
//! to a payout currency other than USD (a cross rate through the base, 12 decimal places)
//! only happens between EUR, GBP and AUD plans and payouts of the same area: the SQL peer
//! keeps such products exact in DECIMAL(38, 31), which leaves 7 integer digits — enough for
//! one partner's quarter in those currencies, not for yen (see `sql.rs`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::Rng;
use rust_decimal::Decimal;
use tributary_domain::incentives::RegionCountries;
use tributary_domain::money::Currency;
use tributary_domain::partner::PartnerType;
use tributary_domain::tiering::RateTable;

use crate::synth::{CURRENCIES, Permutation, days, rng};

/// Index of USD, the base currency, in [`CURRENCIES`].
pub const BASE: u8 = 0;
const EUR: u8 = 1;
const GBP: u8 = 2;
const JPY: u8 = 3;
const AUD: u8 = 4;

/// The broad areas partners sell in (customers are mostly in the partner's own country or
/// area).
const AREAS: usize = 4;

pub struct Country {
    pub code: &'static str,
    /// Index into [`CURRENCIES`] of the currency its customers pay in (when not in USD).
    pub currency: u8,
    /// 0 EMEA, 1 North America, 2 Latin America, 3 Asia-Pacific.
    pub area: u8,
    /// Every region code the country is in.
    pub regions: &'static [&'static str],
    /// Relative share of partners and customers.
    pub weight: u32,
    /// Withholding on incentive payouts to partners headquartered here, in 1/10,000.
    pub withholding: i64,
    /// A payout currency other than USD and the percentage of partners here choosing it.
    pub payout: Option<(u8, u32)>,
}

const fn country(
    code: &'static str,
    currency: u8,
    area: u8,
    regions: &'static [&'static str],
    weight: u32,
    withholding: i64,
    payout: Option<(u8, u32)>,
) -> Country {
    Country {
        code,
        currency,
        area,
        regions,
        weight,
        withholding,
        payout,
    }
}

pub const COUNTRIES: [Country; 21] = [
    country("US", BASE, 1, &["north_america"], 22, 0, None),
    country("CA", BASE, 1, &["north_america"], 4, 0, None),
    country("MX", BASE, 2, &["latam"], 2, 1000, None),
    country("BR", BASE, 2, &["latam"], 3, 1500, None),
    country("AR", BASE, 2, &["latam"], 1, 0, None),
    country("CL", BASE, 2, &["latam"], 1, 0, None),
    country("DE", EUR, 0, &["emea", "eurozone"], 10, 0, Some((EUR, 90))),
    country("FR", EUR, 0, &["emea", "eurozone"], 7, 0, Some((EUR, 90))),
    country("IT", EUR, 0, &["emea", "eurozone"], 5, 0, Some((EUR, 90))),
    country("ES", EUR, 0, &["emea", "eurozone"], 4, 0, Some((EUR, 90))),
    country("NL", EUR, 0, &["emea", "eurozone"], 3, 0, Some((EUR, 90))),
    country("IE", EUR, 0, &["emea", "eurozone", "uk_ireland"], 2, 0, Some((EUR, 90))),
    country("GB", GBP, 0, &["emea", "uk_ireland"], 8, 0, Some((GBP, 85))),
    country("PL", EUR, 0, &["emea"], 2, 0, Some((EUR, 50))),
    country("AE", BASE, 0, &["emea"], 1, 0, None),
    country("ZA", BASE, 0, &["emea"], 1, 1500, None),
    country("JP", JPY, 3, &["apac", "japan"], 6, 2042, Some((JPY, 80))),
    country("AU", AUD, 3, &["apac", "anz"], 4, 0, Some((AUD, 85))),
    country("NZ", AUD, 3, &["apac", "anz"], 1, 0, Some((AUD, 70))),
    country("SG", BASE, 3, &["apac"], 2, 0, None),
    country("IN", BASE, 3, &["apac"], 3, 1000, None),
];

pub struct Product {
    pub sku: &'static str,
    pub family: &'static str,
    /// List price in whole USD (per unit, or per seat for seat-based products).
    pub price: i64,
    /// Sold by the seat (tens to hundreds at a time) rather than by the unit.
    pub seats: bool,
}

const fn product(sku: &'static str, family: &'static str, price: i64, seats: bool) -> Product {
    Product {
        sku,
        family,
        price,
        seats,
    }
}

/// Families whose every sale and return carries its cost (the others only sometimes).
pub const COSTED_FAMILIES: [&str; 4] = ["hardware", "storage", "networking", "security"];

pub const PRODUCTS: [Product; 32] = [
    product("HW-SRV-100", "hardware", 4200, false),
    product("HW-SRV-200", "hardware", 9800, false),
    product("HW-WS-300", "hardware", 1800, false),
    product("HW-EDGE-50", "hardware", 650, false),
    product("ST-NAS-10", "storage", 3200, false),
    product("ST-SAN-40", "storage", 18500, false),
    product("ST-OBJ-5", "storage", 7400, false),
    product("ST-SSD-2", "storage", 420, false),
    product("NW-SW-24", "networking", 1900, false),
    product("NW-SW-48", "networking", 3600, false),
    product("NW-RTR-10", "networking", 5200, false),
    product("NW-AP-6", "networking", 310, false),
    product("SEC-FW-200", "security", 2400, false),
    product("SEC-FW-800", "security", 8900, false),
    product("SEC-EDR-100", "security", 45, true),
    product("SEC-MAIL-50", "security", 30, true),
    product("SW-DB-ENT", "software", 12000, false),
    product("SW-DB-STD", "software", 3000, false),
    product("SW-OS-1", "software", 350, false),
    product("SW-BKP-1", "software", 900, false),
    product("CL-VM-S", "cloud", 20, true),
    product("CL-VM-L", "cloud", 85, true),
    product("CL-STO-TB", "cloud", 25, true),
    product("CL-SUITE", "cloud", 15, true),
    product("SV-INSTALL", "services", 1500, false),
    product("SV-MIGRATE", "services", 6000, false),
    product("SV-TRAIN", "services", 800, false),
    product("SV-CONSULT-D", "services", 1400, false),
    product("SP-BASIC", "support", 250, false),
    product("SP-PREM", "support", 1200, false),
    product("SP-MISSION", "support", 5000, false),
    product("SP-EXT-3Y", "support", 900, false),
];

impl Product {
    pub fn always_costed(&self) -> bool {
        COSTED_FAMILIES.contains(&self.family)
    }
}

/// First and last day of the FX rates; the facts run from [`first_fact_day`] to the last.
pub fn first_rate_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).expect("valid date")
}

pub fn first_fact_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 30).expect("valid date")
}

pub fn currency(index: u8) -> Currency {
    Currency::parse(CURRENCIES[index as usize]).expect("ISO code")
}

/// A 64-bit mix of `x` (splitmix64): per-account and per-line choices that need no state.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Countries by cumulative weight, to draw one from a number below the total.
struct Weighted {
    cumulative: Vec<(u32, u8)>,
}

impl Weighted {
    fn new(countries: impl Iterator<Item = usize>) -> Self {
        let mut total = 0;
        let cumulative = countries
            .map(|c| {
                total += COUNTRIES[c].weight;
                (total, c as u8)
            })
            .collect();
        Self { cumulative }
    }

    fn pick(&self, draw: u64) -> u8 {
        let total = self.cumulative.last().expect("a country").0;
        let point = (draw % u64::from(total)) as u32;
        self.cumulative
            .iter()
            .find(|(upto, _)| point < *upto)
            .expect("below the total")
            .1
    }
}

pub struct World {
    pub seed: u64,
    pub partners: u32,
    pub kind: Vec<PartnerType>,
    /// Head-office country (index into [`COUNTRIES`]); also the tax country.
    pub country: Vec<u8>,
    /// Payout currency (index into [`CURRENCIES`]).
    pub payout: Vec<u8>,
    /// Level 0–3 in the program's tier structure.
    pub tier: Vec<u8>,
    pub agreement: Vec<bool>,
    /// In the "strategic" saved segment.
    pub strategic: Vec<bool>,
    /// The distributor a partner's two-tier sales go through (itself for a distributor).
    pub distributor: Vec<u32>,
    /// Sales rank → partner: ranks below 1 % are the large partners, below 10 % mid-size.
    pub order: Permutation,
    all_countries: Weighted,
    area_countries: Vec<Weighted>,
}

impl World {
    /// The partners of `seed`; one in 200 is a distributor.
    pub fn generate(seed: u64, partners: u32) -> World {
        let mut r = rng(seed, 11);
        let all_countries = Weighted::new(0..COUNTRIES.len());
        let area_countries: Vec<Weighted> = (0..AREAS)
            .map(|area| Weighted::new((0..COUNTRIES.len()).filter(|c| COUNTRIES[*c].area as usize == area)))
            .collect();
        let n = partners as usize;
        let mut world = World {
            seed,
            partners,
            kind: Vec::with_capacity(n),
            country: Vec::with_capacity(n),
            payout: Vec::with_capacity(n),
            tier: Vec::with_capacity(n),
            agreement: Vec::with_capacity(n),
            strategic: Vec::with_capacity(n),
            distributor: Vec::with_capacity(n),
            order: Permutation::new(partners),
            all_countries,
            area_countries,
        };
        for p in 0..partners {
            let kind = if is_distributor(p) {
                PartnerType::Distributor
            } else {
                match r.random_range(0..100) {
                    0..60 => PartnerType::Reseller,
                    60..75 => PartnerType::Msp,
                    75..90 => PartnerType::SystemIntegrator,
                    _ => PartnerType::Referral,
                }
            };
            let country = world.all_countries.pick(r.random());
            let payout = match COUNTRIES[country as usize].payout {
                Some((currency, percent)) if r.random_range(0..100) < percent => currency,
                _ => BASE,
            };
            world.kind.push(kind);
            world.country.push(country);
            world.payout.push(payout);
            world.tier.push(match r.random_range(0..100) {
                0..50 => 0,
                50..80 => 1,
                80..95 => 2,
                _ => 3,
            });
            world.agreement.push(r.random_range(0..100) < 92);
            world.strategic.push(r.random_range(0..100) < 5);
        }
        let mut by_area: Vec<Vec<u32>> = vec![Vec::new(); AREAS];
        for p in (0..partners).filter(|p| is_distributor(*p)) {
            by_area[COUNTRIES[world.country[p as usize] as usize].area as usize].push(p);
        }
        let everywhere: Vec<u32> = by_area.concat();
        for p in 0..partners {
            let area = COUNTRIES[world.country[p as usize] as usize].area as usize;
            let choices = if by_area[area].is_empty() {
                &everywhere
            } else {
                &by_area[area]
            };
            world.distributor.push(if is_distributor(p) {
                p
            } else {
                choices[(mix(seed ^ u64::from(p)) % choices.len() as u64) as usize]
            });
        }
        world
    }

    /// The country of a customer account, from the account alone: three in four are in
    /// the selling partner's country, most others in its area.
    pub fn customer_country(&self, seller: u32, account: u32) -> u8 {
        let h = mix(self.seed.rotate_left(17) ^ u64::from(account));
        let home = self.country[seller as usize];
        match h % 100 {
            0..75 => home,
            75..90 => self.area_countries[COUNTRIES[home as usize].area as usize].pick(h >> 8),
            _ => self.all_countries.pick(h >> 8),
        }
    }

    pub fn withholding_rate(&self, partner: u32) -> Decimal {
        Decimal::new(COUNTRIES[self.country[partner as usize] as usize].withholding, 4)
    }
}

/// One partner in 200 is a distributor (500 of 100,000).
pub fn is_distributor(partner: u32) -> bool {
    partner % 200 == 17
}

/// Region code → its countries, as the close reads customer regions.
pub fn region_countries() -> RegionCountries {
    let mut regions: RegionCountries = BTreeMap::new();
    for c in &COUNTRIES {
        for region in c.regions {
            regions
                .entry(region.to_string())
                .or_default()
                .insert(c.code.to_string());
        }
    }
    regions
}

/// One stored FX rate: 1 `from` = `rate` `to` on `day`.
pub struct Rate {
    pub from: u8,
    pub to: u8,
    pub day: NaiveDate,
    pub rate: Decimal,
}

/// Every day's rates X→USD (six decimals, a random walk of at most ±0.4 % a day) and
/// USD→X (10^12 ÷ the first's digits, truncated to six decimals: an independent quote,
/// never an inversion at close time).
pub fn rates(seed: u64) -> Vec<Rate> {
    let mut r = rng(seed, 12);
    let mut mantissa: [i64; 5] = [1_000_000, 1_085_000, 1_270_000, 6_700, 660_000];
    let mut rates = Vec::new();
    for day in days(first_rate_day(), last_day()) {
        for (c, m) in mantissa.iter_mut().enumerate().skip(1) {
            let step = r.random_range(-400..=400i64);
            *m = (*m + *m * step / 100_000).max(1);
            let c = c as u8;
            rates.push(Rate {
                from: c,
                to: BASE,
                day,
                rate: Decimal::new(*m, 6),
            });
            rates.push(Rate {
                from: BASE,
                to: c,
                day,
                rate: Decimal::new(1_000_000_000_000 / *m, 6),
            });
        }
    }
    rates
}

/// The rates as the domain's table, with USD as the base for cross rates.
pub fn rate_table(rates: &[Rate]) -> RateTable {
    let mut table = RateTable::with_base(currency(BASE));
    for rate in rates {
        table.insert(currency(rate.from), currency(rate.to), rate.day, rate.rate);
    }
    table
}
