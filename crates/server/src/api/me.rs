//! `/api/v1/me`: who the caller is and what they can reach.

use axum::Json;
use serde::Serialize;
use tributary_store::repo::users::User;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{AppResult, Problem};

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    /// Partner organisations whose data the caller sees (partner roles only).
    pub partner_ids: Vec<String>,
    /// `session` or `token`.
    pub authenticated_by: String,
    /// For portal sessions: the token to send as `X-CSRF-Token` on unsafe requests.
    pub csrf_token: Option<String>,
}

#[utoipa::path(get, operation_id = "me_get", path = "/api/v1/me", tag = "identity",
    responses((status = 200, body = Me), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get(caller: Caller) -> AppResult<Json<Me>> {
    let authenticated_by = match caller.credential {
        crate::auth::Credential::Session { .. } => "session",
        crate::auth::Credential::Token { .. } => "token",
    };
    let csrf_token = caller.csrf_token().map(str::to_string);
    Ok(Json(Me {
        csrf_token,
        user: caller.user,
        partner_ids: caller.partner_ids,
        authenticated_by: authenticated_by.into(),
    }))
}
