//! Incentive plans in the portal: the list (filter by kind and status, sort, CSV), one
//! plan's page — its definition in words, its drafts and, for a published plan, every
//! version with the definition it was published with — and the actions: copy a published
//! plan into a draft, edit the draft in the form, publish it (problems listed by field),
//! discard it. Partners see published plans only.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use tributary_domain::incentives::PlanKind;
use tributary_store::repo::incentive_plans::{self, PlanFilter, PlanStatus, StoredPlan};
use tributary_store::repo::users;

use super::super::drafts::{after_discard, answer};
use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, plain, sortable};
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond};
use super::super::tiers::{csv_of, csv_response};
use super::describe::{Names, Term, calculation_text, describe};
use super::plan_form::form_field;
use super::{PLANS, load_plan, may_write_plans, tabs};
use crate::api::incentive_plans::{copy_to_draft, discard_draft, publish_draft, visible_plans};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A plan as a row of the list.
#[derive(Debug, Serialize)]
pub struct PlanRow {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub version: i64,
    pub period: &'static str,
    pub currency: String,
    pub effective: String,
    pub calculation: String,
    pub draft_of: Option<String>,
    pub draft_of_name: Option<String>,
    pub updated_at: String,
    pub published_at: Option<String>,
}

fn row(plan: &StoredPlan, names: &HashMap<String, String>) -> PlanRow {
    let d = &plan.definition;
    PlanRow {
        id: plan.id.clone(),
        name: d.name.clone(),
        kind: d.kind.label(),
        status: plan.status.as_str(),
        status_label: plan.status.label(),
        version: plan.version,
        period: d.period.label(),
        currency: d.currency.code().to_string(),
        effective: match d.effective_until {
            Some(until) => format!("{} – {until}", d.effective_from),
            None => format!("{} – open-ended", d.effective_from),
        },
        calculation: calculation_text(d),
        draft_of: plan.draft_of.clone(),
        draft_of_name: plan.draft_of.as_ref().and_then(|id| names.get(id).cloned()),
        updated_at: plan.updated_at.clone(),
        published_at: plan.published_at.clone(),
    }
}

const COLUMNS: &[Column] = &[
    sortable("Name", "name"),
    sortable("Kind", "kind"),
    sortable("Status", "status"),
    Column {
        label: "Version",
        sort: None,
        numeric: true,
    },
    plain("Period"),
    plain("Currency"),
    plain("Effective"),
    plain("Calculation"),
    sortable("Updated", "updated"),
];

/// The plans the caller may see matching the page's filters, in the page's order.
async fn matching(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<StoredPlan>> {
    let filter = PlanFilter {
        kind: params
            .get("kind")
            .map(PlanKind::parse)
            .transpose()
            .map_err(|m| AppError::field("kind", m))?,
        status: params
            .get("status")
            .map(PlanStatus::parse)
            .transpose()
            .map_err(|m| AppError::field("status", m))?,
    };
    let mut plans = visible_plans(state, caller, &filter).await?;
    let sort = params.get("sort").unwrap_or("name");
    let (key, descending) = sort.strip_prefix('-').map_or((sort, false), |key| (key, true));
    plans.sort_by(|a, b| {
        let order = match key {
            "kind" => a.definition.kind.label().cmp(b.definition.kind.label()),
            "status" => a.status.as_str().cmp(b.status.as_str()),
            "updated" => a.updated_at.cmp(&b.updated_at),
            _ => a.definition.name.to_lowercase().cmp(&b.definition.name.to_lowercase()),
        }
        .then_with(|| a.id.cmp(&b.id));
        if descending { order.reverse() } else { order }
    });
    Ok(plans)
}

fn plan_names(plans: &[StoredPlan]) -> HashMap<String, String> {
    plans
        .iter()
        .map(|p| (p.id.clone(), p.definition.name.clone()))
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let plans = matching(&state, &caller, &params).await?;
        let names = plan_names(&plans);
        let rows: Vec<PlanRow> = plans.iter().map(|p| row(p, &names)).collect();
        let mut listing = Listing::new(PLANS, &params, "name", COLUMNS).rows(rows.len());
        listing.export_href = Some(params.filters().href(&format!("{PLANS}/export.csv"), &[]));
        let statuses = if caller.is_partner() {
            Vec::new()
        } else {
            choices(
                PlanStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
                &one(params.get("status")),
            )
        };
        render_status(
            &state,
            StatusCode::OK,
            "incentives/plans.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, super::section(&caller)),
                tabs => tabs(&caller, PLANS),
                may_write => may_write_plans(&caller),
                filters => FormState::new(params.values()).prefixed("q-"),
                kinds => choices(PlanKind::ALL.iter().map(|k| (k.as_str(), k.label())), &one(params.get("kind"))),
                statuses, listing, rows,
            },
        )
    })
    .await
}

