//! Incentive spend for a period: what the statements of the period pay, by plan and by the
//! partner's region (its head-office country's region), per payout currency — bar charts
//! (whole currency units) and the table behind them, sorted and exported as CSV. Read
//! through the caller's scope: a channel manager sees the spend on its own partners.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use tributary_store::repo::close_runs::{self, CloseRunFilter, CloseStatus};
use tributary_store::repo::incentive_plans::PlanFilter;
use tributary_store::repo::partners;
use tributary_store::repo::statements::{self, PlacedLine};

use super::super::conflict::regions_by_country;
use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, plain, sortable};
use super::super::page::{Chrome, PageError, PortalCaller, render, respond, see_other};
use super::super::tiers::chart::{self, BarChart};
use super::super::tiers::{csv_of, csv_response};
use super::{EARNINGS, PLANS, amount_text, tabs};
use crate::api::incentive_plans::visible_plans;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// The spend page.
pub const SPEND: &str = "/incentives/spend";

/// How many closed periods the period select offers.
const PERIODS: u64 = 60;

/// What one plan paid in one region and unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spend {
    pub plan_id: Option<String>,
    pub plan: String,
    pub region: String,
    /// Payout currency code, or `PTS`.
    pub unit: String,
    pub lines: u64,
    pub gross: Decimal,
    pub withholding: Decimal,
    pub net: Decimal,
}

/// Sums `lines` by (plan, region, unit); `region_of` names a partner's region and
/// `plan_name` a plan (lines without a plan are grouped by their kind).
pub fn tally(
    lines: &[PlacedLine],
    region_of: impl Fn(&str) -> String,
    plan_name: impl Fn(&str) -> String,
) -> Vec<Spend> {
    let mut groups: BTreeMap<(String, String, String), Spend> = BTreeMap::new();
    for placed in lines {
        let line = &placed.line;
        let plan = match &line.plan_id {
            Some(id) => plan_name(id),
            None => format!("{}s", line.kind.label()),
        };
        let region = region_of(&placed.partner_id);
        let entry = groups
            .entry((plan.clone(), region.clone(), line.unit.clone()))
            .or_insert_with(|| Spend {
                plan_id: line.plan_id.clone(),
                plan,
                region,
                unit: line.unit.clone(),
                ..Default::default()
            });
        entry.lines += 1;
        entry.gross += line.gross;
        entry.withholding += line.withholding;
        entry.net += line.net;
    }
    groups.into_values().collect()
}

/// Gross per `key` of `rows` in `unit`, as chart categories and whole-unit values.
fn by(rows: &[Spend], unit: &str, key: impl Fn(&Spend) -> &str) -> (Vec<String>, Vec<u64>) {
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.unit == unit) {
        *totals.entry(key(row).to_string()).or_default() += row.gross;
    }
    let values = totals
        .values()
        .map(|v| v.max(&Decimal::ZERO).trunc().to_u64().unwrap_or(0))
        .collect();
    (totals.into_keys().collect(), values)
}

fn unit_name(unit: &str) -> String {
    if unit == tributary_domain::incentives::POINTS_UNIT {
        "points".into()
    } else {
        unit.to_string()
    }
}

fn charts(rows: &[Spend], units: &[String]) -> (Vec<BarChart>, Vec<BarChart>) {
    let chart_of = |id: &str, what: &str, unit: &str, key: &dyn Fn(&Spend) -> &str| {
        let (categories, values) = by(rows, unit, key);
        chart::grouped(
            &format!("{id}-{}", unit.to_lowercase()),
            &format!("Gross {} by {what}", unit_name(unit)),
            &categories,
            &[unit],
            &[values],
        )
    };
    (
        units
            .iter()
            .map(|u| chart_of("spend-plan-chart", "plan", u, &|r| r.plan.as_str()))
            .collect(),
        units
            .iter()
            .map(|u| chart_of("spend-region-chart", "region", u, &|r| r.region.as_str()))
            .collect(),
    )
}

const COLUMNS: &[Column] = &[
    sortable("Plan", "plan"),
    sortable("Region", "region"),
    plain("Currency"),
    Column {
        label: "Lines",
        sort: None,
        numeric: true,
    },
    Column {
        label: "Gross",
        sort: Some("gross"),
        numeric: true,
    },
    Column {
        label: "Withholding",
        sort: None,
        numeric: true,
    },
    Column {
        label: "Net",
        sort: None,
        numeric: true,
    },
];

