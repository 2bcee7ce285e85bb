//! `/api/v1/claims`: incentive claims. Partners submit (a distributor also for its
//! resellers; vendor staff for partners they manage) with an optional `Idempotency-Key`,
//! attach proof (multipart, PDF/PNG/JPEG/CSV/text up to 5 MB), download it, withdraw a
//! claim while it waits, and list or export their own. The decision is taken in the
//! approval queue (`/api/v1/approvals/{id}/decision`), which calls [`decide`].

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tributary_store::page::{self, Sort};
use tributary_store::repo::approvals;
use tributary_store::repo::attachments::{self, Attachment};
use tributary_store::repo::claims::{self, Claim, ClaimFilter};
use tributary_store::repo::{incentive_plans, partners};
use tributary_store::{Conn, Scope};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use super::idempotency;
use super::imports::csv_response;
use super::paging::{List, Paging, check_dates};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::approvals::Verdict;
use crate::services::conflict::reservations::acting_partner;
use crate::services::incentives::claims::proof::{PROOF_LIMIT_BYTES, Proof};
use crate::services::incentives::claims::{self as service, ClaimInput, ClaimStatus, Decider, SUBJECT};
use crate::services::incentives::csv_table;
use crate::state::AppState;

use tributary_store::time::today;

/// A claim with what a reader needs around it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimDetail {
    #[serde(flatten)]
    pub claim: Claim,
    pub status_label: String,
    pub partner_name: String,
    pub plan_name: Option<String>,
    /// The proof files (download each at `…/attachments/{id}`).
    pub attachments: Vec<Attachment>,
    /// The open approval request, while the claim awaits its decision.
    pub approval_id: Option<String>,
}

async fn detail_of(conn: &mut Conn<'_>, claim: Claim) -> AppResult<ClaimDetail> {
    let partner_name = partners::get(conn, &Scope::All, &claim.partner_id)
        .await?
        .map(|p| p.fields.name)
        .unwrap_or_default();
    let plan_name = match &claim.plan_id {
        Some(id) => incentive_plans::get(conn, id).await?.map(|p| p.definition.name),
        None => None,
    };
    let attachments = attachments::of_subject(conn, SUBJECT, &claim.id).await?;
    let approval_id = approvals::open_for(conn, "claim", &claim.id).await?.map(|r| r.id);
    Ok(ClaimDetail {
        status_label: ClaimStatus::parse(&claim.status).map_or(claim.status.clone(), |s| s.label().to_string()),
        claim,
        partner_name,
        plan_name,
        attachments,
        approval_id,
    })
}

/// What submitting did: a new claim, or the response stored under a repeated key.
pub enum Submitted {
    New(Box<ClaimDetail>),
    Replayed(Response),
}

