//! Payouts in the portal (vendor staff): the batches with their totals, the form that
//! creates one — carrying an idempotency key made when the form is shown, so a double
//! submit or a reload creates one batch — each batch with its payments, its payment file
//! and journal downloads and "mark paid", the reconciliation of calculated vs approved vs
//! paid per partner with the reason of every difference, and the journal's ledger
//! accounts. Finance and administrators act; channel managers read their partners' share.

use std::cmp::Ordering;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::super::form::{Form, FormState, choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::super::lookup::partner_choices;
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::super::tiers::csv_response;
use super::{amount_text, tabs};
use crate::api::payouts::{
    BatchInput, BatchQuery, ReconciliationQuery, batches, create_batch, detail, mark_batch_paid, reconcile,
    reconciliation_csv, save_accounts,
};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::payouts::accounts::{self, JournalAccounts, LedgerAccount};
use crate::services::incentives::payouts::batch::BatchView;
use crate::services::incentives::payouts::reconciliation::{Reconciliation, ReconciliationRow};
use crate::state::AppState;

/// The batches page, and the navigation area of the payout pages.
pub const PAYOUTS: &str = "/payouts";
pub const RECONCILIATION: &str = "/payouts/reconciliation";

const STATUSES: [(&str, &str); 3] = [("created", "Created"), ("exported", "Exported"), ("paid", "Paid")];

fn status_label(code: &str) -> &str {
    STATUSES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

fn money(text: &str, currency: &str) -> String {
    text.parse()
        .map_or_else(|_| format!("{text} {currency}"), |amount| amount_text(amount, currency))
}

/// A batch as the list and its page show it.
#[derive(Debug, Serialize)]
struct BatchRow {
    id: String,
    status: String,
    status_label: String,
    payable_through: String,
    statements: i64,
    /// Net per currency, as people read it.
    totals: Vec<String>,
    points: String,
    created_at: String,
    exported_at: Option<String>,
    paid_at: Option<String>,
}

impl BatchRow {
    fn of(view: &BatchView) -> Self {
        let b = &view.batch;
        Self {
            id: b.id.clone(),
            status_label: status_label(&b.status).to_string(),
            status: b.status.clone(),
            payable_through: b.payable_through.clone(),
            statements: b.statement_count,
            totals: view
                .totals
                .currencies
                .iter()
                .map(|c| money(&c.net, &c.currency))
                .collect(),
            points: if view.totals.points == "0" {
                String::new()
            } else {
                format!("{} points", view.totals.points)
            },
            created_at: b.created_at.clone(),
            exported_at: b.exported_at.clone(),
            paid_at: b.paid_at.clone(),
        }
    }
}

const BATCH_COLUMNS: &[Column] = &[
    sortable("Created", "created_at"),
    sortable("Payable through", "payable_through"),
    sortable("Status", "status"),
    numeric("Statements"),
    numeric("Net paid"),
    numeric("Points (not paid)"),
];

/// The batch form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchForm {
    pub payable_through: String,
    /// Made when the form is shown; the batch is created once under it.
    pub idempotency_key: String,
}

/// The ledger accounts form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountsForm {
    pub expense_code: String,
    pub expense_name: String,
    pub payable_code: String,
    pub payable_name: String,
    pub withholding_code: String,
    pub withholding_name: String,
}

impl AccountsForm {
    fn of(a: &JournalAccounts) -> Self {
        Self {
            expense_code: a.incentive_expense.code.clone(),
            expense_name: a.incentive_expense.name.clone(),
            payable_code: a.partner_payable.code.clone(),
            payable_name: a.partner_payable.name.clone(),
            withholding_code: a.withholding_payable.code.clone(),
            withholding_name: a.withholding_payable.name.clone(),
        }
    }

