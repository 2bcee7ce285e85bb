//! Partners' tier standing: evaluation snapshots (list and CSV export of any period), a
//! partner's progress card, manual overrides and the tier-change events. Every read is
//! scoped: a partner sees only its own organisation (a distributor also its resellers).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use tributary_store::repo::events::{self, Event};
use tributary_store::repo::partners;
use tributary_store::repo::tier_overrides::{self, TierOverride};
use tributary_store::repo::tier_snapshots::{self, Snapshot, SnapshotFilter};
use utoipa::IntoParams;

use super::extract::{ApiJson, ApiQuery};
use super::paging::{List, Paging};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::overrides::{self, OverrideInput};
use crate::services::tiering::progress::{self, TierStatus};
use crate::services::tiering::snapshot_export;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SnapshotQuery {
    pub structure_id: Option<String>,
    pub evaluation_id: Option<String>,
    pub partner_id: Option<String>,
    /// Evaluation date (YYYY-MM-DD).
    pub eval_date: Option<String>,
    /// initial, promoted, demoted, stayed, at_risk or overridden.
    pub change_kind: Option<String>,
    pub assigned_level: Option<i64>,
    pub region: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    /// `eval_date` or `change_kind`, `-` for descending.
    pub sort: Option<String>,
}

impl SnapshotQuery {
    pub fn filter(&self) -> AppResult<SnapshotFilter> {
        super::paging::check_dates(&[("eval_date", &self.eval_date)])?;
        Ok(SnapshotFilter {
            structure_id: self.structure_id.clone(),
            evaluation_id: self.evaluation_id.clone(),
            partner_id: self.partner_id.clone(),
            eval_date: self.eval_date.clone(),
            change_kind: self.change_kind.clone(),
            assigned_level: self.assigned_level,
            region: self.region.clone(),
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

#[utoipa::path(get, operation_id = "tier_snapshots_list", path = "/api/v1/tier-snapshots", tag = "tiers", params(SnapshotQuery),
    responses((status = 200, body = List<Snapshot>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list_snapshots(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SnapshotQuery>,
) -> AppResult<Json<List<Snapshot>>> {
    let grant = authorize(&caller, Resource::TierStatus, Access::Read)?;
    let filter = query.filter()?;
    let request = query.paging().request(tier_snapshots::SORTABLE, "-eval_date")?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        tier_snapshots::list(&mut pooled.conn(), &grant.scope, &filter, &request)
            .await?
            .into(),
    ))
}

/// The CSV of the snapshots `caller` may see that match `filter`.
pub async fn snapshots_csv(state: &AppState, caller: &Caller, filter: &SnapshotFilter) -> AppResult<Vec<u8>> {
    let grant = authorize(caller, Resource::TierStatus, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let snapshots = tier_snapshots::all(&mut pooled.conn(), &grant.scope, filter).await?;
    snapshot_export::csv(&snapshots)
}

#[utoipa::path(get, operation_id = "tier_snapshots_export", path = "/api/v1/tier-snapshots/export", tag = "tiers", params(SnapshotQuery),
    responses((status = 200, description = "CSV, one row per partner and evaluation", content_type = "text/csv"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn export_snapshots(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SnapshotQuery>,
) -> AppResult<impl IntoResponse> {
    let body = snapshots_csv(&state, &caller, &query.filter()?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tier-snapshots.csv\"",
            ),
        ],
        body,
    ))
}

/// The tier standing of partner `id` as `caller` may see it.
pub async fn partner_status(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<TierStatus>> {
    let grant = authorize(caller, Resource::TierStatus, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    if partners::get(&mut conn, &grant.scope, id).await?.is_none() {
        return Err(AppError::not_found("partner"));
    }
    progress::statuses(&mut conn, &grant.scope, id).await
}

#[utoipa::path(get, operation_id = "partners_tier_status", path = "/api/v1/partners/{id}/tier-status", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = Vec<TierStatus>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn tier_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<TierStatus>>> {
    Ok(Json(partner_status(&state, &caller, &id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverrideQuery {
    pub structure_id: Option<String>,
    pub partner_id: Option<String>,
}

#[utoipa::path(get, operation_id = "tier_overrides_list", path = "/api/v1/tier-overrides", tag = "tiers", params(OverrideQuery),
    responses((status = 200, body = Vec<TierOverride>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_overrides(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<OverrideQuery>,
) -> AppResult<Json<Vec<TierOverride>>> {
    let grant = authorize(&caller, Resource::TierStatus, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        tier_overrides::list(
            &mut pooled.conn(),
            &grant.scope,
            query.structure_id.as_deref(),
            query.partner_id.as_deref(),
        )
        .await?,
    ))
}

pub async fn grant_override(state: &AppState, caller: &Caller, input: &OverrideInput) -> AppResult<TierOverride> {
    let grant = authorize(caller, Resource::TierStatus, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let created = overrides::create(&mut tx.conn(), &caller.actor(), &grant.scope, input).await?;
    tx.commit().await?;
    Ok(created)
}

#[utoipa::path(post, operation_id = "tier_overrides_create", path = "/api/v1/tier-overrides", tag = "tiers", request_body = OverrideInput,
    responses((status = 201, body = TierOverride), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_override(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OverrideInput>,
) -> AppResult<(StatusCode, Json<TierOverride>)> {
    Ok((
        StatusCode::CREATED,
        Json(grant_override(&state, &caller, &input).await?),
    ))
}

pub async fn revoke_override(state: &AppState, caller: &Caller, id: &str) -> AppResult<TierOverride> {
    let grant = authorize(caller, Resource::TierStatus, Access::Write)?;
    let mut tx = state.db.begin().await?;
    let revoked = overrides::revoke(&mut tx.conn(), &caller.actor(), &grant.scope, id).await?;
    tx.commit().await?;
    Ok(revoked)
}

#[utoipa::path(delete, operation_id = "tier_overrides_revoke", path = "/api/v1/tier-overrides/{id}", tag = "tiers", params(("id" = String, Path)),
    responses((status = 200, body = TierOverride), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<TierOverride>> {
    Ok(Json(revoke_override(&state, &caller, &id).await?))
}

#[utoipa::path(get, operation_id = "tier_events_list", path = "/api/v1/tier-events", tag = "tiers",
    responses((status = 200, body = Vec<Event>, description = "The newest 200 tier.promoted, tier.demoted and tier.at_risk events"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_events(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<Event>>> {
    let grant = authorize(&caller, Resource::TierStatus, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    Ok(Json(
        events::recent(&mut pooled.conn(), &grant.scope, "tier.", 200).await?,
    ))
}
