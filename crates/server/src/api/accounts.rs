//! `/api/v1/accounts`: customer accounts and their hierarchy (vendor staff only).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tributary_domain::account::AccountInput;
use tributary_store::repo::accounts::{self, Account, AccountFilter};
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
pub struct AccountQuery {
    /// Part of the name, a domain or the city.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    /// Only house accounts (true) or only partner-workable accounts (false).
    pub house: Option<bool>,
    pub parent_id: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
}

impl AccountQuery {
    pub fn parts(&self) -> (AccountFilter, Paging) {
        (
            AccountFilter {
                search: self.q.clone(),
                kind: self.kind.clone(),
                country: self.country.clone(),
                house: self.house,
                parent_id: self.parent_id.clone(),
            },
            Paging {
                limit: self.limit,
                cursor: self.cursor.clone(),
                sort: self.sort.clone(),
            },
        )
    }
}

#[utoipa::path(get, operation_id = "accounts_list", path = "/api/v1/accounts", tag = "accounts", params(AccountQuery),
    responses((status = 200, body = List<Account>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AccountQuery>,
) -> AppResult<Json<List<Account>>> {
    authorize(&caller, Resource::Accounts, Access::Read)?;
    let (filter, paging) = query.parts();
    let request = paging.request(accounts::SORTABLE, "name")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        accounts::list(&mut pooled.conn(), &filter, &request).await?.into(),
    ))
}

#[utoipa::path(get, operation_id = "accounts_get", path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = String, Path)),
    responses((status = 200, body = Account), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<Account>> {
    authorize(&caller, Resource::Accounts, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        accounts::get(&mut pooled.conn(), &id)
            .await?
            .ok_or_else(|| AppError::not_found("account"))?,
    ))
}

#[utoipa::path(get, operation_id = "accounts_children", path = "/api/v1/accounts/{id}/children", tag = "accounts", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Account>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn children(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Account>>> {
    authorize(&caller, Resource::Accounts, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    accounts::get(&mut conn, &id)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    Ok(Json(accounts::children(&mut conn, &id).await?))
}

pub async fn save_account(
    state: &AppState,
    caller: &Caller,
    id: Option<&str>,
    input: &AccountInput,
) -> AppResult<Account> {
    authorize(caller, Resource::Accounts, Access::Write)?;
    let fields = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let saved = match id {
        None => {
            services::accounts::create(
                &mut tx.conn(),
                &caller.actor(),
                &tributary_domain::ids::new_id(),
                &fields,
            )
            .await?
        }
        Some(id) => {
            let current = accounts::get(&mut tx.conn(), id)
                .await?
                .ok_or_else(|| AppError::not_found("account"))?;
            services::accounts::update(&mut tx.conn(), &caller.actor(), &current, &fields).await?
        }
    };
    tx.commit().await?;
    state.customers.upsert(&saved);
    Ok(saved)
}

#[utoipa::path(post, operation_id = "accounts_create", path = "/api/v1/accounts", tag = "accounts", request_body = AccountInput,
    responses((status = 201, body = Account), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<AccountInput>,
) -> AppResult<(StatusCode, Json<Account>)> {
    Ok((
        StatusCode::CREATED,
        Json(save_account(&state, &caller, None, &input).await?),
    ))
}

#[utoipa::path(put, operation_id = "accounts_update", path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = String, Path)), request_body = AccountInput,
    responses((status = 200, body = Account), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AccountInput>,
) -> AppResult<Json<Account>> {
    Ok(Json(save_account(&state, &caller, Some(&id), &input).await?))
}