    fn accounts(&self) -> JournalAccounts {
        let account = |code: &str, name: &str| LedgerAccount {
            code: code.to_string(),
            name: name.to_string(),
        };
        JournalAccounts {
            incentive_expense: account(&self.expense_code, &self.expense_name),
            partner_payable: account(&self.payable_code, &self.payable_name),
            withholding_payable: account(&self.withholding_code, &self.withholding_name),
        }
    }
}

/// The account errors under the form's own field names.
fn account_errors(error: AppError) -> AppError {
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|mut e| {
                    let (account, part) = e.field.split_once('.').unwrap_or((e.field.as_str(), "code"));
                    let prefix = match account {
                        "incentive_expense" => "expense",
                        "partner_payable" => "payable",
                        _ => "withholding",
                    };
                    e.field = format!("{prefix}_{part}");
                    e
                })
                .collect(),
        ),
        other => other,
    }
}

fn new_batch_form() -> FormState<BatchForm> {
    FormState::new(BatchForm {
        payable_through: chrono::Utc::now().date_naive().to_string(),
        idempotency_key: tributary_domain::ids::new_id(),
    })
    .prefixed("b-")
}

async fn batches_page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    batch_form: FormState<BatchForm>,
    accounts_form: Option<FormState<AccountsForm>>,
    status: StatusCode,
) -> AppResult<Response> {
    let query: BatchQuery = params.parse()?;
    let page = batches(state, caller, &query).await?;
    let rows: Vec<BatchRow> = page.items.iter().map(BatchRow::of).collect();
    let listing = Listing::new(PAYOUTS, params, "-created_at", BATCH_COLUMNS)
        .rows(rows.len())
        .paged("cursor", page.next_cursor);
    let accounts_form = match accounts_form {
        Some(form) => form,
        None => {
            let mut pooled = state.db.acquire().await?;
            FormState::new(AccountsForm::of(&accounts::load(&mut pooled.conn()).await?)).prefixed("a-")
        }
    };
    render_status(
        state,
        status,
        "incentives/payouts.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PAYOUTS),
            tabs => tabs(caller, PAYOUTS),
            may_pay => authorize(caller, Resource::Payouts, Access::Write).is_ok(),
            statuses => choices(STATUSES, &one(params.get("status"))),
            filters => FormState::new(params.values()).prefixed("q-"),
            batch_form, accounts_form, listing, rows,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Payouts, Access::Read)?;
        let params = Params::of(&uri);
        batches_page(&state, &caller, &params, new_batch_form(), None, StatusCode::OK).await
    })
    .await
}

/// Creates the batch (or finds the one this form's key created) and shows it.
pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<BatchForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let key = Some(form.idempotency_key.trim().to_string()).filter(|k| !k.is_empty());
        let input = BatchInput {
            payable_through: form.payable_through.trim().to_string(),
        };
        match create_batch(&state, &caller, key, &input).await {
            Ok((_, view)) => see_other(&format!("{PAYOUTS}/batches/{}", view.batch.id)),
            Err(error) => {
                let (status, failed) = FormState::failed(form, error)?;
                // A new key: the corrected form is a new request.
                let mut failed = failed.prefixed("b-");
                failed.values.idempotency_key = tributary_domain::ids::new_id();
                batches_page(&state, &caller, &Params::default(), failed, None, status).await
            }
        }
    })
    .await
}

/// Saves the journal's ledger accounts.
pub async fn save(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<AccountsForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match save_accounts(&state, &caller, &form.accounts()).await {
            Ok(_) => see_other(&format!("{PAYOUTS}#accounts")),
            Err(error) => {
                let (status, failed) = FormState::failed(form, account_errors(error))?;
                let accounts_form = Some(failed.prefixed("a-"));
                batches_page(
                    &state,
                    &caller,
                    &Params::default(),
                    new_batch_form(),
                    accounts_form,
                    status,
                )
                .await
            }
        }
    })
    .await
}

/// A payment as the batch page shows it.
#[derive(Debug, Serialize)]
struct PaymentRow {
    partner_name: String,
    statement_id: String,
    period_key: String,
    currency: String,
    gross: String,
    withholding: String,
    net: String,
    tax_country: String,
}

