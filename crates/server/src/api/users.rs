//! `/api/v1/users`: vendor staff and partner users.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tributary_domain::user::UserInput;
use tributary_store::Scope;
use tributary_store::repo::partners;
use tributary_store::repo::users::{self, User, UserFilter};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{self, Access, Grant, Resource, authorize};
use crate::services;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the e-mail or name.
    pub q: Option<String>,
    pub role: Option<String>,
    pub partner_id: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
}

impl UserQuery {
    pub fn parts(&self) -> (UserFilter, Paging) {
        (
            UserFilter {
                search: self.q.clone(),
                role: self.role.clone(),
                partner_id: self.partner_id.clone(),
            },
            Paging {
                limit: self.limit,
                cursor: self.cursor.clone(),
                sort: self.sort.clone(),
            },
        )
    }
}

/// A user update: the user's attributes plus whether the account is active.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct UserUpdate {
    #[serde(flatten)]
    pub user: UserInput,
    /// Inactive users cannot sign in; their sessions end at once.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PasswordInput {
    /// At least 12 characters.
    pub password: String,
}

#[utoipa::path(get, operation_id = "users_list", path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = List<User>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UserQuery>,
) -> AppResult<Json<List<User>>> {
    let grant = authorize(&caller, Resource::Users, Access::Read)?;
    let (filter, paging) = query.parts();
    let request = paging.request(users::SORTABLE, "email")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        users::list(&mut pooled.conn(), &grant.scope, &filter, &request)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, operation_id = "users_get", path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = User), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<User>> {
    let grant = authorize(&caller, Resource::Users, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        users::get(&mut pooled.conn(), &grant.scope, &id)
            .await?
            .ok_or_else(|| AppError::not_found("user"))?,
    ))
}

/// The target organisation must be one the caller manages (channel managers, partner admins).
async fn check_target_partner(state: &AppState, grant: &Grant, partner_id: Option<&str>) -> AppResult<()> {
    if let (Some(partner_id), false) = (partner_id, grant.scope == Scope::All) {
        let mut pooled = state.db.acquire().await?;
        if partners::get(&mut pooled.conn(), &grant.scope, partner_id)
            .await?
            .is_none()
        {
            return Err(AppError::field(
                "partner_id",
                format!("no partner you manage has id {partner_id}"),
            ));
        }
    }
    Ok(())
}

pub async fn create_user(state: &AppState, caller: &Caller, input: &UserInput) -> AppResult<User> {
    let grant = authorize(caller, Resource::Users, Access::Write)?;
    let fields = input.validate().map_err(AppError::Validation)?;
    policy::may_assign_role(caller, fields.role, fields.partner_id.as_deref())?;
    check_target_partner(state, &grant, fields.partner_id.as_deref()).await?;
    let mut tx = state.db.begin().await?;
    let user = services::users::create(
        &mut tx.conn(),
        &caller.actor(),
        &tributary_domain::ids::new_id(),
        &fields,
        input.password.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn update_user(state: &AppState, caller: &Caller, id: &str, update: &UserUpdate) -> AppResult<User> {
    let grant = authorize(caller, Resource::Users, Access::Write)?;
    let fields = update.user.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let current = users::get(&mut tx.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    policy::may_assign_role(caller, current.role()?, current.partner_id.as_deref())?;
    policy::may_assign_role(caller, fields.role, fields.partner_id.as_deref())?;
    drop(tx);
    check_target_partner(state, &grant, fields.partner_id.as_deref()).await?;
    let mut tx = state.db.begin().await?;
    let updated = services::users::update(
        &mut tx.conn(),
        &caller.actor(),
        &current,
        &fields,
        update.active.unwrap_or(current.active),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

#[utoipa::path(post, operation_id = "users_create", path = "/api/v1/users", tag = "users", request_body = UserInput,
    responses((status = 201, body = User), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<UserInput>,
) -> AppResult<(StatusCode, Json<User>)> {
    Ok((StatusCode::CREATED, Json(create_user(&state, &caller, &input).await?)))
}

#[utoipa::path(put, operation_id = "users_update", path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserUpdate,
    responses((status = 200, body = User), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<UserUpdate>,
) -> AppResult<Json<User>> {
    Ok(Json(update_user(&state, &caller, &id, &update).await?))
}

#[utoipa::path(put, operation_id = "users_set_password", path = "/api/v1/users/{id}/password", tag = "users", params(("id" = String, Path)), request_body = PasswordInput,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PasswordInput>,
) -> AppResult<StatusCode> {
    change_password(&state, &caller, &id, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a password: one's own always; another user's when the caller may manage that user.
pub async fn change_password(state: &AppState, caller: &Caller, id: &str, password: &str) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let target = if id == caller.user.id {
        authorize(caller, Resource::OwnAccount, Access::Write)?;
        caller.user.clone()
    } else {
        let grant = authorize(caller, Resource::Users, Access::Write)?;
        let target = users::get(&mut tx.conn(), &grant.scope, id)
            .await?
            .ok_or_else(|| AppError::not_found("user"))?;
        policy::may_assign_role(caller, target.role()?, target.partner_id.as_deref())?;
        target
    };
    services::users::set_password(&mut tx.conn(), &caller.actor(), &target, password).await?;
    tx.commit().await?;
    Ok(())
}
