//! `/api/v1/products`: the product catalogue.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tributary_domain::product::ProductInput;
use tributary_store::repo::products::{self, Product, ProductFilter};
use utoipa::IntoParams;

use super::extract::{ApiJson, ApiQuery};
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Part of the SKU or name.
    pub q: Option<String>,
    pub family: Option<String>,
    pub active: Option<bool>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
}

impl ProductQuery {
    pub fn parts(&self) -> (ProductFilter, Paging) {
        (
            ProductFilter {
                search: self.q.clone(),
                family: self.family.clone(),
                active: self.active,
            },
            Paging {
                limit: self.limit,
                cursor: self.cursor.clone(),
                sort: self.sort.clone(),
            },
        )
    }
}

#[utoipa::path(get, operation_id = "products_list", path = "/api/v1/products", tag = "products", params(ProductQuery),
    responses((status = 200, body = List<Product>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> AppResult<Json<List<Product>>> {
    authorize(&caller, Resource::Products, Access::Read)?;
    let (filter, paging) = query.parts();
    let request = paging.request(products::SORTABLE, "sku")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        products::list(&mut pooled.conn(), &filter, &request).await?.into(),
    ))
}

#[utoipa::path(get, operation_id = "products_get", path = "/api/v1/products/{id}", tag = "products", params(("id" = String, Path)),
    responses((status = 200, body = Product), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<Product>> {
    authorize(&caller, Resource::Products, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        products::get(&mut pooled.conn(), &id)
            .await?
            .ok_or_else(|| AppError::not_found("product"))?,
    ))
}

pub async fn save_product(
    state: &AppState,
    caller: &Caller,
    id: Option<&str>,
    input: &ProductInput,
) -> AppResult<Product> {
    authorize(caller, Resource::Products, Access::Write)?;
    let fields = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let saved = match id {
        None => {
            services::products::create(
                &mut tx.conn(),
                &caller.actor(),
                &tributary_domain::ids::new_id(),
                &fields,
            )
            .await?
        }
        Some(id) => {
            let current = products::get(&mut tx.conn(), id)
                .await?
                .ok_or_else(|| AppError::not_found("product"))?;
            services::products::update(&mut tx.conn(), &caller.actor(), &current, &fields).await?
        }
    };
    tx.commit().await?;
    Ok(saved)
}

#[utoipa::path(post, operation_id = "products_create", path = "/api/v1/products", tag = "products", request_body = ProductInput,
    responses((status = 201, body = Product), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ProductInput>,
) -> AppResult<(StatusCode, Json<Product>)> {
    Ok((
        StatusCode::CREATED,
        Json(save_product(&state, &caller, None, &input).await?),
    ))
}

#[utoipa::path(put, operation_id = "products_update", path = "/api/v1/products/{id}", tag = "products", params(("id" = String, Path)), request_body = ProductInput,
    responses((status = 200, body = Product), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProductInput>,
) -> AppResult<Json<Product>> {
    Ok(Json(save_product(&state, &caller, Some(&id), &input).await?))
}
