//! Tier structures in the portal: the list (published first, then drafts), and one
//! structure's page — its metrics, levels with requirements and benefits, and region
//! overrides; for a published structure the copy-into-a-draft and evaluate actions, its
//! evaluations, the distribution by level (a bar chart and a level × region table) and the
//! partners at risk; for a draft the edit, simulate, publish and discard actions.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use tributary_domain::tiering::schedule::last_period_end;
use tributary_domain::tiering::{Aggregation, MetricKind, TierStructure};
use tributary_store::repo::tier_evaluations::{self, Evaluation};
use tributary_store::repo::tier_structures::{self, StoredStructure, StructureStatus};
use tributary_store::repo::{regions, segments};

use super::super::drafts::{after_discard, answer};
use super::super::form::{FormState, choices, one};
use super::super::listing::{Column, Listing, Params, plain, sortable};
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond};
use super::chart::{self, BarChart};
use super::{SECTION, csv_of, csv_response, decimal_text, load, may_write_programs, money_text, requirement_text};
use crate::api::tier_structures::{copy_to_draft, discard_draft, publish_draft};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::reports::{self, AtRisk, Distribution};
use crate::state::AppState;

/// A structure as a row of the list or the head of its page.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub version: i64,
    pub cadence: &'static str,
    pub currency: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub draft_of: Option<String>,
    pub draft_of_name: Option<String>,
    /// Who it applies to, in words ("Reseller", "region dach", "segment German resellers").
    pub applies_to: Vec<String>,
    pub grace: u32,
    pub max_demotion_step: u32,
    pub levels: usize,
    pub updated_at: String,
    pub published_at: Option<String>,
}

/// Names of regions and segments, for the applicability in words.
#[derive(Default)]
pub struct Names {
    regions: HashMap<String, String>,
    segments: HashMap<String, String>,
    structures: HashMap<String, String>,
}

impl Names {
    pub async fn load(state: &AppState, structures: &[StoredStructure]) -> AppResult<Self> {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        Ok(Self {
            regions: regions::list(&mut conn)
                .await?
                .into_iter()
                .map(|r| (r.code, r.name))
                .collect(),
            segments: segments::list(&mut conn)
                .await?
                .into_iter()
                .map(|s| (s.id, s.fields.name))
                .collect(),
            structures: structures
                .iter()
                .map(|s| (s.id.clone(), s.definition.name.clone()))
                .collect(),
        })
    }

    pub fn region(&self, code: &str) -> String {
        match (code, self.regions.get(code)) {
            ("", _) => "No region".to_string(),
            (_, Some(name)) => format!("{name} ({code})"),
            (_, None) => code.to_string(),
        }
    }
}

pub fn summary(stored: &StoredStructure, names: &Names) -> Summary {
    let d = &stored.definition;
    let mut applies_to: Vec<String> = d
        .applicability
        .partner_types
        .iter()
        .map(|t| t.label().to_string())
        .collect();
    applies_to.extend(
        d.applicability
            .regions
            .iter()
            .map(|r| format!("region {}", names.region(r))),
    );
    if let Some(id) = &d.applicability.segment_id {
        applies_to.push(format!(
            "segment {}",
            names.segments.get(id).cloned().unwrap_or_else(|| id.clone())
        ));
    }
    Summary {
        id: stored.id.clone(),
        name: d.name.clone(),
        status: stored.status.as_str(),
        status_label: stored.status.label(),
        version: stored.version,
        cadence: d.cadence.label(),
        currency: d.currency.code().to_string(),
        valid_from: d.valid_from.to_string(),
        valid_until: d.valid_until.map(|v| v.to_string()),
        draft_of: stored.draft_of.clone(),
        draft_of_name: stored
            .draft_of
            .as_ref()
            .and_then(|id| names.structures.get(id).cloned()),
        applies_to,
        grace: d.rules.grace,
        max_demotion_step: d.rules.max_demotion_step,
        levels: d.levels.len(),
        updated_at: stored.updated_at.clone(),
        published_at: stored.published_at.clone(),
    }
}

