//! Recording transactions before the image is built. Strings are interned once — a product
//! is its (SKU, family) pair, a country its code — so a transaction is recorded as a dozen
//! small integers appended to narrow columns (about 27 bytes), with no allocation per
//! transaction; sorting and indexing happen once, in [`TransactionImageBuilder::build`].

use std::collections::HashMap;

use chrono::NaiveDate;
use tributary_domain::incentives::Transaction;
use tributary_domain::money::Currency;

use super::columns::{Signed, Unsigned};
use super::image::{HAS_COST, Product, REGISTERED, RETURN};
use crate::days::day_number;

/// One transaction given by dense ids: `product` from [`TransactionImageBuilder::product`],
/// `customer_country` from [`TransactionImageBuilder::country`], partners and accounts as
/// dense indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawTransaction {
    pub date: NaiveDate,
    pub seller: u32,
    pub distributor: Option<u32>,
    pub account: u32,
    pub product: u32,
    pub customer_country: u16,
    pub deal_registered: bool,
    pub quantity: i64,
    pub amount_minor: i64,
    pub cost_minor: Option<i64>,
    pub currency: Currency,
}

/// Transactions in recording order, as flat narrow columns.
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    /// Day number of the first transaction recorded; `day` holds days relative to it.
    pub anchor: Option<i32>,
    pub day: Signed,
    pub seller: Vec<u32>,
    /// Distributor slot + 1 (0: sold direct); slots number the distributors densely.
    pub distributor: Unsigned,
    pub account: Vec<u32>,
    pub product: Unsigned,
    pub country: Unsigned,
    pub currency: Unsigned,
    pub flags: Vec<u8>,
    pub quantity: Signed,
    pub amount: Signed,
    /// 0 where the cost is unknown (the flags say which).
    pub cost: Signed,
}

/// Records transactions (interning SKU/family/country strings) for a [`TransactionImage`].
///
/// [`TransactionImage`]: super::TransactionImage
#[derive(Debug, Default)]
pub struct TransactionImageBuilder {
    pub(crate) recorded: Recorded,
    pub(crate) products: Vec<Product>,
    /// SKU → its families with their product ids (a SKU almost always has one).
    product_index: HashMap<String, Vec<(String, u32)>>,
    pub(crate) countries: Vec<String>,
    country_index: HashMap<String, u16>,
    pub(crate) currencies: Vec<Currency>,
    /// Slot → partner of every distributor seen.
    pub(crate) distributors: Vec<u32>,
    /// Partner → slot + 1 (0: not a distributor so far).
    distributor_slot: Vec<u32>,
}

