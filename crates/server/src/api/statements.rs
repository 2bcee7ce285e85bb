//! `/api/v1/statements`: incentive statements — listed with filters (JSON pages, or CSV
//! with `?format=csv` or `/export`), one with its lines and explanations, downloaded as
//! CSV or JSON, the facts behind a line, and submitted for approval (decisions go through
//! `/api/v1/approvals`). Partners see their own organisation's statements only; another's
//! is not found. Also the partner earnings overview (`/api/v1/partners/{id}/earnings`)
//! and the vendor's spend report (`/api/v1/incentives/spend`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tributary_store::repo::approvals::ApprovalRequest;
use tributary_store::repo::partners;
use tributary_store::repo::statements::{self, SORTABLE, Statement, StatementFilter, StatementStatus};
use utoipa::IntoParams;

use super::extract::ApiQuery;
use super::idempotency;
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::incentives::statements::drilldown::{LineFacts, facts_behind};
use crate::services::incentives::statements::reports::{EarningsOverview, SpendGroup, SpendRow, earnings, spend};
use crate::services::incentives::statements::{self as service, StatementDetail, approval, export, statement_scope};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    pub partner_id: Option<String>,
    /// e.g. 2026-Q3.
    pub period_key: Option<String>,
    /// calculated, pending_approval, approved, rejected or paid.
    pub status: Option<String>,
    /// `csv` for a CSV of every matching statement instead of a JSON page.
    pub format: Option<String>,
}

impl StatementQuery {
    pub fn filter(&self) -> AppResult<StatementFilter> {
        Ok(StatementFilter {
            partner_id: self.partner_id.clone(),
            period_key: self.period_key.clone(),
            status: self
                .status
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(StatementStatus::parse)
                .transpose()
                .map_err(|m| AppError::field("status", m))?,
        })
    }
}