pub async fn list(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::TierPrograms, Access::Read)?;
        let all = {
            let mut pooled = state.db.acquire().await?;
            tier_structures::list(&mut pooled.conn(), None).await?
        };
        let names = Names::load(&state, &all).await?;
        let rows: Vec<Summary> = all.iter().map(|s| summary(s, &names)).collect();
        render_status(
            &state,
            StatusCode::OK,
            "tiers/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, SECTION),
                may_write => may_write_programs(&caller),
                structures => rows,
            },
        )
    })
    .await
}

#[derive(Debug, Serialize)]
struct MetricView {
    key: String,
    kind: &'static str,
    window: String,
    custom_name: Option<String>,
    aggregation: &'static str,
}

#[derive(Debug, Serialize)]
struct BenefitsView {
    discount: String,
    rebate: String,
    mdf: String,
    lead_priority: u32,
    tags: Vec<String>,
}

#[derive(Debug, Serialize)]
struct LevelView {
    index: usize,
    name: String,
    requirements: Vec<String>,
    benefits: BenefitsView,
}

#[derive(Debug, Serialize)]
struct OverrideView {
    region: String,
    level: String,
    requirement: String,
}

fn benefits_view(d: &TierStructure, index: usize) -> BenefitsView {
    let b = d.benefits.get(index).cloned().unwrap_or_default();
    BenefitsView {
        discount: format!("{}%", decimal_text(b.discount_percent)),
        rebate: format!("×{}", decimal_text(b.rebate_multiplier)),
        mdf: money_text(d, b.mdf_allocation),
        lead_priority: b.lead_priority,
        tags: b.content_tags,
    }
}

fn metric_views(d: &TierStructure) -> Vec<MetricView> {
    d.metrics
        .iter()
        .map(|m| MetricView {
            key: m.key.clone(),
            kind: m.kind.label(),
            window: super::window_text(m.window),
            custom_name: m.custom_name.clone(),
            aggregation: if m.kind == MetricKind::Custom || m.aggregation() != Aggregation::Sum {
                m.aggregation().label()
            } else {
                ""
            },
        })
        .collect()
}

fn level_views(d: &TierStructure) -> Vec<LevelView> {
    d.levels
        .iter()
        .enumerate()
        .map(|(index, level)| LevelView {
            index,
            name: level.name.clone(),
            requirements: level.requirements.iter().map(|r| requirement_text(d, r)).collect(),
            benefits: benefits_view(d, index),
        })
        .collect()
}