impl TransactionImageBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `transactions` transactions, so loading never regrows a column (unless a
    /// value needs a wider one).
    pub fn with_capacity(transactions: usize) -> Self {
        let n = transactions;
        Self {
            recorded: Recorded {
                anchor: None,
                day: Signed::with_capacity(n),
                seller: Vec::with_capacity(n),
                distributor: Unsigned::with_capacity(n),
                account: Vec::with_capacity(n),
                product: Unsigned::with_capacity(n),
                country: Unsigned::with_capacity(n),
                currency: Unsigned::with_capacity(n),
                flags: Vec::with_capacity(n),
                quantity: Signed::with_capacity(n),
                amount: Signed::with_capacity(n),
                cost: Signed::with_capacity(n),
            },
            ..Self::default()
        }
    }

    /// Registers a product (SKU and its family) and returns its dense id.
    pub fn product(&mut self, sku: &str, family: &str) -> u32 {
        if let Some((_, id)) = self
            .product_index
            .get(sku)
            .and_then(|families| families.iter().find(|(f, _)| f == family))
        {
            return *id;
        }
        let id = u32::try_from(self.products.len()).expect("fewer than 2^32 products");
        self.products.push(Product {
            sku: sku.to_string(),
            family: family.to_string(),
        });
        self.product_index
            .entry(sku.to_string())
            .or_default()
            .push((family.to_string(), id));
        id
    }

    /// Registers a customer country (ISO code) and returns its dense id.
    pub fn country(&mut self, code: &str) -> u16 {
        if let Some(id) = self.country_index.get(code) {
            return *id;
        }
        let id = u16::try_from(self.countries.len()).expect("fewer than 65,536 countries");
        self.countries.push(code.to_string());
        self.country_index.insert(code.to_string(), id);
        id
    }

    fn currency(&mut self, currency: Currency) -> u32 {
        let index = match self.currencies.iter().position(|c| *c == currency) {
            Some(index) => index,
            None => {
                self.currencies.push(currency);
                self.currencies.len() - 1
            }
        };
        index as u32
    }

    fn distributor(&mut self, partner: u32) -> u32 {
        let p = partner as usize;
        if p >= self.distributor_slot.len() {
            self.distributor_slot.resize(p + 1, 0);
        }
        if self.distributor_slot[p] == 0 {
            self.distributors.push(partner);
            self.distributor_slot[p] = u32::try_from(self.distributors.len()).expect("fewer than 2^32 distributors");
        }
        self.distributor_slot[p]
    }

    /// Records one transaction given by ids (no allocation beyond the columns' growth).
    ///
    /// # Panics
    /// When `product` or `customer_country` was not registered with this builder.
    pub fn push_raw(&mut self, t: RawTransaction) {
        assert!(
            (t.product as usize) < self.products.len(),
            "product {} is not registered",
            t.product
        );
        assert!(
            usize::from(t.customer_country) < self.countries.len(),
            "country {} is not registered",
            t.customer_country
        );
        let currency = self.currency(t.currency);
        let distributor = t.distributor.map_or(0, |d| self.distributor(d));
        let day = day_number(t.date);
        let r = &mut self.recorded;
        let anchor = *r.anchor.get_or_insert(day);
        r.day.push(i64::from(day) - i64::from(anchor));
        r.seller.push(t.seller);
        r.distributor.push(distributor);
        r.account.push(t.account);
        r.product.push(t.product);
        r.country.push(u32::from(t.customer_country));
        r.currency.push(currency);
        let mut flags = 0;
        if t.amount_minor < 0 || t.quantity < 0 {
            flags |= RETURN;
        }
        if t.deal_registered {
            flags |= REGISTERED;
        }
        if t.cost_minor.is_some() {
            flags |= HAS_COST;
        }
        r.flags.push(flags);
        r.quantity.push(t.quantity);
        r.amount.push(t.amount_minor);
        r.cost.push(t.cost_minor.unwrap_or(0));
    }

    /// Records one domain transaction (interning its strings).
    pub fn push(&mut self, t: &Transaction) {
        let product = self.product(&t.sku, &t.family);
        let customer_country = self.country(&t.customer_country);
        self.push_raw(RawTransaction {
            date: t.date,
            seller: t.seller,
            distributor: t.distributor,
            account: t.account,
            product,
            customer_country,
            deal_registered: t.deal_registered,
            quantity: t.quantity,
            amount_minor: t.amount_minor,
            cost_minor: t.cost_minor,
            currency: t.currency,
        });
    }

    /// Transactions recorded so far.
    pub fn transaction_count(&self) -> usize {
        self.recorded.seller.len()
    }

    /// Bytes the recorded columns hold on the heap (interned strings not counted).
    pub fn heap_bytes(&self) -> usize {
        let r = &self.recorded;
        r.day.heap_bytes()
            + r.seller.capacity() * 4
            + r.distributor.heap_bytes()
            + r.account.capacity() * 4
            + r.product.heap_bytes()
            + r.country.heap_bytes()
            + r.currency.heap_bytes()
            + r.flags.capacity()
            + r.quantity.heap_bytes()
            + r.amount.heap_bytes()
            + r.cost.heap_bytes()
            + self.distributor_slot.capacity() * 4
    }
}
