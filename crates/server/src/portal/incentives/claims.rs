//! Claims in the portal. A partner submits a claim with its proof in one form (a hidden
//! idempotency key made when the form is shown, so a double submit files one claim),
//! follows its claims with their status and the decision's comment, downloads the proof,
//! adds proof or withdraws while the claim waits. Vendor staff list the claims of the
//! partners they see and decide the waiting ones on the claim's page — through the
//! approval queue, like the API. Lists filter, sort, page and export as CSV.

use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tributary_store::repo::approvals;
use tributary_store::repo::claims::{self, Claim};
use tributary_store::repo::incentive_plans::{PlanFilter, PlanStatus};
use tributary_store::repo::partners::PartnerFilter;

use super::super::form::{Form, FormState, choices, currency_choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::super::lookup::{PartnerNames, partner_choices};
use super::super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use super::super::tiers::csv_response;
use super::{PLANS, amount_text, tabs};
use crate::api::approvals::{DecisionInput, decide_one};
use crate::api::claims::{
    ClaimDetail, ClaimQuery, Submitted, attach_proof, detail, multipart, read_proof, submit, withdraw_claim,
};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::approvals::{Verdict, actionable_by};
use crate::services::incentives::claims::proof::Proof;
use crate::services::incentives::claims::{CLAIM_KINDS, ClaimInput, ClaimStatus};
use crate::state::AppState;

/// The claim pages (a partner's navigation area).
pub const CLAIMS: &str = "/claims";

/// The navigation area: partners have "Claims"; vendor staff find claims under Incentives.
fn section(caller: &Caller) -> &'static str {
    if caller.is_partner() { CLAIMS } else { PLANS }
}

const COLUMNS: &[Column] = &[
    plain("Claim"),
    plain("Partner"),
    plain("Kind"),
    numeric("Amount"),
    sortable("Status", "status"),
    plain("Decision"),
    sortable("Submitted", "created_at"),
    sortable("Updated", "updated_at"),
];

/// A claim as the lists and its page show it.
#[derive(Debug, Clone, Serialize)]
struct ClaimRow {
    id: String,
    partner_name: String,
    kind: String,
    /// The first line of the description, shortened.
    title: String,
    amount: String,
    status: String,
    status_label: String,
    decision_comment: Option<String>,
    created_on: String,
    updated_on: String,
}

fn label_of(status: &str) -> String {
    ClaimStatus::parse(status).map_or(status.to_string(), |s| s.label().to_string())
}

fn kind_label(kind: &str) -> String {
    tributary_domain::incentives::PlanKind::parse(kind).map_or(kind.to_string(), |k| k.label().to_string())
}

fn row(c: Claim, partner_name: String) -> ClaimRow {
    let first_line = c.description.lines().next().unwrap_or_default();
    let title: String = first_line.chars().take(80).collect();
    let amount = match c.amount.parse() {
        Ok(amount) => amount_text(amount, &c.currency),
        Err(_) => format!("{} {}", c.amount, c.currency),
    };
    ClaimRow {
        id: c.id,
        partner_name,
        kind: kind_label(&c.kind),
        title: if title.len() < first_line.len() {
            format!("{title}…")
        } else {
            title
        },
        amount,
        status_label: label_of(&c.status),
        status: c.status,
        decision_comment: c.decision_comment,
        created_on: c.created_at.get(..10).unwrap_or_default().to_string(),
        updated_on: c.updated_at.get(..10).unwrap_or_default().to_string(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Claims, Access::Read)?;
        let params = Params::of(&uri);
        let query: ClaimQuery = params.parse()?;
        let request = query.paging().request(claims::SORTABLE, "-created_at")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = claims::list(&mut conn, &grant.scope, &query.filter()?, &request).await?;
        let mut names = PartnerNames::new(&grant.scope);
        let mut rows = Vec::with_capacity(page.items.len());
        for c in page.items {
            let name = names.name(&mut conn, &c.partner_id).await?.unwrap_or_default();
            rows.push(row(c, name));
        }
        let partners = partner_choices(&mut conn, &grant.scope, &PartnerFilter::default(), params.get("partner_id")).await?;
        drop(pooled);
        let mut listing = Listing::new(CLAIMS, &params, "-created_at", COLUMNS)
            .rows(rows.len())
            .paged("cursor", page.next_cursor);
        listing.export_href = Some(params.filters().href("/claims/export.csv", &[("sort", params.get("sort"))]));
        render(
            &state,
            "incentives/claims.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, section(&caller)),
                tabs => tabs(&caller, CLAIMS),
                is_partner => caller.is_partner(),
                may_submit => authorize(&caller, Resource::Claims, Access::Write).is_ok(),
                statuses => choices(ClaimStatus::ALL.iter().map(|s| (s.as_str(), s.label())), &one(params.get("status"))),
                kinds => choices(CLAIM_KINDS.iter().map(|k| (k.as_str(), k.label())), &one(params.get("kind"))),
                show_partner => partners.len() > 1,
                filters => FormState::new(params.values()).prefixed("q-"),
                partners, listing, rows,
            },
        )
    })
    .await
}