fn override_views(d: &TierStructure, names: &Names) -> Vec<OverrideView> {
    d.region_overrides
        .iter()
        .map(|o| {
            let requirement = tributary_domain::tiering::Requirement {
                metric: o.metric.clone(),
                comparison: super::comparison_of(d, o.level, &o.metric)
                    .unwrap_or(tributary_domain::tiering::Comparison::AtLeast),
                target: o.target,
            };
            OverrideView {
                region: names.region(&o.region),
                level: d.levels.get(o.level).map_or(o.level.to_string(), |l| l.name.clone()),
                requirement: requirement_text(d, &requirement),
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct RegionRow {
    region: String,
    counts: Vec<u64>,
    total: u64,
}

#[derive(Debug, Serialize)]
struct DistributionView {
    evaluated_on: Option<String>,
    levels: Vec<String>,
    totals: Vec<u64>,
    total: u64,
    by_region: Vec<RegionRow>,
    chart: BarChart,
}

fn distribution_view(distribution: Distribution, names: &Names) -> DistributionView {
    let chart = chart::grouped(
        "distribution-chart",
        "Partners per level",
        &distribution.levels,
        &["partners"],
        std::slice::from_ref(&distribution.totals),
    );
    DistributionView {
        evaluated_on: distribution.evaluation.map(|e| e.eval_date),
        total: distribution.totals.iter().sum(),
        by_region: distribution
            .by_region
            .into_iter()
            .map(|row| RegionRow {
                region: names.region(&row.region),
                total: row.counts.iter().sum(),
                counts: row.counts,
            })
            .collect(),
        levels: distribution.levels,
        totals: distribution.totals,
        chart,
    }
}

const RISK_COLUMNS: &[Column] = &[
    sortable("Partner", "partner"),
    sortable("Level", "level"),
    sortable("Status", "status"),
    Column {
        label: "Misses",
        sort: Some("misses"),
        numeric: true,
    },
    plain("Why"),
];

fn status_label(status: &str) -> &'static str {
    match status {
        "missing" => "Missing requirements",
        "trending" => "Trending below target",
        _ => "At risk",
    }
}

/// The at-risk rows matching the `risk` filter, in the order of `sort`.
fn sorted_at_risk(mut rows: Vec<AtRisk>, params: &Params) -> Vec<AtRisk> {
    if let Some(status) = params.get("risk") {
        rows.retain(|r| r.status == status);
    }
    let sort = params.get("sort").unwrap_or("partner");
    let (key, descending) = match sort.strip_prefix('-') {
        Some(key) => (key, true),
        None => (sort, false),
    };
    rows.sort_by(|a, b| {
        let order = match key {
            "level" => a.level.cmp(&b.level),
            "status" => a.status.cmp(&b.status),
            "misses" => a.misses.cmp(&b.misses),
            _ => a.partner_name.to_lowercase().cmp(&b.partner_name.to_lowercase()),
        }
        .then_with(|| a.partner_id.cmp(&b.partner_id));
        if descending { order.reverse() } else { order }
    });
    rows
}

#[derive(Debug, Serialize)]
struct RiskView {
    #[serde(flatten)]
    row: AtRisk,
    status_label: &'static str,
}

/// The problem an action ran into, as one message for the page.
pub fn problem_text(error: AppError) -> AppResult<(StatusCode, String)> {
    let status = error.status();
    match error {
        AppError::Validation(errors) => Ok((
            status,
            errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; "),
        )),
        AppError::Conflict(message) | AppError::Forbidden(message) | AppError::BadRequest(message) => {
            Ok((status, message))
        }
        other => Err(other),
    }
}

/// The values of the evaluate form.
pub type Actions = FormState<HashMap<String, String>>;

/// The page of structure `stored`; `actions` carries the evaluate form's values and the
/// message of an action that failed.
pub async fn detail_page(
    state: &AppState,
    caller: &Caller,
    stored: StoredStructure,
    params: &Params,
    actions: Option<Actions>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::TierPrograms, Access::Read)?;
    let all = {
        let mut pooled = state.db.acquire().await?;
        tier_structures::list(&mut pooled.conn(), None).await?
    };
    let names = Names::load(state, &all).await?;
    let d = &stored.definition;
    let published = stored.status == StructureStatus::Published;
    let drafts: Vec<Summary> = all
        .iter()
        .filter(|s| s.draft_of.as_deref() == Some(stored.id.as_str()))
        .map(|s| summary(s, &names))
        .collect();
    let (evaluations, distribution, at_risk): (Vec<Evaluation>, Option<DistributionView>, Vec<RiskView>) = if published
    {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let evaluations = tier_evaluations::list(&mut conn, &stored.id).await?;
        let distribution = reports::distribution(&mut conn, &grant.scope, &stored).await?;
        let at_risk = reports::at_risk(&mut conn, &grant.scope, &stored).await?;
        (
            evaluations,
            Some(distribution_view(distribution, &names)),
            sorted_at_risk(at_risk, params)
                .into_iter()
                .map(|row| RiskView {
                    status_label: status_label(&row.status),
                    row,
                })
                .collect(),
        )
    } else {
        (Vec::new(), None, Vec::new())
    };
    let path = format!("/tiers/{}", stored.id);
    let mut risk_listing = Listing::new(&path, params, "partner", RISK_COLUMNS).rows(at_risk.len());
    risk_listing.export_href = Some(params.filters().href(&format!("{path}/at-risk.csv"), &[]));
    let default_date = last_period_end(d.cadence, super::today()).to_string();
    let actions = actions.unwrap_or_else(|| {
        FormState::new(HashMap::from([("eval_date".to_string(), default_date.clone())])).prefixed("a-")
    });
    let risk_choices = choices(
        [
            ("missing", "Missing requirements"),
            ("trending", "Trending below target"),
        ],
        &one(params.get("risk")),
    );
    render_status(
        state,
        status,
        "tiers/detail.html",
        minijinja::context! {
            chrome => Chrome::of(caller, SECTION),
            structure => summary(&stored, &names),
            published,
            may_write => may_write_programs(caller),
            metrics => metric_views(d),
            levels => level_views(d),
            overrides => override_views(d, &names),
            filters => FormState::new(params.values()).prefixed("q-"),
            scoped => !matches!(grant.scope, tributary_store::Scope::All),
            risk_choices, drafts, evaluations, distribution, at_risk, risk_listing, actions,
        },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let stored = load(&state, &caller, &id).await?;
        detail_page(&state, &caller, stored, &Params::of(&uri), None, StatusCode::OK).await
    })
    .await
}

/// The page of structure `id` again, with the message of the action that failed.
async fn failed(state: &AppState, caller: &Caller, id: &str, error: AppError) -> AppResult<Response> {
    let (status, message) = problem_text(error)?;
    let stored = load(state, caller, id).await?;
    let mut actions: Actions = FormState::new(HashMap::new()).prefixed("a-");
    actions.message = Some(message);
    actions.values.insert(
        "eval_date".into(),
        last_period_end(stored.definition.cadence, super::today()).to_string(),
    );
    detail_page(state, caller, stored, &Params::default(), Some(actions), status).await
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
            |draft| format!("/tiers/{}/edit", draft.id),
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
            |published| format!("/tiers/{}", published.id),
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
        let stored = load(&state, &caller, &id).await?;
        let done = discard_draft(&state, &caller, &id).await;
        let to = after_discard("/tiers", stored.draft_of.as_deref());
        answer(done, |()| to, |e| failed(&state, &caller, &id, e)).await
    })
    .await
}

