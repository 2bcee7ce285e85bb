//! What-if over a cached metric table: each partner's draft level under its region's
//! draft targets, counts, the from×to matrix and the movers (in partner order) gathered
//! per chunk across cores, and the benefit cost computed per level from the revenue summed
//! per level — the same exact value as the reference's per-partner sum whenever no
//! decimal could round (checked from scales and magnitudes; otherwise the cost is summed
//! partner by partner exactly as the reference does).

use rayon::prelude::*;
use rust_decimal::Decimal;
use tributary_domain::tiering::{BenefitCost, Benefits, Mover, Simulation, TierStructure, whatif::level_cost};

use crate::levels::CompiledLevels;
use crate::table::MetricTable;

const ROWS_PER_TASK: usize = 4096;

/// Counts, movers and revenue per level of one chunk of rows.
struct Partial {
    now_counts: Vec<u64>,
    draft_counts: Vec<u64>,
    /// `matrix[from * draft_levels + to]`.
    matrix: Vec<u64>,
    movers: Vec<Mover>,
    /// Revenue per (current level, draft level), like `matrix`.
    revenue: Vec<Decimal>,
    /// Σ |revenue| and the largest scale of a revenue.
    revenue_abs: Decimal,
    revenue_scale: u32,
    /// Whether a revenue sum overflowed (then costs are summed as the reference does).
    overflow: bool,
}

/// Simulates `draft` for every row of `metrics`, equal to the domain's `whatif::simulate`
/// over the same inputs (row `i` is the simulation input at position `i`).
///
/// # Panics
/// When the slices differ in length, or as the reference does when a structure has no
/// levels or fewer benefits than levels.
pub fn simulate(
    published: &TierStructure,
    draft: &TierStructure,
    metrics: &MetricTable,
    regions: &[Option<String>],
    current: &[u32],
    revenue: &[Decimal],
    base_rebate_percent: Decimal,
) -> Simulation {
    let rows = regions.len();
    assert_eq!(current.len(), rows, "one current level per row");
    assert_eq!(revenue.len(), rows, "one revenue per row");
    assert!(
        metrics.columns.iter().all(|c| c.len() == rows),
        "one metric row per region"
    );
    let now_levels = published.levels.len();
    let draft_levels = draft.levels.len();
    let levels = CompiledLevels::new(draft, metrics);
    let level_of = |row: usize| {
        let from = (current[row] as usize).min(now_levels - 1);
        let region = levels.for_region(regions[row].as_deref());
        (from, region.qualifying(metrics, row), region)
    };
    let partials: Vec<Partial> = (0..rows)
        .into_par_iter()
        .chunks(ROWS_PER_TASK)
        .map(|chunk| {
            let mut part = Partial::new(now_levels, draft_levels);
            for row in chunk {
                let (from, to, region) = level_of(row);
                part.add(from, to, revenue[row], draft_levels);
                if from != to {
                    let explaining = from.max(to).min(draft_levels - 1);
                    part.movers.push(Mover {
                        partner: row,
                        from: from as u32,
                        to: to as u32,
                        because: region.check(metrics, row, explaining),
                    });
                }
            }
            part
        })
        .collect();
    let total = partials
        .into_iter()
        .reduce(|a, b| a.merge(b))
        .unwrap_or_else(|| Partial::new(now_levels, draft_levels));
    let (cost_now, cost_draft) = match costs_by_level(published, draft, &total, base_rebate_percent) {
        Some(costs) => costs,
        None => {
            let mut now = BenefitCost::default();
            let mut then = BenefitCost::default();
            for (row, revenue) in revenue.iter().enumerate() {
                let (from, to, _) = level_of(row);
                now.add(&level_cost(&published.benefits[from], *revenue, base_rebate_percent));
                then.add(&level_cost(&draft.benefits[to], *revenue, base_rebate_percent));
            }
            (now, then)
        }
    };
    Simulation {
        matrix: total.matrix.chunks(draft_levels.max(1)).map(<[u64]>::to_vec).collect(),
        now_counts: total.now_counts,
        draft_counts: total.draft_counts,
        movers: total.movers,
        cost_now,
        cost_draft,
    }
}

impl Partial {
    fn new(now_levels: usize, draft_levels: usize) -> Partial {
        Partial {
            now_counts: vec![0; now_levels],
            draft_counts: vec![0; draft_levels],
            matrix: vec![0; now_levels * draft_levels],
            movers: Vec::new(),
            revenue: vec![Decimal::ZERO; now_levels * draft_levels],
            revenue_abs: Decimal::ZERO,
            revenue_scale: 0,
            overflow: false,
        }
    }

