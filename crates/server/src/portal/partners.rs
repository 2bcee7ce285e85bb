//! Partner organisations in the portal: the filterable list, the detail page (profile,
//! program standing, resellers, people, history) and the create/edit form. Vendor staff
//! edit everything their role may; a partner administrator edits its own profile while the
//! program fields stay read-only. Reads go through the caller's scope, so an organisation
//! the caller may not see is simply not found.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use tributary_domain::partner::{PartnerInput, PartnerStatus, PartnerType, SizeBand};
use tributary_store::repo::partners::{self, Partner, PartnerFilter};
use tributary_store::repo::{regions, segments, users, verticals};
use tributary_store::{Conn, Scope};

use super::form::{Choice, Form, FormState, choices, country_choices, currency_choices, one, split_list};
use super::listing::{Column, Listing, Params, plain, sortable};
use super::lookup::{first, manager_choices, manager_names, partner_choices};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::audit::entity_history;
use crate::api::partners::{PartnerQuery, create_partner, update_partner};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Access, Resource, authorize};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    sortable("Name", "name"),
    sortable("Type", "partner_type"),
    sortable("Status", "status"),
    sortable("Country", "country"),
    sortable("Size band", "size_band"),
    plain("Channel manager"),
    sortable("Updated", "updated_at"),
];

fn code_choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &[String],
) -> Vec<Choice> {
    choices(all.iter().map(|v| (code(*v), label(*v))), selected)
}

fn type_choices(selected: &[String]) -> Vec<Choice> {
    code_choices(PartnerType::ALL, PartnerType::as_str, PartnerType::label, selected)
}

fn size_choices(selected: &[String]) -> Vec<Choice> {
    code_choices(SizeBand::ALL, SizeBand::as_str, SizeBand::label, selected)
}

fn status_choices(statuses: &[PartnerStatus], selected: &[String]) -> Vec<Choice> {
    code_choices(statuses, PartnerStatus::as_str, PartnerStatus::label, selected)
}

async fn vertical_choices(conn: &mut Conn<'_>, selected: &[String]) -> AppResult<Vec<Choice>> {
    let all = verticals::list(conn).await?;
    Ok(choices(all.into_iter().map(|v| (v.code, v.name)), selected))
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Partners, Access::Read)?;
        let params = Params::of(&uri);
        let query: PartnerQuery = params.parse()?;
        let request = query.paging().request(partners::SORTABLE, "name")?;
        let filter = query.filter(&state, &caller).await?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = partners::list(&mut conn, &grant.scope, &filter, &request).await?;
        let count = partners::count(&mut conn, &grant.scope, &filter).await?;
        let managers = manager_names(&mut conn).await?;
        let geography = policy::can_read(&caller, Resource::Geography);
        let (region_choices, verticals) = if geography {
            let regions = regions::list(&mut conn).await?;
            (
                choices(
                    regions.into_iter().map(|r| (r.code, r.name)),
                    &one(params.get("region")),
                ),
                vertical_choices(&mut conn, &one(params.get("vertical"))).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let segment_choices = if policy::can_read(&caller, Resource::Segments) {
            let all = segments::list(&mut conn).await?;
            choices(
                all.into_iter().map(|s| (s.id, s.fields.name)),
                &one(params.get("segment_id")),
            )
        } else {
            Vec::new()
        };
        let listing = Listing::new("/partners", &params, "name", COLUMNS)
            .rows(page.items.len())
            .count(count)
            .paged("cursor", page.next_cursor)
            .export("partners");
        render(
            &state,
            "partners/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/partners"),
                partners => page.items,
                managers, listing,
                may_create => authorize(&caller, Resource::Partners, Access::Write).is_ok()
                    && policy::may_change_program_fields(&caller),
                filters => FormState::new(params.values()).prefixed("q-"),
                types => type_choices(&one(params.get("partner_type"))),
                statuses => status_choices(PartnerStatus::ALL, &one(params.get("status"))),
                sizes => size_choices(&one(params.get("size_band"))),
                countries => country_choices(&one(params.get("country"))),
                regions => region_choices,
                verticals, segments => segment_choices,
            },
        )
    })
    .await
}

