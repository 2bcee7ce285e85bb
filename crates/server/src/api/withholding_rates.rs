//! `/api/v1/withholding-rates`: the withholding tax rate of each tax country, read and set
//! by finance (and administrators); the period close applies them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tributary_store::repo::withholding_rates::{self, WithholdingRate};

use super::extract::ApiJson;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::withholding::{self, WithholdingRateInput};
use crate::state::AppState;

#[utoipa::path(get, operation_id = "withholding_rates_list", path = "/api/v1/withholding-rates", tag = "incentives",
    responses((status = 200, body = Vec<WithholdingRate>, description = "Every rate, by country"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<WithholdingRate>>> {
    authorize(&caller, Resource::WithholdingRates, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(withholding_rates::list(&mut pooled.conn()).await?))
}

/// Validates and stores a rate (the API and the portal form share it).
pub async fn store(state: &AppState, caller: &Caller, input: &WithholdingRateInput) -> AppResult<WithholdingRate> {
    authorize(caller, Resource::WithholdingRates, Access::Write)?;
    let (country, rate) = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let saved = withholding::save(&mut tx.conn(), &caller.actor(), &country, rate).await?;
    tx.commit().await?;
    Ok(saved)
}

#[utoipa::path(put, operation_id = "withholding_rates_put", path = "/api/v1/withholding-rates/{country}", tag = "incentives",
    params(("country" = String, Path, description = "ISO 3166-1 alpha-2 tax country")), request_body = WithholdingRateInput,
    responses((status = 200, body = WithholdingRate), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(country): Path<String>,
    ApiJson(input): ApiJson<WithholdingRateInput>,
) -> AppResult<Json<WithholdingRate>> {
    let input = WithholdingRateInput { country, ..input };
    Ok(Json(store(&state, &caller, &input).await?))
}

/// Removes a country's rate (the API and the portal share it).
pub async fn remove(state: &AppState, caller: &Caller, country: &str) -> AppResult<()> {
    authorize(caller, Resource::WithholdingRates, Access::Write)?;
    let mut tx = state.db.begin().await?;
    withholding::remove(&mut tx.conn(), &caller.actor(), &country.trim().to_ascii_uppercase()).await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(delete, operation_id = "withholding_rates_delete", path = "/api/v1/withholding-rates/{country}", tag = "incentives",
    params(("country" = String, Path, description = "ISO 3166-1 alpha-2 tax country")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(country): Path<String>,
) -> AppResult<StatusCode> {
    remove(&state, &caller, &country).await?;
    Ok(StatusCode::NO_CONTENT)
}
