//! Idempotency keys for POSTs that create money-bearing or external records (sales facts,
//! imports). The key is checked and recorded in the same transaction as the records it
//! protects, so a retried or concurrent duplicate request creates nothing twice: it gets
//! the first response back (with `Idempotent-Replayed: true`), and a key reused for a
//! different request is refused.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tributary_store::Conn;
use tributary_store::repo::idempotency::{self, StoredResponse};

use crate::error::{AppError, AppResult};

pub const HEADER: &str = "idempotency-key";

/// The key sent with the request, if any (1–255 visible ASCII characters).
pub fn key(headers: &HeaderMap) -> AppResult<Option<String>> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .ok()
        .filter(|t| !t.is_empty() && t.len() <= 255 && t.chars().all(|c| c.is_ascii_graphic()))
        .ok_or_else(|| AppError::BadRequest("Idempotency-Key must be 1–255 visible ASCII characters".into()))?;
    Ok(Some(text.to_string()))
}

/// A fingerprint of what the request asks for.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// The stored response for this key, or `None` when the request is new.
pub async fn replay(conn: &mut Conn<'_>, user_id: &str, key: &str, fingerprint: &str) -> AppResult<Option<Response>> {
    let Some(stored) = idempotency::get(conn, user_id, key).await? else {
        return Ok(None);
    };
    if stored.request_fingerprint != fingerprint {
        return Err(AppError::Conflict(
            "this Idempotency-Key was already used for a different request".into(),
        ));
    }
    Ok(Some(stored_response(&stored)))
}

fn stored_response(stored: &StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.response_status as u16).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.response_body.clone()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// Claims the key for this request before doing its work. A concurrent request with the
/// same key waits on this row (PostgreSQL) or on the write lock (SQLite) and then finds
/// the key taken: `Err(Conflict)`, after which it should [`replay`] the winner's response.
pub async fn reserve(conn: &mut Conn<'_>, user_id: &str, key: &str, fingerprint: &str) -> AppResult<()> {
    idempotency::insert(
        conn,
        user_id,
        key,
        &StoredResponse {
            request_fingerprint: fingerprint.to_string(),
            response_status: 0,
            response_body: String::new(),
        },
    )
    .await?;
    Ok(())
}

/// Stores the response under the key reserved in the same transaction.
pub async fn complete(conn: &mut Conn<'_>, user_id: &str, key: &str, status: StatusCode, body: &str) -> AppResult<()> {
    idempotency::complete(conn, user_id, key, i64::from(status.as_u16()), body).await?;
    Ok(())
}

/// Replays or claims `key` at the start of a transaction: `Some(response)` when the request
/// was already answered (now or by a concurrent request that won the race).
pub async fn claim(
    state: &crate::state::AppState,
    tx: &mut tributary_store::Tx,
    user_id: &str,
    key: &str,
    fingerprint: &str,
) -> AppResult<Option<Response>> {
    if let Some(replayed) = replay(&mut tx.conn(), user_id, key, fingerprint).await? {
        return Ok(Some(replayed));
    }
    match reserve(&mut tx.conn(), user_id, key, fingerprint).await {
        Ok(()) => Ok(None),
        Err(AppError::Conflict(_)) => {
            let mut pooled = state.db.acquire().await?;
            replay(&mut pooled.conn(), user_id, key, fingerprint)
                .await?
                .map(Some)
                .ok_or_else(|| {
                    AppError::Conflict("a concurrent request with the same Idempotency-Key failed; retry".into())
                })
        }
        Err(other) => Err(other),
    }
}
