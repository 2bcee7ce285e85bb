//! One partner's evaluation against a structure: every level's requirement results (what a
//! snapshot stores), the qualifying level under the partner's region, and the decision
//! (promotion, miss, demotion, override). Also the "frequent-flyer" progress towards the
//! next level.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decision::{Decision, Override, PreviousState, decide};
use super::facts::MetricValues;
use super::requirement::{Comparison, Level, MetricValue, RequirementResult};
use super::structure::{Benefits, TierStructure};

/// The results of one level's own requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelCheck {
    pub level: u32,
    pub name: String,
    pub met: bool,
    pub requirements: Vec<RequirementResult>,
}

/// Everything an evaluation decides and records for one partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerEvaluation {
    pub region: Option<String>,
    pub metrics: MetricValues,
    pub checks: Vec<LevelCheck>,
    pub decision: Decision,
    /// The reason of the override that decided the level, when one did.
    pub override_reason: Option<String>,
}

/// Each level's requirement results for `metrics` (levels as adjusted for the region).
pub fn check_levels(levels: &[Level], metrics: &MetricValues) -> Vec<LevelCheck> {
    levels
        .iter()
        .enumerate()
        .map(|(index, level)| {
            let requirements: Vec<RequirementResult> = level
                .requirements
                .iter()
                .map(|r| r.check(metrics.get(&r.metric).copied()))
                .collect();
            LevelCheck {
                level: index as u32,
                name: level.name.clone(),
                met: requirements.iter().all(|r| r.met),
                requirements,
            }
        })
        .collect()
}

/// The highest level whose own requirements all hold.
pub fn qualifying(checks: &[LevelCheck]) -> u32 {
    checks.iter().rev().find(|c| c.met).map_or(0, |c| c.level)
}

/// Evaluates one partner at `date`.
pub fn evaluate_partner(
    structure: &TierStructure,
    region: Option<&str>,
    metrics: MetricValues,
    previous: PreviousState,
    active_override: Option<&Override>,
    date: NaiveDate,
) -> PartnerEvaluation {
    let checks = check_levels(&structure.levels_for_region(region), &metrics);
    let decision = decide(structure.rules, previous, qualifying(&checks), active_override, date);
    PartnerEvaluation {
        region: region.map(str::to_string),
        metrics,
        checks,
        decision,
        override_reason: active_override.filter(|o| o.is_active(date)).map(|o| o.reason.clone()),
    }
}

/// One requirement of the next level, with how far along the partner is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RequirementProgress {
    #[serde(flatten)]
    pub result: RequirementResult,
    pub comparison: Comparison,
    /// 0–100, whole percent.
    pub percent: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NextLevel {
    pub level: u32,
    pub name: String,
    pub requirements: Vec<RequirementProgress>,
}

/// The partner's standing: current level and benefits, and what the next level needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Progress {
    pub level: u32,
    pub level_name: String,
    pub benefits: Benefits,
    pub next: Option<NextLevel>,
}

/// Progress of a partner at `assigned` with `metrics`, under its region's targets.
pub fn progress(structure: &TierStructure, region: Option<&str>, metrics: &MetricValues, assigned: u32) -> Progress {
    let levels = structure.levels_for_region(region);
    let index = (assigned as usize).min(levels.len().saturating_sub(1));
    let next = levels.get(index + 1).map(|level| NextLevel {
        level: (index + 1) as u32,
        name: level.name.clone(),
        requirements: level
            .requirements
            .iter()
            .map(|r| {
                let result = r.check(metrics.get(&r.metric).copied());
                RequirementProgress {
                    percent: percent(&result, r.comparison),
                    comparison: r.comparison,
                    result,
                }
            })
            .collect(),
    });
    Progress {
        level: index as u32,
        level_name: levels.get(index).map(|l| l.name.clone()).unwrap_or_default(),
        benefits: structure.benefits.get(index).cloned().unwrap_or_default(),
        next,
    }
}