/// The listed claims as CSV, with the list's filters and order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let query: ClaimQuery = Params::of(&uri).parse()?;
        let sort = query.paging().request(claims::SORTABLE, "-created_at")?.sort;
        let body = crate::api::claims::claims_csv(&state, &caller, &query.filter()?, sort).await?;
        csv_response("claims.csv", body)
    })
    .await
}

/// The claim form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimForm {
    pub partner_id: String,
    pub plan_id: String,
    pub kind: String,
    pub amount: String,
    pub currency: String,
    pub description: String,
    pub deal_ref: String,
    /// Made when the form is shown; a second submission of the same form files nothing new.
    pub idempotency_key: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

impl ClaimForm {
    fn input(&self) -> ClaimInput {
        ClaimInput {
            partner_id: optional(&self.partner_id),
            plan_id: optional(&self.plan_id),
            kind: optional(&self.kind),
            amount: self.amount.trim().to_string(),
            currency: self.currency.trim().to_ascii_uppercase(),
            description: self.description.clone(),
            deal_ref: optional(&self.deal_ref),
        }
    }
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<ClaimForm>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Claims, Access::Write)?;
    let (partners, plans) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let selected = optional(&form.values.partner_id);
        let partners = partner_choices(&mut conn, &grant.scope, &PartnerFilter::default(), selected.as_deref()).await?;
        let filter = PlanFilter {
            status: Some(PlanStatus::Published),
            ..PlanFilter::default()
        };
        let plans = crate::services::incentives::plans::list(&mut conn, &filter, true).await?;
        (partners, plans)
    };
    let plans = plans
        .iter()
        .filter(|p| CLAIM_KINDS.contains(&p.definition.kind))
        .map(|p| {
            (
                p.id.clone(),
                format!("{} ({})", p.definition.name, p.definition.kind.label()),
            )
        });
    let values = &form.values;
    render_status(
        state,
        status,
        "incentives/claims_form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, section(caller)),
            tabs => tabs(caller, CLAIMS),
            partners => if partners.len() > 1 || !caller.is_partner() { partners } else { Vec::new() },
            plans => choices(plans, &one(Some(values.plan_id.as_str()))),
            kinds => choices(CLAIM_KINDS.iter().map(|k| (k.as_str(), k.label())), &one(Some(values.kind.as_str()))),
            currencies => currency_choices(&one(Some(values.currency.as_str()))),
            proof_limit_mb => crate::services::incentives::claims::proof::PROOF_LIMIT_BYTES >> 20,
            form,
        },
    )
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Claims, Access::Write)?;
        // A partner is most likely paid in its own payout currency.
        let currency = match caller.own_partner_id() {
            Some(own) => {
                let mut pooled = state.db.acquire().await?;
                tributary_store::repo::partners::get(&mut pooled.conn(), &grant.scope, own)
                    .await?
                    .map_or("EUR".to_string(), |p| p.fields.payout_currency.code().to_string())
            }
            None => "EUR".to_string(),
        };
        let values = ClaimForm {
            currency,
            idempotency_key: tributary_domain::ids::new_id(),
            ..ClaimForm::default()
        };
        form_page(&state, &caller, FormState::new(values), StatusCode::OK).await
    })
    .await
}

/// Reads the claim form (multipart: its fields and the proof file, which comes last).
async fn read_form(state: &AppState, request: Request) -> AppResult<(ClaimForm, Vec<Proof>, Option<AppError>)> {
    let mut body = multipart(state, request).await?;
    let mut form = ClaimForm::default();
    let mut proofs = Vec::new();
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.body_text());
    while let Some(field) = body.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "proof" {
            match read_proof(field).await {
                // A file input left empty still sends a part: no file name, no bytes.
                Ok(proof) if proof.bytes.is_empty() && proof.file_name.is_empty() => {}
                Ok(proof) => proofs.push(proof),
                Err(refused) => return Ok((form, proofs, Some(refused))),
            }
            continue;
        }
        let value = field.text().await.map_err(bad)?;
        match name.as_str() {
            "partner_id" => form.partner_id = value,
            "plan_id" => form.plan_id = value,
            "kind" => form.kind = value,
            "amount" => form.amount = value,
            "currency" => form.currency = value,
            "description" => form.description = value,
            "deal_ref" => form.deal_ref = value,
            "idempotency_key" => form.idempotency_key = value,
            _ => {}
        }
    }
    Ok((form, proofs, None))
}