fn sort_rows(rows: &mut [Spend], sort: Option<&str>) {
    let sort = sort.unwrap_or("plan");
    let (key, descending) = sort.strip_prefix('-').map_or((sort, false), |key| (key, true));
    rows.sort_by(|a, b| {
        let order = match key {
            "region" => a.region.cmp(&b.region),
            "gross" => a.unit.cmp(&b.unit).then(a.gross.cmp(&b.gross)),
            _ => a.plan.cmp(&b.plan),
        }
        .then_with(|| (&a.plan, &a.region, &a.unit).cmp(&(&b.plan, &b.region, &b.unit)));
        if descending { order.reverse() } else { order }
    });
}

/// The closed periods, newest first.
pub async fn closed_periods(state: &AppState) -> AppResult<Vec<String>> {
    let mut pooled = state.db.acquire().await?;
    let filter = CloseRunFilter {
        status: Some(CloseStatus::Succeeded),
        ..Default::default()
    };
    let mut runs = close_runs::list(&mut pooled.conn(), &filter, PERIODS).await?;
    runs.sort_by(|a, b| b.period_end.cmp(&a.period_end).then(a.period_key.cmp(&b.period_key)));
    let mut keys: Vec<String> = runs.into_iter().map(|r| r.period_key).collect();
    keys.dedup();
    Ok(keys)
}

/// The spend rows of `period` visible to the caller, with the page's currency filter and order.
async fn spend_rows(state: &AppState, caller: &Caller, period: &str, params: &Params) -> AppResult<Vec<Spend>> {
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    let plans: HashMap<String, String> = visible_plans(state, caller, &PlanFilter::default())
        .await?
        .into_iter()
        .map(|p| (p.id, p.definition.name))
        .collect();
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut lines = statements::lines_of_period(&mut conn, &grant.scope, period).await?;
    if let Some(currency) = params.get("currency") {
        lines.retain(|l| l.line.unit.eq_ignore_ascii_case(currency));
    }
    let (regions, _) = regions_by_country(&mut conn).await?;
    let mut partner_regions: HashMap<String, String> = HashMap::new();
    for placed in &lines {
        if partner_regions.contains_key(&placed.partner_id) {
            continue;
        }
        let country = partners::get(&mut conn, &grant.scope, &placed.partner_id)
            .await?
            .map(|p| p.fields.country)
            .unwrap_or_default();
        let region = regions
            .get(&country)
            .map_or_else(|| "No region".to_string(), |(_, name)| name.clone());
        partner_regions.insert(placed.partner_id.clone(), region);
    }
    let mut rows = tally(
        &lines,
        |partner| partner_regions.get(partner).cloned().unwrap_or_default(),
        |plan| plans.get(plan).cloned().unwrap_or_else(|| plan.to_string()),
    );
    sort_rows(&mut rows, params.get("sort"));
    Ok(rows)
}

#[derive(Debug, Serialize)]
struct SpendView {
    plan_id: Option<String>,
    plan: String,
    region: String,
    unit: String,
    lines: u64,
    gross: String,
    withholding: String,
    net: String,
}

#[derive(Debug, Serialize)]
struct Total {
    currency: String,
    gross: String,
    net: String,
}

pub async fn page(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        if caller.is_partner() {
            return see_other(EARNINGS);
        }
        authorize(&caller, Resource::Statements, Access::Read)?;
        let params = Params::of(&uri);
        let periods = closed_periods(&state).await?;
        let period = params.get("period").map(str::to_string).or_else(|| periods.first().cloned());
        let rows = match &period {
            Some(period) => spend_rows(&state, &caller, period, &params).await?,
            None => Vec::new(),
        };
        let mut units: Vec<String> = rows.iter().map(|r| r.unit.clone()).collect();
        units.sort();
        units.dedup();
        let (plan_charts, region_charts) = charts(&rows, &units);
        let totals: Vec<Total> = units
            .iter()
            .filter(|u| u.as_str() != tributary_domain::incentives::POINTS_UNIT)
            .map(|unit| {
                let (gross, net) = rows
                    .iter()
                    .filter(|r| &r.unit == unit)
                    .fold((Decimal::ZERO, Decimal::ZERO), |(g, n), r| (g + r.gross, n + r.net));
                Total {
                    currency: unit.clone(),
                    gross: amount_text(gross, unit),
                    net: amount_text(net, unit),
                }
            })
            .collect();
        let points: Decimal = rows
            .iter()
            .filter(|r| r.unit == tributary_domain::incentives::POINTS_UNIT)
            .map(|r| r.gross)
            .sum();
        let views: Vec<SpendView> = rows
            .iter()
            .map(|r| SpendView {
                plan_id: r.plan_id.clone(),
                plan: r.plan.clone(),
                region: r.region.clone(),
                unit: unit_name(&r.unit),
                lines: r.lines,
                gross: amount_text(r.gross, &r.unit),
                withholding: amount_text(r.withholding, &r.unit),
                net: amount_text(r.net, &r.unit),
            })
            .collect();
        let mut listing = Listing::new(SPEND, &params, "plan", COLUMNS).rows(views.len());
        listing.export_href = Some(
            params
                .filters()
                .href(&format!("{SPEND}.csv"), &[("period", period.as_deref())]),
        );
        let currencies: Vec<String> = tributary_domain::reference::currencies::CURRENCIES
            .iter()
            .map(|(code, _)| code.to_string())
            .chain([tributary_domain::incentives::POINTS_UNIT.to_string()])
            .collect();
        render(
            &state,
            "incentives/spend.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, PLANS),
                tabs => tabs(&caller, SPEND),
                filters => FormState::new(params.values()).prefixed("q-"),
                periods => choices(periods.iter().map(|p| (p.clone(), p.clone())), &one(period.as_deref())),
                currencies => choices(currencies.iter().map(|c| (c.clone(), unit_name(c))), &one(params.get("currency"))),
                points => (!points.is_zero()).then(|| amount_text(points, tributary_domain::incentives::POINTS_UNIT)),
                rows => views,
                period, plan_charts, region_charts, totals, listing,
            },
        )
    })
    .await
}

