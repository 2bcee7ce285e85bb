//! Incentive spend for a period: what the statements of the period pay, by plan and by the
//! partner's region, per payout currency (the statements service's spend report) — a bar
//! chart of each grouping (whole currency units) and the table of the chosen grouping,
//! sorted and exported as CSV. Read through the caller's scope: a channel manager sees the
//! spend on its own partners.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use tributary_domain::incentives::POINTS_UNIT;
use tributary_store::repo::close_runs::CloseStatus;

use super::super::conflict::regions_by_country;
use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, sortable};
use super::super::page::{Chrome, PageError, PortalCaller, render, respond, see_other};
use super::super::tiers::chart::{self, BarChart};
use super::super::tiers::{csv_of, csv_response};
use super::{EARNINGS, PLANS, amount_text, tabs};
use crate::api::close_runs::{CloseRunQuery, recent_runs};
use crate::api::statements::{SpendQuery, period_spend};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::services::incentives::statements::reports::{SpendGroup, SpendRow};
use crate::state::AppState;

/// The spend page.
pub const SPEND: &str = "/incentives/spend";

/// How many closed periods the period select offers.
const PERIODS: u64 = 60;

fn unit_name(unit: &str) -> String {
    if unit == POINTS_UNIT {
        "points".into()
    } else {
        unit.to_string()
    }
}

/// The spend of `period` grouped by `group`, region codes named.
async fn rows(state: &AppState, caller: &Caller, period: &str, group: SpendGroup) -> AppResult<Vec<SpendRow>> {
    let query = SpendQuery {
        period_key: period.to_string(),
        group: Some(group.as_str().to_string()),
    };
    let mut rows = period_spend(state, caller, &query).await?;
    if group == SpendGroup::Region {
        let names: HashMap<String, String> = {
            let mut pooled = state.db.acquire().await?;
            regions_by_country(&mut pooled.conn()).await?.1.into_iter().collect()
        };
        for row in &mut rows {
            if let Some(name) = names.get(&row.key) {
                row.label = format!("{name} ({})", row.key);
            }
        }
    }
    Ok(rows)
}

/// One bar chart per unit of gross by the rows' labels.
fn charts(id: &str, what: &str, rows: &[SpendRow]) -> Vec<BarChart> {
    let mut by_unit: BTreeMap<&str, BTreeMap<&str, Decimal>> = BTreeMap::new();
    for row in rows {
        *by_unit.entry(&row.unit).or_default().entry(&row.label).or_default() += row.gross;
    }
    by_unit
        .into_iter()
        .map(|(unit, totals)| {
            let categories: Vec<String> = totals.keys().map(|k| k.to_string()).collect();
            let values: Vec<u64> = totals
                .values()
                .map(|v| v.max(&Decimal::ZERO).trunc().to_u64().unwrap_or(0))
                .collect();
            chart::grouped(
                &format!("{id}-{}", unit.to_lowercase()),
                &format!("Gross {} by {what}", unit_name(unit)),
                &categories,
                &[unit],
                &[values],
            )
        })
        .collect()
}

fn sort_rows(rows: &mut [SpendRow], sort: Option<&str>) {
    let sort = sort.unwrap_or("label");
    let (key, descending) = sort.strip_prefix('-').map_or((sort, false), |key| (key, true));
    rows.sort_by(|a, b| {
        let order = match key {
            "gross" => a.unit.cmp(&b.unit).then(a.gross.cmp(&b.gross)),
            "partners" => a.partners.cmp(&b.partners),
            _ => a.label.cmp(&b.label),
        }
        .then_with(|| (&a.label, &a.unit).cmp(&(&b.label, &b.unit)));
        if descending { order.reverse() } else { order }
    });
}

const fn numeric(label: &'static str, sort: Option<&'static str>) -> Column {
    Column {
        label,
        sort,
        numeric: true,
    }
}

const COLUMNS: &[Column] = &[
    sortable("Plan or region", "label"),
    numeric("Currency", None),
    numeric("Partners", Some("partners")),
    numeric("Lines", None),
    numeric("Gross", Some("gross")),
    numeric("Withholding", None),
    numeric("Net", None),
];

/// The closed periods, newest first.
pub async fn closed_periods(state: &AppState, caller: &Caller) -> AppResult<Vec<String>> {
    let query = CloseRunQuery {
        status: Some(CloseStatus::Succeeded.as_str().to_string()),
        limit: Some(PERIODS),
        ..Default::default()
    };
    let mut runs = recent_runs(state, caller, &query).await?;
    runs.sort_by(|a, b| b.period_end.cmp(&a.period_end).then(a.period_key.cmp(&b.period_key)));
    let mut keys: Vec<String> = runs.into_iter().map(|r| r.period_key).collect();
    keys.dedup();
    Ok(keys)
}

fn group_of(params: &Params) -> AppResult<SpendGroup> {
    SpendGroup::parse(params.get("group").unwrap_or("plan")).map_err(|m| crate::error::AppError::field("group", m))
}

