//! Program tiering in the portal (PRODUCT.md §3): tier structures listed, edited as drafts
//! in a form, simulated against current metrics and published; evaluations run as jobs with
//! a progress bar; the distribution and at-risk reports; the snapshot table with its CSV
//! export; each partner's tier history with manual overrides; and the partner home's
//! "frequent-flyer" status card. Every action goes through the same API functions and
//! services as the REST API, which authorise it again.

pub mod chart;
pub mod evaluate;
pub mod form;
pub mod metric_facts;
pub mod partner;
pub mod simulate;
pub mod snapshots;
pub mod structures;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::money::group_thousands;
use tributary_domain::tiering::{
    Comparison, MetricKind, MetricValue, MetricWindow, Requirement, RequirementProgress, RequirementResult,
    TierStructure,
};
use tributary_store::repo::tier_structures::StoredStructure;

use crate::auth::Caller;
use crate::error::{AppResult, internal};
use crate::policy::{Access, Resource, authorize};
use crate::services::tiering::structures as structure_service;
use crate::state::AppState;

/// The navigation area of the vendor tier pages.
pub const SECTION: &str = "/tiers";

/// Whether the caller may change structures and run evaluations.
pub fn may_write_programs(caller: &Caller) -> bool {
    authorize(caller, Resource::TierPrograms, Access::Write).is_ok()
}

/// Whether the caller may grant and revoke overrides.
pub fn may_write_status(caller: &Caller) -> bool {
    authorize(caller, Resource::TierStatus, Access::Write).is_ok()
}

/// Structure `id`, for a caller who may read tier programs.
pub async fn load(state: &AppState, caller: &Caller, id: &str) -> AppResult<StoredStructure> {
    authorize(caller, Resource::TierPrograms, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    structure_service::get(&mut pooled.conn(), id).await
}

/// A decimal as people read it: no trailing zeros, thousands grouped ("120,400.5").
pub fn decimal_text(value: Decimal) -> String {
    group_thousands(&value.normalize().to_string())
}

/// An amount of the structure's currency, rounded to its minor unit: "120,400.00 USD".
pub fn money_text(structure: &TierStructure, amount: Decimal) -> String {
    let rounded = structure.currency.round(amount);
    format!(
        "{} {}",
        group_thousands(&format!(
            "{rounded:.prec$}",
            prec = structure.currency.minor_units() as usize
        )),
        structure.currency.code()
    )
}

/// The kind of metric `key` in `structure`.
pub fn kind_of(structure: &TierStructure, key: &str) -> Option<MetricKind> {
    structure.metrics.iter().find(|m| m.key == key).map(|m| m.kind)
}

/// A metric value of `key` as people read it (money in the structure's currency).
pub fn value_text(structure: &TierStructure, key: &str, value: Option<&MetricValue>) -> String {
    match value {
        None => "—".to_string(),
        Some(MetricValue::Flag(true)) => "Yes".to_string(),
        Some(MetricValue::Flag(false)) => "No".to_string(),
        Some(MetricValue::Number(n)) if kind_of(structure, key).is_some_and(MetricKind::is_monetary) => {
            money_text(structure, *n)
        }
        Some(MetricValue::Number(n)) => decimal_text(*n),
    }
}

/// A comparison as a symbol: ≥, >, ≤, <, =.
pub fn symbol(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::AtLeast => "≥",
        Comparison::MoreThan => ">",
        Comparison::AtMost => "≤",
        Comparison::LessThan => "<",
        Comparison::Equals => "=",
    }
}

/// "revenue_12m ≥ 500,000.00 USD".
pub fn requirement_text(structure: &TierStructure, requirement: &Requirement) -> String {
    format!(
        "{} {} {}",
        requirement.metric,
        symbol(requirement.comparison),
        value_text(structure, &requirement.metric, Some(&requirement.target))
    )
}

