//! Evaluating a published structure on a date: metrics from the facts (on the engine),
//! each member's decision against its previous snapshot and any active override, then —
//! in one transaction — the evaluation, one immutable snapshot per partner, the
//! tier-change events and the audit record. Evaluations run forward: a date already
//! evaluated returns that evaluation unchanged (idempotent); an earlier date is refused.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use tributary_domain::tiering::{Override, PartnerEvaluation, PreviousState, TierChange, evaluate_partner};
use tributary_store::audit::Actor;
use tributary_store::repo::events::{self, Event};
use tributary_store::repo::tier_evaluations::{self, Evaluation};
use tributary_store::repo::tier_overrides;
use tributary_store::repo::tier_snapshots::{self, Snapshot, SnapshotFilter};
use tributary_store::repo::tier_structures::{StoredStructure, StructureStatus};
use tributary_store::{Conn, Db, Scope, StoreError, time};
use utoipa::ToSchema;

use super::inputs::{self, metric_values};
use super::members::{Member, members};
use super::structures;
use crate::error::{AppError, AppResult, internal};
use crate::services::record;

/// The outcome of a request to evaluate: the evaluation, and whether this request ran it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationOutcome {
    pub evaluation: Evaluation,
    /// False when the date had already been evaluated (nothing was written).
    pub created: bool,
}

/// How an evaluation was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Manual,
    Scheduled,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Scheduled => "scheduled",
        }
    }
}

fn check_date(structure: &StoredStructure, date: NaiveDate, today: NaiveDate) -> AppResult<()> {
    let definition = &structure.definition;
    if structure.status != StructureStatus::Published {
        return Err(AppError::Conflict(
            "only a published structure is evaluated; simulate a draft instead".into(),
        ));
    }
    if date > today {
        return Err(AppError::BadRequest(format!(
            "{date} is in the future; evaluate on or before {today}"
        )));
    }
    if date < definition.valid_from || definition.valid_until.is_some_and(|until| date > until) {
        return Err(AppError::BadRequest(format!(
            "{date} is outside the structure's timeframe ({} – {})",
            definition.valid_from,
            definition
                .valid_until
                .map_or("open-ended".to_string(), |d| d.to_string())
        )));
    }
    Ok(())
}

/// The previous state of each member: the snapshots of the latest earlier evaluation.
async fn previous_states(
    conn: &mut Conn<'_>,
    structure_id: &str,
    before: &Option<Evaluation>,
) -> AppResult<HashMap<String, PreviousState>> {
    let Some(before) = before else {
        return Ok(HashMap::new());
    };
    let filter = SnapshotFilter {
        evaluation_id: Some(before.id.clone()),
        structure_id: Some(structure_id.to_string()),
        ..SnapshotFilter::default()
    };
    Ok(tier_snapshots::all(conn, &Scope::All, &filter)
        .await?
        .into_iter()
        .map(|s| {
            let state = PreviousState {
                assigned: Some(s.assigned_level as u32),
                misses: s.misses as u32,
            };
            (s.partner_id, state)
        })
        .collect())
}

/// The newest active override of each partner; a level the structure no longer has (it
/// was republished with fewer levels) is held at the top level.
async fn active_overrides(
    conn: &mut Conn<'_>,
    structure: &StoredStructure,
    date: NaiveDate,
) -> AppResult<HashMap<String, Override>> {
    let top = structure.definition.levels.len().saturating_sub(1) as u32;
    let structure_id = structure.id.as_str();
    let mut by_partner = HashMap::new();
    for o in tier_overrides::active_on(conn, structure_id, &date.format("%Y-%m-%d").to_string()).await? {
        let parse = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(internal);
        let manual = Override {
            level: (o.level as u32).min(top),
            reason: o.reason.clone(),
            starts: parse(&o.starts_on)?,
            expires: parse(&o.expires_on)?,
        };
        by_partner.entry(o.partner_id).or_insert(manual);
    }
    Ok(by_partner)
}

fn change_name(change: TierChange) -> &'static str {
    match change {
        TierChange::Initial => "initial",
        TierChange::Promoted => "promoted",
        TierChange::Demoted => "demoted",
        TierChange::Stayed => "stayed",
        TierChange::AtRisk => "at_risk",
        TierChange::Overridden => "overridden",
    }
}

fn event_for(structure: &StoredStructure, snapshot: &Snapshot, now: &str) -> Option<Event> {
    let kind = match snapshot.change_kind.as_str() {
        "promoted" => "tier.promoted",
        "demoted" => "tier.demoted",
        "at_risk" => "tier.at_risk",
        _ => return None,
    };
    let level_name = |level: i64| {
        structure
            .definition
            .levels
            .get(level as usize)
            .map_or(String::new(), |l| l.name.clone())
    };
    let payload = serde_json::json!({
        "structure_id": structure.id,
        "structure": structure.definition.name,
        "partner_id": snapshot.partner_id,
        "eval_date": snapshot.eval_date,
        "from_level": snapshot.previous_level,
        "from_level_name": snapshot.previous_level.map(level_name),
        "to_level": snapshot.assigned_level,
        "to_level_name": level_name(snapshot.assigned_level),
        "qualifying_level": snapshot.qualifying_level,
        "misses": snapshot.misses,
    });
    Some(Event {
        id: tributary_domain::ids::new_id(),
        kind: kind.to_string(),
        partner_id: Some(snapshot.partner_id.clone()),
        subject_type: "tier_snapshot".into(),
        subject_id: snapshot.id.clone(),
        payload_json: payload.to_string(),
        created_at: now.to_string(),
        delivered_at: None,
    })
}

