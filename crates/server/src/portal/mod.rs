//! The portal (being written).
pub mod templates;
use crate::state::AppState;
use axum::Router;
pub fn routes() -> Router<AppState> {
    Router::new()
}
