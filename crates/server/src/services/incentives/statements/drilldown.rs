//! The facts behind a statement line: the transactions (or custom-metric facts) its
//! measure summed, re-selected from the stored facts with the domain's own rules for the
//! line's plan version, partner and period — the payee, the day a fact counts on (a return
//! inside the holding period counts in the period it reverses), the plan's filter, new
//! customers — each with the rate it was converted at (its own day's, or the latest
//! earlier) and what it added to the measure. Facts are append-only, so the facts found
//! are the ones the close counted, unless facts dated in the period arrived after it.

use chrono::Days;
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::incentives::{Measure, Period, Plan, Transaction, contribution, matcher};
use tributary_store::Conn;
use tributary_store::page::Cursor;
use tributary_store::repo::incentive_plans;
use tributary_store::repo::metric_facts;
use tributary_store::repo::sales::{self, CloseSale};
use tributary_store::repo::statements::{LineKind, Statement, StatementLine};
use utoipa::ToSchema;

use super::super::facts::{Dense, date_text, rates, region_countries};
use crate::error::{AppError, AppResult};

/// One fact behind a line.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LineFact {
    pub fact_id: String,
    /// `sale`, `return` or `metric` (a custom-metric fact).
    pub kind: String,
    pub fact_date: String,
    /// The day the fact counts on: a return's date minus the plan's holding days.
    pub counted_on: String,
    /// For a sale: `seller` or `distributor` — how the partner is paid on it.
    pub role: Option<String>,
    pub account_id: Option<String>,
    pub product_sku: Option<String>,
    pub product_family: Option<String>,
    pub customer_country: Option<String>,
    pub deal_registered: Option<bool>,
    pub quantity: Option<i64>,
    /// In `currency`.
    #[schema(value_type = Option<String>)]
    pub amount: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub cost: Option<Decimal>,
    pub currency: Option<String>,
    /// `currency` → plan currency on the fact's day (or the latest earlier), when converted.
    #[schema(value_type = Option<String>)]
    pub rate: Option<Decimal>,
    /// What the fact adds to the measure (plan currency, units, or the metric's value).
    #[schema(value_type = String)]
    pub contribution: Decimal,
}

/// One page of a line's facts, in date order.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LineFacts {
    pub items: Vec<LineFact>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// How many facts are behind the line (all pages).
    pub count: usize,
    /// The sum of every fact's contribution (all pages): the line's measure.
    #[schema(value_type = String)]
    pub measure: Decimal,
}

/// The plan version and period a line's measure was taken for.
async fn basis(conn: &mut Conn<'_>, statement: &Statement, line: &StatementLine) -> AppResult<(Plan, Period)> {
    let (Some(plan_id), Some(version), true) = (
        &line.plan_id,
        line.plan_version,
        matches!(line.kind, LineKind::Earning | LineKind::Adjustment),
    ) else {
        return Err(AppError::Conflict(
            "only a plan's earning line (or its correction) has facts behind it".into(),
        ));
    };
    let plan = incentive_plans::version(conn, plan_id, version)
        .await?
        .ok_or_else(|| AppError::not_found("plan version"))?
        .definition;
    let key = line.adjusts_period_key.as_deref().unwrap_or(&statement.period_key);
    let period = Period::parse(key).map_err(crate::error::internal)?;
    Ok((plan, period))
}

fn sale_fact(plan: &Plan, sale: &CloseSale, t: &Transaction, rate: Option<Decimal>, contribution: Decimal) -> LineFact {
    LineFact {
        fact_id: sale.id.clone(),
        kind: if t.is_return() { "return" } else { "sale" }.into(),
        fact_date: sale.fact_date.clone(),
        counted_on: date_text(t.counted_on(plan.holding_days)),
        role: Some(if t.seller == 0 { "seller" } else { "distributor" }.into()),
        account_id: Some(sale.account_id.clone()),
        product_sku: Some(sale.sku.clone()),
        product_family: Some(sale.family.clone()),
        customer_country: Some(sale.customer_country.clone()),
        deal_registered: Some(sale.deal_registered),
        quantity: Some(sale.quantity),
        amount: Some(t.currency.from_minor(t.amount_minor)),
        cost: t.cost_minor.map(|c| t.currency.from_minor(c)),
        currency: Some(t.currency.code().to_string()),
        rate,
        contribution,
    }
}

