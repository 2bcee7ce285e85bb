//! The portal: server-rendered pages (minijinja templates, htmx for in-page updates,
//! vendored static assets, no build step) for vendor staff and partner users. Handlers
//! go through the same policy and services as the API.

pub mod assets;
pub mod login;
pub mod page;
pub mod templates;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
        .route("/static/{file}", get(assets::serve))
}