/// How much of a target is reached: value ÷ target for "at least" targets, target ÷ value
/// for "at most" ones, all or nothing for yes/no and equality.
fn percent(result: &RequirementResult, comparison: Comparison) -> u32 {
    if result.met {
        return 100;
    }
    let ratio = match (result.value, result.target, comparison) {
        (Some(MetricValue::Number(v)), MetricValue::Number(t), Comparison::AtLeast | Comparison::MoreThan)
            if t > Decimal::ZERO =>
        {
            v.max(Decimal::ZERO) / t
        }
        (Some(MetricValue::Number(v)), MetricValue::Number(t), Comparison::AtMost | Comparison::LessThan)
            if v > Decimal::ZERO =>
        {
            t.max(Decimal::ZERO) / v
        }
        _ => Decimal::ZERO,
    };
    let whole = (ratio * Decimal::ONE_HUNDRED).floor().min(Decimal::from(99));
    u32::try_from(whole.mantissa() / 10i128.pow(whole.scale())).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::decision::EvaluationRules;
    use super::super::requirement::Requirement;
    use super::super::structure::{Applicability, Cadence, MetricDefinition, MetricKind, MetricWindow, RegionOverride};
    use super::*;
    use crate::money::Currency;
    use rust_decimal::dec;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn at_least(metric: &str, target: Decimal) -> Requirement {
        Requirement {
            metric: metric.into(),
            comparison: Comparison::AtLeast,
            target: MetricValue::Number(target),
        }
    }

    fn structure() -> TierStructure {
        let metric = |key: &str, kind, window| MetricDefinition {
            key: String::from(key),
            kind,
            window,
            custom_name: None,
            aggregation: None,
        };
        TierStructure {
            name: "Program".into(),
            currency: Currency::parse("USD").unwrap(),
            applicability: Applicability::default(),
            cadence: Cadence::Quarterly,
            metrics: vec![
                metric("revenue_12m", MetricKind::NetRevenue, MetricWindow::TrailingMonths(12)),
                metric("certified", MetricKind::CertifiedPeople, MetricWindow::AtDate),
            ],
            levels: vec![
                Level {
                    name: "Registered".into(),
                    requirements: vec![],
                },
                Level {
                    name: "Silver".into(),
                    requirements: vec![at_least("revenue_12m", dec!(100000))],
                },
                Level {
                    name: "Gold".into(),
                    requirements: vec![at_least("revenue_12m", dec!(500000)), at_least("certified", dec!(5))],
                },
            ],
            benefits: vec![Benefits::default(); 3],
            region_overrides: vec![RegionOverride {
                region: "latam".into(),
                level: 2,
                metric: "revenue_12m".into(),
                target: MetricValue::Number(dec!(350000)),
            }],
            rules: EvaluationRules {
                grace: 1,
                max_demotion_step: 1,
            },
            valid_from: date("2026-01-01"),
            valid_until: None,
        }
    }

    fn metrics(revenue: Decimal, certified: Decimal) -> MetricValues {
        MetricValues::from([
            ("revenue_12m".to_string(), MetricValue::Number(revenue)),
            ("certified".to_string(), MetricValue::Number(certified)),
        ])
    }

    #[test]
    fn the_progress_card_names_each_gap_to_the_next_level() {
        let p = progress(&structure(), None, &metrics(dec!(379600), dec!(4)), 1);
        assert_eq!(p.level_name, "Silver");
        let next = p.next.unwrap();
        assert_eq!(next.name, "Gold");
        let gaps: Vec<_> = next.requirements.iter().map(|r| (r.result.gap, r.percent)).collect();
        assert_eq!(gaps, vec![(Some(dec!(120400)), 75), (Some(dec!(1)), 80)]);
        assert!(
            progress(&structure(), None, &metrics(dec!(0), dec!(0)), 2)
                .next
                .is_none()
        );
    }

    #[test]
    fn region_overrides_change_the_qualifying_level() {
        let s = structure();
        let start = PreviousState::default();
        let anywhere = evaluate_partner(
            &s,
            None,
            metrics(dec!(400000), dec!(5)),
            start,
            None,
            date("2026-03-31"),
        );
        let latam = evaluate_partner(
            &s,
            Some("latam"),
            metrics(dec!(400000), dec!(5)),
            start,
            None,
            date("2026-03-31"),
        );
        assert_eq!((anywhere.decision.assigned, latam.decision.assigned), (1, 2));
        assert_eq!(
            latam.checks[2].requirements[0].target,
            MetricValue::Number(dec!(350000))
        );
    }
}
