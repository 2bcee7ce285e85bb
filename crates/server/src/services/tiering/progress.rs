//! A partner's standing in each published structure that has evaluated it: current level
//! and benefits, the next level's requirements with value, target, gap and percent, the
//! next scheduled evaluation, and whether the partner is missing its level's requirements.

use chrono::NaiveDate;
use serde::Serialize;
use tributary_domain::tiering::schedule::next_period_end;
use tributary_domain::tiering::sentence::progress_sentence;
use tributary_domain::tiering::{Progress, progress};
use tributary_store::repo::tier_snapshots::{self, Snapshot, SnapshotFilter};
use tributary_store::repo::tier_structures::{self, StructureStatus};
use tributary_store::{Conn, Scope};
use utoipa::ToSchema;

use crate::error::{AppResult, internal};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TierStatus {
    pub structure_id: String,
    pub structure_name: String,
    /// Currency of monetary values and targets.
    pub currency: String,
    pub evaluated_on: String,
    /// The next scheduled evaluation ("… to reach Gold by 31 March").
    pub next_evaluation: NaiveDate,
    /// Evaluations in a row that missed the current level (demotion after the grace).
    pub misses: i64,
    pub grace: u32,
    pub override_reason: Option<String>,
    pub progress: Progress,
    /// What the next level still needs, in words (absent at the top level).
    pub summary: Option<String>,
}

/// The partner's status in every published structure, if it is visible in `scope`.
pub async fn statuses(conn: &mut Conn<'_>, scope: &Scope, partner_id: &str) -> AppResult<Vec<TierStatus>> {
    let mut found = Vec::new();
    for structure in tier_structures::list(conn, Some(StructureStatus::Published)).await? {
        let filter = SnapshotFilter {
            structure_id: Some(structure.id.clone()),
            partner_id: Some(partner_id.to_string()),
            ..SnapshotFilter::default()
        };
        let Some(latest) = tier_snapshots::all(conn, scope, &filter).await?.pop() else {
            continue;
        };
        found.push(status_of(&structure.definition, &structure.id, &latest)?);
    }
    Ok(found)
}

fn status_of(
    definition: &tributary_domain::tiering::TierStructure,
    structure_id: &str,
    latest: &Snapshot,
) -> AppResult<TierStatus> {
    let evaluated = NaiveDate::parse_from_str(&latest.eval_date, "%Y-%m-%d").map_err(internal)?;
    let next_evaluation = next_period_end(definition.cadence, evaluated);
    let progress = progress(
        definition,
        latest.region.as_deref(),
        &latest.metrics,
        latest.assigned_level as u32,
    );
    Ok(TierStatus {
        summary: progress_sentence(definition, &progress, next_evaluation),
        structure_id: structure_id.to_string(),
        structure_name: definition.name.clone(),
        currency: definition.currency.code().to_string(),
        evaluated_on: latest.eval_date.clone(),
        next_evaluation,
        misses: latest.misses,
        grace: definition.rules.grace,
        override_reason: latest.override_reason.clone(),
        progress,
    })
}