/// The partners at risk as CSV, with the page's filter and order.
pub async fn at_risk_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::TierPrograms, Access::Read)?;
        let stored = load(&state, &caller, &id).await?;
        let rows = {
            let mut pooled = state.db.acquire().await?;
            reports::at_risk(&mut pooled.conn(), &grant.scope, &stored).await?
        };
        let rows = sorted_at_risk(rows, &Params::of(&uri));
        let body = csv_of(
            &[
                "partner_id",
                "partner_name",
                "level",
                "level_name",
                "status",
                "misses",
                "reasons",
            ],
            rows.into_iter().map(|r| {
                vec![
                    r.partner_id,
                    r.partner_name,
                    r.level.to_string(),
                    r.level_name,
                    r.status,
                    r.misses.to_string(),
                    r.reasons.join("; "),
                ]
            }),
        )?;
        csv_response("tier-at-risk.csv", body)
    })
    .await
}

/// The distribution by level and region as CSV: one row per region, one column per level.
pub async fn distribution_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::TierPrograms, Access::Read)?;
        let stored = load(&state, &caller, &id).await?;
        let distribution = {
            let mut pooled = state.db.acquire().await?;
            reports::distribution(&mut pooled.conn(), &grant.scope, &stored).await?
        };
        let names = Names::load(&state, std::slice::from_ref(&stored)).await?;
        let evaluated_on = distribution
            .evaluation
            .as_ref()
            .map(|e| e.eval_date.clone())
            .unwrap_or_default();
        let mut header = vec!["eval_date".to_string(), "region".to_string(), "region_name".to_string()];
        header.extend(distribution.levels.iter().cloned());
        header.push("total".to_string());
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let row = |code: &str, name: String, counts: &[u64]| {
            let mut cells = vec![evaluated_on.clone(), code.to_string(), name];
            cells.extend(counts.iter().map(u64::to_string));
            cells.push(counts.iter().sum::<u64>().to_string());
            cells
        };
        let mut rows: Vec<Vec<String>> = distribution
            .by_region
            .iter()
            .map(|r| row(&r.region, names.region(&r.region), &r.counts))
            .collect();
        rows.push(row("", "All regions".to_string(), &distribution.totals));
        csv_response("tier-distribution.csv", csv_of(&header, rows)?)
    })
    .await
}
