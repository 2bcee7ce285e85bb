//! Tier structures as drafts and published versions. Every save validates the structure
//! itself and its references (regions, segment, an FX path from every sales currency to
//! the structure's currency); publishing also refuses a structure whose timeframe overlaps
//! another published structure's for the same partners. A published structure changes only
//! by publishing a draft of it, so nothing reaches partners before that one action.

use std::collections::BTreeSet;

use tributary_domain::tiering::TierStructure;
use tributary_domain::validation::FieldError;
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::tier_structures::{self, StoredStructure, StructureStatus};
use tributary_store::repo::{fx_rates, sales, segments};

use super::members::{members, region_countries};
use crate::error::{AppError, AppResult};
use crate::services::record;

fn problem(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        message,
    }
}

/// The structure's own rules and its references to other data.
pub async fn check(conn: &mut Conn<'_>, structure: &TierStructure) -> AppResult<()> {
    let mut errors = structure.validate().err().unwrap_or_default();
    let regions = region_countries(conn).await?;
    for code in &structure.applicability.regions {
        if !regions.contains_key(code) {
            errors.push(problem(
                "applicability.regions",
                format!("'{code}' is not a known region"),
            ));
        }
    }
    for o in &structure.region_overrides {
        if !regions.contains_key(&o.region) {
            errors.push(problem(
                "region_overrides",
                format!("'{}' is not a known region", o.region),
            ));
        }
    }
    if let Some(id) = &structure.applicability.segment_id
        && segments::get(conn, id).await?.is_none()
    {
        errors.push(problem(
            "applicability.segment_id",
            format!("segment '{id}' does not exist"),
        ));
    }
    if structure.metrics.iter().any(|m| m.kind.is_monetary()) {
        let currency = structure.currency.code();
        let with_rates = fx_rates::currencies_with_rates(conn).await?;
        let has_path = |from: &str| {
            from == currency || (with_rates.iter().any(|c| c == from) && with_rates.iter().any(|c| c == currency))
        };
        let missing: Vec<String> = sales::currencies(conn)
            .await?
            .into_iter()
            .filter(|c| !has_path(c))
            .collect();
        if !missing.is_empty() {
            errors.push(problem(
                "currency",
                format!(
                    "net revenue in {currency} needs exchange rates from {}, and there are none; add FX rates first",
                    missing.join(", ")
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Refuses `structure` (to be published as `id`) when its timeframe overlaps another
/// published structure's and both apply to at least one common partner.
async fn check_overlap(conn: &mut Conn<'_>, id: &str, structure: &TierStructure) -> AppResult<()> {
    let ours: BTreeSet<String> = members(conn, structure)
        .await?
        .into_iter()
        .map(|m| m.partner_id)
        .collect();
    for other in tier_structures::list(conn, Some(StructureStatus::Published)).await? {
        if other.id == id {
            continue;
        }
        let theirs = &other.definition;
        let starts_before_other_ends = theirs.valid_until.is_none_or(|until| structure.valid_from <= until);
        let other_starts_before_ours_ends = structure.valid_until.is_none_or(|until| theirs.valid_from <= until);
        if !(starts_before_other_ends && other_starts_before_ours_ends) {
            continue;
        }
        let shared = members(conn, theirs)
            .await?
            .into_iter()
            .filter(|m| ours.contains(&m.partner_id))
            .count();
        if shared > 0 {
            return Err(AppError::Validation(vec![problem(
                "valid_from",
                format!(
                    "the timeframe overlaps the published structure '{}' ({} – {}) for {shared} of the same partners; end one before the other starts or make them apply to different partners",
                    theirs.name,
                    theirs.valid_from,
                    theirs.valid_until.map_or("open-ended".to_string(), |d| d.to_string()),
                ),
            )]));
        }
    }
    Ok(())
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> AppResult<StoredStructure> {
    tier_structures::get(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("tier structure"))
}

/// Stores and audits a draft (of `draft_of`, or of a structure not published yet).
async fn new_draft(
    conn: &mut Conn<'_>,
    actor: &Actor,
    draft_of: Option<&str>,
    definition: &TierStructure,
) -> AppResult<StoredStructure> {
    let id = tributary_domain::ids::new_id();
    let draft = tier_structures::insert_draft(conn, &id, draft_of, definition, actor.user_id.as_deref()).await?;
    record(
        conn,
        actor,
        "tier_structure.draft_created",
        "tier_structure",
        &id,
        None::<&()>,
        Some(&draft),
    )
    .await?;
    Ok(draft)
}

/// A new structure, as a draft until published.
pub async fn create_draft(conn: &mut Conn<'_>, actor: &Actor, structure: &TierStructure) -> AppResult<StoredStructure> {
    check(conn, structure).await?;
    new_draft(conn, actor, None, structure).await
}

/// A draft copy of a published structure, to edit and simulate.
pub async fn copy_to_draft(
    conn: &mut Conn<'_>,
    actor: &Actor,
    published: &StoredStructure,
) -> AppResult<StoredStructure> {
    if published.status != StructureStatus::Published {
        return Err(AppError::Conflict(
            "only a published structure can be copied into a draft".into(),
        ));
    }
    let mut definition = published.definition.clone();
    definition.name = format!("{} (draft)", definition.name);
    new_draft(conn, actor, Some(&published.id), &definition).await
}

pub async fn update_draft(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &StoredStructure,
    structure: &TierStructure,
) -> AppResult<StoredStructure> {
    if current.status != StructureStatus::Draft {
        return Err(AppError::Conflict(
            "a published structure changes only through a draft: copy it into a draft, edit and publish".into(),
        ));
    }
    check(conn, structure).await?;
    let updated = tier_structures::update_draft(conn, current, structure).await?;
    record(
        conn,
        actor,
        "tier_structure.draft_updated",
        "tier_structure",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// Publishes a draft: into the structure it was copied from (a new version, the draft is
/// consumed), or as a new structure.
pub async fn publish(conn: &mut Conn<'_>, actor: &Actor, draft: &StoredStructure) -> AppResult<StoredStructure> {
    if draft.status != StructureStatus::Draft {
        return Err(AppError::Conflict("this structure is already published".into()));
    }
    let mut definition = draft.definition.clone();
    let target = match &draft.draft_of {
        Some(id) => {
            let target = get(conn, id).await?;
            let suffix = " (draft)";
            if definition.name.ends_with(suffix) {
                definition.name.truncate(definition.name.len() - suffix.len());
            }
            target
        }
        None => draft.clone(),
    };
    check(conn, &definition).await?;
    check_overlap(conn, &target.id, &definition).await?;
    let published = tier_structures::publish(conn, &target, &definition, actor.user_id.as_deref()).await?;
    if target.id != draft.id {
        tier_structures::delete_draft(conn, &draft.id).await?;
    }
    record(
        conn,
        actor,
        "tier_structure.published",
        "tier_structure",
        &published.id,
        Some(&target),
        Some(&published),
    )
    .await?;
    Ok(published)
}

pub async fn discard_draft(conn: &mut Conn<'_>, actor: &Actor, draft: &StoredStructure) -> AppResult<()> {
    if draft.status != StructureStatus::Draft {
        return Err(AppError::Conflict("a published structure cannot be discarded".into()));
    }
    tier_structures::delete_draft(conn, &draft.id).await?;
    record(
        conn,
        actor,
        "tier_structure.draft_discarded",
        "tier_structure",
        &draft.id,
        Some(draft),
        None::<&()>,
    )
    .await
}