const PAYMENT_COLUMNS: &[Column] = &[
    sortable("Partner", "partner"),
    sortable("Period", "period"),
    plain("Currency"),
    numeric("Gross"),
    numeric("Withholding"),
    Column {
        label: "Net",
        sort: Some("net"),
        numeric: true,
    },
    plain("Tax country"),
];

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

async fn batch_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    params: &Params,
    message: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let found = detail(state, caller, id).await?;
    let mut payments = found.payments;
    if let Some(currency) = params.get("currency") {
        payments.retain(|p| p.currency.eq_ignore_ascii_case(currency));
    }
    let sort = params.get("sort").unwrap_or("partner");
    let (key, descending) = sort.strip_prefix('-').map_or((sort, false), |k| (k, true));
    payments.sort_by(|a, b| {
        let order = match key {
            "net" => a.currency.cmp(&b.currency).then(decimal(&a.net).cmp(&decimal(&b.net))),
            "period" => a.period_key.cmp(&b.period_key),
            _ => a.partner_name.to_lowercase().cmp(&b.partner_name.to_lowercase()),
        }
        .then_with(|| a.id.cmp(&b.id));
        if descending { order.reverse() } else { order }
    });
    let rows: Vec<PaymentRow> = payments
        .into_iter()
        .map(|p| PaymentRow {
            gross: money(&p.gross, &p.currency),
            withholding: money(&p.withholding, &p.currency),
            net: money(&p.net, &p.currency),
            partner_name: p.partner_name,
            statement_id: p.statement_id,
            period_key: p.period_key,
            currency: p.currency,
            tax_country: p.tax_country,
        })
        .collect();
    let path = format!("{PAYOUTS}/batches/{id}");
    let mut listing = Listing::new(&path, params, "partner", PAYMENT_COLUMNS).rows(rows.len());
    listing.export_href = Some(format!("/api/v1/payout-batches/{id}/export"));
    let view = &found.view;
    let currencies: Vec<(String, String)> = view
        .totals
        .currencies
        .iter()
        .map(|c| (c.currency.clone(), c.currency.clone()))
        .collect();
    let totals: Vec<serde_json::Value> = view
        .totals
        .currencies
        .iter()
        .map(|c| {
            serde_json::json!({
                "currency": c.currency, "payments": c.payments, "gross": money(&c.gross, &c.currency),
                "withholding": money(&c.withholding, &c.currency), "net": money(&c.net, &c.currency),
            })
        })
        .collect();
    let not_paid: Vec<serde_json::Value> = view
        .totals
        .not_paid
        .iter()
        .map(|n| serde_json::json!({ "statement_id": n.statement_id, "period_key": n.period_key, "net": money(&n.net, &n.currency), "reason": n.reason }))
        .collect();
    render_status(
        state,
        status,
        "incentives/payout_batch.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PAYOUTS),
            tabs => tabs(caller, PAYOUTS),
            batch => BatchRow::of(view),
            may_pay => authorize(caller, Resource::Payouts, Access::Write).is_ok() && view.batch.status != "paid",
            currencies => choices(currencies, &one(params.get("currency"))),
            filters => FormState::new(params.values()).prefixed("q-"),
            totals, not_paid, listing, rows, message,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(
        &state,
        batch_page(&state, &caller, &id, &Params::of(&uri), None, StatusCode::OK),
    )
    .await
}

pub async fn mark_paid(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match mark_batch_paid(&state, &caller, &id).await {
            Ok(_) => see_other(&format!("{PAYOUTS}/batches/{id}")),
            Err(AppError::Conflict(message)) => {
                batch_page(
                    &state,
                    &caller,
                    &id,
                    &Params::default(),
                    Some(message),
                    StatusCode::CONFLICT,
                )
                .await
            }
            Err(other) => Err(other),
        }
    })
    .await
}

