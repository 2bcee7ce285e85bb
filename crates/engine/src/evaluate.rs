//! Evaluation of every partner at once: the qualifying level under the partner's region,
//! then the domain's own `decide` (promotion, misses within the grace, demotion by at most
//! the maximum step, active overrides). Rows are independent, so they run across cores.

use chrono::NaiveDate;
use rayon::prelude::*;
use tributary_domain::tiering::{Decision, Override, PreviousState, TierStructure, decide};

use crate::levels::CompiledLevels;
use crate::table::MetricTable;

const ROWS_PER_TASK: usize = 1024;

/// The decision for each row of `metrics`, equal to the domain's
/// `evaluate_partner(...).decision` for that row. `regions`, `previous` and `overrides`
/// have one entry per row; their length is the number of rows.
///
/// # Panics
/// When the slices differ in length or the table has another number of rows.
pub fn evaluate(
    structure: &TierStructure,
    metrics: &MetricTable,
    regions: &[Option<String>],
    previous: &[PreviousState],
    overrides: &[Option<Override>],
    date: NaiveDate,
) -> Vec<Decision> {
    let rows = regions.len();
    assert_eq!(previous.len(), rows, "one previous state per row");
    assert_eq!(overrides.len(), rows, "one override slot per row");
    assert!(
        metrics.columns.iter().all(|c| c.len() == rows),
        "one metric row per region"
    );
    let levels = CompiledLevels::new(structure, metrics);
    (0..rows)
        .into_par_iter()
        .with_min_len(ROWS_PER_TASK)
        .map(|row| {
            let qualifying = levels.for_region(regions[row].as_deref()).qualifying(metrics, row);
            decide(
                structure.rules,
                previous[row],
                qualifying as u32,
                overrides[row].as_ref(),
                date,
            )
        })
        .collect()
}