/// The plans as CSV, with the page's filters and order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let plans = matching(&state, &caller, &Params::of(&uri)).await?;
        let body = csv_of(
            &[
                "id",
                "name",
                "kind",
                "status",
                "version",
                "period",
                "currency",
                "effective_from",
                "effective_until",
                "calculation",
                "draft_of",
                "updated_at",
                "published_at",
            ],
            plans.iter().map(|p| {
                let d = &p.definition;
                vec![
                    p.id.clone(),
                    d.name.clone(),
                    d.kind.as_str().to_string(),
                    p.status.as_str().to_string(),
                    p.version.to_string(),
                    d.period.as_str().to_string(),
                    d.currency.code().to_string(),
                    d.effective_from.to_string(),
                    d.effective_until.map(|u| u.to_string()).unwrap_or_default(),
                    calculation_text(d),
                    p.draft_of.clone().unwrap_or_default(),
                    p.updated_at.clone(),
                    p.published_at.clone().unwrap_or_default(),
                ]
            }),
        )?;
        csv_response("incentive-plans.csv", body)
    })
    .await
}

/// One published version as the history shows it.
#[derive(Debug, Serialize)]
struct VersionView {
    version: i64,
    published_at: String,
    published_by: Option<String>,
    calculation: String,
    terms: Vec<Term>,
}

/// The problems an action ran into: a title and one line per problem, fields named as the form names them.
pub fn problem_lines(error: AppError) -> AppResult<(StatusCode, String, Vec<String>)> {
    let status = error.status();
    match error {
        AppError::Validation(errors) => Ok((
            status,
            "The plan cannot be published as it is; edit the draft:".into(),
            errors
                .into_iter()
                .map(|e| format!("{}: {}", form_field(&e.field).replace('_', " "), e.message))
                .collect(),
        )),
        AppError::Conflict(message) | AppError::Forbidden(message) | AppError::BadRequest(message) => {
            Ok((status, "The action was refused:".into(), vec![message]))
        }
        other => Err(other),
    }
}

/// The page of `plan`, with the problems of an action that failed.
async fn plan_page(
    state: &AppState,
    caller: &Caller,
    plan: StoredPlan,
    failure: Option<(String, Vec<String>)>,
    status: StatusCode,
) -> AppResult<Response> {
    let names = Names::load(state).await?;
    let all = visible_plans(state, caller, &PlanFilter::default()).await?;
    let versions = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let mut versions = Vec::new();
        if plan.status == PlanStatus::Published {
            for v in incentive_plans::versions(&mut conn, &plan.id).await? {
                let published_by = match &v.published_by {
                    Some(id) => users::by_id(&mut conn, id).await?.map(|u| u.display_name),
                    None => None,
                };
                versions.push(VersionView {
                    version: v.version,
                    published_at: v.published_at,
                    published_by,
                    calculation: calculation_text(&v.definition),
                    terms: describe(&v.definition, &names),
                });
            }
        }
        versions
    };
    let plan_names = plan_names(&all);
    let drafts: Vec<PlanRow> = if caller.is_partner() {
        Vec::new()
    } else {
        all.iter()
            .filter(|p| p.draft_of.as_deref() == Some(plan.id.as_str()))
            .map(|p| row(p, &plan_names))
            .collect()
    };
    let (problem_title, problems) = failure.unwrap_or_default();
    render_status(
        state,
        status,
        "incentives/plan.html",
        minijinja::context! {
            chrome => Chrome::of(caller, super::section(caller)),
            tabs => tabs(caller, PLANS),
            published => plan.status == PlanStatus::Published,
            may_write => may_write_plans(caller),
            terms => describe(&plan.definition, &names),
            plan => row(&plan, &plan_names),
            drafts, versions, problem_title, problems,
        },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let plan = load_plan(&state, &caller, &id).await?;
        plan_page(&state, &caller, plan, None, StatusCode::OK).await
    })
    .await
}

/// The page of plan `id` again, with the problems of the action that failed.
async fn failed(state: &AppState, caller: &Caller, id: &str, error: AppError) -> AppResult<Response> {
    let (status, title, lines) = problem_lines(error)?;
    let plan = load_plan(state, caller, id).await?;
    plan_page(state, caller, plan, Some((title, lines)), status).await
}

pub async fn copy(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let done = copy_to_draft(&state, &caller, &id).await;
        answer(
            done,
            |draft| format!("{PLANS}/{}/edit", draft.id),
            |e| failed(&state, &caller, &id, e),
        )
        .await
    })
    .await
}

pub async fn publish(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let done = publish_draft(&state, &caller, &id).await;
        answer(
            done,
            |published| format!("{PLANS}/{}", published.id),
            |e| failed(&state, &caller, &id, e),
        )
        .await
    })
    .await
}

pub async fn discard(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let plan = load_plan(&state, &caller, &id).await?;
        let done = discard_draft(&state, &caller, &id).await;
        let to = after_discard(PLANS, plan.draft_of.as_deref());
        answer(done, |()| to, |e| failed(&state, &caller, &id, e)).await
    })
    .await
}
