//! Demo data for Tributary: a realistic vendor with its partner ecosystem, customers,
//! price list, exchange rates and a year of sales, generated from a seed.
//!
//! It exists so that a fresh installation can be explored, demonstrated and load-tested
//! without real customer data: every screen (partner map, hierarchy browser, conflict
//! matching, revenue by currency, deal registration) has something plausible to show, and
//! the same seed always yields the same data, so screenshots, tests and benchmarks are
//! reproducible. The crate is pure — no I/O, no clock, no floating point; a loader elsewhere
//! writes [`generate`]'s dataset and the [`facts`] stream to a database. Every value passes
//! the domain's own validation.

mod accounts;
mod addresses;
mod calendar;
mod facts;
mod fx;
mod geography;
pub mod incentives;
mod names;
mod partners;
mod products;
mod random;
mod tiering;
mod users;
mod verticals;

use std::collections::HashSet;

use chrono::NaiveDate;
use tributary_domain::account::AccountFields;
use tributary_domain::fx::FxRateFields;
use tributary_domain::geography::{RegionFields, VerticalFields};
use tributary_domain::metric_fact::MetricFactFields;
use tributary_domain::money::Currency;
use tributary_domain::partner::PartnerFields;
use tributary_domain::product::ProductFields;
use tributary_domain::role::Role;
use tributary_domain::tiering::{Cadence, TierStructure};
use tributary_domain::user::UserFields;

/// What to generate and from which seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Same seed, same data.
    pub seed: u64,
    pub partners: usize,
    /// Customer accounts (companies, subsidiaries and offices together).
    pub accounts: usize,
    pub products: usize,
    /// Sales lines in the whole window (fewer only when no partner may sell).
    pub facts: usize,
    /// Last day of sales (and of exchange rates).
    pub end_date: NaiveDate,
    /// Whole calendar months of sales ending with the month of `end_date` (at least one).
    pub months: u32,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            partners: 300,
            accounts: 20_000,
            products: 200,
            facts: 250_000,
            end_date: NaiveDate::from_ymd_opt(2026, 10, 31).expect("2026-10-31 is a calendar date"),
            months: 13,
        }
    }
}

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "tributary-demo-2026";

/// A user with the identifier the loader should give it (partners refer to channel managers by it).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoUser {
    pub id: String,
    pub fields: UserFields,
}

/// Everything but the sales lines. Records that refer to others come after them:
/// distributors before their resellers, parent accounts before their children, channel
/// managers (in `users`) are referenced by id from `partners`, partner users by partner id.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDataset {
    pub regions: Vec<RegionFields>,
    pub verticals: Vec<VerticalFields>,
    /// Vendor team first (admin, cam1…cam6, finance, legal, marketing), then an
    /// administrator and a user for every partner, in partner order.
    pub users: Vec<DemoUser>,
    /// Partner id and fields.
    pub partners: Vec<(String, PartnerFields)>,
    /// Product id and fields; list prices are in USD.
    pub products: Vec<(String, ProductFields)>,
    /// Account id and fields.
    pub accounts: Vec<(String, AccountFields)>,
    /// For every day of the facts window and every non-USD payout currency: X→USD and USD→X.
    pub fx_rates: Vec<FxRateFields>,
    /// The partner program, valid from the first day of the window.
    pub tier_structure: TierStructure,
    /// Metric facts the program reads (certified people, training, CSAT, agreements).
    pub metric_facts: Vec<MetricFactFields>,
    /// The quarter ends inside the window, when the program is evaluated.
    pub evaluation_dates: Vec<NaiveDate>,
}

/// One sales or return line; `partner` and `distributor` index `dataset.partners`,
/// `account` indexes `dataset.accounts` and `product` indexes `dataset.products`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFact {
    pub fact_date: NaiveDate,
    pub partner: u32,
    /// The distributor a reseller bought through.
    pub distributor: Option<u32>,
    pub account: u32,
    pub product: u32,
    /// Negative for returns.
    pub quantity: i64,
    /// In minor units of `currency`; negative for returns.
    pub amount_minor: i64,
    pub currency: Currency,
    /// Deal registration such as "DR-2026-000123"; a return repeats its sale's.
    pub deal_ref: Option<String>,
    /// "erp", "distributor_feed" or "pos".
    pub source: &'static str,
}

/// Generates the demo vendor for `config` (everything but the sales lines).
pub fn generate(config: &DemoConfig) -> DemoDataset {
    let mut users = users::vendor_users(config.seed);
    let channel_managers: Vec<String> = users
        .iter()
        .filter(|u| u.fields.role == Role::ChannelManager)
        .map(|u| u.id.clone())
        .collect();
    let mut domains = HashSet::from(["tributary.example".to_string()]);
    let partners = partners::generate(config.seed, config.partners, &channel_managers, &mut domains);
    users.extend(users::partner_users(config.seed, &partners));
    let accounts = accounts::generate(config.seed, config.accounts, &mut domains);
    let products = products::generate(config.seed, config.products);
    let mut currencies: Vec<Currency> = partners.iter().map(|(_, p)| p.payout_currency).collect();
    currencies.sort();
    currencies.dedup();
    let window = calendar::Window::new(config.end_date, config.months);
    let fx_rates = fx::generate(config.seed, &window, &currencies);
    let first_day = window.dates().first().copied().unwrap_or(config.end_date);
    let metric_facts = tiering::metric_facts(config.seed, &window, &partners);
    let evaluation_dates = window
        .dates()
        .iter()
        .copied()
        .filter(|d| tributary_domain::tiering::schedule::period_end(Cadence::Quarterly, *d) == *d)
        .collect();
    DemoDataset {
        regions: geography::regions(),
        verticals: verticals::verticals(),
        users,
        partners,
        products,
        accounts,
        fx_rates,
        tier_structure: tiering::structure(first_day),
        metric_facts,
        evaluation_dates,
    }
}

/// The sales lines of `dataset`, in date order, produced lazily: `config.facts` of them
/// spread over the window. The stream copies the lookup tables it needs, so it borrows
/// neither argument and can be moved to another thread; the same config and dataset always
/// give the same lines.
pub fn facts(config: &DemoConfig, dataset: &DemoDataset) -> impl Iterator<Item = DemoFact> + use<> {
    facts::FactStream::new(config, dataset)
}

/// One (role, e-mail) per role to sign in as: admin, a channel manager who has partners,
/// finance, legal, marketing, and the partner admin and partner user of an active reseller.
/// Every one signs in with [`DEMO_PASSWORD`]. Roles without such a user are left out.
pub fn demo_credentials(dataset: &DemoDataset) -> Vec<(String, String)> {
    users::credentials(dataset)
}
