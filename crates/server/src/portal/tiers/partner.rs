//! One partner's tier standing: the "frequent-flyer" status card per structure (also on the
//! partner home), the snapshot history of every structure with each requirement's value,
//! target, gap and result, and — for vendor staff — the partner's manual overrides, with a
//! form to grant one and buttons to revoke. Everything is read through the caller's scope:
//! a partner user reaches its own organisation only; another one is simply not found.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tributary_domain::tiering::TierStructure;
use tributary_store::repo::partners::{self, Partner};
use tributary_store::repo::tier_overrides::{self, TierOverride};
use tributary_store::repo::tier_snapshots::{self, SnapshotFilter};
use tributary_store::repo::tier_structures::{self, StoredStructure, StructureStatus};

use super::super::form::{Form, FormState};
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::snapshots::{change_label, level_name};
use super::{ResultView, decimal_text, may_write_status, money_text};
use crate::api::tier_status::{grant_override, partner_status, revoke_override};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::overrides::OverrideInput;
use crate::services::tiering::progress::TierStatus;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct BenefitsView {
    pub discount: String,
    pub rebate: String,
    pub mdf: String,
    pub lead_priority: u32,
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NextView {
    pub name: String,
    pub requirements: Vec<ResultView>,
}

/// The status card of one structure.
#[derive(Debug, Serialize)]
pub struct StatusCard {
    pub structure_id: String,
    pub structure_name: String,
    pub level: u32,
    pub level_name: String,
    pub benefits: BenefitsView,
    pub summary: Option<String>,
    pub next: Option<NextView>,
    pub evaluated_on: String,
    /// "31 December 2026".
    pub next_evaluation: String,
    pub next_evaluation_iso: String,
    pub misses: i64,
    pub grace: u32,
    pub override_reason: Option<String>,
}

fn card(definition: &TierStructure, status: TierStatus) -> StatusCard {
    let p = &status.progress;
    let b = &p.benefits;
    StatusCard {
        structure_id: status.structure_id,
        structure_name: status.structure_name,
        level: p.level,
        level_name: p.level_name.clone(),
        benefits: BenefitsView {
            discount: format!("{}%", decimal_text(b.discount_percent)),
            rebate: format!("×{}", decimal_text(b.rebate_multiplier)),
            mdf: money_text(definition, b.mdf_allocation),
            lead_priority: b.lead_priority,
            tags: b.content_tags.clone(),
        },
        summary: status.summary,
        next: p.next.as_ref().map(|next| NextView {
            name: next.name.clone(),
            requirements: next
                .requirements
                .iter()
                .map(|r| ResultView::progress(definition, r))
                .collect(),
        }),
        evaluated_on: status.evaluated_on,
        next_evaluation: status.next_evaluation.format("%-d %B %Y").to_string(),
        next_evaluation_iso: status.next_evaluation.to_string(),
        misses: status.misses,
        grace: status.grace,
        override_reason: status.override_reason,
    }
}

/// The status cards of partner `partner_id` as `caller` may see them (empty when the
/// partner has not been evaluated in any published structure).
pub async fn status_cards(state: &AppState, caller: &Caller, partner_id: &str) -> AppResult<Vec<StatusCard>> {
    let statuses = partner_status(state, caller, partner_id).await?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut cards = Vec::with_capacity(statuses.len());
    for status in statuses {
        let Some(structure) = tier_structures::get(&mut conn, &status.structure_id).await? else {
            continue;
        };
        cards.push(card(&structure.definition, status));
    }
    Ok(cards)
}

#[derive(Debug, Serialize)]
struct CheckView {
    level: u32,
    name: String,
    met: bool,
    requirements: Vec<ResultView>,
}

#[derive(Debug, Serialize)]
struct HistoryRow {
    eval_date: String,
    qualifying: String,
    previous: Option<String>,
    assigned: String,
    change_kind: String,
    change_label: String,
    misses: i64,
    override_reason: Option<String>,
    checks: Vec<CheckView>,
}

#[derive(Debug, Serialize)]
struct History {
    structure_id: String,
    structure_name: String,
    rows: Vec<HistoryRow>,
}

#[derive(Debug, Serialize)]
struct OverrideView {
    id: String,
    structure_name: String,
    level_name: String,
    reason: String,
    starts_on: String,
    expires_on: String,
    state: &'static str,
    revoked_at: Option<String>,
    created_at: String,
}

fn override_state(o: &TierOverride, today: &str) -> &'static str {
    if o.revoked_at.is_some() {
        "Revoked"
    } else if o.expires_on.as_str() <= today {
        "Expired"
    } else if o.starts_on.as_str() > today {
        "Scheduled"
    } else {
        "Active"
    }
}