fn attachment(content_type: &'static str, file_name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Every statement `caller` may see that matches `filter`, newest period first.
pub async fn visible_statements(
    state: &AppState,
    caller: &Caller,
    filter: &StatementFilter,
) -> AppResult<Vec<Statement>> {
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(statements::all(&mut pooled.conn(), &statement_scope(caller, &grant), filter).await?)
}

/// Statement `id` with its lines, if `caller` may see it.
pub async fn statement_detail(state: &AppState, caller: &Caller, id: &str) -> AppResult<StatementDetail> {
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    service::detail(&mut pooled.conn(), &statement_scope(caller, &grant), id).await
}

#[utoipa::path(get, operation_id = "statements_list", path = "/api/v1/statements", tag = "incentives", params(StatementQuery, Paging),
    responses((status = 200, body = List<Statement>, description = "A page of statements (or CSV with format=csv)"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<StatementQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> AppResult<Response> {
    let filter = query.filter()?;
    match query.format.as_deref() {
        Some("csv") => return export_response(&state, &caller, &filter).await,
        None | Some("") | Some("json") => {}
        Some(other) => return Err(AppError::field("format", format!("'{other}' is not csv or json"))),
    }
    let grant = authorize(&caller, Resource::Statements, Access::Read)?;
    let request = paging.request(SORTABLE, "-period_end")?;
    let mut pooled = state.db.acquire().await?;
    let page = statements::list(&mut pooled.conn(), &statement_scope(&caller, &grant), &filter, &request).await?;
    Ok(Json(List::from(page)).into_response())
}

async fn export_response(state: &AppState, caller: &Caller, filter: &StatementFilter) -> AppResult<Response> {
    let found = visible_statements(state, caller, filter).await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "statements.csv".into(),
        export::list_csv(&found)?,
    ))
}

#[utoipa::path(get, operation_id = "statements_export", path = "/api/v1/statements/export", tag = "incentives", params(StatementQuery),
    responses((status = 200, description = "CSV, one row per statement", content_type = "text/csv"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn export_list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<StatementQuery>,
) -> AppResult<Response> {
    export_response(&state, &caller, &query.filter()?).await
}

#[utoipa::path(get, operation_id = "statements_get", path = "/api/v1/statements/{id}", tag = "incentives", params(("id" = String, Path)),
    responses((status = 200, body = StatementDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<StatementDetail>> {
    Ok(Json(statement_detail(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// `csv` (default) or `json`.
    pub format: Option<String>,
}

#[utoipa::path(get, operation_id = "statements_download", path = "/api/v1/statements/{id}/download", tag = "incentives", params(("id" = String, Path), DownloadQuery),
    responses((status = 200, description = "The statement as CSV (a row per line) or JSON (with every explanation)", content_type = "text/csv"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DownloadQuery>,
) -> AppResult<Response> {
    let detail = statement_detail(&state, &caller, &id).await?;
    let name = format!(
        "statement-{}-{}",
        detail.statement.period_key, detail.statement.partner_id
    );
    match query.format.as_deref().unwrap_or("csv") {
        "csv" => Ok(attachment(
            "text/csv; charset=utf-8",
            format!("{name}.csv"),
            export::statement_csv(&detail)?,
        )),
        "json" => Ok(attachment(
            "application/json",
            format!("{name}.json"),
            export::statement_json(&detail)?,
        )),
        other => Err(AppError::field("format", format!("'{other}' is not csv or json"))),
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FactsQuery {
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of the facts behind line `line_id` of statement `id`, if `caller` may see it.
pub async fn line_facts(
    state: &AppState,
    caller: &Caller,
    id: &str,
    line_id: &str,
    query: &FactsQuery,
) -> AppResult<LineFacts> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::field("limit", "must be between 1 and 1000"));
    }
    let cursor = query
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(tributary_store::page::Cursor::decode)
        .transpose()
        .map_err(|m| AppError::field("cursor", m))?;
    let detail = statement_detail(state, caller, id).await?;
    let line = detail
        .lines
        .iter()
        .find(|l| l.id == line_id)
        .ok_or_else(|| AppError::not_found("statement line"))?;
    let mut pooled = state.db.acquire().await?;
    facts_behind(
        &mut pooled.conn(),
        &detail.statement,
        line,
        cursor.as_ref(),
        limit as usize,
    )
    .await
}

#[utoipa::path(get, operation_id = "statements_line_facts", path = "/api/v1/statements/{id}/lines/{line_id}/facts", tag = "incentives",
    params(("id" = String, Path), ("line_id" = String, Path), FactsQuery),
    responses((status = 200, body = LineFacts), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn facts(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, line_id)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<FactsQuery>,
) -> AppResult<Json<LineFacts>> {
    Ok(Json(line_facts(&state, &caller, &id, &line_id, &query).await?))
}

async fn submit_in(
    conn: &mut tributary_store::Conn<'_>,
    caller: &Caller,
    grant: &crate::policy::Grant,
    id: &str,
) -> AppResult<ApprovalRequest> {
    let statement = service::get(conn, &statement_scope(caller, grant), id).await?;
    approval::submit(conn, &caller.actor(), &statement).await
}

/// Submits statement `id` for approval on behalf of `caller` (vendor finance or
/// administrators); returns the approval request opened.
pub async fn submit_statement(state: &AppState, caller: &Caller, id: &str) -> AppResult<ApprovalRequest> {
    let grant = authorize(caller, Resource::Statements, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let request = submit_in(&mut tx.conn(), caller, &grant, id).await?;
    tx.commit().await?;
    Ok(request)
}

#[utoipa::path(post, operation_id = "statements_submit", path = "/api/v1/statements/{id}/submit", tag = "incentives", params(("id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries of the same request safe")),
    responses((status = 201, body = ApprovalRequest, description = "The approval request opened"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: Bytes,
) -> AppResult<Response> {
    let grant = authorize(&caller, Resource::Statements, Access::Write)?;
    let Some(key) = idempotency::key(&headers)? else {
        return Ok((StatusCode::CREATED, Json(submit_statement(&state, &caller, &id).await?)).into_response());
    };
    let fingerprint = idempotency::fingerprint(&[b"POST /api/v1/statements/submit", id.as_bytes()]);
    let mut tx = state.db.begin().await?;
    if let Some(replayed) = idempotency::claim(&state, &mut tx, &caller.user.id, &key, &fingerprint).await? {
        return Ok(replayed);
    }
    let request = submit_in(&mut tx.conn(), &caller, &grant, &id).await?;
    let body = serde_json::to_string(&request).map_err(internal)?;
    idempotency::complete(&mut tx.conn(), &caller.user.id, &key, StatusCode::CREATED, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(request)).into_response())
}

/// The earnings overview of partner `id`, if `caller` may see the partner's statements.
pub async fn partner_earnings(state: &AppState, caller: &Caller, id: &str) -> AppResult<EarningsOverview> {
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    let scope = statement_scope(caller, &grant);
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    if partners::get(&mut conn, &scope, id).await?.is_none() {
        return Err(AppError::not_found("partner"));
    }
    earnings(&mut conn, &scope, id).await
}

#[utoipa::path(get, operation_id = "partners_earnings", path = "/api/v1/partners/{id}/earnings", tag = "incentives", params(("id" = String, Path)),
    responses((status = 200, body = EarningsOverview), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn partner_earnings_overview(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<EarningsOverview>> {
    Ok(Json(partner_earnings(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpendQuery {
    /// The period, e.g. 2026-Q3.
    pub period_key: String,
    /// `plan` (default) or `region` (the partner's head-office region).
    pub group: Option<String>,
}

/// The spend of a period, grouped, over the statements `caller` may see (vendor staff).
pub async fn period_spend(state: &AppState, caller: &Caller, query: &SpendQuery) -> AppResult<Vec<SpendRow>> {
    let grant = authorize(caller, Resource::Statements, Access::Read)?;
    if caller.is_partner() {
        return Err(AppError::Forbidden("spend reports are for the vendor's staff".into()));
    }
    let group = SpendGroup::parse(query.group.as_deref().filter(|g| !g.is_empty()).unwrap_or("plan"))
        .map_err(|m| AppError::field("group", m))?;
    let mut pooled = state.db.acquire().await?;
    spend(&mut pooled.conn(), &grant.scope, &query.period_key, group).await
}

#[utoipa::path(get, operation_id = "incentives_spend", path = "/api/v1/incentives/spend", tag = "incentives", params(SpendQuery),
    responses((status = 200, body = Vec<SpendRow>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn spend_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SpendQuery>,
) -> AppResult<Json<Vec<SpendRow>>> {
    Ok(Json(period_spend(&state, &caller, &query).await?))
}
