//! What-if: a draft judged against current metrics. When the published structure has been
//! evaluated and the draft measures nothing new, the metrics are those of the latest
//! snapshots (no fact is read: the simulation is instant); otherwise they are computed on
//! the engine at that evaluation's date. The draft is never visible to partners.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::tiering::{BenefitCost, LevelCheck, MetricKind, MetricValues, Simulation, TierStructure};
use tributary_engine::MetricTable;
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::tier_evaluations;
use tributary_store::repo::tier_snapshots::{self, SnapshotFilter};
use tributary_store::repo::tier_structures::{StoredStructure, StructureStatus};
use tributary_store::{Db, Scope};
use utoipa::ToSchema;

use super::inputs::{self, metric_values};
use super::members::{Member, every_partner, members};
use super::structures;
use crate::error::{AppError, AppResult, internal};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoverRow {
    pub partner_id: String,
    pub partner_name: String,
    pub from: u32,
    pub from_name: String,
    pub to: u32,
    pub to_name: String,
    pub direction: String,
    pub because: LevelCheck,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimulationReport {
    pub draft_id: String,
    pub published_id: Option<String>,
    pub metrics_date: NaiveDate,
    /// `snapshots` (the latest evaluation's metrics) or `computed` (from the facts).
    pub metrics_source: String,
    pub partners: usize,
    pub currency: String,
    pub now_levels: Vec<String>,
    pub draft_levels: Vec<String>,
    pub now_counts: Vec<u64>,
    pub draft_counts: Vec<u64>,
    pub matrix: Vec<Vec<u64>>,
    /// The movers among the partners the caller may see (a channel manager: its own).
    pub movers: Vec<MoverRow>,
    /// Movers among partners the caller may not see (counted in the totals, not listed).
    pub movers_not_listed: usize,
    pub cost_now: BenefitCost,
    pub cost_draft: BenefitCost,
    pub base_rebate_percent: Decimal,
}

struct Population {
    members: Vec<Member>,
    metrics: Vec<MetricValues>,
    current: Vec<u32>,
    date: NaiveDate,
    source: &'static str,
}

/// Whether every metric the draft measures is measured identically by `published`.
fn measures_nothing_new(draft: &TierStructure, published: &TierStructure) -> bool {
    draft.metrics.iter().all(|m| published.metrics.contains(m)) && draft.currency == published.currency
}

async fn population(db: &Db, draft: &StoredStructure, published: Option<&StoredStructure>) -> AppResult<Population> {
    let mut pooled = db.acquire().await?;
    let mut conn = pooled.conn();
    let members = members(&mut conn, &draft.definition).await?;
    let latest = match published {
        Some(p) => tier_evaluations::latest(&mut conn, &p.id, None).await?,
        None => None,
    };
    let mut current = vec![0u32; members.len()];
    let mut cached: HashMap<String, MetricValues> = HashMap::new();
    if let Some(latest) = &latest {
        let filter = SnapshotFilter {
            evaluation_id: Some(latest.id.clone()),
            ..SnapshotFilter::default()
        };
        let snapshots = tier_snapshots::all(&mut conn, &Scope::All, &filter).await?;
        let by_partner: HashMap<&str, &tributary_store::repo::tier_snapshots::Snapshot> =
            snapshots.iter().map(|s| (s.partner_id.as_str(), s)).collect();
        for (slot, member) in current.iter_mut().zip(&members) {
            if let Some(s) = by_partner.get(member.partner_id.as_str()) {
                *slot = s.assigned_level as u32;
                cached.insert(member.partner_id.clone(), s.metrics.clone());
            }
        }
    }
    let date = match &latest {
        Some(l) => NaiveDate::parse_from_str(&l.eval_date, "%Y-%m-%d").map_err(internal)?,
        None => chrono::Utc::now().date_naive(),
    };
    let reuse = published.is_some_and(|p| measures_nothing_new(&draft.definition, &p.definition))
        && members.iter().all(|m| cached.contains_key(&m.partner_id));
    if reuse {
        let metrics = members
            .iter()
            .map(|m| cached.remove(&m.partner_id).unwrap_or_default())
            .collect();
        return Ok(Population {
            members,
            metrics,
            current,
            date,
            source: "snapshots",
        });
    }
    let inputs = inputs::load(&mut conn, &members, date).await?;
    let metrics = metric_values(&draft.definition, date, &inputs)?;
    Ok(Population {
        members,
        metrics,
        current,
        date,
        source: "computed",
    })
}

/// The trailing revenue of one partner: the draft's first net-revenue metric.
fn revenue(structure: &TierStructure, values: &MetricValues) -> Decimal {
    structure
        .metrics
        .iter()
        .find(|m| m.kind == MetricKind::NetRevenue)
        .and_then(|m| match values.get(&m.key) {
            Some(tributary_domain::tiering::MetricValue::Number(n)) => Some(*n),
            _ => None,
        })
        .unwrap_or_default()
}

fn table(structure: &TierStructure, metrics: &[MetricValues]) -> MetricTable {
    let keys: Vec<String> = structure.metrics.iter().map(|m| m.key.clone()).collect();
    let columns = keys
        .iter()
        .map(|key| metrics.iter().map(|values| values.get(key).copied()).collect())
        .collect();
    MetricTable { keys, columns }
}

/// Simulates draft `draft_id` against the structure it was copied from; counts, matrix and
/// costs cover the whole program, movers are listed only where `scope` admits them.
pub async fn simulate(
    db: &Db,
    scope: &Scope,
    draft_id: &str,
    base_rebate_percent: Decimal,
) -> AppResult<SimulationReport> {
    if base_rebate_percent < Decimal::ZERO || base_rebate_percent > Decimal::ONE_HUNDRED {
        return Err(AppError::BadRequest(
            "base_rebate_percent must be between 0 and 100".into(),
        ));
    }
    let (draft, published) = {
        let mut pooled = db.acquire().await?;
        let mut conn = pooled.conn();
        let draft = structures::get(&mut conn, draft_id).await?;
        if draft.status != StructureStatus::Draft {
            return Err(AppError::Conflict(
                "simulate a draft: copy the published structure into a draft first".into(),
            ));
        }
        let published = match &draft.draft_of {
            Some(id) => Some(structures::get(&mut conn, id).await?),
            None => None,
        };
        (draft, published)
    };
    let population = population(db, &draft, published.as_ref()).await?;
    let now_structure = published.as_ref().map_or(&draft.definition, |p| &p.definition);
    let metrics = table(&draft.definition, &population.metrics);
    let regions: Vec<Option<String>> = population.members.iter().map(|m| m.region.clone()).collect();
    let revenue: Vec<Decimal> = population
        .metrics
        .iter()
        .map(|values| revenue(&draft.definition, values))
        .collect();
    let Simulation {
        now_counts,
        draft_counts,
        matrix,
        movers,
        cost_now,
        cost_draft,
    } = tributary_engine::simulate(
        now_structure,
        &draft.definition,
        &metrics,
        &regions,
        &population.current,
        &revenue,
        base_rebate_percent,
    );
    let visible: Option<HashSet<String>> = match scope {
        Scope::All => None,
        scope => {
            let mut pooled = db.acquire().await?;
            let partners = every_partner(&mut pooled.conn(), scope, &PartnerFilter::default()).await?;
            Some(partners.into_iter().map(|p| p.id).collect())
        }
    };
    let listed = |m: &tributary_domain::tiering::Mover| {
        visible
            .as_ref()
            .is_none_or(|ids| ids.contains(&population.members[m.partner].partner_id))
    };
    let movers_not_listed = movers.iter().filter(|m| !listed(m)).count();
    let name = |structure: &TierStructure, level: u32| {
        structure
            .levels
            .get(level as usize)
            .map_or(String::new(), |l| l.name.clone())
    };
    Ok(SimulationReport {
        draft_id: draft.id.clone(),
        published_id: published.as_ref().map(|p| p.id.clone()),
        metrics_date: population.date,
        metrics_source: population.source.to_string(),
        partners: population.members.len(),
        currency: draft.definition.currency.code().to_string(),
        now_levels: now_structure.levels.iter().map(|l| l.name.clone()).collect(),
        draft_levels: draft.definition.levels.iter().map(|l| l.name.clone()).collect(),
        now_counts,
        draft_counts,
        matrix,
        movers_not_listed,
        movers: movers
            .into_iter()
            .filter(|m| listed(m))
            .map(|m| {
                let member = &population.members[m.partner];
                MoverRow {
                    partner_id: member.partner_id.clone(),
                    partner_name: member.name.clone(),
                    from: m.from,
                    from_name: name(now_structure, m.from),
                    to: m.to,
                    to_name: name(&draft.definition, m.to),
                    direction: if m.to > m.from { "up" } else { "down" }.to_string(),
                    because: m.because,
                }
            })
            .collect(),
        cost_now,
        cost_draft,
        base_rebate_percent,
    })
}
