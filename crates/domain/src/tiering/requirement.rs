//! Requirements: a metric compared with a target. A level's requirements are its own list;
//! the qualifying level is the highest level all of whose requirements hold (level 0 has
//! none and always qualifies).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A metric's value: a number (revenue, counts, averages) or a flag (agreement accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum MetricValue {
    Number(Decimal),
    Flag(bool),
}

crate::code_enum! {
    /// How a metric is compared with its target.
    pub enum Comparison ("comparison") {
        AtLeast => (">=", "at least"),
        MoreThan => (">", "more than"),
        AtMost => ("<=", "at most"),
        LessThan => ("<", "less than"),
        Equals => ("==", "equal to"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Requirement {
    pub metric: String,
    pub comparison: Comparison,
    pub target: MetricValue,
}

/// One requirement checked against a partner's metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequirementResult {
    pub metric: String,
    pub value: Option<MetricValue>,
    pub target: MetricValue,
    /// How much more (or less, for upper bounds) is needed; zero when met. Numbers only.
    pub gap: Option<Decimal>,
    pub met: bool,
}

impl Requirement {
    /// Checks the requirement; a missing metric or a value of the wrong kind is not met.
    pub fn check(&self, value: Option<MetricValue>) -> RequirementResult {
        let met = match (value, self.target) {
            (Some(MetricValue::Number(v)), MetricValue::Number(t)) => match self.comparison {
                Comparison::AtLeast => v >= t,
                Comparison::MoreThan => v > t,
                Comparison::AtMost => v <= t,
                Comparison::LessThan => v < t,
                Comparison::Equals => v == t,
            },
            (Some(MetricValue::Flag(v)), MetricValue::Flag(t)) => self.comparison == Comparison::Equals && v == t,
            _ => false,
        };
        let gap = match (value, self.target) {
            (_, MetricValue::Number(_)) if met => Some(Decimal::ZERO),
            (Some(MetricValue::Number(v)), MetricValue::Number(t)) => Some((t - v).abs()),
            (None, MetricValue::Number(t)) => Some(t),
            _ => None,
        };
        RequirementResult {
            metric: self.metric.clone(),
            value,
            target: self.target,
            gap,
            met,
        }
    }
}

/// A level of a tier structure with its own requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Level {
    pub name: String,
    pub requirements: Vec<Requirement>,
}

/// The highest level (index into `levels`, level 0 first) all of whose own requirements hold.
pub fn qualifying_level(levels: &[Level], metric: impl Fn(&str) -> Option<MetricValue>) -> usize {
    levels
        .iter()
        .enumerate()
        .rev()
        .find(|(_, level)| level.requirements.iter().all(|r| r.check(metric(&r.metric)).met))
        .map_or(0, |(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn at_least(metric: &str, target: Decimal) -> Requirement {
        Requirement {
            metric: metric.into(),
            comparison: Comparison::AtLeast,
            target: MetricValue::Number(target),
        }
    }

    fn levels() -> Vec<Level> {
        vec![
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
                requirements: vec![
                    at_least("revenue_12m", dec!(500000)),
                    at_least("certified_people", dec!(5)),
                ],
            },
            Level {
                name: "Platinum".into(),
                requirements: vec![
                    at_least("revenue_12m", dec!(1000000)),
                    Requirement {
                        metric: "agreement_signed".into(),
                        comparison: Comparison::Equals,
                        target: MetricValue::Flag(true),
                    },
                ],
            },
        ]
    }

    #[test]
    fn the_highest_level_whose_own_requirements_hold_qualifies() {
        let metrics = |revenue: Decimal, certified: Decimal, signed: bool| {
            move |name: &str| match name {
                "revenue_12m" => Some(MetricValue::Number(revenue)),
                "certified_people" => Some(MetricValue::Number(certified)),
                "agreement_signed" => Some(MetricValue::Flag(signed)),
                _ => None,
            }
        };
        assert_eq!(qualifying_level(&levels(), metrics(dec!(99999.99), dec!(9), true)), 0);
        assert_eq!(qualifying_level(&levels(), metrics(dec!(100000), dec!(0), false)), 1);
        assert_eq!(qualifying_level(&levels(), metrics(dec!(600000), dec!(5), false)), 2);
        // Platinum's own list does not repeat Gold's certification rule: it qualifies.
        assert_eq!(qualifying_level(&levels(), metrics(dec!(1000000), dec!(0), true)), 3);
    }

    #[test]
    fn results_carry_value_target_and_gap() {
        let result = at_least("revenue_12m", dec!(500000)).check(Some(MetricValue::Number(dec!(379600))));
        assert!(!result.met);
        assert_eq!(result.gap, Some(dec!(120400)));
        let missing = at_least("certified_people", dec!(5)).check(None);
        assert_eq!((missing.met, missing.gap), (false, Some(dec!(5))));
        let met = at_least("certified_people", dec!(5)).check(Some(MetricValue::Number(dec!(7))));
        assert_eq!((met.met, met.gap), (true, Some(Decimal::ZERO)));
    }
}