/// The override form as typed.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct OverrideForm {
    /// `{structure id}:{level}`.
    pub target: String,
    pub reason: String,
    pub starts_on: String,
    pub expires_on: String,
}

impl OverrideForm {
    fn input(&self, partner_id: &str) -> Result<OverrideInput, AppError> {
        let (structure_id, level) = self.target.split_once(':').unwrap_or(("", ""));
        let mut errors = Vec::new();
        let mut field = |name: &str, message: String| {
            errors.push(tributary_domain::validation::FieldError {
                field: name.into(),
                message,
            })
        };
        let level = level
            .parse::<u32>()
            .map_err(|_| field("target", "choose a level".into()))
            .ok();
        let mut date = |name: &str, text: &str| {
            if text.trim().is_empty() {
                field(name, "is required".into());
                None
            } else {
                tributary_domain::validation::date(text)
                    .map_err(|m| field(name, m))
                    .ok()
            }
        };
        let starts_on: Option<NaiveDate> = date("starts_on", &self.starts_on);
        let expires_on: Option<NaiveDate> = date("expires_on", &self.expires_on);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(OverrideInput {
            structure_id: structure_id.to_string(),
            partner_id: partner_id.to_string(),
            level: level.unwrap_or_default(),
            reason: self.reason.clone(),
            starts_on,
            expires_on,
        })
    }
}

/// Options of the override level select, grouped by published structure.
#[derive(Debug, Serialize)]
struct TargetGroup {
    structure: String,
    options: Vec<(String, String)>,
}

