//! The review queue of channel managers: registrations pending review in the caller's scope
//! (a channel manager's own partners), filtered by partner, country and age, sorted and
//! paged; each row opens onto the candidate accounts with their scores and per-field
//! explanations side by side with the submission, and approve / reject (a comment is
//! required to reject) one at a time or in bulk — checked rows and one comment.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::registrations::{self, RegistrationFilter};

use super::super::form::{FormState, country_choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::super::lookup::partner_choices;
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::super::tiers::form::RawForm;
use super::registrations::{Comparison, comparison};
use super::{
    Key, NEWEST, REGISTRATIONS, RegistrationView, all_registrations, checked_sort, days_param, may_review, page_of,
    registration_tabs, sort_rows, views,
};
use crate::api::registrations::apply;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, internal};
use crate::policy::{Access, Resource, authorize, may_review_registrations};
use crate::services::conflict::registrations::{Action, ScoredCandidate};
use crate::state::AppState;

pub const PATH: &str = "/registrations/review";

const COLUMNS: &[Column] = &[
    plain("Select"),
    plain("Reference"),
    sortable("Customer", "customer_name"),
    sortable("Partner", "partner"),
    sortable("Country", "country"),
    plain("Product families"),
    numeric("Value"),
    Column {
        label: "Best score",
        sort: Some("score"),
        numeric: true,
    },
    Column {
        label: "Waiting",
        sort: Some("created_at"),
        numeric: true,
    },
    plain("Why in review"),
];

const SORTABLE: &[&str] = &["customer_name", "partner", "country", "score", "created_at"];

/// A queued registration with its candidates compared.
#[derive(Debug, Serialize)]
struct QueueRow {
    #[serde(flatten)]
    registration: RegistrationView,
    comparison: Comparison,
}

/// The queue's rows matching the filters, sorted, with each one's candidates.
async fn queue(
    state: &AppState,
    caller: &Caller,
    params: &Params,
) -> AppResult<(Vec<RegistrationView>, HashMap<String, Vec<ScoredCandidate>>)> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    may_review_registrations(caller)?;
    let min_age = params.get("age").map(|a| days_param(Some(a), 0)).transpose()?;
    let sort = checked_sort(params.get("sort"), "created_at", SORTABLE)?;
    let filter = RegistrationFilter {
        partner_id: params.get("partner_id").map(str::to_string),
        status: Some("pending_review".into()),
        country: params.get("country").map(|c| c.to_ascii_uppercase()),
        ..Default::default()
    };
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = all_registrations(&mut conn, &grant.scope, &filter, NEWEST).await?;
    let mut candidates = HashMap::new();
    for r in &rows {
        let parsed: Vec<ScoredCandidate> = serde_json::from_str(&r.candidates_json).map_err(internal)?;
        candidates.insert(r.id.clone(), parsed);
    }
    let mut rows = views(&mut conn, &grant.scope, rows).await?;
    if let Some(days) = min_age {
        rows.retain(|r| r.age_days >= days);
    }
    sort_rows(
        &mut rows,
        sort,
        |r, column| match column {
            "customer_name" => Key::text(&r.customer_name),
            "partner" => Key::text(r.partner_name.as_deref().unwrap_or_default()),
            "country" => Key::text(&r.country),
            "score" => Key::number(r.match_score.unwrap_or(-1)),
            _ => Key::text(&r.created_at),
        },
        |r| r.id.clone(),
    );
    Ok((rows, candidates))
}

/// The outcome of a bulk action, shown above the queue.
#[derive(Debug, Default, Serialize)]
struct Outcome {
    done: Vec<String>,
    failed: Vec<String>,
}

async fn queue_page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    bulk: FormState<HashMap<String, String>>,
    outcome: Option<Outcome>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    if !may_review(caller) {
        return Err(AppError::Forbidden(
            "the review queue is for the vendor's channel managers".into(),
        ));
    }
    let (rows, mut candidates) = queue(state, caller, params).await?;
    let count = rows.len();
    let (rows, next) = page_of(rows, params.get("offset"));
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut shown = Vec::with_capacity(rows.len());
    for r in rows {
        let found = candidates.remove(&r.id).unwrap_or_default();
        let comparison = comparison(&mut conn, &r, &found, state.customers.thresholds).await?;
        shown.push(QueueRow {
            registration: r,
            comparison,
        });
    }
    let partners = partner_choices(
        &mut conn,
        &grant.scope,
        &PartnerFilter::default(),
        params.get("partner_id"),
    )
    .await?;
    drop(pooled);
    let mut listing = Listing::new(PATH, params, "created_at", COLUMNS)
        .rows(shown.len())
        .count(count as i64)
        .paged("offset", next);
    listing.export_href = Some(
        params
            .filters()
            .href("/registrations/export.csv", &[("status", Some("pending_review"))]),
    );
    let here = params.href(PATH, &[]);
    render_status(
        state,
        status,
        "conflict/review.html",
        minijinja::context! {
            chrome => Chrome::of(caller, REGISTRATIONS),
            tabs => registration_tabs(caller, PATH),
            countries => country_choices(&one(params.get("country"))),
            filters => FormState::new(params.values()).prefixed("q-"),
            rows => shown,
            listing, partners, bulk, outcome, here,
        },
    )
}

