//! Saved partner segments: named filters validated against known regions and verticals.

use tributary_domain::segment::SegmentFields;
use tributary_domain::validation::FieldError;
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::segments::{self, Segment};
use tributary_store::repo::{regions, verticals};

use super::record;
use crate::error::{AppError, AppResult};

async fn check_codes(conn: &mut Conn<'_>, fields: &SegmentFields) -> AppResult<()> {
    let mut errors = Vec::new();
    let known_regions = regions::list(conn).await?;
    for code in &fields.filter.regions {
        if !known_regions.iter().any(|r| &r.code == code) {
            errors.push(FieldError {
                field: "filter.regions".into(),
                message: format!("'{code}' is not a known region"),
            });
        }
    }
    for code in &fields.filter.verticals {
        if verticals::get(conn, code).await?.is_none() {
            errors.push(FieldError {
                field: "filter.verticals".into(),
                message: format!("'{code}' is not a known vertical"),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn duplicate_name(fields: &SegmentFields) -> impl FnOnce(tributary_store::StoreError) -> AppError + '_ {
    move |e| match e {
        tributary_store::StoreError::Conflict(_) => {
            AppError::Conflict(format!("a segment named '{}' exists", fields.name))
        }
        other => other.into(),
    }
}

pub async fn create(conn: &mut Conn<'_>, actor: &Actor, id: &str, fields: &SegmentFields) -> AppResult<Segment> {
    check_codes(conn, fields).await?;
    let segment = segments::insert(conn, id, fields, actor.user_id.as_deref())
        .await
        .map_err(duplicate_name(fields))?;
    record(
        conn,
        actor,
        "segment.created",
        "segment",
        id,
        None::<&()>,
        Some(&segment),
    )
    .await?;
    Ok(segment)
}

pub async fn update(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &Segment,
    fields: &SegmentFields,
) -> AppResult<Segment> {
    check_codes(conn, fields).await?;
    let updated = segments::update(conn, current, fields)
        .await
        .map_err(duplicate_name(fields))?;
    record(
        conn,
        actor,
        "segment.updated",
        "segment",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

pub async fn delete(conn: &mut Conn<'_>, actor: &Actor, current: &Segment) -> AppResult<()> {
    segments::delete(conn, &current.id).await?;
    record(
        conn,
        actor,
        "segment.deleted",
        "segment",
        &current.id,
        Some(current),
        None::<&()>,
    )
    .await
}