fn snapshot_of(evaluation_id: &str, structure_id: &str, member: &Member, date: &str, e: PartnerEvaluation) -> Snapshot {
    Snapshot {
        id: tributary_domain::ids::new_id(),
        evaluation_id: evaluation_id.to_string(),
        structure_id: structure_id.to_string(),
        partner_id: member.partner_id.clone(),
        partner_name: member.name.clone(),
        eval_date: date.to_string(),
        region: e.region,
        qualifying_level: i64::from(e.decision.qualifying),
        previous_level: e.decision.previous.map(i64::from),
        assigned_level: i64::from(e.decision.assigned),
        misses: i64::from(e.decision.misses),
        change_kind: change_name(e.decision.change).to_string(),
        override_reason: e.override_reason,
        metrics: e.metrics,
        checks: e.checks,
    }
}

/// Evaluates structure `structure_id` on `date`; `progress(done, total)` reports phases.
pub async fn evaluate(
    db: &Db,
    actor: &Actor,
    structure_id: &str,
    date: NaiveDate,
    trigger: Trigger,
    progress: impl Fn(u64, u64) + Send,
) -> AppResult<EvaluationOutcome> {
    let date_text = date.format("%Y-%m-%d").to_string();
    let today = chrono::Utc::now().date_naive();
    let (structure, members, inputs, before) = {
        let mut pooled = db.acquire().await?;
        let mut conn = pooled.conn();
        let structure = structures::get(&mut conn, structure_id).await?;
        check_date(&structure, date, today)?;
        if let Some(existing) = tier_evaluations::on_date(&mut conn, structure_id, &date_text).await? {
            return Ok(EvaluationOutcome {
                evaluation: existing,
                created: false,
            });
        }
        let before = tier_evaluations::latest(&mut conn, structure_id, None).await?;
        if let Some(latest) = before.as_ref().filter(|e| e.eval_date > date_text) {
            return Err(AppError::Conflict(format!(
                "the structure was already evaluated on {}; evaluations run forward and history is never rewritten",
                latest.eval_date
            )));
        }
        progress(1, 4);
        let members = members(&mut conn, &structure.definition).await?;
        let inputs = inputs::load(&mut conn, &members, date).await?;
        (structure, members, inputs, before)
    };
    progress(2, 4);
    let metrics = metric_values(&structure.definition, date, &inputs)?;
    drop(inputs);
    progress(3, 4);

    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    if let Some(existing) = tier_evaluations::on_date(&mut conn, structure_id, &date_text).await? {
        return Ok(EvaluationOutcome {
            evaluation: existing,
            created: false,
        });
    }
    let latest_now = tier_evaluations::latest(&mut conn, structure_id, None).await?;
    if latest_now.as_ref().map(|e| &e.id) != before.as_ref().map(|e| &e.id) {
        return Err(AppError::Conflict(
            "another evaluation of this structure finished meanwhile; try again".into(),
        ));
    }
    let previous = previous_states(&mut conn, structure_id, &before).await?;
    let overrides = active_overrides(&mut conn, &structure, date).await?;
    let evaluation_id = tributary_domain::ids::new_id();
    let snapshots: Vec<Snapshot> = members
        .iter()
        .zip(metrics)
        .map(|(member, values)| {
            let evaluated = evaluate_partner(
                &structure.definition,
                member.region.as_deref(),
                values,
                previous.get(&member.partner_id).copied().unwrap_or_default(),
                overrides.get(&member.partner_id),
                date,
            );
            snapshot_of(&evaluation_id, structure_id, member, &date_text, evaluated)
        })
        .collect();
    let count = |kind: &str| snapshots.iter().filter(|s| s.change_kind == kind).count() as i64;
    let now = time::now_text();
    let evaluation = Evaluation {
        id: evaluation_id.clone(),
        structure_id: structure_id.to_string(),
        structure_version: structure.version,
        eval_date: date_text.clone(),
        run_trigger: trigger.as_str().to_string(),
        partner_count: snapshots.len() as i64,
        promoted: count("promoted"),
        demoted: count("demoted"),
        at_risk: count("at_risk"),
        created_by: actor.user_id.clone(),
        created_at: now.clone(),
    };
    let inserted = tier_evaluations::insert(&mut conn, &evaluation).await;
    if let Err(StoreError::Conflict(_)) = inserted {
        // Another server evaluated the same date between our check and our write.
        // Rolls back (on PostgreSQL the failed statement aborted the transaction).
        drop(tx);
        let mut pooled = db.acquire().await?;
        let existing = tier_evaluations::on_date(&mut pooled.conn(), structure_id, &date_text)
            .await?
            .ok_or_else(|| {
                AppError::Conflict("another evaluation of this structure ran meanwhile; try again".into())
            })?;
        return Ok(EvaluationOutcome {
            evaluation: existing,
            created: false,
        });
    }
    inserted?;
    tier_snapshots::insert_many(&mut conn, &snapshots).await?;
    let changes: Vec<Event> = snapshots
        .iter()
        .filter_map(|s| event_for(&structure, s, &now))
        .collect();
    events::insert_many(&mut conn, &changes).await?;
    record(
        &mut conn,
        actor,
        "tier.evaluated",
        "tier_evaluation",
        &evaluation_id,
        None::<&()>,
        Some(&evaluation),
    )
    .await?;
    tx.commit().await?;
    progress(4, 4);
    Ok(EvaluationOutcome {
        evaluation,
        created: true,
    })
}
