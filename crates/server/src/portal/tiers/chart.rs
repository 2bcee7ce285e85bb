//! Bar charts as inline SVG, laid out on the server: one group of bars per category (a tier
//! level), one bar per series (e.g. "now" and "draft"), with the value above each bar, the
//! category below, a legend and a text description for screen readers. The template only
//! draws the rectangles and labels computed here; no script is involved.

use serde::Serialize;

const PLOT_HEIGHT: u32 = 180;
const TOP: u32 = 24;
const BOTTOM: u32 = 44;
const LEFT: u32 = 16;
const BAR_WIDTH: u32 = 36;
const BAR_GAP: u32 = 6;
const GROUP_GAP: u32 = 28;

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub value: u64,
    /// Index of the series (picks the colour class `series-N`).
    pub series: usize,
    /// Centre of the bar, for its value label.
    pub label_x: u32,
    pub label_y: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub label: String,
    /// Centre of the group, for its label.
    pub label_x: u32,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    /// The chart in words ("Registered: 2 now, 1 draft; …").
    pub description: String,
    pub width: u32,
    pub height: u32,
    /// The y of the baseline.
    pub baseline: u32,
    pub series: Vec<String>,
    pub groups: Vec<Group>,
}

/// A grouped bar chart: `categories[i]` has `values[s][i]` for each series `s`.
pub fn grouped(id: &str, title: &str, categories: &[String], series: &[&str], values: &[Vec<u64>]) -> BarChart {
    let per_group = series.len().max(1) as u32;
    let group_width = per_group * BAR_WIDTH + (per_group - 1) * BAR_GAP;
    let max = values.iter().flatten().copied().max().unwrap_or(0).max(1);
    let baseline = TOP + PLOT_HEIGHT;
    let groups: Vec<Group> = categories
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let start = LEFT + i as u32 * (group_width + GROUP_GAP);
            let bars = (0..series.len())
                .map(|s| {
                    let value = values.get(s).and_then(|v| v.get(i)).copied().unwrap_or(0);
                    let height = ((value * u64::from(PLOT_HEIGHT)) / max) as u32;
                    let height = if value > 0 { height.max(2) } else { 0 };
                    let x = start + s as u32 * (BAR_WIDTH + BAR_GAP);
                    Bar {
                        x,
                        y: baseline - height,
                        width: BAR_WIDTH,
                        height,
                        value,
                        series: s,
                        label_x: x + BAR_WIDTH / 2,
                        label_y: baseline - height - 6,
                    }
                })
                .collect();
            Group {
                label: label.clone(),
                label_x: start + group_width / 2,
                bars,
            }
        })
        .collect();
    let width = (LEFT * 2 + categories.len() as u32 * (group_width + GROUP_GAP)).max(240);
    let description = categories
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let parts: Vec<String> = series
                .iter()
                .enumerate()
                .map(|(s, name)| {
                    let value = values.get(s).and_then(|v| v.get(i)).copied().unwrap_or(0);
                    if series.len() == 1 {
                        value.to_string()
                    } else {
                        format!("{value} {name}")
                    }
                })
                .collect();
            format!("{label}: {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    BarChart {
        id: id.to_string(),
        title: title.to_string(),
        description,
        width,
        height: baseline + BOTTOM,
        baseline,
        series: series.iter().map(|s| s.to_string()).collect(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_sit_on_the_baseline() {
        let chart = grouped(
            "c",
            "Partners per level",
            &["Registered".into(), "Silver".into()],
            &["now", "draft"],
            &[vec![4, 2], vec![3, 0]],
        );
        let registered = &chart.groups[0].bars;
        assert_eq!(registered[0].height, PLOT_HEIGHT);
        assert_eq!(registered[0].y + registered[0].height, chart.baseline);
        assert_eq!(registered[1].height, PLOT_HEIGHT * 3 / 4);
        assert_eq!(chart.groups[1].bars[1].height, 0);
        assert!(chart.groups[1].bars[0].x > registered[1].x);
        assert_eq!(chart.description, "Registered: 4 now, 3 draft; Silver: 2 now, 0 draft");
        let empty = grouped("e", "Nothing", &["A".into()], &["count"], &[vec![0]]);
        assert_eq!(empty.groups[0].bars[0].height, 0);
        assert_eq!(empty.description, "A: 0");
    }
}
