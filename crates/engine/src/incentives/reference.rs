//! The reference's own arithmetic on image rows, for the few cases the integer tally does
//! not settle: the error a failing row raises (a missing cost before a missing rate, the
//! rate's error exactly as [`RateTable::rate`] words it), and measures whose exactness the
//! fixed-point sum cannot prove (rates too precise for a common scale, or sums that may
//! leave a decimal's 96 bits) — there the rows are added as decimals in recording order,
//! roundings and all, just as `tributary_domain::incentives::measure` adds them.

use rust_decimal::Decimal;
use tributary_domain::incentives::{CloseError, Measured};
use tributary_domain::money::Currency;
use tributary_domain::tiering::RateTable;

use super::image::{HAS_COST, TransactionImage};
use super::tally::Kind;

pub(crate) struct Reference<'a> {
    pub image: &'a TransactionImage,
    pub kind: Kind,
    pub currency: Currency,
    pub rates: &'a RateTable,
}

impl Reference<'_> {
    /// What row `i` adds to the measure, or the error the reference raises on it.
    pub fn contribution(&self, i: usize) -> Result<Decimal, CloseError> {
        let image = self.image;
        let minor = match self.kind {
            Kind::Quantity => return Ok(Decimal::from(image.quantity.get(i))),
            Kind::Amount => image.amount.get(i),
            Kind::Margin => {
                if image.flags[i] & HAS_COST == 0 {
                    return Err(CloseError::MissingCost {
                        sku: image.products[image.product.get(i) as usize].sku.clone(),
                        date: image.date(i),
                    });
                }
                image.amount.get(i) - image.cost.get(i)
            }
        };
        let currency = image.currency_of(i);
        let rate = self.rates.rate(currency, self.currency, image.date(i))?;
        Ok(currency.from_minor(minor) * rate)
    }

    /// The measure over `rows` (a payee's counted rows, any order) added in recording order.
    pub fn measure(&self, mut rows: Vec<u32>) -> Result<Measured, CloseError> {
        rows.sort_unstable_by_key(|i| self.image.seq[*i as usize]);
        let mut measured = Measured {
            value: Decimal::ZERO,
            fact_count: 0,
        };
        for i in rows {
            measured.value += self.contribution(i as usize)?;
            measured.fact_count += 1;
        }
        Ok(measured)
    }
}
