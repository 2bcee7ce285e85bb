//! `/api/v1/payout-batches` and `/api/v1/payouts/…`: finance groups approved, payable
//! statements into a batch under an `Idempotency-Key` (the same key returns the same
//! batch; each statement is paid once), downloads the payment file and the journal for
//! accounting, marks the batch paid; the reconciliation of calculated vs approved vs paid
//! per partner; the journal's ledger accounts. Channel managers read (their partners'
//! payments only); partners never see batches.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tributary_store::repo::payouts::{self, BatchFilter, PaymentLine, ReconciliationFilter};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use super::imports::csv_response;
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::csv_table;
use crate::services::incentives::payouts::accounts::{self, JournalAccounts};
use crate::services::incentives::payouts::batch::{self, BatchView, Outcome};
use crate::services::incentives::payouts::export::{self, Journal};
use crate::services::incentives::payouts::reconciliation::{self, Reconciliation};
use crate::state::AppState;

use tributary_store::time::today;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BatchInput {
    /// Pay the statements payable on or before this date (YYYY-MM-DD, not after today).
    pub payable_through: String,
}

/// Creates (or, for a key seen before, finds) the batch; `true` when it was created now.
pub async fn create_batch(
    state: &AppState,
    caller: &Caller,
    key: Option<String>,
    input: &BatchInput,
) -> AppResult<(bool, BatchView)> {
    authorize(caller, Resource::Payouts, Access::Write)?;
    let key = key.ok_or_else(|| {
        AppError::field(
            "Idempotency-Key",
            "send a unique key with each new batch (e.g. a UUID); a retry with the same key returns the same batch",
        )
    })?;
    let through = tributary_domain::validation::date(&input.payable_through)
        .map_err(|m| AppError::field("payable_through", m))?;
    Ok(
        match batch::create(&state.db, &caller.actor(), &key, through, today()).await? {
            Outcome::Created(view) => (true, view),
            Outcome::Existing(view) => (false, view),
        },
    )
}

/// Creates the batch of every approved, payable, unpaid statement with a positive net.
#[utoipa::path(post, operation_id = "payout_batches_create", path = "/api/v1/payout-batches", tag = "payouts", request_body = BatchInput,
    params(("Idempotency-Key" = String, Header, description = "Required: one key per batch; a retry with the same key returns the batch it created")),
    responses((status = 201, body = BatchView, description = "Created"), (status = 200, body = BatchView, description = "The batch this key created earlier"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Bad date, missing key, or nothing to pay")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(input): ApiJson<BatchInput>,
) -> AppResult<Response> {
    let key = super::idempotency::key(&headers)?;
    let (created, view) = create_batch(&state, &caller, key, &input).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(view)).into_response())
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// created, exported or paid.
    pub status: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// created_at, payable_through or status; `-` for descending.
    pub sort: Option<String>,
}

/// The batches `caller` may read (a channel manager sees its partners' share of each).
pub async fn batches(state: &AppState, caller: &Caller, query: &BatchQuery) -> AppResult<List<BatchView>> {
    let grant = authorize(caller, Resource::Payouts, Access::Read)?;
    let paging = Paging {
        limit: query.limit,
        cursor: query.cursor.clone(),
        sort: query.sort.clone(),
    };
    let request = paging.request(payouts::SORTABLE, "-created_at")?;
    let filter = BatchFilter {
        status: query.status.clone(),
    };
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let page = payouts::list_batches(&mut conn, &filter, &request).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for b in page.items {
        items.push(batch::visible(&mut conn, &grant.scope, b).await?.0);
    }
    Ok(List {
        items,
        next_cursor: page.next_cursor,
    })
}

#[utoipa::path(get, operation_id = "payout_batches_list", path = "/api/v1/payout-batches", tag = "payouts", params(BatchQuery),
    responses((status = 200, body = List<BatchView>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<BatchQuery>,
) -> AppResult<Json<List<BatchView>>> {
    Ok(Json(batches(&state, &caller, &query).await?))
}

/// A batch with its payments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchDetail {
    #[serde(flatten)]
    pub view: BatchView,
    pub payments: Vec<PaymentLine>,
}

pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> AppResult<BatchDetail> {
    let grant = authorize(caller, Resource::Payouts, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let found = payouts::get_batch(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("payout batch"))?;
    let (view, payments) = batch::visible(&mut conn, &grant.scope, found).await?;
    Ok(BatchDetail { view, payments })
}

#[utoipa::path(get, operation_id = "payout_batches_get", path = "/api/v1/payout-batches/{id}", tag = "payouts", params(("id" = String, Path)),
    responses((status = 200, body = BatchDetail), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<BatchDetail>> {
    Ok(Json(detail(&state, &caller, &id).await?))
}

/// `csv` (the default) or `json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Csv,
    Json,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `csv` (default) or `json`.
    pub format: Option<Format>,
}

/// The batch for an export; finance's first export stamps it exported.
async fn for_export(state: &AppState, caller: &Caller, id: &str) -> AppResult<BatchDetail> {
    let found = detail(state, caller, id).await?;
    if authorize(caller, Resource::Payouts, Access::Write).is_ok() {
        batch::mark_exported(&state.db, &caller.actor(), &found.view.batch).await?;
    }
    Ok(found)
}

/// The payment file of batch `id` as CSV.
pub async fn payments_file(state: &AppState, caller: &Caller, id: &str) -> AppResult<Response> {
    let found = for_export(state, caller, id).await?;
    let body = export::payments_csv(&found.payments)?;
    Ok(csv_response(&format!("payout-batch-{id}.csv"), body))
}

#[utoipa::path(get, operation_id = "payout_batches_export", path = "/api/v1/payout-batches/{id}/export", tag = "payouts", params(("id" = String, Path), FormatQuery),
    responses((status = 200, description = "CSV, one row per payment (vendor = partner; bill = statement)", content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn export_payments(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<FormatQuery>,
) -> AppResult<Response> {
    if query.format == Some(Format::Json) {
        return Err(AppError::field(
            "format",
            "the payment file is CSV; GET the batch for its payments as JSON",
        ));
    }
    payments_file(&state, &caller, &id).await
}

/// The journal of batch `id` under the program's accounts.
pub async fn batch_journal(state: &AppState, caller: &Caller, id: &str) -> AppResult<Journal> {
    let found = for_export(state, caller, id).await?;
    let mut pooled = state.db.acquire().await?;
    let accounts = accounts::load(&mut pooled.conn()).await?;
    export::journal(&found.view.batch, &found.payments, &accounts)
}

#[utoipa::path(get, operation_id = "payout_batches_journal", path = "/api/v1/payout-batches/{id}/journal", tag = "payouts", params(("id" = String, Path), FormatQuery),
    responses((status = 200, body = Journal, description = "Debit incentive expense (gross), credit partner payable (net) and withholding tax payable (withholding); balanced per currency. CSV by default."),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn journal(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<FormatQuery>,
) -> AppResult<Response> {
    let journal = batch_journal(&state, &caller, &id).await?;
    Ok(match query.format.unwrap_or_default() {
        Format::Json => Json(journal).into_response(),
        Format::Csv => csv_response(&format!("payout-journal-{id}.csv"), export::journal_csv(&journal)?),
    })
}

pub async fn mark_batch_paid(state: &AppState, caller: &Caller, id: &str) -> AppResult<BatchView> {
    authorize(caller, Resource::Payouts, Access::Write)?;
    batch::mark_paid(&state.db, &caller.actor(), id).await
}

/// Marks the batch paid: its statements become paid.
#[utoipa::path(post, operation_id = "payout_batches_mark_paid", path = "/api/v1/payout-batches/{id}/mark-paid", tag = "payouts", params(("id" = String, Path)),
    responses((status = 200, body = BatchView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn mark_paid(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<BatchView>> {
    Ok(Json(mark_batch_paid(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    /// One period (e.g. `2026-Q2`); every period when absent.
    pub period_key: Option<String>,
    pub partner_id: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<Format>,
}

pub async fn reconcile(state: &AppState, caller: &Caller, query: &ReconciliationQuery) -> AppResult<Reconciliation> {
    let grant = authorize(caller, Resource::Payouts, Access::Read)?;
    let filter = ReconciliationFilter {
        period_key: query.period_key.clone(),
        partner_id: query.partner_id.clone(),
    };
    let mut pooled = state.db.acquire().await?;
    let statements = payouts::statement_payments(&mut pooled.conn(), &grant.scope, &filter).await?;
    let period = query.period_key.clone().filter(|p| !p.is_empty());
    reconciliation::reconcile(period, &statements, today())
}

/// The reconciliation as CSV: one row per partner, currency and reason.
pub fn reconciliation_csv(report: &Reconciliation) -> AppResult<Vec<u8>> {
    let mut rows = Vec::new();
    for r in &report.rows {
        let figures = vec![
            r.partner_id.clone(),
            r.partner_name.clone(),
            r.currency.clone(),
            r.statements.to_string(),
            r.calculated.clone(),
            r.approved.clone(),
            r.in_batches.clone(),
            r.paid.clone(),
            r.difference.clone(),
            r.unexplained.clone(),
        ];
        let reasons: Vec<String> = r
            .explained
            .iter()
            .map(|e| format!("{} {}: {}", e.period_key, e.amount, e.reason))
            .collect();
        rows.push([figures, vec![reasons.join("; ")]].concat());
    }
    csv_table(
        &[
            "partner_id",
            "partner_name",
            "currency",
            "statements",
            "calculated",
            "approved",
            "in_batches",
            "paid",
            "difference",
            "unexplained",
            "reasons",
        ],
        rows,
    )
}

#[utoipa::path(get, operation_id = "payouts_reconciliation", path = "/api/v1/payouts/reconciliation", tag = "payouts", params(ReconciliationQuery),
    responses((status = 200, body = Reconciliation, description = "JSON by default; CSV with format=csv"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn reconciliation(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReconciliationQuery>,
) -> AppResult<Response> {
    let report = reconcile(&state, &caller, &query).await?;
    Ok(match query.format {
        Some(Format::Csv) => csv_response("payout-reconciliation.csv", reconciliation_csv(&report)?),
        _ => Json(report).into_response(),
    })
}

#[utoipa::path(get, operation_id = "payouts_journal_accounts_get", path = "/api/v1/payouts/journal-accounts", tag = "payouts",
    responses((status = 200, body = JournalAccounts), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn get_accounts(State(state): State<AppState>, caller: Caller) -> AppResult<Json<JournalAccounts>> {
    authorize(&caller, Resource::Payouts, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(accounts::load(&mut pooled.conn()).await?))
}

pub async fn save_accounts(state: &AppState, caller: &Caller, input: &JournalAccounts) -> AppResult<JournalAccounts> {
    authorize(caller, Resource::Payouts, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let saved = accounts::save(&mut tx.conn(), &caller.actor(), input).await?;
    tx.commit().await?;
    Ok(saved)
}

#[utoipa::path(put, operation_id = "payouts_journal_accounts_put", path = "/api/v1/payouts/journal-accounts", tag = "payouts", request_body = JournalAccounts,
    responses((status = 200, body = JournalAccounts), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn put_accounts(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<JournalAccounts>,
) -> AppResult<Json<JournalAccounts>> {
    Ok(Json(save_accounts(&state, &caller, &input).await?))
}
