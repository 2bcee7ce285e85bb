//! Segments in the portal: saved partner filters ("EMEA MSPs with under 50 staff"), listed
//! with how many partners the caller sees in each, edited with checkbox groups and
//! multi-selects, deleted, and opened as a filtered partner list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tributary_domain::partner::{PartnerStatus, PartnerType, SizeBand};
use tributary_domain::segment::{SegmentFilter, SegmentInput};
use tributary_store::repo::partners::{self, PartnerFilter};
use tributary_store::repo::segments::{self, Segment};
use tributary_store::repo::{regions, verticals};

use super::form::{Form, FormState, choices, country_choices};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::segments::{delete_segment, save_segment};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// The segment form as submitted: one field per criterion (checkbox groups and
/// multi-selects arrive as lists).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SegmentForm {
    pub name: String,
    pub description: Option<String>,
    pub partner_types: Vec<PartnerType>,
    pub size_bands: Vec<SizeBand>,
    pub statuses: Vec<PartnerStatus>,
    pub regions: Vec<String>,
    pub countries: Vec<String>,
    pub verticals: Vec<String>,
    pub name_contains: Option<String>,
}

impl From<SegmentForm> for SegmentInput {
    fn from(form: SegmentForm) -> Self {
        SegmentInput {
            name: form.name,
            description: form.description,
            filter: SegmentFilter {
                partner_types: form.partner_types,
                size_bands: form.size_bands,
                statuses: form.statuses,
                regions: form.regions,
                countries: form.countries,
                verticals: form.verticals,
                name_contains: form.name_contains,
            },
        }
    }
}

#[derive(Debug, Serialize)]
struct Row {
    #[serde(flatten)]
    segment: Segment,
    partners: i64,
}

pub async fn list(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Segments, Access::Read)?;
        let partner_grant = authorize(&caller, Resource::Partners, Access::Read)?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let mut rows = Vec::new();
        for segment in segments::list(&mut conn).await? {
            let filter = PartnerFilter {
                segment: Some(segment.fields.filter.clone()),
                ..Default::default()
            };
            let partners = partners::count(&mut conn, &partner_grant.scope, &filter).await?;
            rows.push(Row { segment, partners });
        }
        render(
            &state,
            "segments/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/segments"),
                may_write => authorize(&caller, Resource::Segments, Access::Write).is_ok(),
                segments => rows,
            },
        )
    })
    .await
}

/// Renders the create (no `segment`) or edit form.
async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<SegmentInput>,
    segment: Option<&Segment>,
    status: StatusCode,
) -> AppResult<Response> {
    authorize(caller, Resource::Segments, Access::Write)?;
    let filter = &form.values.filter;
    let codes = |items: Vec<&'static str>| items.into_iter().map(str::to_string).collect::<Vec<_>>();
    let (all_regions, all_verticals) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        (regions::list(&mut conn).await?, verticals::list(&mut conn).await?)
    };
    render_status(
        state,
        status,
        "segments/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/segments"),
            action => segment.map_or("/segments".to_string(), |s| format!("/segments/{}", s.id)),
            types => choices(
                PartnerType::ALL.iter().map(|t| (t.as_str(), t.label())),
                &codes(filter.partner_types.iter().map(|t| t.as_str()).collect()),
            ),
            sizes => choices(
                SizeBand::ALL.iter().map(|t| (t.as_str(), t.label())),
                &codes(filter.size_bands.iter().map(|t| t.as_str()).collect()),
            ),
            statuses => choices(
                PartnerStatus::ALL.iter().map(|t| (t.as_str(), t.label())),
                &codes(filter.statuses.iter().map(|t| t.as_str()).collect()),
            ),
            regions => choices(all_regions.into_iter().map(|r| (r.code, r.name)), &filter.regions),
            verticals => choices(all_verticals.into_iter().map(|v| (v.code, v.name)), &filter.verticals),
            countries => country_choices(&filter.countries),
            segment, form,
        },
    )
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(
        &state,
        form_page(
            &state,
            &caller,
            FormState::new(SegmentInput::default()),
            None,
            StatusCode::OK,
        ),
    )
    .await
}

async fn save(state: &AppState, caller: &Caller, current: Option<&Segment>, form: SegmentForm) -> AppResult<Response> {
    let input = SegmentInput::from(form);
    match save_segment(state, caller, current.map(|s| s.id.as_str()), &input).await {
        Ok(_) => see_other("/segments"),
        Err(error) => {
            let (status, form) = FormState::failed(input, error)?;
            form_page(state, caller, form, current, status).await
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<SegmentForm>,
) -> Result<Response, PageError> {
    respond(&state, save(&state, &caller, None, form)).await
}

async fn load(state: &AppState, caller: &Caller, id: &str) -> AppResult<Segment> {
    authorize(caller, Resource::Segments, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    segments::get(&mut pooled.conn(), id)
        .await?
        .ok_or_else(|| AppError::not_found("segment"))
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let segment = load(&state, &caller, &id).await?;
        let values = SegmentInput {
            name: segment.fields.name.clone(),
            description: segment.fields.description.clone(),
            filter: segment.fields.filter.clone(),
        };
        form_page(&state, &caller, FormState::new(values), Some(&segment), StatusCode::OK).await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(form): Form<SegmentForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let segment = load(&state, &caller, &id).await?;
        save(&state, &caller, Some(&segment), form).await
    })
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        delete_segment(&state, &caller, &id).await?;
        see_other("/segments")
    })
    .await
}
