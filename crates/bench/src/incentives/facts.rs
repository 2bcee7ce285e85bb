//! The sales facts, generated one at a time and never held together: the engine's builder,
//! the Parquet writer and the reference each consume the same deterministic stream, so
//! 100,000,000 facts need no more memory than the generator's few words of state.
//!
//! Day by day from 2025-07-01 to 2026-09-30, the same number of lines a day. The seller is
//! a large partner a quarter of the time and a mid-size one a third (never a distributor);
//! one sale in ten is two-tier, through the seller's distributor. Customers are mostly the
//! seller's repeat accounts, now and then a new one; an account's country follows from the
//! account. A line is in the customer country's currency (USD 15 % of the time), quantity
//! × list price less a discount, with its cost always for the physical families and 60 %
//! of the time otherwise; 5 % are returns (negative amount, quantity and cost) and 30 %
//! registered deals.

use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::world::{BASE, COUNTRIES, PRODUCTS, World, first_fact_day, last_day};
use crate::synth::rng;

/// One sales or return line, by index into the world's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub day: NaiveDate,
    pub seller: u32,
    pub distributor: Option<u32>,
    pub account: u32,
    /// Index into [`PRODUCTS`].
    pub product: u8,
    /// Index into [`COUNTRIES`] (the customer account's).
    pub country: u8,
    pub deal_registered: bool,
    pub quantity: i64,
    pub amount_minor: i64,
    pub cost_minor: Option<i64>,
    /// Index into the currencies.
    pub currency: u8,
}

/// The stream of `count` facts of a world.
pub struct Facts<'a> {
    world: &'a World,
    rng: ChaCha8Rng,
    day: NaiveDate,
    per_day: u64,
    /// Days (from the first) that get one line more.
    extra: u64,
    day_index: u64,
    left_today: u64,
    left: u64,
}

/// Local minor units of `usd_cents` in a currency, at rough fixed prices (the facts' own
/// amounts; the close converts them back at the day's stored rate).
fn local_minor(usd_cents: i64, currency: u8) -> i64 {
    match currency {
        1 => usd_cents * 92 / 100,
        2 => usd_cents * 79 / 100,
        3 | 4 => usd_cents * 3 / 2,
        _ => usd_cents,
    }
}

impl<'a> Facts<'a> {
    pub fn new(world: &'a World, count: u64) -> Self {
        let days = (last_day() - first_fact_day()).num_days() as u64 + 1;
        let mut facts = Facts {
            world,
            rng: rng(world.seed, 13),
            day: first_fact_day(),
            per_day: count / days,
            extra: count % days,
            day_index: 0,
            left_today: 0,
            left: count,
        };
        facts.left_today = facts.lines_on(0);
        facts
    }

    fn lines_on(&self, day_index: u64) -> u64 {
        self.per_day + u64::from(day_index < self.extra)
    }

    fn seller(&mut self) -> u32 {
        let partners = self.world.partners;
        let large = (partners / 100).max(1);
        let mid = (partners / 10).max(1);
        let r = &mut self.rng;
        let rank = match r.random_range(0..100) {
            0..25 => r.random_range(0..large),
            25..58 => r.random_range(0..mid),
            _ => r.random_range(0..partners),
        };
        let partner = self.world.order.apply(rank);
        if super::world::is_distributor(partner) {
            (partner + 1) % partners
        } else {
            partner
        }
    }

    fn fact(&mut self) -> Fact {
        let seller = self.seller();
        let world = self.world;
        let r = &mut self.rng;
        let distributor = (r.random_range(0..100) < 10).then(|| world.distributor[seller as usize]);
        let account = seller * 1024 + r.random_range(0..32u32) * r.random_range(0..32u32);
        let country = world.customer_country(seller, account);
        let product = r.random_range(0..PRODUCTS.len()) as u8;
        let item = &PRODUCTS[product as usize];
        let mut quantity = if item.seats {
            5 + r.random_range(0..246i64)
        } else {
            [1, 1, 1, 2, 2, 3, 5, 10][r.random_range(0..8)]
        };
        let discount = r.random_range(70..=100i64);
        let currency = if r.random_range(0..100) < 85 {
            COUNTRIES[country as usize].currency
        } else {
            BASE
        };
        let mut amount_minor = local_minor(quantity * item.price * discount + r.random_range(0..100i64), currency);
        let mut cost_minor = if item.always_costed() {
            Some(amount_minor * r.random_range(55..=85i64) / 100)
        } else if r.random_range(0..100) < 60 {
            Some(amount_minor * r.random_range(20..=60i64) / 100)
        } else {
            None
        };
        if r.random_range(0..100) < 5 {
            quantity = -quantity;
            amount_minor = -amount_minor;
            cost_minor = cost_minor.map(|c| -c);
        }
        Fact {
            day: self.day,
            seller,
            distributor,
            account,
            product,
            country,
            deal_registered: r.random_range(0..100) < 30,
            quantity,
            amount_minor,
            cost_minor,
            currency,
        }
    }
}

impl Iterator for Facts<'_> {
    type Item = Fact;

    fn next(&mut self) -> Option<Fact> {
        if self.left == 0 {
            return None;
        }
        while self.left_today == 0 {
            self.day_index += 1;
            self.day = self.day.succ_opt().expect("dates stay in range");
            self.left_today = self.lines_on(self.day_index);
        }
        self.left_today -= 1;
        self.left -= 1;
        Some(self.fact())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}