const RECONCILIATION_COLUMNS: &[Column] = &[
    sortable("Partner", "partner"),
    plain("Currency"),
    numeric("Statements"),
    numeric("Calculated"),
    numeric("Approved"),
    numeric("In batches"),
    numeric("Paid"),
    Column {
        label: "Difference",
        sort: Some("difference"),
        numeric: true,
    },
    numeric("Unexplained"),
    plain("Why"),
];

/// The report for the page's filters, its rows in the page's order.
async fn reconciled(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Reconciliation> {
    let query = ReconciliationQuery {
        period_key: params.get("period_key").map(str::to_string),
        partner_id: params.get("partner_id").map(str::to_string),
        format: None,
    };
    let mut report = reconcile(state, caller, &query).await?;
    let sort = params.get("sort").unwrap_or("partner");
    let (key, descending) = sort.strip_prefix('-').map_or((sort, false), |k| (k, true));
    let by = |a: &ReconciliationRow, b: &ReconciliationRow| -> Ordering {
        let order = match key {
            "difference" => a
                .currency
                .cmp(&b.currency)
                .then(decimal(&a.difference).cmp(&decimal(&b.difference))),
            _ => a.partner_name.to_lowercase().cmp(&b.partner_name.to_lowercase()),
        }
        .then_with(|| a.partner_id.cmp(&b.partner_id))
        .then_with(|| a.currency.cmp(&b.currency));
        if descending { order.reverse() } else { order }
    };
    report.rows.sort_by(by);
    Ok(report)
}

pub async fn reconciliation(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Payouts, Access::Read)?;
        let params = Params::of(&uri);
        let report = reconciled(&state, &caller, &params).await?;
        let partners = {
            let mut pooled = state.db.acquire().await?;
            partner_choices(&mut pooled.conn(), &grant.scope, &Default::default(), params.get("partner_id")).await?
        };
        let mut listing = Listing::new(RECONCILIATION, &params, "partner", RECONCILIATION_COLUMNS).rows(report.rows.len());
        listing.export_href = Some(params.filters().href(&format!("{RECONCILIATION}.csv"), &[("sort", params.get("sort"))]));
        let money_row = |r: &ReconciliationRow| {
            serde_json::json!({
                "partner_name": r.partner_name, "currency": r.currency, "statements": r.statements,
                "calculated": money(&r.calculated, &r.currency), "approved": money(&r.approved, &r.currency),
                "in_batches": money(&r.in_batches, &r.currency), "paid": money(&r.paid, &r.currency),
                "difference": money(&r.difference, &r.currency), "unexplained": money(&r.unexplained, &r.currency),
                "balanced": decimal(&r.unexplained).is_zero(),
                "explained": r.explained.iter().map(|e| serde_json::json!({
                    "period_key": e.period_key, "amount": money(&e.amount, &r.currency), "reason": e.reason,
                })).collect::<Vec<_>>(),
            })
        };
        let rows: Vec<serde_json::Value> = report.rows.iter().map(money_row).collect();
        let totals: Vec<serde_json::Value> = report
            .totals
            .iter()
            .map(|t| {
                serde_json::json!({
                    "currency": t.currency, "calculated": money(&t.calculated, &t.currency), "paid": money(&t.paid, &t.currency),
                    "difference": money(&t.difference, &t.currency), "unexplained": money(&t.unexplained, &t.currency),
                    "balanced": decimal(&t.unexplained).is_zero(),
                })
            })
            .collect();
        render_status(
            &state,
            StatusCode::OK,
            "incentives/payout_reconciliation.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, PAYOUTS),
                tabs => tabs(&caller, PAYOUTS),
                filters => FormState::new(params.values()).prefixed("q-"),
                period_key => report.period_key,
                partners, listing, rows, totals,
            },
        )
    })
    .await
}

/// The reconciliation as CSV, with the page's filters and order.
pub async fn reconciliation_export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let report = reconciled(&state, &caller, &Params::of(&uri)).await?;
        csv_response("payout-reconciliation.csv", reconciliation_csv(&report)?)
    })
    .await
}
