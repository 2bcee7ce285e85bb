//! Statement review for the vendor: the statements of a period (filters: period, status,
//! partner, currency; sorted; paged; CSV), the totals of what is listed per currency, and
//! the bulk submission of checked statements for approval (each through the approval
//! workflow; what could not be submitted is listed with the reason).

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tributary_store::repo::statements::{Statement, StatementFilter, StatementStatus};

use super::super::conflict::back_path;
use super::super::form::{Form, FormState, choices, currency_choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable, sortable_numeric};
use super::super::lookup::partner_choices;
use super::super::page::{Chrome, PageError, PortalCaller, render, respond, see_other};
use super::super::tiers::csv_response;
use super::spend::closed_periods;
use super::{EARNINGS, PLANS, STATEMENTS, StatementRow, amount_text, sort_statements, tabs};
use crate::api::statements::{statement_detail, submit_statement, visible_statements};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::statements::export::list_csv;
use crate::state::AppState;

/// Rows per page.
const PAGE: usize = 100;

const COLUMNS: &[Column] = &[
    sortable("Partner", "partner"),
    sortable("Period", "period"),
    sortable("Status", "status"),
    plain("Currency"),
    numeric("Gross"),
    numeric("Withholding"),
    sortable_numeric("Net", "net"),
    numeric("Points"),
    plain("Payable on"),
];

/// The statements the caller may read matching the page's filters, in the page's order.
async fn matching(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<Statement>> {
    let filter = StatementFilter {
        partner_id: params.get("partner_id").map(str::to_string),
        period_key: params.get("period").map(str::to_string),
        status: params
            .get("status")
            .map(StatementStatus::parse)
            .transpose()
            .map_err(|m| AppError::field("status", m))?,
    };
    let mut found = visible_statements(state, caller, &filter).await?;
    if let Some(currency) = params.get("currency") {
        found.retain(|s| s.currency.eq_ignore_ascii_case(currency));
    }
    sort_statements(&mut found, params.get("sort"));
    Ok(found)
}

#[derive(Debug, Serialize)]
struct Total {
    currency: String,
    count: usize,
    gross: String,
    net: String,
}

fn totals(listed: &[Statement]) -> Vec<Total> {
    let mut sums: Vec<(String, usize, Decimal, Decimal)> = Vec::new();
    for s in listed {
        match sums.iter_mut().find(|(c, ..)| *c == s.currency) {
            Some((_, count, gross, net)) => {
                *count += 1;
                *gross += s.gross;
                *net += s.net;
            }
            None => sums.push((s.currency.clone(), 1, s.gross, s.net)),
        }
    }
    sums.sort_by(|a, b| a.0.cmp(&b.0));
    sums.into_iter()
        .map(|(currency, count, gross, net)| Total {
            gross: amount_text(gross, &currency),
            net: amount_text(net, &currency),
            currency,
            count,
        })
        .collect()
}

/// What a bulk action did: one line per statement done, one per statement refused.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    pub done: Vec<String>,
    pub failed: Vec<String>,
}

/// The review list, with the outcome of a bulk submission.
pub async fn list_page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    outcome: Option<Outcome>,
) -> AppResult<Response> {
    if caller.is_partner() {
        return see_other(EARNINGS);
    }
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    let listed = matching(state, caller, params).await?;
    let offset: usize = params.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
    let rows: Vec<StatementRow> = listed.iter().skip(offset).take(PAGE).map(StatementRow::of).collect();
    let next = (offset + PAGE < listed.len()).then(|| (offset + PAGE).to_string());
    let mut listing = Listing::new(STATEMENTS, params, "-period", COLUMNS)
        .rows(rows.len())
        .count(listed.len() as i64)
        .paged("offset", next);
    listing.export_href = Some(params.filters().href(&format!("{STATEMENTS}.csv"), &[]));
    let may_submit = authorize(caller, Resource::Statements, Access::Write).is_ok();
    if may_submit {
        listing.headers.insert(
            0,
            super::super::listing::Header {
                label: "Submit",
                href: None,
                aria_sort: None,
                numeric: false,
            },
        );
    }
    let partners = {
        let mut pooled = state.db.acquire().await?;
        partner_choices(
            &mut pooled.conn(),
            &grant.scope,
            &Default::default(),
            params.get("partner_id"),
        )
        .await?
    };
    let periods = closed_periods(state, caller).await?;
    render(
        state,
        "incentives/statements.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PLANS),
            tabs => tabs(caller, STATEMENTS),
            filters => FormState::new(params.values()).prefixed("q-"),
            periods => choices(periods.iter().map(|p| (p.clone(), p.clone())), &one(params.get("period"))),
            statuses => choices(StatementStatus::ALL.iter().map(|s| (s.as_str(), s.label())), &one(params.get("status"))),
            currencies => currency_choices(&one(params.get("currency"))),
            here => params.href(STATEMENTS, &[]),
            totals => totals(&listed),
            partners, listing, rows, may_submit, outcome,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, list_page(&state, &caller, &Params::of(&uri), None)).await
}

/// The listed statements as CSV, with the page's filters and order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let listed = matching(&state, &caller, &Params::of(&uri)).await?;
        csv_response("statements.csv", list_csv(&listed)?)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BulkForm {
    pub ids: Vec<String>,
    /// The list (with its filters) to show again.
    pub back: String,
}

/// Submits every checked statement for approval, each on its own; the list again with
/// what was submitted and what was refused (and why).
pub async fn submit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<BulkForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Statements, Access::Write)?;
        let mut outcome = Outcome::default();
        let mut submitted = 0;
        for id in &form.ids {
            match submit_statement(&state, &caller, id).await {
                Ok(_) => submitted += 1,
                Err(error @ (AppError::Conflict(_) | AppError::NotFound(_) | AppError::Validation(_))) => {
                    let name = match statement_detail(&state, &caller, id).await {
                        Ok(detail) => format!("{} {}", detail.statement.partner_name, detail.statement.period_key),
                        Err(_) => "A statement".to_string(),
                    };
                    outcome.failed.push(format!("{name}: {}", error.problem().detail));
                }
                Err(error) => return Err(error),
            }
        }
        if submitted > 0 {
            outcome.done.push(format!(
                "Submitted {submitted} statement{} for approval.",
                if submitted == 1 { "" } else { "s" }
            ));
        }
        if form.ids.is_empty() {
            outcome.failed.push("Check the statements to submit first.".into());
        }
        let back: Uri = back_path(&form.back, STATEMENTS)
            .parse()
            .unwrap_or_else(|_| Uri::from_static(STATEMENTS));
        list_page(&state, &caller, &Params::of(&back), Some(outcome)).await
    })
    .await
}
