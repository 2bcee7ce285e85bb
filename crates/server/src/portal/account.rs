//! The signed-in user's own page: who they are, changing their password (which needs the
//! current one and ends every session, this one included) and their API tokens for
//! integrations — created with a name, scopes and an optional lifetime, the secret shown
//! exactly once, listed, and revoked.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use tributary_store::repo::{api_tokens, partners, users};
use tributary_store::time;

use super::form::{Blank, Form, FormState, choices};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use super::users::NewPassword;
use crate::api::tokens::{CreatedToken, create_token, revoke_token};
use crate::api::users::change_password;
use crate::auth::{Caller, password};
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::tokens::{SCOPES, TokenInput};
use crate::state::AppState;

/// What the page shows besides the profile: the two forms and, right after creating a
/// token, its secret.
struct Forms {
    password: FormState<Blank>,
    token: FormState<serde_json::Value>,
    created: Option<CreatedToken>,
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            password: FormState::new(Blank::new()).prefixed("pw-"),
            token: FormState::new(json!({ "name": "", "scopes": ["read"], "expires_in_days": 90 })).prefixed("tk-"),
            created: None,
        }
    }
}

fn scope_label(scope: &str) -> &'static str {
    match scope {
        "read" => "Read: see what your role may see",
        "write" => "Write: create and change records",
        _ => "Import: upload files",
    }
}

async fn account_page(state: &AppState, caller: &Caller, forms: Forms, status: StatusCode) -> AppResult<Response> {
    authorize(caller, Resource::OwnAccount, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let organisation = match (
        caller.own_partner_id(),
        authorize(caller, Resource::Partners, Access::Read),
    ) {
        (Some(own), Ok(grant)) => partners::get(&mut conn, &grant.scope, own)
            .await?
            .map(|p| p.fields.name),
        _ => None,
    };
    let tokens = api_tokens::list(&mut conn, Some(&caller.user.id)).await?;
    let chosen: Vec<String> = forms.token.values["scopes"]
        .as_array()
        .map(|scopes| scopes.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    render_status(
        state,
        status,
        "account.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/account"),
            user => &caller.user,
            role => caller.role.label(),
            organisation, tokens,
            now => time::now_text(),
            scopes => choices(SCOPES.iter().map(|s| (*s, scope_label(s))), &chosen),
            password_form => forms.password,
            token_form => forms.token,
            created => forms.created,
        },
    )
}

pub async fn show(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, account_page(&state, &caller, Forms::default(), StatusCode::OK)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordChange {
    pub current_password: String,
    #[serde(flatten)]
    pub new: NewPassword,
}

/// Checks the current password, then sets the new one.
async fn change_own(state: &AppState, caller: &Caller, change: &PasswordChange) -> AppResult<()> {
    let stored = {
        let mut pooled = state.db.acquire().await?;
        users::credentials_by_email(&mut pooled.conn(), &caller.user.email)
            .await?
            .and_then(|c| c.password_hash)
    };
    if !stored.is_some_and(|hash| password::verify(&change.current_password, &hash)) {
        return Err(AppError::field("current_password", "is not your current password"));
    }
    change_password(state, caller, &caller.user.id, change.new.confirmed()?).await
}

pub async fn set_password(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(change): Form<PasswordChange>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match change_own(&state, &caller, &change).await {
            Ok(()) => render(
                &state,
                "notice.html",
                minijinja::context! {
                    title => "Password changed",
                    detail => "Your password was changed and you were signed out everywhere. Sign in with the new password.",
                    link_href => "/login?next=/account",
                    link_label => "Sign in",
                },
            ),
            Err(error) => {
                let (status, password) = FormState::failed(Blank::new(), error)?;
                let forms = Forms {
                    password: password.prefixed("pw-"),
                    ..Forms::default()
                };
                account_page(&state, &caller, forms, status).await
            }
        }
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<TokenInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let values = json!({ "name": input.name, "scopes": input.scopes, "expires_in_days": input.expires_in_days });
        match create_token(&state, &caller, &input).await {
            Ok(created) => {
                let forms = Forms {
                    created: Some(created),
                    ..Forms::default()
                };
                account_page(&state, &caller, forms, StatusCode::OK).await
            }
            Err(error) => {
                let (status, token) = FormState::failed(values, error)?;
                let forms = Forms {
                    token: token.prefixed("tk-"),
                    ..Forms::default()
                };
                account_page(&state, &caller, forms, status).await
            }
        }
    })
    .await
}

pub async fn revoke(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        revoke_token(&state, &caller, &id).await?;
        see_other("/account")
    })
    .await
}
