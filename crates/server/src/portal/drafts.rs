//! What the pages of draftable definitions (tier structures, incentive plans) share: a
//! published one is edited only through a draft copy, and the copy/publish/discard actions
//! redirect on success, answer 404 for a missing one and otherwise show the page again
//! with the problem.

use std::future::Future;

use axum::response::Response;

use super::page::see_other;
use crate::error::{AppError, AppResult};

/// `stored` if it is a draft; a published `noun` changes only through a draft copy.
pub fn editable<T>(stored: T, is_draft: bool, noun: &str) -> AppResult<T> {
    if !is_draft {
        return Err(AppError::Conflict(format!(
            "a published {noun} changes only through a draft: copy it into a draft, edit and publish"
        )));
    }
    Ok(stored)
}

/// Where a discarded draft leads: the published one it was a draft of, else the list at `base`.
pub fn after_discard(base: &str, draft_of: Option<&str>) -> String {
    draft_of.map_or(base.to_string(), |of| format!("{base}/{of}"))
}

/// The answer to a copy/publish/discard action: a redirect to `to(done)` when it
/// succeeded, a 404 when the subject is missing, else the page again (`failed`).
pub async fn answer<T, F: Future<Output = AppResult<Response>>>(
    done: AppResult<T>,
    to: impl FnOnce(T) -> String,
    failed: impl FnOnce(AppError) -> F,
) -> AppResult<Response> {
    match done {
        Ok(done) => see_other(&to(done)),
        Err(AppError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(error) => failed(error).await,
    }
}
