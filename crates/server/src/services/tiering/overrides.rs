//! Manual overrides: a channel manager grants a level with a reason and an expiry. The
//! override decides the level at every evaluation while active (start ≤ E < expiry) and
//! is audited; revoking ends it early.

use chrono::NaiveDate;
use serde::Deserialize;
use tributary_domain::validation::{Errors, required_text};
use tributary_store::audit::Actor;
use tributary_store::repo::partners;
use tributary_store::repo::tier_overrides::{self, TierOverride};
use tributary_store::repo::tier_structures::StructureStatus;
use tributary_store::{Conn, Scope, time};
use utoipa::ToSchema;

use super::structures;
use crate::error::{AppError, AppResult};
use crate::services::record;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OverrideInput {
    pub structure_id: String,
    pub partner_id: String,
    pub level: u32,
    pub reason: String,
    pub starts_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
}

pub async fn create(
    conn: &mut Conn<'_>,
    actor: &Actor,
    scope: &Scope,
    input: &OverrideInput,
) -> AppResult<TierOverride> {
    let structure = structures::get(conn, &input.structure_id).await?;
    if structure.status != StructureStatus::Published {
        return Err(AppError::Conflict(
            "overrides apply to published structures only".into(),
        ));
    }
    if partners::get(conn, scope, &input.partner_id).await?.is_none() {
        return Err(AppError::not_found("partner"));
    }
    let mut errors = Errors::new();
    let reason = errors.check("reason", required_text(&input.reason, 500));
    let levels = structure.definition.levels.len();
    if input.level as usize >= levels {
        errors.add("level", format!("the structure has levels 0–{}", levels - 1));
    }
    let starts = input.starts_on;
    let expires = input.expires_on;
    if starts.is_none() {
        errors.add("starts_on", "is required");
    }
    if expires.is_none() {
        errors.add("expires_on", "is required");
    }
    if let (Some(s), Some(e)) = (starts, expires)
        && e <= s
    {
        errors.add("expires_on", "must be after starts_on");
    }
    errors.finish(|| ()).map_err(AppError::Validation)?;
    let created = TierOverride {
        id: tributary_domain::ids::new_id(),
        structure_id: structure.id.clone(),
        partner_id: input.partner_id.clone(),
        level: i64::from(input.level),
        reason: reason.unwrap_or_default(),
        starts_on: starts.map(|d| d.to_string()).unwrap_or_default(),
        expires_on: expires.map(|d| d.to_string()).unwrap_or_default(),
        created_by: actor.user_id.clone(),
        created_at: time::now_text(),
        revoked_at: None,
    };
    tier_overrides::insert(conn, &created).await?;
    record(
        conn,
        actor,
        "tier_override.created",
        "tier_override",
        &created.id,
        None::<&()>,
        Some(&created),
    )
    .await?;
    Ok(created)
}

pub async fn revoke(conn: &mut Conn<'_>, actor: &Actor, scope: &Scope, id: &str) -> AppResult<TierOverride> {
    let current = tier_overrides::get(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("tier override"))?;
    if current.revoked_at.is_some() {
        return Err(AppError::Conflict("the override was already revoked".into()));
    }
    let revoked = TierOverride {
        revoked_at: Some(tier_overrides::revoke(conn, id).await?),
        ..current.clone()
    };
    record(
        conn,
        actor,
        "tier_override.revoked",
        "tier_override",
        id,
        Some(&current),
        Some(&revoked),
    )
    .await?;
    Ok(revoked)
}
