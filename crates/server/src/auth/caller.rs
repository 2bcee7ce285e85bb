//! [`Caller`]: the authenticated user of a request, resolved once by the
//! [`super::csrf::authenticate`] middleware from a bearer API token or the session cookie,
//! and handed to handlers as an extractor. A missing or invalid credential is a 401 for the
//! API; the portal turns it into a redirect to the sign-in page.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tributary_domain::partner::PartnerType;
use tributary_domain::role::Role;
use tributary_store::repo::{api_tokens, partners, sessions, users};
use tributary_store::{Scope, time};

use super::secret;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How often a token's `last_used_at` is refreshed.
const TOKEN_TOUCH_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A portal session; unsafe requests must carry its CSRF token.
    Session { token_hash: String, csrf_token: String },
    /// An API token with its scopes (`read`, `write`, `import`).
    Token { id: String, scopes: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: users::User,
    pub role: Role,
    /// For partner roles: the caller's organisation and, for a distributor, its resellers.
    pub partner_ids: Vec<String>,
    pub credential: Credential,
}

impl Caller {
    pub fn is_partner(&self) -> bool {
        self.role.is_partner()
    }

    /// The caller's own partner organisation (partner roles only).
    pub fn own_partner_id(&self) -> Option<&str> {
        self.user.partner_id.as_deref()
    }

    pub fn actor(&self) -> tributary_store::audit::Actor {
        tributary_store::audit::Actor {
            user_id: Some(self.user.id.clone()),
            label: self.user.email.clone(),
        }
    }

    pub fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token, .. } => Some(csrf_token),
            Credential::Token { .. } => None,
        }
    }

    /// Partner data visible to a partner user (own organisation plus a distributor's resellers).
    pub fn partner_scope(&self) -> Scope {
        Scope::Partners(self.partner_ids.clone())
    }
}

/// Resolves the credential of a request, if any. An invalid credential is an error, not
/// an anonymous request, so a client with a revoked token learns so.
pub async fn resolve(
    state: &AppState,
    bearer: Option<&str>,
    session_cookie: Option<&str>,
) -> AppResult<Option<Caller>> {
    let now = time::now_text();
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let (user_id, credential) = if let Some(token) = bearer {
        let hash = secret::digest(token);
        let Some(found) = api_tokens::live_by_hash(&mut conn, &hash, &now).await? else {
            return Err(AppError::Unauthenticated);
        };
        // Record use at most once a minute, so busy integrations do not write on every request.
        let stale = found.last_used_at.as_deref().is_none_or(|last| {
            time::parse_timestamp(last).is_ok_and(|t| chrono::Utc::now() - t > TOKEN_TOUCH_INTERVAL)
        });
        if stale {
            api_tokens::touch(&mut conn, &found.id).await?;
        }
        let scopes = found.scopes.split_whitespace().map(str::to_string).collect();
        (found.user_id, Credential::Token { id: found.id, scopes })
    } else if let Some(cookie) = session_cookie {
        let hash = secret::digest(cookie);
        let Some(session) = sessions::live(&mut conn, &hash, &now).await? else {
            return Ok(None);
        };
        (
            session.user_id,
            Credential::Session {
                token_hash: session.token_hash,
                csrf_token: session.csrf_token,
            },
        )
    } else {
        return Ok(None);
    };
    let Some(user) = users::by_id(&mut conn, &user_id).await? else {
        return Err(AppError::Unauthenticated);
    };
    if !user.active {
        return Err(AppError::Unauthenticated);
    }
    let role = user.role()?;
    let mut partner_ids = Vec::new();
    if let Some(own) = user.partner_id.clone() {
        if let Some(org) = partners::get(&mut conn, &Scope::All, &own).await?
            && org.fields.partner_type == PartnerType::Distributor
        {
            partner_ids.extend(partners::reseller_ids(&mut conn, &own).await?);
        }
        partner_ids.insert(0, own);
    }
    Ok(Some(Caller {
        user,
        role,
        partner_ids,
        credential,
    }))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}
