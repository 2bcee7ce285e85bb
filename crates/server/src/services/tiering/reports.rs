//! Vendor reports on a structure's latest evaluation: the distribution of partners by level
//! and region, and the partners at risk of demotion — those already missing their level's
//! requirements (counting towards the grace) and those whose metric trend between the last
//! two evaluations, carried forward one more period, would miss a target.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::tiering::{Comparison, MetricValue};
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::tier_evaluations::{self, Evaluation};
use tributary_store::repo::tier_snapshots::{self, Snapshot, SnapshotFilter};
use tributary_store::repo::tier_structures::StoredStructure;
use tributary_store::{Conn, Scope};
use utoipa::ToSchema;

use super::members::{every_partner, region_countries};
use crate::error::AppResult;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DistributionRow {
    /// Region code of the partner's head office ("" when in no region).
    pub region: String,
    /// Partners per level, index = level.
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Distribution {
    pub evaluation: Option<Evaluation>,
    pub levels: Vec<String>,
    pub totals: Vec<u64>,
    pub by_region: Vec<DistributionRow>,
}

async fn latest_snapshots(
    conn: &mut Conn<'_>,
    scope: &Scope,
    structure_id: &str,
) -> AppResult<(Option<Evaluation>, Vec<Snapshot>)> {
    let Some(latest) = tier_evaluations::latest(conn, structure_id, None).await? else {
        return Ok((None, Vec::new()));
    };
    let filter = SnapshotFilter {
        evaluation_id: Some(latest.id.clone()),
        ..SnapshotFilter::default()
    };
    let snapshots = tier_snapshots::all(conn, scope, &filter).await?;
    Ok((Some(latest), snapshots))
}

/// The region code of each visible partner's head office.
async fn partner_regions(conn: &mut Conn<'_>, scope: &Scope) -> AppResult<HashMap<String, String>> {
    let regions = region_countries(conn).await?;
    Ok(every_partner(conn, scope, &PartnerFilter::default())
        .await?
        .into_iter()
        .map(|p| {
            let region = regions
                .iter()
                .find(|(_, countries)| countries.contains(&p.fields.country))
                .map_or(String::new(), |(code, _)| code.clone());
            (p.id, region)
        })
        .collect())
}

pub async fn distribution(conn: &mut Conn<'_>, scope: &Scope, structure: &StoredStructure) -> AppResult<Distribution> {
    let levels: Vec<String> = structure.definition.levels.iter().map(|l| l.name.clone()).collect();
    let (evaluation, snapshots) = latest_snapshots(conn, scope, &structure.id).await?;
    let regions = partner_regions(conn, scope).await?;
    let mut totals = vec![0u64; levels.len()];
    let mut by_region: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for s in &snapshots {
        let level = (s.assigned_level as usize).min(levels.len() - 1);
        totals[level] += 1;
        let region = regions.get(&s.partner_id).cloned().unwrap_or_default();
        by_region.entry(region).or_insert_with(|| vec![0; levels.len()])[level] += 1;
    }
    Ok(Distribution {
        evaluation,
        levels,
        totals,
        by_region: by_region
            .into_iter()
            .map(|(region, counts)| DistributionRow { region, counts })
            .collect(),
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AtRisk {
    pub partner_id: String,
    pub partner_name: String,
    pub level: i64,
    pub level_name: String,
    /// `missing` (already counting misses) or `trending` (forecast to miss).
    pub status: String,
    pub misses: i64,
    /// What is missed or forecast to be missed, in words.
    pub reasons: Vec<String>,
}

fn number(value: Option<&MetricValue>) -> Option<Decimal> {
    match value {
        Some(MetricValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// Partners at risk of demotion in the latest evaluation of `structure`.
pub async fn at_risk(conn: &mut Conn<'_>, scope: &Scope, structure: &StoredStructure) -> AppResult<Vec<AtRisk>> {
    let (evaluation, latest) = latest_snapshots(conn, scope, &structure.id).await?;
    let Some(evaluation) = evaluation else {
        return Ok(Vec::new());
    };
    let previous: HashMap<String, Snapshot> =
        match tier_evaluations::latest(conn, &structure.id, Some(&evaluation.eval_date)).await? {
            Some(before) => {
                let filter = SnapshotFilter {
                    evaluation_id: Some(before.id),
                    ..SnapshotFilter::default()
                };
                tier_snapshots::all(conn, scope, &filter)
                    .await?
                    .into_iter()
                    .map(|s| (s.partner_id.clone(), s))
                    .collect()
            }
            None => HashMap::new(),
        };
    let mut found = Vec::new();
    for s in latest.iter().filter(|s| s.assigned_level > 0) {
        let Some(check) = s.checks.get(s.assigned_level as usize) else {
            continue;
        };
        let missed: Vec<String> = check
            .requirements
            .iter()
            .filter(|r| !r.met)
            .map(|r| format!("{} is below the {} target", r.metric, check.name))
            .collect();
        let (status, reasons) = if !missed.is_empty() {
            ("missing", missed)
        } else {
            let before = previous.get(&s.partner_id);
            let trending: Vec<String> = structure.definition.levels[s.assigned_level as usize]
                .requirements
                .iter()
                .filter(|r| matches!(r.comparison, Comparison::AtLeast | Comparison::MoreThan))
                .filter_map(|r| {
                    let now = number(s.metrics.get(&r.metric))?;
                    let then = number(before?.metrics.get(&r.metric))?;
                    let projected = now + (now - then);
                    let target = match check.requirements.iter().find(|c| c.metric == r.metric)?.target {
                        MetricValue::Number(t) => t,
                        MetricValue::Flag(_) => return None,
                    };
                    let fails = match r.comparison {
                        Comparison::AtLeast => projected < target,
                        _ => projected <= target,
                    };
                    fails.then(|| {
                        format!(
                            "{} trending {then} → {now}, heading for {projected} against {target}",
                            r.metric
                        )
                    })
                })
                .collect();
            if trending.is_empty() {
                continue;
            }
            ("trending", trending)
        };
        found.push(AtRisk {
            partner_id: s.partner_id.clone(),
            partner_name: s.partner_name.clone(),
            level: s.assigned_level,
            level_name: check.name.clone(),
            status: status.to_string(),
            misses: s.misses,
            reasons,
        });
    }
    Ok(found)
}
