//! One error type for every handler, rendered at the edge as RFC 9457 problem+json. Field
//! and row errors say exactly what is wrong and where; database failures are logged with a
//! reference and shown to the caller only as an opaque 500 carrying that reference.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tributary_domain::validation::FieldError;
use tributary_store::StoreError;
use utoipa::ToSchema;

/// One problem in one row of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowProblem {
    pub row: u64,
    pub column: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{} invalid row(s); nothing was stored", distinct_rows(.0))]
    InvalidRows(Vec<RowProblem>),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {0} seconds")]
    TooManyRequests(u64),
    #[error("internal error")]
    Internal(String),
}

/// The problem+json body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Field errors (422 on a request body).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Row errors (422 on an import).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowProblem>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) | AppError::InvalidRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not-found",
            AppError::BadRequest(_) => "bad-request",
            AppError::Validation(_) => "validation",
            AppError::InvalidRows(_) => "invalid-rows",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests(_) => "too-many-requests",
            AppError::Internal(_) => "internal",
        }
    }

    /// A single-field validation error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            AppError::Internal(reference) => format!("Something went wrong on our side (reference {reference})."),
            AppError::Validation(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        Problem {
            kind: format!("urn:tributary:problem:{}", self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            errors: match self {
                AppError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            rows: match self {
                AppError::InvalidRows(rows) => rows.clone(),
                _ => Vec::new(),
            },
        }
    }
}

fn distinct_rows(problems: &[RowProblem]) -> usize {
    let mut rows: Vec<u64> = problems.iter().map(|p| p.row).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len()
}

impl From<StoreError> for AppError {
    /// Constraint failures become the caller's 409/422 without the database's own words
    /// (which name tables and constraints); those go to the log.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(message) => {
                tracing::info!(%message, "unique constraint refused a write");
                AppError::Conflict("a record with the same unique value already exists".into())
            }
            StoreError::Reference(message) => {
                tracing::info!(%message, "foreign-key constraint refused a write");
                AppError::Validation(vec![FieldError {
                    field: "reference".into(),
                    message: "refers to a record that does not exist or is still in use".into(),
                }])
            }
            other => internal(other),
        }
    }
}

/// Logs an unexpected error with a fresh reference and returns the opaque 500.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    let reference = uuid_reference();
    tracing::error!(reference = %reference, error = %error, "internal error");
    AppError::Internal(reference)
}

fn uuid_reference() -> String {
    let bytes: [u8; 6] = rand::random();
    hex::encode(bytes)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(self.problem())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let AppError::TooManyRequests(seconds) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