#[derive(Debug, Serialize)]
struct SpendView {
    key: String,
    label: String,
    unit: String,
    partners: usize,
    lines: usize,
    gross: String,
    withholding: String,
    net: String,
}

#[derive(Debug, Serialize)]
struct Total {
    unit: String,
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
        let params = Params::of(&uri);
        let group = group_of(&params)?;
        let periods = closed_periods(&state, &caller).await?;
        let period = params
            .get("period")
            .map(str::to_string)
            .or_else(|| periods.first().cloned());
        let (by_plan, by_region) = match &period {
            Some(period) => (
                rows(&state, &caller, period, SpendGroup::Plan).await?,
                rows(&state, &caller, period, SpendGroup::Region).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let mut totals: BTreeMap<&str, (Decimal, Decimal)> = BTreeMap::new();
        for row in &by_plan {
            let total = totals.entry(&row.unit).or_default();
            total.0 += row.gross;
            total.1 += row.net;
        }
        let totals: Vec<Total> = totals
            .into_iter()
            .map(|(unit, (gross, net))| Total {
                unit: unit_name(unit),
                gross: amount_text(gross, unit),
                net: amount_text(net, unit),
            })
            .collect();
        let mut table = if group == SpendGroup::Plan {
            by_plan.clone()
        } else {
            by_region.clone()
        };
        sort_rows(&mut table, params.get("sort"));
        let views: Vec<SpendView> = table
            .into_iter()
            .map(|r| SpendView {
                gross: amount_text(r.gross, &r.unit),
                withholding: amount_text(r.withholding, &r.unit),
                net: amount_text(r.net, &r.unit),
                unit: unit_name(&r.unit),
                key: r.key,
                label: r.label,
                partners: r.partners,
                lines: r.lines,
            })
            .collect();
        let mut listing = Listing::new(SPEND, &params, "label", COLUMNS).rows(views.len());
        listing.export_href = Some(
            params
                .filters()
                .href(&format!("{SPEND}.csv"), &[("period", period.as_deref())]),
        );
        render(
            &state,
            "incentives/spend.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, PLANS),
                tabs => tabs(&caller, SPEND),
                filters => FormState::new(params.values()).prefixed("q-"),
                periods => choices(periods.iter().map(|p| (p.clone(), p.clone())), &one(period.as_deref())),
                groups => choices(SpendGroup::ALL.iter().map(|g| (g.as_str(), g.label())), &one(Some(group.as_str()))),
                plan_charts => charts("spend-plan-chart", "plan", &by_plan),
                region_charts => charts("spend-region-chart", "region", &by_region),
                by_plan => group == SpendGroup::Plan,
                rows => views,
                period, totals, listing,
            },
        )
    })
    .await
}

/// The spend table of the chosen grouping as CSV (exact amounts), in the page's order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let group = group_of(&params)?;
        let period = match params.get("period") {
            Some(period) => period.to_string(),
            None => closed_periods(&state, &caller)
                .await?
                .into_iter()
                .next()
                .unwrap_or_default(),
        };
        let mut table = rows(&state, &caller, &period, group).await?;
        sort_rows(&mut table, params.get("sort"));
        let body = csv_of(
            &[
                "period",
                "group",
                "key",
                "label",
                "currency",
                "partners",
                "lines",
                "gross",
                "withholding",
                "net",
            ],
            table.into_iter().map(|r| {
                vec![
                    period.clone(),
                    group.as_str().to_string(),
                    r.key,
                    r.label,
                    r.unit,
                    r.partners.to_string(),
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

    fn row(label: &str, unit: &str, gross: Decimal) -> SpendRow {
        SpendRow {
            key: label.to_lowercase(),
            label: label.into(),
            unit: unit.into(),
            gross,
            ..SpendRow::default()
        }
    }

    #[test]
    fn a_chart_per_unit_in_whole_units() {
        let rows = [
            row("Resale", "EUR", dec!(9200.75)),
            row("SPIFF", "EUR", dec!(500)),
            row("Resale", "USD", dec!(10)),
            row("Points", POINTS_UNIT, dec!(26)),
        ];
        let charts = charts("c", "plan", &rows);
        let described: Vec<(String, String)> = charts
            .iter()
            .map(|c| (c.title.clone(), c.description.clone()))
            .collect();
        assert_eq!(
            described,
            [
                ("Gross EUR by plan".to_string(), "Resale: 9200; SPIFF: 500".to_string()),
                ("Gross points by plan".to_string(), "Points: 26".to_string()),
                ("Gross USD by plan".to_string(), "Resale: 10".to_string()),
            ]
        );
        let mut sorted = rows.to_vec();
        sort_rows(&mut sorted, Some("-gross"));
        assert_eq!(sorted[0].label, "Resale");
        assert_eq!(sorted[0].unit, "USD");
    }
}
