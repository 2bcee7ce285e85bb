//! Which rows a plan counts for a payee in a period, decided on the image's integers with
//! the reference's own rules: the plan's filter becomes a mask over the interned products
//! and countries (the same case-insensitive comparisons, made once per plan instead of per
//! transaction), the period becomes day offsets, and a return counts on its day minus the
//! holding days exactly as `Transaction::counted_on` says (a day before the first date
//! clamps to it, which only a period starting on that first date contains).

use chrono::NaiveDate;
use tributary_domain::incentives::{Payee, Period, Plan, RegionCountries};

use super::image::{REGISTERED, TransactionImage};
use crate::days::day_number;

/// The role in which a partner is paid on a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Seller,
    Distributor,
}

#[derive(Debug)]
pub(crate) struct Selection {
    /// The day offsets (inclusive) of the sales and of the returns that count: sales in the
    /// period, returns up to the holding days after it; `None` when there are none.
    sales: Option<(u32, u32)>,
    returns: Option<(u32, u32)>,
    /// Per product / country: whether it passes; `None` when the plan does not filter on it.
    products: Option<Vec<bool>>,
    countries: Option<Vec<bool>>,
    registered_only: bool,
    /// For new customers only: the first-sale values (day offset + 1) in the period.
    new_customers: Option<(u32, u32)>,
    payee: Payee,
}

impl Selection {
    pub fn new(image: &TransactionImage, plan: &Plan, period: &Period, regions: &RegionCountries) -> Selection {
        let base = i64::from(image.base_day);
        let offset = |date: NaiveDate| i64::from(day_number(date)) - base;
        let lo = if period.start == NaiveDate::MIN {
            i64::MIN
        } else {
            offset(period.start)
        };
        let hi = offset(period.end);
        let holding_days = i64::from(plan.holding_days);
        let last = i64::from(image.span) - 1;
        let clamp = |from: i64, to: i64| {
            let (from, to) = (from.max(0), to.min(last));
            (from <= to).then_some((from as u32, to as u32))
        };
        let sales = clamp(lo, hi);
        let returns = clamp(lo.saturating_add(holding_days), hi.saturating_add(holding_days));
        let filter = &plan.filter;
        let products = (!filter.product_families.is_empty() || !filter.skus.is_empty()).then(|| {
            image
                .products
                .iter()
                .map(|p| {
                    (filter.product_families.is_empty()
                        || filter
                            .product_families
                            .iter()
                            .any(|f| f.eq_ignore_ascii_case(&p.family)))
                        && (filter.skus.is_empty() || filter.skus.iter().any(|s| s.eq_ignore_ascii_case(&p.sku)))
                })
                .collect()
        });
        let countries = (!filter.customer_regions.is_empty()).then(|| {
            image
                .countries
                .iter()
                .map(|code| {
                    filter
                        .customer_regions
                        .iter()
                        .any(|r| regions.get(r).is_some_and(|countries| countries.contains(code)))
                })
                .collect()
        });
        let new_customers = filter.new_customers_only.then(|| {
            // Values are day offset + 1 (0: never sold), so the period is [lo + 1, hi + 1].
            let from = lo.saturating_add(1).max(1);
            let to = hi.saturating_add(1);
            if from > to || to < 1 || from > i64::from(u32::MAX) {
                (1, 0)
            } else {
                (from as u32, to.min(i64::from(u32::MAX)) as u32)
            }
        });
        Selection {
            sales,
            returns,
            products,
            countries,
            registered_only: filter.registered_deals_only,
            new_customers,
            payee: plan.payee,
        }
    }

    pub fn pays_seller(&self) -> bool {
        self.payee != Payee::Distributor
    }

    pub fn pays_distributor(&self) -> bool {
        self.payee != Payee::Reseller
    }

    /// Calls `each` with every row `partner` sold that falls in the period (a sale dated in
    /// it, a return dated up to the holding days after it).
    #[inline]
    pub fn sold(&self, image: &TransactionImage, partner: u32, mut each: impl FnMut(usize)) {
        for (returns, days) in [(false, self.sales), (true, self.returns)] {
            if let Some(days) = days {
                image.sold(partner, returns, days, |rows| rows.for_each(&mut each));
            }
        }
    }

    /// Whether row `i` (in the period, and paid to the payee) passes the plan's product,
    /// region and deal criteria.
    #[inline]
    pub fn passes(&self, image: &TransactionImage, i: usize) -> bool {
        (!self.registered_only || image.flags[i] & REGISTERED != 0)
            && self
                .products
                .as_ref()
                .is_none_or(|mask| mask[image.product.get(i) as usize])
            && self
                .countries
                .as_ref()
                .is_none_or(|mask| mask[image.country.get(i) as usize])
    }

    /// Whether row `i` passes the new-customer criterion for the partner paid in `role`.
    #[inline]
    pub fn is_new(&self, image: &TransactionImage, i: usize, role: Role) -> bool {
        let Some((from, to)) = self.new_customers else {
            return true;
        };
        let first = self.first_sale(image, i, role);
        from <= first && first <= to
    }

    /// The first positive sale (day offset + 1, 0 for none) of row `i`'s payee in `role` to
    /// its account, over the transactions the plan's payee pays that partner on.
    fn first_sale(&self, image: &TransactionImage, i: usize, role: Role) -> u32 {
        let (column, either) = match role {
            Role::Seller => (&image.first_seller, &image.both_seller),
            Role::Distributor => (&image.first_distributor, &image.both_distributor),
        };
        if self.payee == Payee::Both
            && !either.is_empty()
            && let Ok(k) = either.binary_search_by_key(&(i as u32), |e| e.0)
        {
            return either[k].1;
        }
        column.get(i)
    }
}