/// The claim id in a replayed API response.
fn replayed_id(body: &[u8]) -> AppResult<String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(internal)?;
    value["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| internal("a stored claim response has no id"))
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    request: Request,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Claims, Access::Write)?;
        let (form, proofs, refused) = read_form(&state, request).await?;
        let outcome = match refused {
            Some(error) => Err(error),
            None => {
                submit(
                    &state,
                    &caller,
                    optional(&form.idempotency_key).as_deref(),
                    &form.input(),
                    proofs,
                )
                .await
            }
        };
        match outcome {
            Ok(Submitted::New(detail)) => see_other(&format!("{CLAIMS}/{}", detail.claim.id)),
            Ok(Submitted::Replayed(response)) => {
                let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                    .await
                    .map_err(internal)?;
                see_other(&format!("{CLAIMS}/{}", replayed_id(&body)?))
            }
            Err(error) => {
                let (status, failed) = FormState::failed(form, error)?;
                form_page(&state, &caller, failed, status).await
            }
        }
    })
    .await
}

/// The decision form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub decision: String,
    pub comment: String,
}

async fn claim_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    actions: FormState<DecisionForm>,
    status: StatusCode,
) -> AppResult<Response> {
    let found: ClaimDetail = detail(state, caller, id).await?;
    let waiting = found.claim.status == ClaimStatus::Submitted.as_str();
    let writer = authorize(caller, Resource::Claims, Access::Write).is_ok();
    let request = match &found.approval_id {
        Some(approval) if !caller.is_partner() => {
            let mut pooled = state.db.acquire().await?;
            approvals::get(&mut pooled.conn(), &tributary_store::Scope::All, approval).await?
        }
        _ => None,
    };
    let may_decide = request.as_ref().is_some_and(|r| {
        actionable_by(r, caller.role)
            && r.requested_by.as_deref() != Some(caller.user.id.as_str())
            && authorize(caller, Resource::Approvals, Access::Write).is_ok()
    });
    let amount = found
        .claim
        .amount
        .parse()
        .map_or(found.claim.amount.clone(), |a| amount_text(a, &found.claim.currency));
    render_status(
        state,
        status,
        "incentives/claims_detail.html",
        minijinja::context! {
            chrome => Chrome::of(caller, section(caller)),
            tabs => tabs(caller, CLAIMS),
            is_partner => caller.is_partner(),
            kind => kind_label(&found.claim.kind),
            may_withdraw => waiting && writer,
            may_attach => waiting && writer,
            proof_limit_mb => crate::services::incentives::claims::proof::PROOF_LIMIT_BYTES >> 20,
            c => found, amount, may_decide, actions,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let blank = FormState::new(DecisionForm::default()).prefixed("d-");
    respond(&state, claim_page(&state, &caller, &id, blank, StatusCode::OK)).await
}

/// Approves or rejects a waiting claim through its approval request.
pub async fn decide(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let found = detail(&state, &caller, &id).await?;
        let outcome = async {
            let approval = found.approval_id.as_deref().ok_or_else(|| {
                AppError::Conflict(format!(
                    "the claim is {}: nothing to decide",
                    label_of(&found.claim.status).to_lowercase()
                ))
            })?;
            let decision = match form.decision.as_str() {
                "approve" => Verdict::Approve,
                "reject" => Verdict::Reject,
                other => {
                    return Err(AppError::field(
                        "decision",
                        format!("'{other}' is not approve or reject"),
                    ));
                }
            };
            let input = DecisionInput {
                decision,
                comment: optional(&form.comment),
            };
            decide_one(&state, &caller, approval, &input).await
        }
        .await;
        match outcome {
            Ok(_) => see_other(&format!("{CLAIMS}/{id}")),
            Err(error) => {
                let (status, failed) = FormState::failed(form, error)?;
                claim_page(&state, &caller, &id, failed.prefixed("d-"), status).await
            }
        }
    })
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match withdraw_claim(&state, &caller, &id).await {
            Ok(_) => see_other(&format!("{CLAIMS}/{id}")),
            Err(AppError::Conflict(message)) => {
                let mut actions = FormState::new(DecisionForm::default()).prefixed("d-");
                actions.message = Some(message);
                claim_page(&state, &caller, &id, actions, StatusCode::CONFLICT).await
            }
            Err(other) => Err(other),
        }
    })
    .await
}

/// Adds a proof file to a waiting claim.
pub async fn attach(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    respond(&state, async {
        let (_, proofs, refused) = read_form(&state, request).await?;
        let outcome = match (refused, proofs.into_iter().next()) {
            (Some(error), _) => Err(error),
            (None, None) => Err(AppError::field("proof", "choose a file to attach")),
            (None, Some(proof)) => attach_proof(&state, &caller, &id, proof).await,
        };
        match outcome {
            Ok(_) => see_other(&format!("{CLAIMS}/{id}")),
            Err(error) => {
                let (status, failed) = FormState::failed(DecisionForm::default(), error)?;
                claim_page(&state, &caller, &id, failed.prefixed("d-"), status).await
            }
        }
    })
    .await
}