/// Every fact behind the line, in date order.
async fn all_facts(conn: &mut Conn<'_>, statement: &Statement, line: &StatementLine) -> AppResult<Vec<LineFact>> {
    let (plan, period) = basis(conn, statement, line).await?;
    if let Measure::CustomMetric { name } = &plan.measure {
        let mut found: Vec<LineFact> = metric_facts::for_metrics(conn, &date_text(period.end))
            .await?
            .into_iter()
            .filter(|f| f.partner_id == statement.partner_id && &f.metric == name)
            .filter(|f| f.fact_date >= date_text(period.start))
            .map(|f| {
                Ok(LineFact {
                    contribution: f.value.parse().map_err(crate::error::internal)?,
                    kind: "metric".into(),
                    counted_on: f.fact_date.clone(),
                    fact_date: f.fact_date,
                    fact_id: f.id,
                    role: None,
                    account_id: None,
                    product_sku: None,
                    product_family: None,
                    customer_country: None,
                    deal_registered: None,
                    quantity: None,
                    amount: None,
                    cost: None,
                    currency: None,
                    rate: None,
                })
            })
            .collect::<AppResult<_>>()?;
        found.sort_by(|a, b| (&a.fact_date, &a.fact_id).cmp(&(&b.fact_date, &b.fact_id)));
        return Ok(found);
    }
    let until = period
        .end
        .checked_add_days(Days::new(u64::from(plan.holding_days)))
        .unwrap_or(period.end);
    let from = (!plan.filter.new_customers_only).then(|| date_text(period.start));
    let sold = sales::for_close(conn, from.as_deref(), &date_text(until), Some(&statement.partner_id)).await?;
    let mut dense = Dense::new(std::iter::once(statement.partner_id.as_str()));
    let transactions: Vec<Transaction> = sold.iter().map(|s| dense.transaction(s)).collect::<AppResult<_>>()?;
    let table = rates(conn, until).await?;
    let regions = region_countries(conn).await?;
    let counts = matcher(&plan, 0, &period, &transactions, &regions);
    let mut found = Vec::new();
    for (sale, t) in sold.iter().zip(&transactions).filter(|(_, t)| counts(t)) {
        let counted = contribution(&plan.measure, plan.currency, t, &table)
            .map_err(|e| AppError::Conflict(format!("{e}; the line cannot be explained until it is fixed")))?;
        found.push(sale_fact(&plan, sale, t, counted.rate, counted.value));
    }
    found.sort_by(|a, b| (&a.fact_date, &a.fact_id).cmp(&(&b.fact_date, &b.fact_id)));
    Ok(found)
}

/// One page of the facts behind `line` of `statement`: up to `limit` after `cursor`.
pub async fn facts_behind(
    conn: &mut Conn<'_>,
    statement: &Statement,
    line: &StatementLine,
    cursor: Option<&Cursor>,
    limit: usize,
) -> AppResult<LineFacts> {
    let all = all_facts(conn, statement, line).await?;
    let measure = all.iter().map(|f| f.contribution).sum();
    let count = all.len();
    let mut rest = all
        .into_iter()
        .filter(|f| cursor.is_none_or(|c| (&f.fact_date, &f.fact_id) > (&c.sort_value, &c.id)))
        .peekable();
    let items: Vec<LineFact> = rest.by_ref().take(limit).collect();
    let next_cursor = match (rest.peek(), items.last()) {
        (Some(_), Some(last)) => Some(
            Cursor {
                sort_value: last.fact_date.clone(),
                id: last.fact_id.clone(),
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(LineFacts {
        items,
        next_cursor,
        count,
        measure,
    })
}
