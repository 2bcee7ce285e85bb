//! The authentication middleware: resolves the [`Caller`] once per request and enforces
//! CSRF protection for cookie-authenticated unsafe requests. The token may come in the
//! `X-CSRF-Token` header (htmx and scripts), a `_csrf` form field (plain forms) or a
//! `_csrf` query parameter (file-upload forms). Bearer-token requests carry no cookie and
//! need no CSRF token. Cross-origin unsafe requests are refused outright.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::caller::{Credential, resolve};
use super::secret;
use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "tributary_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The sign-in form: exempt from the token check (it issues a new session), not from the origin check.
pub const SIGN_IN_PATH: &str = "/login";
const FORM_LIMIT_BYTES: usize = 1 << 20;

fn cookie_value(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(request: &Request) -> Option<String> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string())
}

fn query_token(request: &Request) -> Option<String> {
    request.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "_csrf")
            .map(|(_, v)| v.to_string())
    })
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn same_origin(request: &Request) -> bool {
    let Some(origin) = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let bearer = bearer(&request);
    let cookie = cookie_value(&request, SESSION_COOKIE);
    let caller = match resolve(&state, bearer.as_deref(), cookie.as_deref()).await {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    if let Some(caller) = caller {
        if let Credential::Session { csrf_token, .. } = &caller.credential
            && is_unsafe(request.method())
        {
            if !same_origin(&request) {
                return AppError::Forbidden("cross-origin request refused".into()).into_response();
            }
            if request.uri().path() == SIGN_IN_PATH {
                // Signing in again replaces the session; the sign-in form carries no token.
                return next.run(request).await;
            }
            let (checked, rebuilt) = match check_csrf(request, csrf_token).await {
                Ok(pair) => pair,
                Err(error) => return error.into_response(),
            };
            if !checked {
                return AppError::Forbidden("missing or invalid CSRF token; reload the page and try again".into())
                    .into_response();
            }
            request = rebuilt;
        }
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// Checks the CSRF token and gives back the request (its body re-assembled if it was read).
async fn check_csrf(request: Request, expected: &str) -> Result<(bool, Request), AppError> {
    let header_token = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(token) = header_token.or_else(|| query_token(&request)) {
        return Ok((secret::same(&token, expected), request));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((false, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT_BYTES)
        .await
        .map_err(|_| AppError::BadRequest("form body too large".into()))?;
    let token = form_urlencoded_field(&bytes, "_csrf");
    let ok = token.is_some_and(|t| secret::same(&t, expected));
    Ok((ok, Request::from_parts(parts, Body::from(bytes))))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}
