//! The plan editor's pages: the new-plan form, the edit form of a draft, saving either
//! through the same function as the API (which validates and audits), and the fragment of
//! the form htmx reloads when another tier structure is chosen (its levels' minimum-level
//! choice and multipliers). A refused plan comes back as the form with what was typed and
//! each message next to its field.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tributary_domain::incentives::{Payee, PeriodKind, PlanKind};
use tributary_domain::partner::PartnerType;
use tributary_store::repo::incentive_plans::{PlanStatus, StoredPlan};
use tributary_store::repo::tier_structures::{self, StructureStatus};
use tributary_store::repo::{products, regions, segments};

use super::super::drafts::editable;
use super::super::form::{Choice, FormState, choices, currency_choices, one};
use super::super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use super::super::tiers::form::RawForm;
use super::plan_form::{CALCULATIONS, MEASURES, PlanForm, form_errors};
use super::{PLANS, load_plan, tabs};
use crate::api::incentive_plans::save as save_plan;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// One level of the chosen tier structure, with the multiplier typed for it.
#[derive(Debug, Serialize)]
struct LevelField {
    index: usize,
    name: String,
    multiplier: String,
}

/// The tier structure choices and the levels of the chosen one.
struct TierChoices {
    structures: Vec<Choice>,
    levels: Vec<LevelField>,
    minimum_tiers: Vec<Choice>,
}

async fn tier_choices(state: &AppState, form: &PlanForm) -> AppResult<TierChoices> {
    let all = {
        let mut pooled = state.db.acquire().await?;
        tier_structures::list(&mut pooled.conn(), None).await?
    };
    let chosen = all.iter().find(|s| s.id == form.tier_structure_id);
    let levels: Vec<LevelField> = chosen
        .map(|s| {
            s.definition
                .levels
                .iter()
                .enumerate()
                .map(|(index, level)| LevelField {
                    index,
                    name: level.name.clone(),
                    multiplier: form.multipliers.get(index).cloned().unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let minimum_tiers = choices(
        levels.iter().map(|l| (l.index.to_string(), l.name.clone())),
        &one(Some(&form.minimum_tier)),
    );
    let structures = choices(
        all.iter()
            .filter(|s| s.status == StructureStatus::Published || s.id == form.tier_structure_id)
            .map(|s| (s.id.clone(), s.definition.name.clone())),
        &one(Some(&form.tier_structure_id)),
    );
    Ok(TierChoices {
        structures,
        levels,
        minimum_tiers,
    })
}

/// Renders the create (no `current`) or edit form.
async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<PlanForm>,
    current: Option<&StoredPlan>,
    status: StatusCode,
) -> AppResult<Response> {
    authorize(caller, Resource::IncentivePlans, Access::Write)?;
    let (all_regions, all_segments, mut families) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        (
            regions::list(&mut conn).await?,
            segments::list(&mut conn).await?,
            products::families(&mut conn).await?,
        )
    };
    let values = &form.values;
    for family in &values.product_families {
        if !families.contains(family) {
            families.push(family.clone());
        }
    }
    let tier = tier_choices(state, values).await?;
    let region_choices = |selected: &[String]| {
        choices(
            all_regions
                .iter()
                .map(|r| (r.code.clone(), format!("{} ({})", r.name, r.code))),
            selected,
        )
    };
    render_status(
        state,
        status,
        "incentives/plan_form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PLANS),
            tabs => tabs(caller, PLANS),
            plan => current,
            action => current.map_or(PLANS.to_string(), |p| format!("{PLANS}/{}", p.id)),
            kinds => choices(PlanKind::ALL.iter().map(|k| (k.as_str(), k.label())), &one(Some(&values.kind))),
            currencies => currency_choices(&one(Some(&values.currency))),
            periods => choices(PeriodKind::ALL.iter().map(|p| (p.as_str(), p.label())), &one(Some(&values.period))),
            payees => choices(Payee::ALL.iter().map(|p| (p.as_str(), p.label())), &one(Some(&values.payee))),
            types => choices(PartnerType::ALL.iter().map(|t| (t.as_str(), t.label())), &values.partner_types),
            regions => region_choices(&values.regions),
            customer_regions => region_choices(&values.customer_regions),
            segments => choices(all_segments.into_iter().map(|s| (s.id, s.fields.name)), &one(Some(&values.segment_id))),
            families => choices(families.iter().map(|f| (f.clone(), f.clone())), &values.product_families),
            measures => choices(MEASURES, &one(Some(&values.measure))),
            calculations => choices(CALCULATIONS, &one(Some(&values.calculation))),
            structures => tier.structures,
            levels => tier.levels,
            minimum_tiers => tier.minimum_tiers,
            form,
        },
    )
}

/// Saves the form as a new draft (`current` absent) or into the draft `current`.
async fn save(
    state: &AppState,
    caller: &Caller,
    current: Option<&StoredPlan>,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    authorize(caller, Resource::IncentivePlans, Access::Write)?;
    let form = PlanForm::from_pairs(pairs);
    let result = match form.parse() {
        Ok(plan) => save_plan(state, caller, current.map(|p| p.id.as_str()), &plan).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(saved) => see_other(&format!("{PLANS}/{}", saved.id)),
        Err(AppError::Validation(errors)) => {
            let (status, form) = FormState::failed(form, AppError::Validation(form_errors(errors)))?;
            form_page(state, caller, form, current, status).await
        }
        Err(error) => {
            let (status, form) = FormState::failed(form, error)?;
            form_page(state, caller, form, current, status).await
        }
    }
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        let form = FormState::new(PlanForm::starter(tributary_store::time::today()));
        form_page(&state, &caller, form, None, StatusCode::OK).await
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    RawForm(pairs): RawForm,
) -> Result<Response, PageError> {
    respond(&state, save(&state, &caller, None, &pairs)).await
}

/// The draft `id`; a published plan is edited through a draft copy.
async fn draft(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredPlan> {
    let plan = load_plan(state, caller, id).await?;
    let is_draft = plan.status == PlanStatus::Draft;
    editable(plan, is_draft, "plan")
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let plan = draft(&state, &caller, &id).await?;
        let form = FormState::new(PlanForm::of(&plan.definition));
        form_page(&state, &caller, form, Some(&plan), StatusCode::OK).await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    RawForm(pairs): RawForm,
) -> Result<Response, PageError> {
    respond(&state, async {
        let plan = draft(&state, &caller, &id).await?;
        save(&state, &caller, Some(&plan), &pairs).await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TierQuery {
    pub tier_structure_id: String,
}

/// The levels fragment of the form for the chosen tier structure (htmx).
pub async fn tier_levels(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Query(query): Query<TierQuery>,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::IncentivePlans, Access::Write)?;
        let form = PlanForm {
            tier_structure_id: query.tier_structure_id,
            ..Default::default()
        };
        let tier = tier_choices(&state, &form).await?;
        render(
            &state,
            "incentives/tier_fields.html",
            minijinja::context! {
                form => FormState::new(form),
                levels => tier.levels,
                minimum_tiers => tier.minimum_tiers,
            },
        )
    })
    .await
}