pub async fn detail(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Partners, Access::Read)?;
        let history = entity_history(&state, &caller, "partner", &id).await?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let partner = partners::get(&mut conn, &grant.scope, &id)
            .await?
            .ok_or_else(|| AppError::not_found("partner"))?;
        let manager = match &partner.fields.channel_manager_id {
            Some(manager_id) => users::by_id(&mut conn, manager_id).await?,
            None => None,
        };
        let distributor = match &partner.fields.distributor_id {
            Some(distributor_id) => partners::get(&mut conn, &grant.scope, distributor_id).await?,
            None => None,
        };
        let resellers = if partner.fields.partner_type == PartnerType::Distributor {
            let filter = PartnerFilter {
                distributor_id: Some(id.clone()),
                ..Default::default()
            };
            partners::list(&mut conn, &grant.scope, &filter, &first("name", 200))
                .await?
                .items
        } else {
            Vec::new()
        };
        let people = match authorize(&caller, Resource::Users, Access::Read) {
            Ok(users_grant) => {
                let filter = users::UserFilter {
                    partner_id: Some(id.clone()),
                    ..Default::default()
                };
                Some(
                    users::list(&mut conn, &users_grant.scope, &filter, &first("display_name", 200))
                        .await?
                        .items,
                )
            }
            Err(_) => None,
        };
        let vertical_names: std::collections::HashMap<String, String> =
            if policy::can_read(&caller, Resource::Geography) {
                verticals::list(&mut conn)
                    .await?
                    .into_iter()
                    .map(|v| (v.code, v.name))
                    .collect()
            } else {
                Default::default()
            };
        render(
            &state,
            "partners/detail.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/partners"),
                may_edit => may_edit(&caller, &id),
                sales_href => policy::can_read(&caller, Resource::Sales).then(|| format!("/sales?partner_id={id}")),
                tiers_href => policy::can_read(&caller, Resource::TierStatus).then(|| format!("/partners/{id}/tiers")),
                partner, manager, distributor, resellers, people, vertical_names, history,
            },
        )
    })
    .await
}

/// Whether the caller may open the edit form of partner `id` (which it can see).
fn may_edit(caller: &Caller, id: &str) -> bool {
    authorize(caller, Resource::Partners, Access::Write).is_ok()
        && (!caller.is_partner() || caller.own_partner_id() == Some(id))
}

/// The values of a stored partner, as its edit form shows them.
fn input_of(partner: &Partner) -> PartnerInput {
    let f = &partner.fields;
    PartnerInput {
        name: f.name.clone(),
        partner_type: f.partner_type.as_str().into(),
        distributor_id: f.distributor_id.clone(),
        size_band: f.size_band.as_str().into(),
        verticals: f.verticals.clone(),
        countries_served: f.countries_served.clone(),
        address_line: f.address_line.clone(),
        city: f.city.clone(),
        postal_code: f.postal_code.clone(),
        country: f.country.clone(),
        latitude: f.latitude.map(|d| d.to_string()),
        longitude: f.longitude.map(|d| d.to_string()),
        website_domain: f.website_domain.clone(),
        payout_currency: f.payout_currency.code().into(),
        tax_country: f.tax_country.clone(),
        status: Some(f.status.as_str().into()),
        channel_manager_id: f.channel_manager_id.clone(),
        version: Some(partner.version),
    }
}

/// A submitted form: lists typed as `;`-separated text split into their entries.
fn normalized(mut input: PartnerInput) -> PartnerInput {
    input.countries_served = split_list(&input.countries_served);
    input.verticals = split_list(&input.verticals);
    input
}

