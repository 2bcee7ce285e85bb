//! The audit trail for auditors (administrators, finance, legal): the most recent records,
//! newest first and paged backwards, each with its before and after, and a check of the
//! whole hash chain on request.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Serialize;
use tributary_store::audit::{self, AuditRecord, Verification};

use super::listing::{Column, Listing, Params, numeric, plain};
use super::page::{Chrome, PageError, PortalCaller, render, respond};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

const PAGE_ROWS: u64 = 50;

const COLUMNS: &[Column] = &[
    numeric("#"),
    plain("Time"),
    plain("Who"),
    plain("Action"),
    plain("Record"),
    plain("Change"),
];

#[derive(Debug, Serialize)]
struct Entry {
    #[serde(flatten)]
    record: AuditRecord,
    /// The portal page of the record, where there is one.
    href: Option<String>,
}

fn page_of(entity_type: &str, id: &str) -> Option<String> {
    match entity_type {
        "partner" => Some(format!("/partners/{id}")),
        "account" => Some(format!("/accounts/{id}")),
        "product" => Some(format!("/products/{id}/edit")),
        "user" => Some(format!("/users/{id}/edit")),
        "segment" => Some(format!("/segments/{id}/edit")),
        _ => None,
    }
}

/// The outcome of a chain check, as shown.
#[derive(Debug, Serialize)]
struct Check {
    intact: bool,
    records: Option<i64>,
    broken_seq: Option<i64>,
    reason: Option<String>,
}

async fn check(state: &AppState) -> AppResult<Check> {
    let mut pooled = state.db.acquire().await?;
    Ok(match audit::verify(&mut pooled.conn()).await? {
        Verification::Intact { records } => Check {
            intact: true,
            records: Some(records),
            broken_seq: None,
            reason: None,
        },
        Verification::Broken { seq, reason } => Check {
            intact: false,
            records: None,
            broken_seq: Some(seq),
            reason: Some(reason),
        },
    })
}

async fn audit_page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    verified: Option<Check>,
) -> AppResult<Response> {
    authorize(caller, Resource::Audit, Access::Read)?;
    let before_seq = params
        .get("before_seq")
        .map(|text| {
            text.parse::<i64>()
                .map_err(|_| AppError::field("before_seq", "must be a record number"))
        })
        .transpose()?;
    let records = {
        let mut pooled = state.db.acquire().await?;
        audit::recent(&mut pooled.conn(), before_seq, PAGE_ROWS).await?
    };
    let older = (records.len() as u64 == PAGE_ROWS)
        .then(|| records.last().map(|r| r.seq.to_string()))
        .flatten();
    let listing = Listing::new("/audit", params, "", COLUMNS)
        .rows(records.len())
        .paged("before_seq", older);
    let entries: Vec<Entry> = records
        .into_iter()
        .map(|record| Entry {
            href: page_of(&record.entity_type, &record.entity_id),
            record,
        })
        .collect();
    render(
        state,
        "audit/list.html",
        minijinja::context! { chrome => Chrome::of(caller, "/audit"), entries, listing, verified },
    )
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, audit_page(&state, &caller, &Params::of(&uri), None)).await
}

/// Checks the chain: the result alone for htmx, else the page with the result.
pub async fn verify(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Audit, Access::Read)?;
        let verified = check(&state).await?;
        if headers.contains_key("hx-request") {
            render(&state, "audit/verify.html", minijinja::context! { verified })
        } else {
            audit_page(&state, &caller, &Params::of(&uri), Some(verified)).await
        }
    })
    .await
}
