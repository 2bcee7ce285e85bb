//! `/api/v1/sales-facts`: the append-only sales and returns ledger.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tributary_domain::sales::SalesFactInput;
use tributary_store::repo::sales::{self, CurrencyTotal, SalesFact, SalesFilter};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use super::idempotency;
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, RowProblem, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::sales::{SalesResolver, close_batch, open_batch};
use crate::state::AppState;

/// Most lines accepted in one API call (use the import endpoint for files).
pub const LINES_PER_CALL_MAX: usize = 10_000;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalesQuery {
    pub partner_id: Option<String>,
    pub account_id: Option<String>,
    pub product_id: Option<String>,
    pub currency: Option<String>,
    pub deal_ref: Option<String>,
    /// Earliest fact date (YYYY-MM-DD).
    pub date_from: Option<String>,
    /// Latest fact date (YYYY-MM-DD).
    pub date_to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
}

impl SalesQuery {
    pub fn filter(&self) -> AppResult<SalesFilter> {
        super::paging::check_dates(&[("date_from", &self.date_from), ("date_to", &self.date_to)])?;
        Ok(SalesFilter {
            partner_id: self.partner_id.clone(),
            account_id: self.account_id.clone(),
            product_id: self.product_id.clone(),
            currency: self.currency.clone().map(|c| c.to_ascii_uppercase()),
            date_from: self.date_from.clone(),
            date_to: self.date_to.clone(),
            deal_ref: self.deal_ref.clone(),
        })
    }

    pub fn paging(&self) -> Paging {
        Paging {
            limit: self.limit,
            cursor: self.cursor.clone(),
            sort: self.sort.clone(),
        }
    }
}

#[utoipa::path(get, operation_id = "sales_list", path = "/api/v1/sales-facts", tag = "sales", params(SalesQuery),
    responses((status = 200, body = List<SalesFact>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SalesQuery>,
) -> AppResult<Json<List<SalesFact>>> {
    let grant = authorize(&caller, Resource::Sales, Access::Read)?;
    let filter = query.filter()?;
    let request = query.paging().request(sales::SORTABLE, "-fact_date")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        sales::list(&mut pooled.conn(), &grant.scope, &filter, &request)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, operation_id = "sales_totals", path = "/api/v1/sales-facts/totals", tag = "sales", params(SalesQuery),
    responses((status = 200, body = Vec<CurrencyTotal>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn totals(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SalesQuery>,
) -> AppResult<Json<Vec<CurrencyTotal>>> {
    let grant = authorize(&caller, Resource::Sales, Access::Read)?;
    let filter = query.filter()?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(sales::totals(&mut pooled.conn(), &grant.scope, &filter).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SalesBatch {
    /// 1 to 10,000 lines; all are validated and none is stored if any is invalid.
    pub lines: Vec<SalesFactInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalesBatchResult {
    pub import_batch_id: String,
    pub lines: u64,
    pub ids: Vec<String>,
}

/// Appends sales/return lines. Send an `Idempotency-Key` header to make retries safe.
#[utoipa::path(post, operation_id = "sales_append", path = "/api/v1/sales-facts", tag = "sales", request_body = SalesBatch,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries of the same request safe")),
    responses((status = 201, body = SalesBatchResult), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn append(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    authorize(&caller, Resource::Sales, Access::Write)?;
    let key = idempotency::key(&headers)?;
    let batch: SalesBatch = serde_json::from_slice(&body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => AppError::field("body", e.to_string()),
        _ => AppError::BadRequest(format!("the body is not valid JSON: {e}")),
    })?;
    if batch.lines.is_empty() || batch.lines.len() > LINES_PER_CALL_MAX {
        return Err(AppError::field(
            "lines",
            format!("send between 1 and {LINES_PER_CALL_MAX} lines"),
        ));
    }
    let fingerprint = idempotency::fingerprint(&[b"POST /api/v1/sales-facts", &body]);
    let actor = caller.actor();
    let mut tx = state.db.begin().await?;
    if let Some(key) = &key
        && let Some(replayed) = idempotency::claim(&state, &mut tx, &caller.user.id, key, &fingerprint).await?
    {
        return Ok(replayed);
    }
    let import = open_batch(&mut tx.conn(), &actor, "sales_facts", "api", &fingerprint).await?;
    let mut resolver = SalesResolver::default();
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    for (index, input) in batch.lines.iter().enumerate() {
        let line_no = index as u64 + 1;
        let resolved = match input.validate() {
            Ok(fields) => {
                resolver
                    .resolve(&mut tx.conn(), fields, &import.id, &import.created_at)
                    .await?
            }
            Err(errors) => Err(errors),
        };
        match resolved {
            Ok(line) => lines.push(line),
            Err(errors) => problems.extend(errors.into_iter().map(|e| RowProblem {
                row: line_no,
                column: e.field,
                message: e.message,
            })),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::InvalidRows(problems));
    }
    crate::services::sales::append(&mut tx.conn(), &lines).await?;
    close_batch(&mut tx.conn(), &actor, &import, lines.len() as u64).await?;
    let result = SalesBatchResult {
        import_batch_id: import.id.clone(),
        lines: lines.len() as u64,
        ids: lines.into_iter().map(|l| l.id).collect(),
    };
    let body = serde_json::to_string(&result).map_err(internal)?;
    if let Some(key) = &key {
        idempotency::complete(&mut tx.conn(), &caller.user.id, key, StatusCode::CREATED, &body).await?;
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}