/// Renders the create (no `current`) or edit form.
async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<PartnerInput>,
    current: Option<&Partner>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Partners, Access::Write)?;
    let program = policy::may_change_program_fields(caller);
    let values = &form.values;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let verticals = vertical_choices(&mut conn, &values.verticals).await?;
    let (distributors, managers, manager_name, distributor_name) = if program {
        let filter = PartnerFilter {
            partner_type: Some(PartnerType::Distributor.as_str().into()),
            ..Default::default()
        };
        let distributors = partner_choices(&mut conn, &grant.scope, &filter, values.distributor_id.as_deref())
            .await?
            .into_iter()
            .filter(|c| current.is_none_or(|p| p.id != c.value))
            .collect();
        let managers = manager_choices(&mut conn, values.channel_manager_id.as_deref()).await?;
        (distributors, managers, None, None)
    } else {
        let manager = match current.and_then(|p| p.fields.channel_manager_id.as_deref()) {
            Some(manager_id) => users::by_id(&mut conn, manager_id).await?.map(|u| u.display_name),
            None => None,
        };
        let distributor = match current.and_then(|p| p.fields.distributor_id.as_deref()) {
            Some(distributor_id) => partners::get(&mut conn, &grant.scope, distributor_id)
                .await?
                .map(|p| p.fields.name),
            None => None,
        };
        (Vec::new(), Vec::new(), manager, distributor)
    };
    let reachable: Vec<PartnerStatus> = match current {
        Some(p) => PartnerStatus::ALL
            .iter()
            .copied()
            .filter(|s| p.fields.status.can_become(*s))
            .collect(),
        None => PartnerStatus::ALL.to_vec(),
    };
    let status_value = one(values.status.as_deref().or(Some(PartnerStatus::Prospect.as_str())));
    render_status(
        state,
        status,
        "partners/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/partners"),
            partner => current,
            action => current.map_or("/partners".to_string(), |p| format!("/partners/{}", p.id)),
            program, verticals, distributors, managers, manager_name, distributor_name,
            types => type_choices(&one(Some(&values.partner_type))),
            sizes => size_choices(&one(Some(&values.size_band))),
            statuses => status_choices(&reachable, &status_value),
            countries => country_choices(&one(Some(&values.country))),
            tax_countries => country_choices(&one(Some(&values.tax_country))),
            currencies => currency_choices(&one(Some(&values.payout_currency))),
            form,
        },
    )
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        if !policy::may_change_program_fields(&caller) {
            return Err(AppError::Forbidden(
                "partner organisations are created by the vendor".into(),
            ));
        }
        let values = PartnerInput {
            status: Some(PartnerStatus::Prospect.as_str().into()),
            ..Default::default()
        };
        form_page(&state, &caller, FormState::new(values), None, StatusCode::OK).await
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<PartnerInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let input = normalized(input);
        match create_partner(&state, &caller, &input).await {
            Ok(partner) => see_other(&format!("/partners/{}", partner.id)),
            Err(error) => {
                let (status, form) = FormState::failed(input, error)?;
                form_page(&state, &caller, form, None, status).await
            }
        }
    })
    .await
}

/// The partner `id` if the caller can see it (else 404) and may edit it (else 403).
async fn editable(state: &AppState, caller: &Caller, id: &str, scope: &Scope) -> AppResult<Partner> {
    let mut pooled = state.db.acquire().await?;
    let partner = partners::get(&mut pooled.conn(), scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("partner"))?;
    if !may_edit(caller, id) {
        return Err(AppError::Forbidden(
            "you may not change this partner organisation".into(),
        ));
    }
    Ok(partner)
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Partners, Access::Read)?;
        let partner = editable(&state, &caller, &id, &grant.scope).await?;
        let form = FormState::new(input_of(&partner));
        form_page(&state, &caller, form, Some(&partner), StatusCode::OK).await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(input): Form<PartnerInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Partners, Access::Read)?;
        let current = editable(&state, &caller, &id, &grant.scope).await?;
        let mut input = normalized(input);
        if !policy::may_change_program_fields(&caller) {
            let kept = input_of(&current);
            input.partner_type = kept.partner_type;
            input.distributor_id = kept.distributor_id;
            input.status = kept.status;
            input.channel_manager_id = kept.channel_manager_id;
            input.payout_currency = kept.payout_currency;
            input.tax_country = kept.tax_country;
        }
        match update_partner(&state, &caller, &id, &input).await {
            Ok(partner) => see_other(&format!("/partners/{}", partner.id)),
            Err(error) => {
                let (status, form) = FormState::failed(input, error)?;
                form_page(&state, &caller, form, Some(&current), status).await
            }
        }
    })
    .await
}