/// The queue without the notice parameters of a finished bulk action.
fn without_notice(params: &Params) -> AppResult<Params> {
    let uri: Uri = params
        .href(PATH, &[("done", None), ("count", None)])
        .parse()
        .map_err(internal)?;
    Ok(Params::of(&uri))
}

pub async fn page(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let all = Params::of(&uri);
        let params = without_notice(&all)?;
        let outcome = match (all.get("done"), all.get("count")) {
            (Some(done @ ("approved" | "rejected")), Some(count)) => Some(Outcome {
                done: vec![format!(
                    "{} {count} registration{}.",
                    if done == "approved" { "Approved" } else { "Rejected" },
                    if count == "1" { "" } else { "s" }
                )],
                failed: Vec::new(),
            }),
            _ => None,
        };
        let bulk = FormState::new(HashMap::new()).prefixed("b-");
        queue_page(&state, &caller, &params, bulk, outcome, StatusCode::OK).await
    })
    .await
}

/// Approves or rejects the checked registrations with one comment.
pub async fn bulk(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
    RawForm(pairs): RawForm,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = without_notice(&Params::of(&uri))?;
        let ids: Vec<&str> = pairs
            .iter()
            .filter(|(k, v)| k == "ids" && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect();
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        let (action, comment) = (value("action"), value("comment"));
        let mut bulk = FormState::new(HashMap::from([("comment".to_string(), comment.clone())])).prefixed("b-");
        let chosen = match action.as_str() {
            "approve" => Some(Action::Approve),
            "reject" => Some(Action::Reject),
            _ => None,
        };
        let problem = match (chosen, ids.is_empty()) {
            (None, _) => Some(("action", "choose approve or reject")),
            (_, true) => Some(("ids", "check at least one registration")),
            (Some(Action::Reject), false) if comment.is_empty() => {
                Some(("comment", "say why the registrations are rejected"))
            }
            _ => None,
        };
        if let Some((field, message)) = problem {
            if field == "comment" {
                bulk.errors.insert(field.into(), message.into());
            } else {
                bulk.message = Some(format!("Nothing was done: {message}."));
            }
            return queue_page(&state, &caller, &params, bulk, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        let action = chosen.expect("checked above");
        let text = Some(comment.as_str()).filter(|c| !c.is_empty());
        let mut outcome = Outcome::default();
        let mut advanced = 0;
        let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
        for id in &ids {
            let known = {
                let mut pooled = state.db.acquire().await?;
                registrations::get(&mut pooled.conn(), &grant.scope, id).await?
            };
            let label = known.map_or_else(
                || "A registration".to_string(),
                |r| format!("{} ({})", r.reference, r.customer_name),
            );
            match apply(&state, &caller, id, action, text).await {
                // An approval workflow with further steps keeps it pending: say so.
                Ok(r) if r.status == "pending_review" => {
                    advanced += 1;
                    outcome.done.push(format!("{label}: {}", r.reason));
                }
                Ok(_) => outcome.done.push(label),
                Err(AppError::Internal(message)) => return Err(AppError::Internal(message)),
                Err(error) => outcome.failed.push(format!("{label}: {error}")),
            }
        }
        let done = if action == Action::Approve {
            "approved"
        } else {
            "rejected"
        };
        if outcome.failed.is_empty() && advanced == 0 {
            let count = outcome.done.len().to_string();
            return see_other(&params.href(PATH, &[("done", Some(done)), ("count", Some(&count))]));
        }
        let status = if outcome.done.is_empty() {
            StatusCode::CONFLICT
        } else {
            StatusCode::OK
        };
        outcome.done = outcome
            .done
            .into_iter()
            .map(|d| format!("{} {d}", if done == "approved" { "Approved" } else { "Rejected" }))
            .collect();
        queue_page(&state, &caller, &params, bulk, Some(outcome), status).await
    })
    .await
}
