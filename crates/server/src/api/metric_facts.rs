//! `/api/v1/metric-facts`: imported `(partner, metric, date, value)` facts that tier
//! metrics read (certified people, CSAT, training, agreements, deals won, custom metrics).
//! Files go through `/api/v1/imports/metric-facts`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tributary_domain::metric_fact::MetricFactInput;
use tributary_store::repo::metric_facts::{self, MetricFactFilter, MetricFactRow};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, RowProblem};
use crate::policy::{Access, Resource, authorize};
use crate::services::sales::{close_batch, open_batch};
use crate::services::tiering::metric_facts::{MetricFactResolver, append as append_lines};
use crate::state::AppState;

/// Most facts accepted in one API call (use the import endpoint for files).
pub const FACTS_PER_CALL_MAX: usize = 10_000;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricFactQuery {
    pub partner_id: Option<String>,
    pub metric: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// `fact_date`, `metric` or `created_at`, `-` for descending.
    pub sort: Option<String>,
}

impl MetricFactQuery {
    pub fn filter(&self) -> AppResult<MetricFactFilter> {
        super::paging::check_dates(&[("date_from", &self.date_from), ("date_to", &self.date_to)])?;
        Ok(MetricFactFilter {
            partner_id: self.partner_id.clone(),
            metric: self.metric.clone().map(|m| m.to_ascii_lowercase()),
            date_from: self.date_from.clone(),
            date_to: self.date_to.clone(),
        })
    }
}

#[utoipa::path(get, operation_id = "metric_facts_list", path = "/api/v1/metric-facts", tag = "tiers", params(MetricFactQuery),
    responses((status = 200, body = List<MetricFactRow>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MetricFactQuery>,
) -> AppResult<Json<List<MetricFactRow>>> {
    let grant = authorize(&caller, Resource::MetricFacts, Access::Read)?;
    let filter = query.filter()?;
    let paging = Paging {
        limit: query.limit,
        cursor: query.cursor.clone(),
        sort: query.sort.clone(),
    };
    let request = paging.request(metric_facts::SORTABLE, "-fact_date")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        metric_facts::list(&mut pooled.conn(), &grant.scope, &filter, &request)
            .await?
            .into(),
    ))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MetricFactBatch {
    /// 1 to 10,000 facts; all are validated and none is stored if any is invalid.
    pub lines: Vec<MetricFactInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MetricFactBatchResult {
    pub import_batch_id: String,
    pub lines: u64,
}

#[utoipa::path(post, operation_id = "metric_facts_append", path = "/api/v1/metric-facts", tag = "tiers", request_body = MetricFactBatch,
    responses((status = 201, body = MetricFactBatchResult), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn append(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(batch): ApiJson<MetricFactBatch>,
) -> AppResult<(StatusCode, Json<MetricFactBatchResult>)> {
    let grant = authorize(&caller, Resource::MetricFacts, Access::Write)?;
    if batch.lines.is_empty() || batch.lines.len() > FACTS_PER_CALL_MAX {
        return Err(AppError::field(
            "lines",
            format!("send between 1 and {FACTS_PER_CALL_MAX} facts"),
        ));
    }
    let actor = caller.actor();
    let mut tx = state.db.begin().await?;
    let import = open_batch(&mut tx.conn(), &actor, "metric_facts", "api", "").await?;
    let mut resolver = MetricFactResolver::new(&grant.scope);
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    for (index, input) in batch.lines.iter().enumerate() {
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
                row: index as u64 + 1,
                column: e.field,
                message: e.message,
            })),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::InvalidRows(problems));
    }
    append_lines(&mut tx.conn(), &lines).await?;
    close_batch(&mut tx.conn(), &actor, &import, lines.len() as u64).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(MetricFactBatchResult {
            import_batch_id: import.id,
            lines: lines.len() as u64,
        }),
    ))
}