    fn add(&mut self, from: usize, to: usize, revenue: Decimal, draft_levels: usize) {
        self.now_counts[from] += 1;
        self.draft_counts[to] += 1;
        self.matrix[from * draft_levels + to] += 1;
        let cell = &mut self.revenue[from * draft_levels + to];
        match (cell.checked_add(revenue), self.revenue_abs.checked_add(revenue.abs())) {
            (Some(sum), Some(abs)) => (*cell, self.revenue_abs) = (sum, abs),
            _ => self.overflow = true,
        }
        self.revenue_scale = self.revenue_scale.max(revenue.scale());
    }

    fn merge(mut self, other: Partial) -> Partial {
        let sum = |a: &mut Vec<u64>, b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += *y);
        sum(&mut self.now_counts, &other.now_counts);
        sum(&mut self.draft_counts, &other.draft_counts);
        sum(&mut self.matrix, &other.matrix);
        self.movers.extend(other.movers);
        self.overflow |= other.overflow;
        for (a, b) in self.revenue.iter_mut().zip(other.revenue) {
            match a.checked_add(b) {
                Some(sum) => *a = sum,
                None => self.overflow = true,
            }
        }
        match self.revenue_abs.checked_add(other.revenue_abs) {
            Some(abs) => self.revenue_abs = abs,
            None => self.overflow = true,
        }
        self.revenue_scale = self.revenue_scale.max(other.revenue_scale);
        self
    }
}

/// Both costs from the revenue per level, when every decimal operation of the reference's
/// per-partner sum is provably exact (so the two sums are the same number).
fn costs_by_level(
    published: &TierStructure,
    draft: &TierStructure,
    total: &Partial,
    base_rebate_percent: Decimal,
) -> Option<(BenefitCost, BenefitCost)> {
    if total.overflow {
        return None;
    }
    let abs = total.revenue_abs;
    let rows: u64 = total.now_counts.iter().sum();
    let exact = |benefits: &[Benefits]| -> bool {
        let max = |f: fn(&Benefits) -> Decimal| benefits.iter().map(|b| f(b).abs()).max().unwrap_or_default();
        let scale = |f: fn(&Benefits) -> Decimal| benefits.iter().map(|b| f(b).scale()).max().unwrap_or(0);
        let revenue_scale = total.revenue_scale;
        below_capacity(&[abs], revenue_scale)
            && below_capacity(
                &[max(|b| b.discount_percent), abs],
                scale(|b| b.discount_percent) + revenue_scale + 2,
            )
            && below_capacity(
                &[max(|b| b.rebate_multiplier), base_rebate_percent.abs(), abs],
                scale(|b| b.rebate_multiplier) + base_rebate_percent.scale() + revenue_scale + 2,
            )
            && below_capacity(
                &[max(|b| b.mdf_allocation), Decimal::from(rows)],
                scale(|b| b.mdf_allocation),
            )
    };
    if !exact(&published.benefits) || !exact(&draft.benefits) {
        return None;
    }
    let cost = |benefits: &[Benefits], counts: &[u64], revenue: &[Decimal]| {
        let mut cost = BenefitCost::default();
        for (level, (count, revenue)) in counts.iter().zip(revenue).enumerate() {
            if *count > 0 {
                let b = &benefits[level];
                let mut level_total = level_cost(b, *revenue, base_rebate_percent);
                level_total.mdf = b.mdf_allocation * Decimal::from(*count);
                cost.add(&level_total);
            }
        }
        cost
    };
    // Revenue per level, from the cells (exact: every partial sum is below Σ |revenue|).
    let draft_levels = total.draft_counts.len();
    let mut now = vec![Decimal::ZERO; total.now_counts.len()];
    let mut then = vec![Decimal::ZERO; draft_levels];
    for (index, revenue) in total.revenue.iter().enumerate() {
        now[index / draft_levels] += *revenue;
        then[index % draft_levels] += *revenue;
    }
    Some((
        cost(&published.benefits, &total.now_counts, &now),
        cost(&draft.benefits, &total.draft_counts, &then),
    ))
}

/// Whether the product of `factors` held at `scale` decimal places stays below 10^28, so
/// no decimal operation on such values has to round (a decimal holds up to 2^96 ≈ 7.9 × 10^28).
fn below_capacity(factors: &[Decimal], scale: u32) -> bool {
    if scale > Decimal::MAX_SCALE {
        return false;
    }
    let Some(product) = factors.iter().try_fold(Decimal::ONE, |p, f| p.checked_mul(*f)) else {
        return false;
    };
    product < Decimal::from_i128_with_scale(10i128.pow(Decimal::MAX_SCALE - scale), 0)
}