/// A window in words: "trailing 12 months", "fiscal year to date (from April)", "on the evaluation date".
pub fn window_text(window: MetricWindow) -> String {
    match window {
        MetricWindow::TrailingMonths(months) => {
            format!("trailing {months} month{}", if months == 1 { "" } else { "s" })
        }
        MetricWindow::FiscalYearToDate { first_month } => format!(
            "fiscal year to date (from {})",
            chrono::Month::try_from(first_month as u8).map_or(first_month.to_string(), |m| m.name().to_string())
        ),
        MetricWindow::AtDate => "on the evaluation date".to_string(),
    }
}

/// One requirement result as shown in tables: value, target, gap and whether it is met.
#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub metric: String,
    pub comparison: &'static str,
    pub value: String,
    pub target: String,
    pub gap: String,
    pub met: bool,
    /// 0–100 for the progress card; absent for snapshot results.
    pub percent: Option<u32>,
}

impl ResultView {
    pub fn of(structure: &TierStructure, result: &RequirementResult, comparison: Option<Comparison>) -> Self {
        let monetary = kind_of(structure, &result.metric).is_some_and(MetricKind::is_monetary);
        let gap = match result.gap {
            Some(_) if result.met => "—".to_string(),
            Some(gap) if monetary => money_text(structure, gap),
            Some(gap) => decimal_text(gap),
            None if result.met => "—".to_string(),
            None => "not met".to_string(),
        };
        Self {
            metric: result.metric.clone(),
            comparison: comparison.map_or("", symbol),
            value: value_text(structure, &result.metric, result.value.as_ref()),
            target: value_text(structure, &result.metric, Some(&result.target)),
            gap,
            met: result.met,
            percent: None,
        }
    }

    pub fn progress(structure: &TierStructure, requirement: &RequirementProgress) -> Self {
        Self {
            percent: Some(requirement.percent),
            ..Self::of(structure, &requirement.result, Some(requirement.comparison))
        }
    }
}

/// The comparison of a requirement of `structure` (for the results a snapshot stores,
/// which do not carry it).
pub fn comparison_of(structure: &TierStructure, level: usize, metric: &str) -> Option<Comparison> {
    structure
        .levels
        .get(level)
        .and_then(|l| l.requirements.iter().find(|r| r.metric == metric))
        .map(|r| r.comparison)
}

/// A CSV download.
pub fn csv_response(file_name: &str, body: Vec<u8>) -> AppResult<Response> {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// Writes `rows` under `header` as CSV, cells that a spreadsheet would run as formulas escaped.
pub fn csv_of(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(internal)?;
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|cell| tributary_interchange::escape_formula(&cell).into_owned())
            .collect();
        writer.write_record(&cells).map_err(internal)?;
    }
    writer.into_inner().map_err(internal)
}

pub use tributary_store::time::today;

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn numbers_and_money_read_well() {
        assert_eq!(decimal_text(dec!(120400.500)), "120,400.5");
        let structure: TierStructure = serde_json::from_value(serde_json::json!({
            "name": "P", "currency": "USD", "cadence": "quarterly",
            "metrics": [{ "key": "rev", "kind": "net_revenue", "window": { "trailing_months": 12 } }],
            "levels": [], "benefits": [], "region_overrides": [],
            "rules": { "grace": 1, "max_demotion_step": 1 }, "valid_from": "2026-01-01", "valid_until": null
        }))
        .unwrap();
        assert_eq!(money_text(&structure, dec!(1234567.125)), "1,234,567.12 USD");
        assert_eq!(money_text(&structure, dec!(30)), "30.00 USD");
        assert_eq!(
            value_text(&structure, "rev", Some(&MetricValue::Number(dec!(40.5)))),
            "40.50 USD"
        );
        assert_eq!(
            value_text(&structure, "x", Some(&MetricValue::Number(dec!(4.50)))),
            "4.5"
        );
        assert_eq!(
            window_text(MetricWindow::FiscalYearToDate { first_month: 4 }),
            "fiscal year to date (from April)"
        );
    }
}