/// The partner `id` if the caller may see its tier standing.
async fn visible_partner(state: &AppState, caller: &Caller, id: &str) -> AppResult<Partner> {
    let grant = authorize(caller, Resource::TierStatus, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    partners::get(&mut pooled.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("partner"))
}

async fn page_of(
    state: &AppState,
    caller: &Caller,
    partner: Partner,
    form: Option<FormState<OverrideForm>>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::TierStatus, Access::Read)?;
    let cards = status_cards(state, caller, &partner.id).await?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let filter = SnapshotFilter {
        partner_id: Some(partner.id.clone()),
        ..SnapshotFilter::default()
    };
    let snapshots = tier_snapshots::all(&mut conn, &grant.scope, &filter).await?;
    let mut structures: HashMap<String, StoredStructure> = HashMap::new();
    for s in tier_structures::list(&mut conn, Some(StructureStatus::Published)).await? {
        structures.insert(s.id.clone(), s);
    }
    let mut grouped: BTreeMap<String, Vec<HistoryRow>> = BTreeMap::new();
    for s in snapshots.into_iter().rev() {
        if !structures.contains_key(&s.structure_id)
            && let Some(found) = tier_structures::get(&mut conn, &s.structure_id).await?
        {
            structures.insert(found.id.clone(), found);
        }
        let definition = structures.get(&s.structure_id).map(|st| &st.definition);
        let checks = s
            .checks
            .iter()
            .filter(|c| c.level > 0)
            .map(|c| CheckView {
                level: c.level,
                name: c.name.clone(),
                met: c.met,
                requirements: c
                    .requirements
                    .iter()
                    .map(|r| match definition {
                        Some(d) => ResultView::of(d, r, super::comparison_of(d, c.level as usize, &r.metric)),
                        None => ResultView {
                            metric: r.metric.clone(),
                            comparison: "",
                            value: format!("{:?}", r.value),
                            target: format!("{:?}", r.target),
                            gap: r.gap.map(decimal_text).unwrap_or_default(),
                            met: r.met,
                            percent: None,
                        },
                    })
                    .collect(),
            })
            .collect();
        grouped.entry(s.structure_id.clone()).or_default().push(HistoryRow {
            qualifying: level_name(&s, s.qualifying_level),
            previous: s.previous_level.map(|l| level_name(&s, l)),
            assigned: level_name(&s, s.assigned_level),
            change_label: change_label(&s.change_kind).to_string(),
            eval_date: s.eval_date,
            change_kind: s.change_kind,
            misses: s.misses,
            override_reason: s.override_reason,
            checks,
        });
    }
    let histories: Vec<History> = grouped
        .into_iter()
        .map(|(structure_id, rows)| History {
            structure_name: structures
                .get(&structure_id)
                .map_or(structure_id.clone(), |s| s.definition.name.clone()),
            structure_id,
            rows,
        })
        .collect();
    // Overrides carry the vendor's reasons: vendor staff only.
    let vendor = !caller.is_partner();
    let today = super::today().to_string();
    let overrides: Vec<OverrideView> = if vendor {
        tier_overrides::list(&mut conn, &grant.scope, None, Some(&partner.id))
            .await?
            .into_iter()
            .map(|o| {
                let structure = structures.get(&o.structure_id);
                OverrideView {
                    state: override_state(&o, &today),
                    structure_name: structure.map_or(o.structure_id.clone(), |s| s.definition.name.clone()),
                    level_name: structure
                        .and_then(|s| s.definition.levels.get(o.level as usize))
                        .map_or(o.level.to_string(), |l| l.name.clone()),
                    id: o.id,
                    reason: o.reason,
                    starts_on: o.starts_on,
                    expires_on: o.expires_on,
                    revoked_at: o.revoked_at,
                    created_at: o.created_at,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let may_override = vendor && may_write_status(caller);
    let targets: Vec<TargetGroup> = structures
        .values()
        .filter(|s| s.status == StructureStatus::Published)
        .map(|s| TargetGroup {
            structure: s.definition.name.clone(),
            options: s
                .definition
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| (format!("{}:{i}", s.id), l.name.clone()))
                .collect(),
        })
        .collect();
    let form = form.unwrap_or_else(|| {
        FormState::new(OverrideForm {
            starts_on: today.clone(),
            ..Default::default()
        })
        .prefixed("o-")
    });
    render_status(
        state,
        status,
        "tiers/partner.html",
        minijinja::context! {
            chrome => Chrome::of(caller, if caller.is_partner() { "/" } else { "/partners" }),
            partner => minijinja::context! { id => partner.id, name => partner.fields.name },
            cards, histories, overrides, vendor, may_override, targets, form,
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let partner = visible_partner(&state, &caller, &id).await?;
        page_of(&state, &caller, partner, None, StatusCode::OK).await
    })
    .await
}

/// A partner user's own tier page.
pub async fn mine(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::TierStatus, Access::Read)?;
        let own = caller
            .own_partner_id()
            .ok_or_else(|| AppError::not_found("partner organisation of yours"))?;
        see_other(&format!("/partners/{own}/tiers"))
    })
    .await
}

pub async fn grant(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let partner = visible_partner(&state, &caller, &id).await?;
        let result = match form.input(&id) {
            Ok(input) => grant_override(&state, &caller, &input).await.map(|_| ()),
            Err(error) => Err(error),
        };
        match result {
            Ok(()) => see_other(&format!("/partners/{id}/tiers")),
            Err(AppError::NotFound(m)) => Err(AppError::NotFound(m)),
            Err(error) => {
                let (status, mut state_form) = FormState::failed(form, error)?;
                // The service names the level `level`; the select is the target.
                if let Some(message) = state_form.errors.remove("level") {
                    state_form.errors.insert("target".into(), message);
                }
                page_of(&state, &caller, partner, Some(state_form.prefixed("o-")), status).await
            }
        }
    })
    .await
}

pub async fn revoke(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path((id, override_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let partner = visible_partner(&state, &caller, &id).await?;
        let grant = authorize(&caller, Resource::TierStatus, Access::Read)?;
        let of_partner = {
            let mut pooled = state.db.acquire().await?;
            tier_overrides::get(&mut pooled.conn(), &grant.scope, &override_id).await?
        };
        if of_partner.is_none_or(|o| o.partner_id != id) {
            return Err(AppError::not_found("tier override"));
        }
        match revoke_override(&state, &caller, &override_id).await {
            Ok(_) => see_other(&format!("/partners/{id}/tiers")),
            Err(AppError::Conflict(message)) => {
                let mut form = FormState::new(OverrideForm::default()).prefixed("o-");
                form.message = Some(message);
                page_of(&state, &caller, partner, Some(form), StatusCode::CONFLICT).await
            }
            Err(error) => Err(error),
        }
    })
    .await
}