/// Submits a claim (with proofs) for the partner `input` names or the caller's own.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    key: Option<&str>,
    input: &ClaimInput,
    proofs: Vec<Proof>,
) -> AppResult<Submitted> {
    let grant = authorize(caller, Resource::Claims, Access::Write)?;
    let mut parts: Vec<Vec<u8>> = vec![
        b"POST /api/v1/claims".to_vec(),
        serde_json::to_vec(input).map_err(internal)?,
    ];
    parts.extend(proofs.iter().map(|p| p.bytes.clone()));
    let fingerprint = idempotency::fingerprint(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let mut tx = state.db.begin().await?;
    if let Some(key) = key
        && let Some(replayed) = idempotency::claim(state, &mut tx, &caller.user.id, key, &fingerprint).await?
    {
        return Ok(Submitted::Replayed(replayed));
    }
    let mut conn = tx.conn();
    let partner = acting_partner(
        &mut conn,
        &grant.scope,
        input.partner_id.as_deref(),
        caller.own_partner_id(),
    )
    .await?;
    let (claim, _) = service::submit(&mut conn, &caller.actor(), &partner, input, proofs, today()).await?;
    let detail = detail_of(&mut conn, claim).await?;
    if let Some(key) = key {
        let body = serde_json::to_string(&detail).map_err(internal)?;
        idempotency::complete(&mut conn, &caller.user.id, key, StatusCode::CREATED, &body).await?;
    }
    tx.commit().await?;
    Ok(Submitted::New(Box::new(detail)))
}

/// Submits a claim; attach proof with `POST /api/v1/claims/{id}/attachments`.
#[utoipa::path(post, operation_id = "claims_create", path = "/api/v1/claims", tag = "claims", request_body = ClaimInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries of the same request safe")),
    responses((status = 201, body = ClaimDetail, description = "Submitted; an approval request is open"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ClaimInput>,
) -> AppResult<Response> {
    let key = idempotency::key(&headers)?;
    Ok(
        match submit(&state, &caller, key.as_deref(), &input, Vec::new()).await? {
            Submitted::New(detail) => (StatusCode::CREATED, Json(*detail)).into_response(),
            Submitted::Replayed(response) => response,
        },
    )
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimQuery {
    pub partner_id: Option<String>,
    /// submitted, approved, rejected, withdrawn or on_statement.
    pub status: Option<String>,
    pub plan_id: Option<String>,
    /// spiff, bonus or rebate.
    pub kind: Option<String>,
    pub currency: Option<String>,
    /// Submitted on or after (YYYY-MM-DD).
    pub submitted_from: Option<String>,
    /// Submitted on or before (YYYY-MM-DD).
    pub submitted_to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// created_at, updated_at or status; `-` for descending.
    pub sort: Option<String>,
}

impl ClaimQuery {
    /// The store's filter, dates checked.
    pub fn filter(&self) -> AppResult<ClaimFilter> {
        check_dates(&[
            ("submitted_from", &self.submitted_from),
            ("submitted_to", &self.submitted_to),
        ])?;
        Ok(ClaimFilter {
            partner_id: self.partner_id.clone(),
            status: self.status.clone(),
            plan_id: self.plan_id.clone(),
            kind: self.kind.clone(),
            currency: self.currency.as_ref().map(|c| c.trim().to_ascii_uppercase()),
            submitted_from: self.submitted_from.clone(),
            submitted_to: self.submitted_to.clone(),
        })
    }

    pub fn paging(&self) -> Paging {
        Paging {
            limit: self.limit,
            cursor: self.cursor.clone(),
            sort: self.sort.clone(),
        }
    }
}

#[utoipa::path(get, operation_id = "claims_list", path = "/api/v1/claims", tag = "claims", params(ClaimQuery),
    responses((status = 200, body = List<Claim>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ClaimQuery>,
) -> AppResult<Json<List<Claim>>> {
    let grant = authorize(&caller, Resource::Claims, Access::Read)?;
    let request = query.paging().request(claims::SORTABLE, "-created_at")?;
    let mut pooled = state.db.acquire().await?;
    let page = claims::list(&mut pooled.conn(), &grant.scope, &query.filter()?, &request).await?;
    Ok(Json(page.into()))
}

/// Every claim `caller` may see that matches `filter`, as CSV in `sort` order.
pub async fn claims_csv(state: &AppState, caller: &Caller, filter: &ClaimFilter, sort: Sort) -> AppResult<Vec<u8>> {
    let grant = authorize(caller, Resource::Claims, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = claims::all(&mut conn, &grant.scope, filter, sort, 100 * page::PAGE_LIMIT_MAX).await?;
    let mut names = std::collections::HashMap::new();
    let mut lines = Vec::with_capacity(rows.len());
    for c in rows {
        if !names.contains_key(&c.partner_id) {
            let name = partners::get(&mut conn, &Scope::All, &c.partner_id)
                .await?
                .map(|p| p.fields.name)
                .unwrap_or_default();
            names.insert(c.partner_id.clone(), name);
        }
        lines.push(vec![
            c.id,
            names[&c.partner_id].clone(),
            c.partner_id,
            c.plan_id.unwrap_or_default(),
            c.kind,
            c.amount,
            c.currency,
            c.description,
            c.deal_ref.unwrap_or_default(),
            c.status,
            c.decision_comment.unwrap_or_default(),
            c.decided_at.unwrap_or_default(),
            c.statement_id.unwrap_or_default(),
            c.created_at,
        ]);
    }
    csv_table(
        &[
            "id",
            "partner_name",
            "partner_id",
            "plan_id",
            "kind",
            "amount",
            "currency",
            "description",
            "deal_ref",
            "status",
            "decision_comment",
            "decided_at",
            "statement_id",
            "submitted_at",
        ],
        lines,
    )
}

#[utoipa::path(get, operation_id = "claims_export", path = "/api/v1/claims/export", tag = "claims", params(ClaimQuery),
    responses((status = 200, description = "CSV, one row per claim", content_type = "text/csv"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ClaimQuery>,
) -> AppResult<Response> {
    let sort = query.paging().request(claims::SORTABLE, "-created_at")?.sort;
    let body = claims_csv(&state, &caller, &query.filter()?, sort).await?;
    Ok(csv_response("claims.csv", body))
}

pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> AppResult<ClaimDetail> {
    let grant = authorize(caller, Resource::Claims, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let claim = claims::get(&mut conn, &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("claim"))?;
    detail_of(&mut conn, claim).await
}

#[utoipa::path(get, operation_id = "claims_get", path = "/api/v1/claims/{id}", tag = "claims", params(("id" = String, Path)),
    responses((status = 200, body = ClaimDetail), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<ClaimDetail>> {
    Ok(Json(detail(&state, &caller, &id).await?))
}

pub async fn withdraw_claim(state: &AppState, caller: &Caller, id: &str) -> AppResult<ClaimDetail> {
    let grant = authorize(caller, Resource::Claims, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let mut conn = tx.conn();
    let claim = service::withdraw(&mut conn, &caller.actor(), &grant.scope, id).await?;
    let detail = detail_of(&mut conn, claim).await?;
    tx.commit().await?;
    Ok(detail)
}

/// Withdraws a claim awaiting its decision.
#[utoipa::path(post, operation_id = "claims_withdraw", path = "/api/v1/claims/{id}/withdraw", tag = "claims", params(("id" = String, Path)),
    responses((status = 200, body = ClaimDetail), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<ClaimDetail>> {
    Ok(Json(withdraw_claim(&state, &caller, &id).await?))
}

/// Reads an uploaded file field, refusing it as soon as it passes the proof size limit.
pub async fn read_proof(mut field: Field<'_>) -> AppResult<Proof> {
    let file_name = field.file_name().unwrap_or("proof").to_string();
    let content_type = field.content_type().unwrap_or_default().to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| AppError::BadRequest(format!("the upload was interrupted: {}", e.body_text())))?
    {
        if bytes.len() + chunk.len() > PROOF_LIMIT_BYTES {
            return Err(AppError::field(
                "proof",
                format!("the file is larger than {} MB", PROOF_LIMIT_BYTES >> 20),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Proof {
        file_name,
        content_type,
        bytes,
    })
}

/// Opens a multipart body (a 400 when it is not one).
pub async fn multipart(state: &AppState, request: Request) -> AppResult<Multipart> {
    Multipart::from_request(request, state)
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))
}

pub async fn attach_proof(state: &AppState, caller: &Caller, id: &str, proof: Proof) -> AppResult<Attachment> {
    let grant = authorize(caller, Resource::Claims, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let attached = service::attach(&mut tx.conn(), &caller.actor(), &grant.scope, id, proof).await?;
    tx.commit().await?;
    Ok(attached)
}

/// Attaches a proof file (multipart field `file`) to a claim awaiting its decision.
#[utoipa::path(post, operation_id = "claims_attach", path = "/api/v1/claims/{id}/attachments", tag = "claims", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", description = "Field `file`: PDF, PNG, JPEG, CSV or plain text, at most 5 MB"),
    responses((status = 201, body = Attachment), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn attach(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    request: Request,
) -> AppResult<(StatusCode, Json<Attachment>)> {
    authorize(&caller, Resource::Claims, Access::Write)?;
    let mut form = multipart(&state, request).await?;
    let mut proof = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        if field.name() == Some("file") {
            proof = Some(read_proof(field).await?);
        }
    }
    let proof = proof.ok_or_else(|| AppError::field("file", "attach the proof as the form field 'file'"))?;
    Ok((
        StatusCode::CREATED,
        Json(attach_proof(&state, &caller, &id, proof).await?),
    ))
}

/// `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266).
fn disposition(file_name: &str) -> HeaderValue {
    let ascii: String = file_name
        .chars()
        .map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A proof file as a download, if the claim is one `caller` may see.
pub async fn download(state: &AppState, caller: &Caller, claim_id: &str, attachment_id: &str) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Claims, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let (attachment, bytes) = service::proof_file(&mut pooled.conn(), &grant.scope, claim_id, attachment_id).await?;
    let content_type = HeaderValue::from_str(&attachment.content_type).map_err(internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition(&attachment.file_name)),
        ],
        Body::from(bytes),
    )
        .into_response())
}

#[utoipa::path(get, operation_id = "claims_attachment_get", path = "/api/v1/claims/{id}/attachments/{attachment_id}", tag = "claims",
    params(("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 200, description = "The file, as uploaded", content_type = "application/octet-stream"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn attachment(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, attachment_id)): Path<(String, String)>,
) -> AppResult<Response> {
    download(&state, &caller, &id, &attachment_id).await
}

/// Decides claim `id` (from the approval queue): vendor staff whose role the workflow's
/// current step names; never the claim's submitter.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    id: &str,
    verdict: Verdict,
    comment: Option<&str>,
) -> AppResult<Claim> {
    // Who decides is the workflow's rule (finance only reads claims, yet a rule may name it).
    let grant = authorize(caller, Resource::Claims, Access::Read)?;
    if caller.is_partner() {
        return Err(AppError::Forbidden(
            "claims are decided by the vendor's channel managers".into(),
        ));
    }
    let mut tx = state.db.begin().await?;
    let who = Decider {
        actor: &caller.actor(),
        role: caller.role,
        scope: &grant.scope,
    };
    let claim = service::decide(&mut tx.conn(), &who, id, verdict, comment).await?;
    tx.commit().await?;
    Ok(claim)
}
