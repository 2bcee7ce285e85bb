//! Signing in and out of the portal. A successful sign-in always issues a brand-new
//! session token (rotation: a token planted before sign-in is worthless after it) and ends
//! the session the browser came with; the cookie is HttpOnly, SameSite=Lax and Secure
//! unless the deployment explicitly serves plain HTTP.

use chrono::Utc;
use tributary_store::audit::{self, Actor, Change};
use tributary_store::repo::{sessions, users};
use tributary_store::time;

use super::{password, secret};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use super::csrf::SESSION_COOKIE;

/// A freshly issued session: the cookie value to hand to the browser.
pub struct Issued {
    pub token: String,
    pub user: users::User,
}

/// Checks the password (throttled per e-mail and per client address) and opens a session.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password_text: &str,
    client: &str,
    previous_cookie: Option<&str>,
) -> AppResult<Issued> {
    let email = email.trim().to_ascii_lowercase();
    let keys = vec![format!("email:{email}"), format!("client:{client}")];
    if let Some(seconds) = state.throttle.locked_for(&keys) {
        return Err(AppError::TooManyRequests(seconds));
    }
    let mut tx = state.db.begin().await?;
    let credentials = users::credentials_by_email(&mut tx.conn(), &email).await?;
    let stored_hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let matches = password::verify(password_text, stored_hash.as_deref().unwrap_or(password::decoy_hash()));
    let user_id = match credentials {
        Some(c) if matches && c.active => c.id,
        _ => {
            state.throttle.record_failure(&keys);
            return Err(AppError::Forbidden("e-mail or password is not correct".into()));
        }
    };
    state.throttle.record_success(&keys);
    if let Some(old) = previous_cookie {
        sessions::delete(&mut tx.conn(), &secret::digest(old)).await?;
    }
    let token = secret::random_token();
    let now = Utc::now();
    sessions::insert(
        &mut tx.conn(),
        &sessions::Session {
            token_hash: secret::digest(&token),
            user_id: user_id.clone(),
            csrf_token: secret::random_token(),
            created_at: time::format_timestamp(now),
            expires_at: time::format_timestamp(now + state.config.session_ttl),
        },
    )
    .await?;
    users::touch_login(&mut tx.conn(), &user_id).await?;
    let user = users::by_id(&mut tx.conn(), &user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    audit::append(
        &mut tx.conn(),
        &Actor {
            user_id: Some(user.id.clone()),
            label: user.email.clone(),
        },
        Change {
            action: "session.signed_in",
            entity_type: "user",
            entity_id: &user.id,
            before: None,
            after: Some(serde_json::json!({ "client": client })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Issued { token, user })
}

pub async fn sign_out(state: &AppState, cookie: &str) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    sessions::delete(&mut tx.conn(), &secret::digest(cookie)).await?;
    tx.commit().await?;
    Ok(())
}

/// The `Set-Cookie` value for a new session.
pub fn cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        state.config.session_ttl.num_seconds()
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(state: &AppState) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
