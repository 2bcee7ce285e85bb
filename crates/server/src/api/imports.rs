//! `/api/v1/imports/{kind}` (upload a CSV file, or Parquet for sales facts),
//! `/api/v1/imports/{kind}/template`, `/api/v1/exports/{kind}` (CSV of what the caller may
//! see, honouring the same filters as the list endpoint) and `/api/v1/jobs/{id}`.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::idempotency;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, internal};
use crate::jobs::JobStatus;
use crate::policy::{Access, authorize};
use crate::services::exports;
use crate::services::imports::{self, FileFormat, ImportFile, ImportKindName, ImportOutcome, Importer};
use crate::state::AppState;

fn kind_of(text: &str) -> AppResult<ImportKindName> {
    ImportKindName::parse(text).map_err(AppError::NotFound)
}

/// An upload written to a temporary file (deleted when dropped), with its SHA-256 and size.
pub struct Spooled {
    pub path: tempfile::TempPath,
    pub sha256: String,
    pub bytes: u64,
}

/// Streams an upload to a temporary file chunk by chunk, so large files never sit in memory.
pub async fn spool<S, E>(chunks: S) -> AppResult<Spooled>
where
    S: futures_util::Stream<Item = Result<Bytes, E>>,
    E: std::fmt::Display,
{
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    let temp = tempfile::NamedTempFile::new().map_err(internal)?;
    let path = temp.into_temp_path();
    let mut file = tokio::fs::File::create(&path).await.map_err(internal)?;
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let mut chunks = std::pin::pin!(chunks);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the upload was interrupted: {e}")))?;
        hasher.update(&chunk);
        bytes += chunk.len() as u64;
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.flush().await.map_err(internal)?;
    Ok(Spooled {
        path,
        sha256: hex::encode(hasher.finalize()),
        bytes,
    })
}

pub fn format_of(content_type: Option<&str>, file_name: &str) -> FileFormat {
    let parquet_type = content_type.is_some_and(|t| t.contains("parquet"));
    if parquet_type || file_name.to_ascii_lowercase().ends_with(".parquet") {
        FileFormat::Parquet
    } else {
        FileFormat::Csv
    }
}

/// Keeps in-memory indexes in step after a committed import (accounts: the matching index).
async fn after_import(state: &AppState, kind: ImportKindName) -> AppResult<()> {
    if kind == ImportKindName::Accounts {
        state.customers.rebuild(&state.db).await?;
    }
    Ok(())
}

/// Imports a file as `kind` on behalf of `caller` in one transaction of its own.
pub async fn run_import(
    state: &AppState,
    caller: &Caller,
    kind: ImportKindName,
    file: &ImportFile,
    progress: imports::Progress<'_>,
) -> AppResult<ImportOutcome> {
    let mut tx = state.db.begin().await?;
    let outcome = import_in(&mut tx, caller, kind, file, progress).await?;
    tx.commit().await?;
    after_import(state, kind).await?;
    Ok(outcome)
}

async fn import_in(
    tx: &mut tributary_store::Tx,
    caller: &Caller,
    kind: ImportKindName,
    file: &ImportFile,
    progress: imports::Progress<'_>,
) -> AppResult<ImportOutcome> {
    let grant = authorize(caller, kind.resource(), Access::Import)?;
    let actor = caller.actor();
    let importer = Importer {
        actor: &actor,
        scope: &grant.scope,
        caller: Some(caller),
    };
    imports::import(&mut tx.conn(), &importer, kind, file, progress).await
}

/// Imports the request body. CSV by default; send `Content-Type: application/vnd.apache.parquet`
/// for Parquet sales facts. Every row is validated and nothing is imported if any row is bad.
#[utoipa::path(post, operation_id = "imports_import", path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "partners, users, products, accounts, regions, verticals, fx-rates or sales-facts"),
           ("Idempotency-Key" = Option<String>, Header, description = "Makes retries of the same upload safe")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportOutcome), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Response> {
    let kind = kind_of(&kind)?;
    authorize(&caller, kind.resource(), Access::Import)?;
    let key = idempotency::key(&headers)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let format = format_of(content_type, "");
    let upload = spool(body.into_data_stream()).await?;
    let fingerprint = idempotency::fingerprint(&[
        b"POST /api/v1/imports/",
        kind.as_str().as_bytes(),
        upload.sha256.as_bytes(),
    ]);
    let file = ImportFile {
        path: upload.path.to_path_buf(),
        file_name: "api upload".into(),
        format,
        content_sha256: upload.sha256.clone(),
    };
    let mut tx = state.db.begin().await?;
    if let Some(key) = &key
        && let Some(replayed) = idempotency::claim(&state, &mut tx, &caller.user.id, key, &fingerprint).await?
    {
        return Ok(replayed);
    }
    let outcome = import_in(&mut tx, &caller, kind, &file, &|_, _, _| {}).await?;
    let body = serde_json::to_string(&outcome).map_err(internal)?;
    if let Some(key) = &key {
        idempotency::complete(&mut tx.conn(), &caller.user.id, key, StatusCode::CREATED, &body).await?;
    }
    tx.commit().await?;
    after_import(&state, kind).await?;
    Ok((StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// A CSV file with the kind's columns and one example row.
#[utoipa::path(get, operation_id = "imports_template", path = "/api/v1/imports/{kind}/template", tag = "imports", params(("kind" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn template(caller: Caller, Path(kind): Path<String>) -> AppResult<Response> {
    let kind = kind_of(&kind)?;
    authorize(&caller, kind.resource(), Access::Read)?;
    Ok(csv_response(
        &format!("{}-template.csv", kind.as_str()),
        exports::template(kind),
    ))
}

pub fn csv_response(file_name: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// Everything of `kind` the caller may see, as CSV with the import columns. Accepts the
/// same filter parameters as the kind's list endpoint.
#[utoipa::path(get, operation_id = "imports_export", path = "/api/v1/exports/{kind}", tag = "imports", params(("kind" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(kind): Path<String>,
    uri: Uri,
) -> AppResult<Response> {
    let kind = kind_of(&kind)?;
    let body = exports::export(&state, &caller, kind, &uri).await?;
    Ok(csv_response(&format!("{}.csv", kind.as_str()), body))
}

#[utoipa::path(get, operation_id = "imports_job", path = "/api/v1/jobs/{id}", tag = "imports", params(("id" = String, Path)),
    responses((status = 200, body = JobStatus), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn job(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<JobStatus>> {
    state
        .jobs
        .get(&id, &caller.user.id)
        .map(Json)
        .ok_or_else(|| AppError::not_found("job"))
}
