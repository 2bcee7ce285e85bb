//! A structure's levels compiled once per region: each requirement bound to the metric
//! table's column(s) of its metric, so checking a partner is a few exact decimal
//! comparisons with no lookups by name. Regions are resolved to their compiled levels by
//! comparing with the few regions that have overrides; every other region shares the
//! structure's own targets.

use std::collections::HashMap;

use tributary_domain::tiering::{Comparison, Level, LevelCheck, MetricValue, TierStructure};

use crate::table::MetricTable;

/// Above this many override regions a hash map resolves regions instead of a scan.
const REGION_SCAN_MAX: usize = 8;

struct Check {
    columns: Vec<usize>,
    comparison: Comparison,
    target: MetricValue,
}

/// One region's levels, as written and as compiled.
pub(crate) struct RegionLevels {
    pub levels: Vec<Level>,
    checks: Vec<Vec<Check>>,
}

/// The compiled levels of every region of a structure.
pub(crate) struct CompiledLevels {
    regions: Vec<String>,
    index: HashMap<String, usize>,
    /// `by_region[i]` for `regions[i]`; the last entry is for every other region.
    by_region: Vec<RegionLevels>,
}

impl CompiledLevels {
    pub fn new(structure: &TierStructure, metrics: &MetricTable) -> CompiledLevels {
        let mut regions: Vec<String> = Vec::new();
        for o in &structure.region_overrides {
            if !regions.contains(&o.region) {
                regions.push(o.region.clone());
            }
        }
        let compile = |levels: Vec<Level>| {
            let checks = levels
                .iter()
                .map(|level| {
                    level
                        .requirements
                        .iter()
                        .map(|r| Check {
                            columns: metrics.columns_of(&r.metric),
                            comparison: r.comparison,
                            target: r.target,
                        })
                        .collect()
                })
                .collect();
            RegionLevels { levels, checks }
        };
        let mut by_region: Vec<RegionLevels> = regions
            .iter()
            .map(|r| compile(structure.levels_for_region(Some(r))))
            .collect();
        by_region.push(compile(structure.levels_for_region(None)));
        let index = regions.iter().enumerate().map(|(i, r)| (r.clone(), i)).collect();
        CompiledLevels {
            regions,
            index,
            by_region,
        }
    }

    pub fn for_region(&self, region: Option<&str>) -> &RegionLevels {
        let other = self.by_region.len() - 1;
        let found = region.and_then(|region| {
            if self.regions.len() <= REGION_SCAN_MAX {
                self.regions.iter().position(|r| r == region)
            } else {
                self.index.get(region).copied()
            }
        });
        &self.by_region[found.unwrap_or(other)]
    }
}

impl RegionLevels {
    /// The highest level all of whose own requirements hold for `row`.
    pub fn qualifying(&self, metrics: &MetricTable, row: usize) -> usize {
        self.checks
            .iter()
            .rposition(|checks| {
                checks
                    .iter()
                    .all(|c| meets(c.comparison, c.target, metrics.value(&c.columns, row)))
            })
            .unwrap_or(0)
    }

    /// The reference's results for one level (what a snapshot or a mover records).
    pub fn check(&self, metrics: &MetricTable, row: usize, level: usize) -> LevelCheck {
        let requirements: Vec<_> = self.levels[level]
            .requirements
            .iter()
            .zip(&self.checks[level])
            .map(|(requirement, c)| requirement.check(metrics.value(&c.columns, row)))
            .collect();
        LevelCheck {
            level: level as u32,
            name: self.levels[level].name.clone(),
            met: requirements.iter().all(|r| r.met),
            requirements,
        }
    }
}

/// Whether `value` meets `target` (as `Requirement::check` decides it): numbers compare
/// exactly, flags only for equality, a missing value or one of the other kind never does.
pub(crate) fn meets(comparison: Comparison, target: MetricValue, value: Option<MetricValue>) -> bool {
    match (value, target) {
        (Some(MetricValue::Number(v)), MetricValue::Number(t)) => match comparison {
            Comparison::AtLeast => v >= t,
            Comparison::MoreThan => v > t,
            Comparison::AtMost => v <= t,
            Comparison::LessThan => v < t,
            Comparison::Equals => v == t,
        },
        (Some(MetricValue::Flag(v)), MetricValue::Flag(t)) => comparison == Comparison::Equals && v == t,
        _ => false,
    }
}
