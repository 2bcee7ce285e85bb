//! A partner's earnings: every statement of its own organisation per period — gross,
//! withholding, net, points and where it is (calculated, awaiting approval, approved,
//! paid) — filtered, sorted and exported as CSV, with the latest statement linked and a
//! chart of the last periods' net; and the earnings card of the partner home page.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use tributary_store::repo::statements::{Statement, StatementFilter, StatementStatus};

use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable, sortable_numeric};
use super::super::page::{Chrome, PageError, PortalCaller, render, respond, see_other};
use super::super::tiers::chart::{self, BarChart};
use super::super::tiers::csv_response;
use super::{EARNINGS, StatementRow, amount_text, sort_statements, tabs};
use crate::api::statements::{partner_earnings, visible_statements};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::statements::export::list_csv;
use crate::state::AppState;

/// How many periods the chart shows.
const CHART_PERIODS: usize = 6;

const COLUMNS: &[Column] = &[
    sortable("Period", "period"),
    sortable("Status", "status"),
    plain("Currency"),
    numeric("Gross"),
    numeric("Withholding"),
    sortable_numeric("Net", "net"),
    numeric("Points"),
    plain("Payable on"),
    plain("Paid"),
];

/// The caller's own organisation's statements (newest period first), with `status` if given.
async fn own_statements(state: &AppState, caller: &Caller, status: Option<&str>) -> AppResult<Vec<Statement>> {
    let own = caller.own_partner_id().ok_or_else(|| AppError::not_found("partner"))?;
    let filter = StatementFilter {
        partner_id: Some(own.to_string()),
        status: status
            .map(StatementStatus::parse)
            .transpose()
            .map_err(|m| AppError::field("status", m))?,
        ..Default::default()
    };
    visible_statements(state, caller, &filter).await
}

/// Net per period of the last periods paid in `currency`, oldest first, in whole units.
fn net_chart(statements: &[Statement], currency: &str) -> Option<BarChart> {
    let mut recent: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.currency == currency)
        .take(CHART_PERIODS)
        .collect();
    if recent.len() < 2 {
        return None;
    }
    recent.reverse();
    let periods: Vec<String> = recent.iter().map(|s| s.period_key.clone()).collect();
    let values: Vec<u64> = recent
        .iter()
        .map(|s| s.net.max(Decimal::ZERO).trunc().to_u64().unwrap_or(0))
        .collect();
    Some(chart::grouped(
        "earnings-chart",
        &format!("Net per period ({currency}, whole units)"),
        &periods,
        &["net"],
        &[values],
    ))
}

pub async fn page(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        if !caller.is_partner() {
            return see_other("/incentives/statements");
        }
        let params = Params::of(&uri);
        let all = own_statements(&state, &caller, None).await?;
        let latest = all.first().map(StatementRow::of);
        let totals = totals(&state, &caller).await?;
        let chart = all.first().and_then(|s| net_chart(&all, &s.currency));
        let mut listed: Vec<Statement> = match params.get("status") {
            Some(status) => own_statements(&state, &caller, Some(status)).await?,
            None => all,
        };
        sort_statements(&mut listed, params.get("sort"));
        let rows: Vec<StatementRow> = listed.iter().map(StatementRow::of).collect();
        let mut listing = Listing::new(EARNINGS, &params, "-period", COLUMNS).rows(rows.len());
        listing.export_href = Some(params.filters().href("/earnings.csv", &[]));
        render(
            &state,
            "incentives/earnings.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, EARNINGS),
                tabs => tabs(&caller, EARNINGS),
                filters => FormState::new(params.values()).prefixed("q-"),
                statuses => choices(StatementStatus::ALL.iter().map(|s| (s.as_str(), s.label())), &one(params.get("status"))),
                latest, totals, chart, listing, rows,
            },
        )
    })
    .await
}

/// The caller's statements as CSV, with the page's filter and order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let mut listed = own_statements(&state, &caller, params.get("status")).await?;
        sort_statements(&mut listed, params.get("sort"));
        csv_response("earnings.csv", list_csv(&listed)?)
    })
    .await
}

/// A partner's earnings in one currency over every period, as people read them.
#[derive(Debug, Serialize)]
pub struct TotalView {
    pub currency: String,
    pub net: String,
    pub paid: String,
    pub approved: String,
}

/// The caller's organisation's totals per currency (the statements service's overview).
async fn totals(state: &AppState, caller: &Caller) -> AppResult<Vec<TotalView>> {
    let own = caller.own_partner_id().ok_or_else(|| AppError::not_found("partner"))?;
    Ok(partner_earnings(state, caller, own)
        .await?
        .totals
        .into_iter()
        .map(|t| TotalView {
            net: amount_text(t.net, &t.currency),
            paid: amount_text(t.paid, &t.currency),
            approved: amount_text(t.approved, &t.currency),
            currency: t.currency,
        })
        .collect())
}

/// The partner home's earnings card.
#[derive(Debug, Serialize)]
pub struct EarningsCard {
    pub latest: Option<StatementRow>,
    pub totals: Vec<TotalView>,
}

/// The earnings card of the caller's home page; `None` when the role may not read statements.
pub async fn card(state: &AppState, caller: &Caller) -> AppResult<Option<EarningsCard>> {
    if authorize(caller, Resource::Statements, Access::Read).is_err() {
        return Ok(None);
    }
    let latest = own_statements(state, caller, None).await?.first().map(StatementRow::of);
    Ok(Some(EarningsCard {
        latest,
        totals: totals(state, caller).await?,
    }))
}
