//! `/api/v1/partners`: partner organisations.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use tributary_domain::partner::PartnerInput;
use tributary_store::repo::partners::{self, Partner, PartnerFilter};
use tributary_store::repo::segments;
use utoipa::IntoParams;

use super::extract::{ApiJson, ApiQuery};
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{self, Access, Resource, authorize};
use crate::services;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerQuery {
    /// Part of the name, website domain or city.
    pub q: Option<String>,
    pub partner_type: Option<String>,
    pub status: Option<String>,
    pub country: Option<String>,
    pub size_band: Option<String>,
    /// Region code: head office in one of the region's countries.
    pub region: Option<String>,
    pub vertical: Option<String>,
    pub channel_manager_id: Option<String>,
    pub distributor_id: Option<String>,
    /// Only partners matching this saved segment.
    pub segment_id: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
}

impl PartnerQuery {
    pub fn paging(&self) -> Paging {
        Paging {
            limit: self.limit,
            cursor: self.cursor.clone(),
            sort: self.sort.clone(),
        }
    }

    /// The store filter, resolving the segment (if any) to its criteria.
    pub async fn filter(&self, state: &AppState, caller: &Caller) -> AppResult<PartnerFilter> {
        let segment = match self.segment_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => {
                authorize(caller, Resource::Segments, Access::Read)?;
                let mut pooled = state.db.acquire().await?;
                let found = segments::get(&mut pooled.conn(), id)
                    .await?
                    .ok_or_else(|| AppError::not_found("segment"))?;
                Some(found.fields.filter)
            }
            None => None,
        };
        Ok(PartnerFilter {
            search: self.q.clone(),
            partner_type: self.partner_type.clone(),
            status: self.status.clone(),
            country: self.country.clone(),
            size_band: self.size_band.clone(),
            region: self.region.clone(),
            vertical: self.vertical.clone(),
            channel_manager_id: self.channel_manager_id.clone(),
            distributor_id: self.distributor_id.clone(),
            segment,
        })
    }
}

#[utoipa::path(get, operation_id = "partners_list", path = "/api/v1/partners", tag = "partners", params(PartnerQuery),
    responses((status = 200, body = List<Partner>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PartnerQuery>,
) -> AppResult<Json<List<Partner>>> {
    let grant = authorize(&caller, Resource::Partners, Access::Read)?;
    let request = query.paging().request(partners::SORTABLE, "name")?;
    let filter = query.filter(&state, &caller).await?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        partners::list(&mut pooled.conn(), &grant.scope, &filter, &request)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, operation_id = "partners_get", path = "/api/v1/partners/{id}", tag = "partners", params(("id" = String, Path)),
    responses((status = 200, body = Partner), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> AppResult<Json<Partner>> {
    let grant = authorize(&caller, Resource::Partners, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let partner = partners::get(&mut pooled.conn(), &grant.scope, &id)
        .await?
        .ok_or_else(|| AppError::not_found("partner"))?;
    Ok(Json(partner))
}

/// Creates a partner (vendor staff only).
pub async fn create_partner(state: &AppState, caller: &Caller, input: &PartnerInput) -> AppResult<Partner> {
    authorize(caller, Resource::Partners, Access::Write)?;
    if !policy::may_change_program_fields(caller) {
        return Err(AppError::Forbidden(
            "partner organisations are created by the vendor".into(),
        ));
    }
    let fields = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let partner = services::partners::create(
        &mut tx.conn(),
        &caller.actor(),
        &tributary_domain::ids::new_id(),
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(partner)
}

/// Replaces a partner's attributes; partner administrators change only their profile.
pub async fn update_partner(state: &AppState, caller: &Caller, id: &str, input: &PartnerInput) -> AppResult<Partner> {
    let grant = authorize(caller, Resource::Partners, Access::Write)?;
    let submitted = input.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let current = partners::get(&mut tx.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("partner"))?;
    if let Some(expected) = input.version
        && expected != current.version
    {
        return Err(AppError::Conflict(format!(
            "the partner was changed meanwhile (you edited version {expected}, it is now at version {}); reload and try again",
            current.version
        )));
    }
    if caller.is_partner() && caller.own_partner_id() != Some(id) {
        return Err(AppError::Forbidden(
            "a partner administrator may change only its own organisation".into(),
        ));
    }
    let fields = if policy::may_change_program_fields(caller) {
        submitted
    } else {
        services::partners::profile_only(&current, submitted)
    };
    let updated = services::partners::update(&mut tx.conn(), &caller.actor(), &current, &fields).await?;
    tx.commit().await?;
    Ok(updated)
}

#[utoipa::path(post, operation_id = "partners_create", path = "/api/v1/partners", tag = "partners", request_body = PartnerInput,
    responses((status = 201, body = Partner), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PartnerInput>,
) -> AppResult<(StatusCode, Json<Partner>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_partner(&state, &caller, &input).await?),
    ))
}

#[utoipa::path(put, operation_id = "partners_update", path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version the change is based on")), request_body = PartnerInput,
    responses((status = 200, body = Partner), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(mut input): ApiJson<PartnerInput>,
) -> AppResult<Json<Partner>> {
    if let Some(tag) = headers.get(header::IF_MATCH) {
        let text = tag
            .to_str()
            .unwrap_or_default()
            .trim()
            .trim_start_matches("W/")
            .trim_matches('"');
        input.version = Some(
            text.parse()
                .map_err(|_| AppError::BadRequest("If-Match must be the partner's version, e.g. \"3\"".into()))?,
        );
    }
    Ok(Json(update_partner(&state, &caller, &id, &input).await?))
}
