//! API tokens: created by a signed-in user for an integration, shown once, stored as a
//! digest, limited to scopes, revocable by their owner or an administrator.

use chrono::Utc;
use serde::Deserialize;
use tributary_store::audit::Actor;
use tributary_store::repo::api_tokens::{self, ApiToken};
use tributary_store::{Conn, time};
use utoipa::ToSchema;

use super::record;
use crate::auth::secret;
use crate::error::{AppError, AppResult};

pub const SCOPES: [&str; 3] = ["read", "write", "import"];

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct TokenInput {
    /// What the token is for, e.g. "CRM sync".
    pub name: String,
    /// Any of read, write, import.
    pub scopes: Vec<String>,
    /// Days until the token stops working; omitted = no expiry.
    pub expires_in_days: Option<u32>,
}

/// Creates a token for `user_id`; returns the record and the secret (shown only now).
pub async fn create(
    conn: &mut Conn<'_>,
    actor: &Actor,
    user_id: &str,
    input: &TokenInput,
) -> AppResult<(ApiToken, String)> {
    let name = tributary_domain::validation::required_text(&input.name, 100).map_err(|m| AppError::field("name", m))?;
    if input.scopes.is_empty() {
        return Err(AppError::field("scopes", "choose at least one of read, write, import"));
    }
    if let Some(bad) = input.scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(AppError::field(
            "scopes",
            format!("'{bad}' is not a scope (one of: read, write, import)"),
        ));
    }
    if input.expires_in_days.is_some_and(|d| d == 0 || d > 3650) {
        return Err(AppError::field("expires_in_days", "must be between 1 and 3650"));
    }
    let secret_text = secret::new_api_token();
    let mut scopes: Vec<&str> = SCOPES
        .iter()
        .copied()
        .filter(|s| input.scopes.iter().any(|x| x == s))
        .collect();
    scopes.dedup();
    let token = ApiToken {
        id: tributary_domain::ids::new_id(),
        name,
        user_id: user_id.to_string(),
        scopes: scopes.join(" "),
        created_at: time::now_text(),
        expires_at: input
            .expires_in_days
            .map(|d| time::format_timestamp(Utc::now() + chrono::Duration::days(i64::from(d)))),
        revoked_at: None,
        last_used_at: None,
    };
    api_tokens::insert(conn, &token, &secret::digest(&secret_text)).await?;
    record(
        conn,
        actor,
        "api_token.created",
        "api_token",
        &token.id,
        None::<&()>,
        Some(&token),
    )
    .await?;
    Ok((token, secret_text))
}

pub async fn revoke(conn: &mut Conn<'_>, actor: &Actor, token: &ApiToken) -> AppResult<()> {
    api_tokens::revoke(conn, &token.id).await?;
    let after = api_tokens::get(conn, &token.id).await?;
    record(
        conn,
        actor,
        "api_token.revoked",
        "api_token",
        &token.id,
        Some(token),
        after.as_ref(),
    )
    .await
}
