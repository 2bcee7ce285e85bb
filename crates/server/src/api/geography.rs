//! `/api/v1/regions`, `/api/v1/verticals`, `/api/v1/fx-rates`: reference data.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tributary_domain::fx::{FxRateFields, FxRateInput};
use tributary_domain::geography::{RegionFields, RegionInput, VerticalFields, VerticalInput};
use tributary_store::repo::fx_rates::{self, FxFilter};
use tributary_store::repo::{regions, verticals};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services;
use crate::state::AppState;

#[utoipa::path(get, operation_id = "geography_list_regions", path = "/api/v1/regions", tag = "reference data",
    responses((status = 200, body = Vec<RegionFields>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_regions(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<RegionFields>>> {
    authorize(&caller, Resource::Geography, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(regions::list(&mut pooled.conn()).await?))
}

/// The code in the path wins over any code in the body.
pub async fn store_region(
    state: &AppState,
    caller: &Caller,
    code: &str,
    input: RegionInput,
) -> AppResult<RegionFields> {
    authorize(caller, Resource::Geography, Access::Write)?;
    let region = RegionInput {
        code: code.to_string(),
        ..input
    }
    .validate()
    .map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    services::geography::save_region(&mut tx.conn(), &caller.actor(), &region).await?;
    tx.commit().await?;
    Ok(region)
}

#[utoipa::path(put, operation_id = "geography_save_region", path = "/api/v1/regions/{code}", tag = "reference data", params(("code" = String, Path)), request_body = RegionInput,
    responses((status = 200, body = RegionFields), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn save_region(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RegionInput>,
) -> AppResult<Json<RegionFields>> {
    Ok(Json(store_region(&state, &caller, &code, input).await?))
}

#[utoipa::path(get, operation_id = "geography_list_verticals", path = "/api/v1/verticals", tag = "reference data",
    responses((status = 200, body = Vec<VerticalFields>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_verticals(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<VerticalFields>>> {
    authorize(&caller, Resource::Geography, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(verticals::list(&mut pooled.conn()).await?))
}

pub async fn store_vertical(
    state: &AppState,
    caller: &Caller,
    code: &str,
    input: VerticalInput,
) -> AppResult<VerticalFields> {
    authorize(caller, Resource::Geography, Access::Write)?;
    let vertical = VerticalInput {
        code: code.to_string(),
        ..input
    }
    .validate()
    .map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    services::geography::save_vertical(&mut tx.conn(), &caller.actor(), &vertical).await?;
    tx.commit().await?;
    Ok(vertical)
}

#[utoipa::path(put, operation_id = "geography_save_vertical", path = "/api/v1/verticals/{code}", tag = "reference data", params(("code" = String, Path)), request_body = VerticalInput,
    responses((status = 200, body = VerticalFields), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn save_vertical(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<VerticalInput>,
) -> AppResult<Json<VerticalFields>> {
    Ok(Json(store_vertical(&state, &caller, &code, input).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FxQuery {
    pub from_currency: Option<String>,
    pub to_currency: Option<String>,
    /// Earliest rate date (YYYY-MM-DD).
    pub date_from: Option<String>,
    /// Latest rate date (YYYY-MM-DD).
    pub date_to: Option<String>,
    /// Page size (1..=1000, default 100).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl FxQuery {
    pub fn cursor(&self) -> AppResult<Option<tributary_store::page::Cursor>> {
        self.cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(tributary_store::page::Cursor::decode)
            .transpose()
            .map_err(|m| AppError::field("cursor", m))
    }

    pub fn filter(&self) -> AppResult<FxFilter> {
        super::paging::check_dates(&[("date_from", &self.date_from), ("date_to", &self.date_to)])?;
        Ok(FxFilter {
            from_currency: self.from_currency.clone(),
            to_currency: self.to_currency.clone(),
            date_from: self.date_from.clone(),
            date_to: self.date_to.clone(),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FxPage {
    pub items: Vec<FxRateFields>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, operation_id = "geography_list_fx_rates", path = "/api/v1/fx-rates", tag = "reference data", params(FxQuery),
    responses((status = 200, body = FxPage), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list_fx_rates(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<FxQuery>,
) -> AppResult<Json<FxPage>> {
    authorize(&caller, Resource::FxRates, Access::Read)?;
    let filter = query.filter()?;
    let cursor = query.cursor()?;
    let mut pooled = state.db.acquire().await?;
    let page = fx_rates::list(&mut pooled.conn(), &filter, query.limit.unwrap_or(100), cursor.as_ref()).await?;
    Ok(Json(FxPage {
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

pub async fn store_fx_rate(state: &AppState, caller: &Caller, input: &FxRateInput) -> AppResult<FxRateFields> {
    authorize(caller, Resource::FxRates, Access::Write)?;
    let rate = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    services::geography::save_fx_rate(&mut tx.conn(), &caller.actor(), &rate).await?;
    tx.commit().await?;
    Ok(rate)
}

#[utoipa::path(post, operation_id = "geography_save_fx_rate", path = "/api/v1/fx-rates", tag = "reference data", request_body = FxRateInput,
    responses((status = 200, body = FxRateFields), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn save_fx_rate(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FxRateInput>,
) -> AppResult<Json<FxRateFields>> {
    Ok(Json(store_fx_rate(&state, &caller, &input).await?))
}
