//! Request extractors for the API whose rejections are problem+json like every other
//! error: a malformed body or query names what is wrong instead of returning plain text.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON request body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::field("body", e.body_text())),
            Err(other) => Err(AppError::BadRequest(other.body_text())),
        }
    }
}

/// Query-string parameters.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|e: QueryRejection| query_error(&e.body_text()))
    }
}

/// A query parameter that does not parse is a 422 naming the parameter, like one that
/// parses but is out of range. serde reports it as "…query string: <name>: <reason>".
fn query_error(text: &str) -> AppError {
    let detail = text.rsplit_once("query string: ").map_or(text, |(_, rest)| rest);
    match detail.split_once(": ") {
        Some((name, reason)) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            AppError::field(name, reason)
        }
        _ => AppError::field("query", detail),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_errors_name_the_parameter() {
        let error = super::query_error("Failed to deserialize query string: limit: invalid digit found in string");
        assert_eq!(error.problem().errors[0].field, "limit");
        let error = super::query_error("Failed to deserialize query string: something odd");
        assert_eq!(error.problem().errors[0].field, "query");
    }
}
