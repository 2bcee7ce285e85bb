//! The progress card's one-line summary: what is missing for the next level, in words —
//! "$120,400 more revenue and 1 more certified person to reach Gold by 31 March 2026".

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::evaluation::Progress;
use super::requirement::{Comparison, MetricValue};
use super::structure::{MetricKind, TierStructure};
use crate::money::{Currency, group_thousands};

fn count(gap: Decimal) -> String {
    group_thousands(&gap.normalize().to_string())
}

fn plural(gap: Decimal, one: &str, many: &str) -> String {
    format!("{} {}", count(gap), if gap == Decimal::ONE { one } else { many })
}

/// An amount still needed, in whole units rounded up (a shortfall of 0.40 still needs 1).
fn money(currency: Currency, amount: Decimal) -> String {
    let text = group_thousands(&amount.max(Decimal::ZERO).ceil().normalize().to_string());
    match currency.code() {
        "USD" => format!("${text}"),
        "EUR" => format!("€{text}"),
        "GBP" => format!("£{text}"),
        code => format!("{text} {code}"),
    }
}

/// What one unmet requirement still needs, in words.
fn missing(
    structure: &TierStructure,
    metric: &str,
    comparison: Comparison,
    target: MetricValue,
    gap: Decimal,
) -> String {
    let kind = structure.metrics.iter().find(|m| m.key == metric);
    let at_least = matches!(comparison, Comparison::AtLeast | Comparison::MoreThan);
    let target_text = match target {
        MetricValue::Number(n) => n.normalize().to_string(),
        MetricValue::Flag(f) => f.to_string(),
    };
    match kind.map(|m| m.kind) {
        _ if !at_least && matches!(target, MetricValue::Number(_)) => {
            format!("{metric} {} {target_text}", comparison.label())
        }
        Some(MetricKind::NetRevenue) => format!("{} more revenue", money(structure.currency, gap)),
        Some(MetricKind::CertifiedPeople) => plural(gap, "more certified person", "more certified people"),
        Some(MetricKind::NewCustomers) => plural(gap, "more new customer", "more new customers"),
        Some(MetricKind::DealsWon) => plural(gap, "more won deal", "more won deals"),
        Some(MetricKind::TrainingCompletions) => plural(gap, "more training completion", "more training completions"),
        Some(MetricKind::AverageCsat) => format!("an average CSAT of {target_text}"),
        Some(MetricKind::AgreementAccepted) => "the partner agreement accepted".to_string(),
        _ => format!("{} more {metric}", count(gap)),
    }
}

/// The summary of `progress` towards its next level, due by `by`; `None` at the top level.
pub fn progress_sentence(structure: &TierStructure, progress: &Progress, by: NaiveDate) -> Option<String> {
    let next = progress.next.as_ref()?;
    let parts: Vec<String> = next
        .requirements
        .iter()
        .filter(|r| !r.result.met)
        .map(|r| {
            missing(
                structure,
                &r.result.metric,
                r.comparison,
                r.result.target,
                r.result.gap.unwrap_or_default(),
            )
        })
        .collect();
    let date = by.format("%-d %B %Y");
    Some(match parts.as_slice() {
        [] => format!(
            "All requirements of {} are met: the next evaluation on {date} promotes you",
            next.name
        ),
        [one] => format!("{one} to reach {} by {date}", next.name),
        [init @ .., last] => format!("{} and {last} to reach {} by {date}", init.join(", "), next.name),
    })
}

#[cfg(test)]
mod tests {
    use super::super::evaluation::progress;
    use super::super::facts::MetricValues;
    use super::*;

    #[test]
    fn the_summary_names_each_gap_in_words() {
        let structure: TierStructure = serde_json::from_value(serde_json::json!({
            "name": "Program", "currency": "USD", "cadence": "quarterly",
            "metrics": [
                { "key": "revenue_12m", "kind": "net_revenue", "window": { "trailing_months": 12 } },
                { "key": "certified", "kind": "certified_people", "window": "at_date" }
            ],
            "levels": [
                { "name": "Silver", "requirements": [] },
                { "name": "Gold", "requirements": [
                    { "metric": "revenue_12m", "comparison": ">=", "target": "500000" },
                    { "metric": "certified", "comparison": ">=", "target": "5" }
                ] }
            ],
            "benefits": [
                { "discount_percent": "0", "rebate_multiplier": "1", "mdf_allocation": "0", "lead_priority": 0, "content_tags": [] },
                { "discount_percent": "10", "rebate_multiplier": "1.5", "mdf_allocation": "5000", "lead_priority": 2, "content_tags": [] }
            ],
            "region_overrides": [], "rules": { "grace": 1, "max_demotion_step": 1 },
            "valid_from": "2026-01-01", "valid_until": null
        }))
        .unwrap();
        let metrics = MetricValues::from([
            ("revenue_12m".to_string(), MetricValue::Number(Decimal::from(379_600))),
            ("certified".to_string(), MetricValue::Number(Decimal::from(4))),
        ]);
        let p = progress(&structure, None, &metrics, 0);
        let by = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(
            progress_sentence(&structure, &p, by).unwrap(),
            "$120,400 more revenue and 1 more certified person to reach Gold by 31 March 2026"
        );
        assert!(progress_sentence(&structure, &progress(&structure, None, &metrics, 1), by).is_none());
    }
}
