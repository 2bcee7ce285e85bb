//! Snapshots as CSV: one row per partner and evaluation, with the metric values and every
//! requirement result of the assigned and next level spelled out, so a period can be
//! audited in a spreadsheet.

use tributary_domain::tiering::{MetricValue, RequirementResult};
use tributary_store::repo::tier_snapshots::Snapshot;

use crate::error::{AppResult, internal};

const HEADER: [&str; 13] = [
    "eval_date",
    "structure_id",
    "partner_id",
    "partner_name",
    "region",
    "qualifying_level",
    "previous_level",
    "assigned_level",
    "misses",
    "change",
    "override_reason",
    "metrics",
    "unmet_requirements",
];

fn value_text(value: &Option<MetricValue>) -> String {
    match value {
        Some(MetricValue::Number(n)) => n.normalize().to_string(),
        Some(MetricValue::Flag(f)) => f.to_string(),
        None => "none".into(),
    }
}

fn unmet(level: &str, r: &RequirementResult) -> String {
    let target = value_text(&Some(r.target));
    let gap = r.gap.map(|g| format!(" (gap {})", g.normalize())).unwrap_or_default();
    format!("{level}: {} {} vs {target}{gap}", r.metric, value_text(&r.value))
}

fn cell(text: String) -> String {
    tributary_interchange::escape_formula(&text).into_owned()
}

pub fn csv(snapshots: &[Snapshot]) -> AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER).map_err(internal)?;
    for s in snapshots {
        let metrics: Vec<String> = s
            .metrics
            .iter()
            .map(|(k, v)| format!("{k}={}", value_text(&Some(*v))))
            .collect();
        let unmet: Vec<String> = s
            .checks
            .iter()
            .filter(|c| c.level as i64 >= s.assigned_level && c.level as i64 <= s.assigned_level + 1)
            .flat_map(|c| c.requirements.iter().filter(|r| !r.met).map(|r| unmet(&c.name, r)))
            .collect();
        writer
            .write_record([
                s.eval_date.clone(),
                s.structure_id.clone(),
                s.partner_id.clone(),
                cell(s.partner_name.clone()),
                s.region.clone().unwrap_or_default(),
                s.qualifying_level.to_string(),
                s.previous_level.map(|l| l.to_string()).unwrap_or_default(),
                s.assigned_level.to_string(),
                s.misses.to_string(),
                s.change_kind.clone(),
                cell(s.override_reason.clone().unwrap_or_default()),
                metrics.join("; "),
                unmet.join("; "),
            ])
            .map_err(internal)?;
    }
    writer.into_inner().map_err(internal)
}
