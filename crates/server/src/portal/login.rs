//! Sign-in and sign-out pages. A successful sign-in rotates the session (new token, the
//! old one ended) and returns to the page the user wanted, if it is on this site.

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::session;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    pub next: Option<String>,
}

/// Only local paths are followed after sign-in (no open redirects).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_string(),
        _ => "/".to_string(),
    }
}

fn render(state: &AppState, email: &str, next: &str, message: Option<&str>, status: StatusCode) -> Response {
    match state
        .templates
        .render("login.html", minijinja::context! { email, next, message })
    {
        Ok(page) => (status, page).into_response(),
        Err(error) => error.into_response(),
    }
}

pub async fn form(State(state): State<AppState>, Query(next): Query<Next>) -> Response {
    render(&state, "", &safe_next(next.next.as_deref()), None, StatusCode::OK)
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == session::SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(credentials): Form<Credentials>,
) -> Response {
    let next = safe_next(credentials.next.as_deref());
    let previous = cookie_of(&headers);
    match session::sign_in(
        &state,
        &credentials.email,
        &credentials.password,
        &peer.ip().to_string(),
        previous.as_deref(),
    )
    .await
    {
        Ok(issued) => (
            [(header::SET_COOKIE, session::cookie(&state, &issued.token))],
            Redirect::to(&next),
        )
            .into_response(),
        Err(error @ (AppError::Forbidden(_) | AppError::TooManyRequests(_))) => {
            let status = error.status();
            let mut page = render(&state, &credentials.email, &next, Some(&error.to_string()), status);
            if let AppError::TooManyRequests(seconds) = error {
                page.headers_mut().insert(header::RETRY_AFTER, seconds.into());
            }
            page
        }
        Err(other) => other.into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(cookie) = cookie_of(&headers)
        && let Err(error) = session::sign_out(&state, &cookie).await
    {
        return error.into_response();
    }
    (
        [(header::SET_COOKIE, session::cleared_cookie(&state))],
        Redirect::to("/login"),
    )
        .into_response()
}
