//! `/api/v1/audit`: the audit trail. Auditors (administrators, finance, legal) read all of
//! it and verify the hash chain; anyone may read the history of a record they can see.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tributary_store::audit::{self, AuditRecord, Verification};
use tributary_store::repo::{accounts, partners, products, segments, users};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only records with a sequence number below this (for paging back).
    pub before_seq: Option<i64>,
    /// At most this many records (1..=1000, default 100).
    pub limit: Option<u64>,
}

#[utoipa::path(get, operation_id = "audit_recent", path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditRecord>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn recent(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> AppResult<Json<Vec<AuditRecord>>> {
    authorize(&caller, Resource::Audit, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        audit::recent(&mut pooled.conn(), query.before_seq, query.limit.unwrap_or(100)).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyResult {
    pub intact: bool,
    /// Records checked (when intact).
    pub records: Option<i64>,
    /// The first broken record (when not intact) and why.
    pub broken_seq: Option<i64>,
    pub reason: Option<String>,
}

#[utoipa::path(get, operation_id = "audit_verify", path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyResult), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn verify(State(state): State<AppState>, caller: Caller) -> AppResult<Json<VerifyResult>> {
    authorize(&caller, Resource::Audit, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(match audit::verify(&mut pooled.conn()).await? {
        Verification::Intact { records } => VerifyResult {
            intact: true,
            records: Some(records),
            broken_seq: None,
            reason: None,
        },
        Verification::Broken { seq, reason } => VerifyResult {
            intact: false,
            records: None,
            broken_seq: Some(seq),
            reason: Some(reason),
        },
    }))
}

/// The history of one record, if the caller may see the record (or is an auditor).
pub async fn entity_history(
    state: &AppState,
    caller: &Caller,
    entity_type: &str,
    entity_id: &str,
) -> AppResult<Vec<AuditRecord>> {
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let auditor = authorize(caller, Resource::Audit, Access::Read).is_ok();
    if !auditor {
        let visible = match entity_type {
            "partner" => {
                let grant = authorize(caller, Resource::Partners, Access::Read)?;
                partners::get(&mut conn, &grant.scope, entity_id).await?.is_some()
            }
            "user" => {
                let grant = authorize(caller, Resource::Users, Access::Read)?;
                users::get(&mut conn, &grant.scope, entity_id).await?.is_some()
            }
            "product" => {
                authorize(caller, Resource::Products, Access::Read)?;
                products::get(&mut conn, entity_id).await?.is_some()
            }
            "account" => {
                authorize(caller, Resource::Accounts, Access::Read)?;
                accounts::get(&mut conn, entity_id).await?.is_some()
            }
            "segment" => {
                authorize(caller, Resource::Segments, Access::Read)?;
                segments::get(&mut conn, entity_id).await?.is_some()
            }
            _ => false,
        };
        if !visible {
            return Err(AppError::not_found("record"));
        }
    }
    Ok(audit::history(&mut conn, entity_type, entity_id).await?)
}

#[utoipa::path(get, operation_id = "audit_history", path = "/api/v1/audit/{entity_type}/{entity_id}", tag = "audit",
    params(("entity_type" = String, Path, description = "partner, user, product, account, segment, …"), ("entity_id" = String, Path)),
    responses((status = 200, body = Vec<AuditRecord>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path((entity_type, entity_id)): Path<(String, String)>,
) -> AppResult<Json<Vec<AuditRecord>>> {
    Ok(Json(entity_history(&state, &caller, &entity_type, &entity_id).await?))
}
