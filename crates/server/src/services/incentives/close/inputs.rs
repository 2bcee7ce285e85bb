//! Everything one close reads, in one read transaction so the plans, facts, rates and
//! carries belong together: the latest published version of each plan of the period's
//! cadence, every partner with its standing on the period's last day, the sales facts the
//! period can count (a return up to the longest holding period after the period's end
//! still counts; plans that pay new customers only need each account's whole history)
//! recorded into the engine's columnar image, custom-metric facts, FX rates, regions,
//! withholding rates and the carry of every (partner, plan) from earlier statements.

use std::collections::BTreeMap;

use chrono::Days;
use rust_decimal::Decimal;
use tributary_domain::incentives::{CustomFact, EligiblePartner, Measure, Period, RegionCountries};
use tributary_domain::tiering::RateTable;
use tributary_engine::incentives::{TransactionImage, TransactionImageBuilder};
use tributary_store::Scope;
use tributary_store::repo::incentive_plans::{self, PublishedPlan};
use tributary_store::repo::partners::{Partner, PartnerFilter};
use tributary_store::repo::{metric_facts, sales, statements, withholding_rates};

use super::super::facts::{Dense, date_text, rates, region_countries};
use super::eligibility::Standings;
use crate::error::AppResult;
use crate::services::tiering::members::every_partner;

pub struct CloseInputs {
    pub period: Period,
    pub plans: Vec<PublishedPlan>,
    /// Every partner; its index is its dense number in the image and the settlements.
    pub partners: Vec<Partner>,
    /// Per plan (same order), the partners it pays with their terms and carry-in.
    pub eligible: Vec<Vec<EligiblePartner>>,
    pub image: TransactionImage,
    pub custom_facts: Vec<CustomFact>,
    pub rates: RateTable,
    pub regions: RegionCountries,
    /// Withholding rate by tax country (claims are taxed like earnings).
    pub withholding: BTreeMap<String, Decimal>,
}

impl CloseInputs {
    /// The withholding rate of partner `index`'s tax country.
    pub fn withholding_rate(&self, index: usize) -> Decimal {
        self.withholding
            .get(&self.partners[index].fields.tax_country)
            .copied()
            .unwrap_or_default()
    }
}

/// Loads the inputs of closing `period`.
pub async fn load(db: &tributary_store::Db, period: Period) -> AppResult<CloseInputs> {
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let (start, end) = (date_text(period.start), date_text(period.end));
    let plans = incentive_plans::published_for_period(&mut conn, period.kind.as_str(), &start, &end).await?;
    let partners = every_partner(&mut conn, &Scope::All, &PartnerFilter::default()).await?;
    let holding = plans.iter().map(|p| p.definition.holding_days).max().unwrap_or(0);
    let until = period
        .end
        .checked_add_days(Days::new(u64::from(holding)))
        .unwrap_or(period.end);
    let whole_history = plans.iter().any(|p| {
        p.definition.filter.new_customers_only && !matches!(p.definition.measure, Measure::CustomMetric { .. })
    });
    let mut dense = Dense::new(partners.iter().map(|p| p.id.as_str()));
    let sold = sales::for_close(
        &mut conn,
        (!whole_history).then_some(start.as_str()),
        &date_text(until),
        None,
    )
    .await?;
    let mut builder = TransactionImageBuilder::with_capacity(sold.len());
    for sale in &sold {
        builder.push(&dense.transaction(sale)?);
    }
    drop(sold);
    let image = builder.build(partners.len() as u32);
    let metric_facts = metric_facts::for_metrics(&mut conn, &end).await?;
    let custom_names: Vec<&str> = plans
        .iter()
        .filter_map(|p| match &p.definition.measure {
            Measure::CustomMetric { name } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut custom_facts = Vec::new();
    for fact in metric_facts
        .iter()
        .filter(|f| custom_names.contains(&f.metric.as_str()))
    {
        custom_facts.push(dense.custom_fact(fact)?);
    }
    let rates = rates(&mut conn, until).await?;
    let regions = region_countries(&mut conn).await?;
    let withholding = withholding_rates::all(&mut conn).await?;
    let carries = statements::carries_before(&mut conn, &start).await?;
    let standings = Standings::load(&mut conn, &partners, &plans, period.end, &regions, &metric_facts).await?;
    let eligible = plans
        .iter()
        .map(|plan| standings.eligible(plan, &partners, &withholding, &carries))
        .collect();
    // The read transaction ends here (rolled back: it wrote nothing).
    drop(tx);
    Ok(CloseInputs {
        period,
        plans,
        partners,
        eligible,
        image,
        custom_facts,
        rates,
        regions,
        withholding,
    })
}