/// The spend table as CSV (exact amounts), with the page's filters and order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let period = match params.get("period") {
            Some(period) => period.to_string(),
            None => closed_periods(&state).await?.into_iter().next().unwrap_or_default(),
        };
        let rows = spend_rows(&state, &caller, &period, &params).await?;
        let body = csv_of(
            &[
                "period",
                "plan_id",
                "plan",
                "region",
                "currency",
                "lines",
                "gross",
                "withholding",
                "net",
            ],
            rows.into_iter().map(|r| {
                vec![
                    period.clone(),
                    r.plan_id.unwrap_or_default(),
                    r.plan,
                    r.region,
                    r.unit,
                    r.lines.to_string(),
                    r.gross.to_string(),
                    r.withholding.to_string(),
                    r.net.to_string(),
                ]
            }),
        )?;
        csv_response("incentive-spend.csv", body)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;
    use tributary_store::repo::statements::{LineKind, StatementLine, StatementStatus};

    fn line(partner: &str, plan: Option<&str>, unit: &str, gross: Decimal) -> PlacedLine {
        PlacedLine {
            partner_id: partner.into(),
            period_key: "2026-Q1".into(),
            period_end: "2026-03-31".into(),
            status: StatementStatus::Calculated,
            line: StatementLine {
                id: "l".into(),
                statement_id: "s".into(),
                line_no: 1,
                kind: if plan.is_some() {
                    LineKind::Earning
                } else {
                    LineKind::Claim
                },
                plan_id: plan.map(str::to_string),
                plan_version: None,
                claim_id: None,
                adjusts_period_key: None,
                description: String::new(),
                unit: unit.into(),
                measure: None,
                carry_in: None,
                carry_out: None,
                gross,
                withholding: gross / dec!(10),
                net: gross - gross / dec!(10),
                settlement: None,
                created_at: String::new(),
            },
        }
    }

    #[test]
    fn spend_is_summed_by_plan_region_and_currency() {
        let lines = [
            line("a", Some("p1"), "EUR", dec!(100.50)),
            line("b", Some("p1"), "EUR", dec!(200)),
            line("c", Some("p1"), "EUR", dec!(50)),
            line("a", Some("p1"), "USD", dec!(10)),
            line("a", None, "EUR", dec!(7)),
        ];
        let region = |p: &str| {
            if p == "c" {
                "Americas".to_string()
            } else {
                "EMEA".to_string()
            }
        };
        let rows = tally(&lines, region, |_| "Resale".to_string());
        let summary: Vec<(String, String, String, u64, Decimal)> = rows
            .iter()
            .map(|r| (r.plan.clone(), r.region.clone(), r.unit.clone(), r.lines, r.gross))
            .collect();
        assert_eq!(
            summary,
            [
                ("Claims".into(), "EMEA".into(), "EUR".into(), 1, dec!(7)),
                ("Resale".into(), "Americas".into(), "EUR".into(), 1, dec!(50)),
                ("Resale".into(), "EMEA".into(), "EUR".into(), 2, dec!(300.50)),
                ("Resale".into(), "EMEA".into(), "USD".into(), 1, dec!(10)),
            ]
        );
        assert_eq!(rows[2].net, dec!(270.45));
        let (categories, values) = by(&rows, "EUR", |r| r.region.as_str());
        assert_eq!(
            (categories, values),
            (vec!["Americas".into(), "EMEA".into()], vec![50, 307])
        );
    }
}
