//! File imports from the portal: choose what the file holds, read its column reference,
//! download a template, upload. The upload is spooled to a temporary file and imported by a
//! background task through the same import service as the API, while the job page shows a
//! progress bar that htmx refreshes until the outcome — counts, or the table of row errors
//! of a file that imported nothing — is known.

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::form::{FormState, choices, one};
use super::listing::Params;
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::imports::{Spooled, format_of, run_import, spool};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::jobs::{JobState, JobStatus};
use crate::policy::{Access, authorize};
use crate::services::exports;
use crate::services::imports::{ImportFile, ImportKindName};
use crate::state::AppState;

/// One column of a kind's file format, for the reference table.
#[derive(Debug, Serialize)]
struct ColumnHelp {
    name: &'static str,
    required: bool,
    imported: bool,
    description: &'static str,
    example: &'static str,
}

/// The kinds the caller may import.
fn importable(caller: &Caller) -> Vec<ImportKindName> {
    ImportKindName::ALL
        .iter()
        .copied()
        .filter(|kind| authorize(caller, kind.resource(), Access::Import).is_ok())
        .collect()
}

async fn page(
    state: &AppState,
    caller: &Caller,
    form: FormState<serde_json::Value>,
    status: StatusCode,
) -> AppResult<Response> {
    let kinds = importable(caller);
    let Some(first) = kinds.first().copied() else {
        return Err(AppError::Forbidden("your role may not import files".into()));
    };
    let kind = form.values["kind"]
        .as_str()
        .and_then(|text| ImportKindName::parse(text).ok())
        .filter(|kind| kinds.contains(kind))
        .unwrap_or(first);
    let columns: Vec<ColumnHelp> = exports::columns(kind)
        .iter()
        .map(|c| ColumnHelp {
            name: c.name,
            required: c.is_required(),
            imported: c.is_imported(),
            description: c.description,
            example: c.example,
        })
        .collect();
    render_status(
        state,
        status,
        "imports/index.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/imports"),
            kinds => choices(kinds.iter().map(|k| (k.as_str(), k.label())), &one(Some(kind.as_str()))),
            kind_label => kind.label(),
            template_href => format!("/api/v1/imports/{}/template", kind.as_str()),
            parquet => kind == ImportKindName::SalesFacts,
            columns, form,
        },
    )
}

/// The import page; `?kind=…` shows that kind's columns.
pub async fn index(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    let values = json!({ "kind": Params::of(&uri).get("kind") });
    respond(&state, page(&state, &caller, FormState::new(values), StatusCode::OK)).await
}

/// A file as uploaded.
struct Upload {
    name: String,
    content_type: Option<String>,
    spooled: Spooled,
}

/// Reads the `kind` and `file` fields of the upload form.
async fn read_form(state: &AppState, request: Request) -> AppResult<(String, Option<Upload>)> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.body_text());
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?;
    let mut kind = String::new();
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("kind") => kind = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let content_type = field.content_type().map(str::to_string);
                let spooled = spool(field).await?;
                upload = Some(Upload {
                    name,
                    content_type,
                    spooled,
                });
            }
            _ => {}
        }
    }
    Ok((kind, upload.filter(|u| u.spooled.bytes > 0)))
}

/// Starts the import of an upload and returns the job id.
async fn start(state: &AppState, caller: &Caller, kind_text: &str, upload: Option<Upload>) -> AppResult<String> {
    let kind = ImportKindName::parse(kind_text).map_err(|m| AppError::field("kind", m))?;
    authorize(caller, kind.resource(), Access::Import)?;
    let upload = upload.ok_or_else(|| AppError::field("file", "choose a file to upload"))?;
    let Spooled { path, sha256, bytes } = upload.spooled;
    let file = ImportFile {
        path: path.to_path_buf(),
        format: format_of(upload.content_type.as_deref(), &upload.name),
        file_name: upload.name,
        content_sha256: sha256,
    };
    let id = state.jobs.start(kind.as_str(), &caller.user.id, bytes);
    let (state, caller, job) = (state.clone(), caller.clone(), id.clone());
    tokio::spawn(async move {
        let jobs = state.jobs.clone();
        let progress = |done: u64, total: u64, rows: u64| {
            jobs.update(&job, |status| {
                status.bytes_done = done;
                status.bytes_total = total;
                status.rows_done = rows;
            })
        };
        let result = run_import(&state, &caller, kind, &file, &progress).await;
        state.jobs.update(&job, |status| finish(status, result));
        // The spooled file lives until the import is done with it.
        drop(path);
    });
    Ok(id)
}

/// Records the outcome of an import on its job.
fn finish(status: &mut JobStatus, result: AppResult<crate::services::imports::ImportOutcome>) {
    match result {
        Ok(outcome) => {
            status.state = JobState::Succeeded;
            status.rows_done = outcome.rows;
            status.bytes_done = status.bytes_total;
            status.message = Some(format!(
                "Imported {} row{}: {} created, {} updated.",
                outcome.rows,
                if outcome.rows == 1 { "" } else { "s" },
                outcome.created,
                outcome.updated
            ));
        }
        Err(error) => {
            status.state = JobState::Failed;
            status.message = Some(error.problem().detail);
            if let AppError::InvalidRows(rows) = error {
                status.errors = rows;
            }
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    request: Request,
) -> Result<Response, PageError> {
    respond(&state, async {
        let (kind, file) = read_form(&state, request).await?;
        match start(&state, &caller, &kind, file).await {
            Ok(id) => see_other(&format!("/imports/jobs/{id}")),
            Err(error) => {
                let (status, form) = FormState::failed(json!({ "kind": kind }), error)?;
                page(&state, &caller, form, status).await
            }
        }
    })
    .await
}

/// The job, if it is the caller's.
fn job_of(state: &AppState, caller: &Caller, id: &str) -> AppResult<JobStatus> {
    state
        .jobs
        .get(id, &caller.user.id)
        .ok_or_else(|| AppError::not_found("import job"))
}

fn job_context(job: JobStatus) -> minijinja::Value {
    let kind_label = ImportKindName::parse(&job.kind).map_or("File", |k| k.label());
    minijinja::context! {
        percent => job.percent(),
        running => job.state == JobState::Running,
        kind_label, job,
    }
}

pub async fn job(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let job = job_of(&state, &caller, &id)?;
        render(
            &state,
            "imports/job.html",
            minijinja::context! { chrome => Chrome::of(&caller, "/imports"), ..job_context(job) },
        )
    })
    .await
}

/// The progress fragment htmx polls while the job runs.
pub async fn status(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let job = job_of(&state, &caller, &id)?;
        render(&state, "imports/status.html", job_context(job))
    })
    .await
}
