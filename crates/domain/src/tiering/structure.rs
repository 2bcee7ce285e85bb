//! Tier structures as validated data: the metrics they measure (kind and window), ordered
//! levels with their own requirements and benefits, per-region overrides of thresholds,
//! and the demotion rules. [`TierStructure::validate`] refuses a structure that cannot be
//! evaluated sensibly and names the problem.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::decision::EvaluationRules;
use super::requirement::{Comparison, Level, MetricValue};
use utoipa::ToSchema;

use crate::money::Currency;
use crate::partner::PartnerType;
use crate::validation::{Errors, FieldError};

crate::code_enum! {
    /// What a metric measures.
    pub enum MetricKind ("metric kind") {
        NetRevenue => ("net_revenue", "Net revenue"),
        DealsWon => ("deals_won", "Deals won"),
        NewCustomers => ("new_customers", "New customers"),
        CertifiedPeople => ("certified_people", "Certified people"),
        TrainingCompletions => ("training_completions", "Training completions"),
        AverageCsat => ("average_csat", "Average CSAT"),
        AgreementAccepted => ("agreement_accepted", "Agreement accepted"),
        Custom => ("custom", "Custom metric"),
    }
}

impl MetricKind {
    pub fn is_monetary(self) -> bool {
        self == MetricKind::NetRevenue
    }

    pub fn is_flag(self) -> bool {
        self == MetricKind::AgreementAccepted
    }
}

impl MetricKind {
    /// The name of the imported `(partner, metric, date, value)` facts a kind reads, until
    /// the capability that produces them natively exists (custom metrics name their own).
    pub fn fact_name(self) -> Option<&'static str> {
        match self {
            MetricKind::DealsWon => Some("deals_won"),
            MetricKind::CertifiedPeople => Some("certified_people"),
            MetricKind::TrainingCompletions => Some("training_completions"),
            MetricKind::AverageCsat => Some("csat"),
            MetricKind::AgreementAccepted => Some("agreement_accepted"),
            MetricKind::NetRevenue | MetricKind::NewCustomers | MetricKind::Custom => None,
        }
    }

    /// How the kind aggregates its facts (custom metrics choose).
    pub fn default_aggregation(self) -> Aggregation {
        match self {
            MetricKind::CertifiedPeople | MetricKind::AgreementAccepted => Aggregation::Latest,
            MetricKind::AverageCsat => Aggregation::Average,
            _ => Aggregation::Sum,
        }
    }
}

crate::code_enum! {
    /// How metric facts in a window become one value.
    pub enum Aggregation ("aggregation") {
        Sum => ("sum", "Sum over the window"),
        Average => ("average", "Average over the window"),
        Latest => ("latest", "Latest value on the evaluation date"),
    }
}

crate::code_enum! {
    /// How often a structure is evaluated on schedule (at each period's last day).
    pub enum Cadence ("cadence") {
        Monthly => ("monthly", "Monthly"),
        Quarterly => ("quarterly", "Quarterly"),
    }
}

/// The dates a metric aggregates over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricWindow {
    /// Dates d with E − N months < d ≤ E.
    TrailingMonths(u32),
    /// From the start of the fiscal period containing E (fiscal year starting in this month).
    FiscalYearToDate { first_month: u32 },
    /// The state at the evaluation date (certifications valid on E, agreement accepted).
    AtDate,
}

/// The longest trailing window a metric may use (ten years).
pub const MAX_WINDOW_MONTHS: u32 = 120;

/// A metric a structure's requirements refer to by `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetricDefinition {
    pub key: String,
    pub kind: MetricKind,
    pub window: MetricWindow,
    /// For custom metrics: the name of the imported `(partner, metric, date, value)` facts.
    #[serde(default)]
    pub custom_name: Option<String>,
    /// For custom metrics: how their facts aggregate (default: sum).
    #[serde(default)]
    pub aggregation: Option<Aggregation>,
}

impl MetricDefinition {
    /// The aggregation in force: the kind's own, or the custom metric's choice.
    pub fn aggregation(&self) -> Aggregation {
        match self.kind {
            MetricKind::Custom => self.aggregation.unwrap_or(Aggregation::Sum),
            kind => kind.default_aggregation(),
        }
    }

    /// The name of the metric facts this metric reads, if it reads any.
    pub fn fact_name(&self) -> Option<&str> {
        match self.kind {
            MetricKind::Custom => self.custom_name.as_deref(),
            kind => kind.fact_name(),
        }
    }
}

/// Which partners a structure applies to: every non-empty criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Applicability {
    pub partner_types: Vec<PartnerType>,
    /// Region codes: the partner's head-office country must be in one of them.
    pub regions: Vec<String>,
    /// A saved segment the partner must belong to.
    pub segment_id: Option<String>,
}

/// What a level gives its partners.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Benefits {
    pub discount_percent: Decimal,
    pub rebate_multiplier: Decimal,
    pub mdf_allocation: Decimal,
    pub lead_priority: u32,
    pub content_tags: Vec<String>,
}

/// A region's own target for one requirement of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RegionOverride {
    pub region: String,
    pub level: usize,
    pub metric: String,
    pub target: MetricValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TierStructure {
    pub name: String,
    /// Currency of monetary targets and metrics.
    #[schema(value_type = String)]
    pub currency: Currency,
    #[serde(default)]
    pub applicability: Applicability,
    pub cadence: Cadence,
    pub metrics: Vec<MetricDefinition>,
    /// Lowest first; level 0 has no requirements.
    pub levels: Vec<Level>,
    pub benefits: Vec<Benefits>,
    pub region_overrides: Vec<RegionOverride>,
    pub rules: EvaluationRules,
    pub valid_from: NaiveDate,
    /// Last day the structure applies (open-ended when absent).
    pub valid_until: Option<NaiveDate>,
}

impl TierStructure {
    /// Every problem, each naming the level, requirement or field concerned.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.add("name", "is required");
        }
        if self.levels.len() < 2 {
            errors.add("levels", "a structure needs at least two levels");
        }
        if self.benefits.len() != self.levels.len() {
            errors.add("benefits", "give one set of benefits per level");
        }
        if self.rules.max_demotion_step == 0 {
            errors.add("rules.max_demotion_step", "must be at least 1");
        }
        if self.valid_until.is_some_and(|until| until < self.valid_from) {
            errors.add("valid_until", "must not be before valid_from");
        }
        self.check_metrics(&mut errors);
        self.check_levels(&mut errors);
        self.check_overrides(&mut errors);
        errors.finish(|| ())
    }

    fn metric(&self, key: &str) -> Option<&MetricDefinition> {
        self.metrics.iter().find(|m| m.key == key)
    }

    fn check_metrics(&self, errors: &mut Errors) {
        for (i, metric) in self.metrics.iter().enumerate() {
            if self.metrics[..i].iter().any(|m| m.key == metric.key) {
                errors.add("metrics", format!("metric '{}' is defined twice", metric.key));
            }
            if metric.kind == MetricKind::Custom && metric.custom_name.as_deref().is_none_or(str::is_empty) {
                errors.add(
                    "metrics",
                    format!("custom metric '{}' needs the name of its imported facts", metric.key),
                );
            }
            if metric.kind != MetricKind::Custom && metric.aggregation.is_some() {
                errors.add(
                    "metrics",
                    format!("metric '{}': only custom metrics choose their aggregation", metric.key),
                );
            }
            let at_date = metric.window == MetricWindow::AtDate;
            if at_date != (metric.aggregation() == Aggregation::Latest) {
                errors.add(
                    "metrics",
                    format!(
                        "metric '{}': {} {}",
                        metric.key,
                        metric.aggregation().label().to_lowercase(),
                        if at_date {
                            "needs a period window (trailing months or fiscal year to date), not the evaluation date"
                        } else {
                            "is read on the evaluation date: use the 'at date' window"
                        }
                    ),
                );
            }
            if !metric.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || metric.key.is_empty() {
                errors.add(
                    "metrics",
                    format!("metric key '{}' may only use letters, digits and '_'", metric.key),
                );
            }
            if let MetricWindow::TrailingMonths(months) = metric.window
                && !(1..=MAX_WINDOW_MONTHS).contains(&months)
            {
                errors.add(
                    "metrics",
                    format!(
                        "metric '{}': a trailing window covers 1 to {MAX_WINDOW_MONTHS} months, not {months}",
                        metric.key
                    ),
                );
            }
            if let MetricWindow::FiscalYearToDate { first_month } = metric.window
                && !(1..=12).contains(&first_month)
            {
                errors.add(
                    "metrics",
                    format!("metric '{}': the fiscal year must start in month 1–12", metric.key),
                );
            }
        }
    }

    fn check_levels(&self, errors: &mut Errors) {
        for (index, level) in self.levels.iter().enumerate() {
            if self.levels[..index].iter().any(|l| l.name == level.name) {
                errors.add("levels", format!("level name '{}' is used twice", level.name));
            }
            if index == 0 && !level.requirements.is_empty() {
                errors.add(
                    "levels",
                    format!("the entry level '{}' cannot have requirements", level.name),
                );
            }
            for requirement in &level.requirements {
                let place = format!("level '{}', requirement on '{}'", level.name, requirement.metric);
                let Some(metric) = self.metric(&requirement.metric) else {
                    errors.add("levels", format!("{place}: unknown metric"));
                    continue;
                };
                match requirement.target {
                    MetricValue::Flag(_) if !metric.kind.is_flag() => {
                        errors.add("levels", format!("{place}: the target must be a number"))
                    }
                    MetricValue::Number(_) if metric.kind.is_flag() => {
                        errors.add("levels", format!("{place}: the target must be true or false"))
                    }
                    MetricValue::Flag(_) if requirement.comparison != Comparison::Equals => errors.add(
                        "levels",
                        format!("{place}: a yes/no metric can only be compared with =="),
                    ),
                    _ => {}
                }
                if let Some(lower) = self.lower_target(index, requirement) {
                    errors.add(
                        "levels",
                        format!("{place}: the target is easier than the lower level '{lower}' (levels must be ordered lowest first)"),
                    );
                }
            }
        }
    }

    /// The name of a lower level whose target for the same metric and comparison is
    /// stricter than this one's, if any.
    fn lower_target(&self, index: usize, requirement: &super::requirement::Requirement) -> Option<&str> {
        let MetricValue::Number(target) = requirement.target else {
            return None;
        };
        self.levels[..index].iter().find_map(|lower| {
            lower
                .requirements
                .iter()
                .filter(|r| r.metric == requirement.metric && r.comparison == requirement.comparison)
                .find_map(|r| match (r.target, requirement.comparison) {
                    (MetricValue::Number(t), Comparison::AtLeast | Comparison::MoreThan) if t > target => {
                        Some(lower.name.as_str())
                    }
                    (MetricValue::Number(t), Comparison::AtMost | Comparison::LessThan) if t < target => {
                        Some(lower.name.as_str())
                    }
                    _ => None,
                })
        })
    }

    fn check_overrides(&self, errors: &mut Errors) {
        for o in &self.region_overrides {
            let Some(level) = self.levels.get(o.level) else {
                errors.add(
                    "region_overrides",
                    format!("region '{}': there is no level {}", o.region, o.level),
                );
                continue;
            };
            if !level.requirements.iter().any(|r| r.metric == o.metric) {
                errors.add(
                    "region_overrides",
                    format!(
                        "region '{}': level '{}' has no requirement on '{}'",
                        o.region, level.name, o.metric
                    ),
                );
            }
        }
    }

    /// The levels with a region's overridden targets applied.
    pub fn levels_for_region(&self, region: Option<&str>) -> Vec<Level> {
        let mut levels = self.levels.clone();
        for o in self
            .region_overrides
            .iter()
            .filter(|o| Some(o.region.as_str()) == region)
        {
            if let Some(level) = levels.get_mut(o.level) {
                for requirement in level.requirements.iter_mut().filter(|r| r.metric == o.metric) {
                    requirement.target = o.target;
                }
            }
        }
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::super::requirement::Requirement;
    use super::*;
    use rust_decimal::dec;

    fn at_least(metric: &str, target: Decimal) -> Requirement {
        Requirement {
            metric: metric.into(),
            comparison: Comparison::AtLeast,
            target: MetricValue::Number(target),
        }
    }

    fn structure() -> TierStructure {
        TierStructure {
            name: "Partner program".into(),
            currency: Currency::parse("USD").unwrap(),
            applicability: Applicability::default(),
            cadence: Cadence::Quarterly,
            metrics: vec![
                MetricDefinition {
                    key: "revenue_12m".into(),
                    kind: MetricKind::NetRevenue,
                    window: MetricWindow::TrailingMonths(12),
                    custom_name: None,
                    aggregation: None,
                },
                MetricDefinition {
                    key: "certified".into(),
                    kind: MetricKind::CertifiedPeople,
                    window: MetricWindow::AtDate,
                    custom_name: None,
                    aggregation: None,
                },
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
                target: MetricValue::Number(dec!(250000)),
            }],
            rules: EvaluationRules {
                grace: 1,
                max_demotion_step: 1,
            },
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_until: None,
        }
    }

    fn messages(s: &TierStructure) -> Vec<String> {
        s.validate().unwrap_err().into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn a_sound_structure_validates_and_applies_region_overrides() {
        let s = structure();
        assert!(s.validate().is_ok());
        let latam = s.levels_for_region(Some("latam"));
        assert_eq!(latam[2].requirements[0].target, MetricValue::Number(dec!(250000)));
        assert_eq!(
            s.levels_for_region(Some("dach"))[2].requirements[0].target,
            MetricValue::Number(dec!(500000))
        );
    }

    #[test]
    fn unordered_levels_unknown_metrics_and_bad_overrides_are_named() {
        let mut s = structure();
        s.levels[2].requirements[0].target = MetricValue::Number(dec!(50000));
        let found = messages(&s);
        assert!(
            found
                .iter()
                .any(|m| m.contains("level 'Gold'") && m.contains("easier than the lower level 'Silver'")),
            "{found:?}"
        );

        let mut s = structure();
        s.levels[1].requirements.push(at_least("csat", dec!(4)));
        assert!(messages(&s).iter().any(|m| m.contains("'csat': unknown metric")));

        let mut s = structure();
        s.region_overrides[0].metric = "certified_people".into();
        s.region_overrides.push(RegionOverride {
            region: "apac".into(),
            level: 7,
            metric: "revenue_12m".into(),
            target: MetricValue::Number(dec!(1)),
        });
        let found = messages(&s);
        assert!(
            found
                .iter()
                .any(|m| m.contains("has no requirement on 'certified_people'")),
            "{found:?}"
        );
        assert!(found.iter().any(|m| m.contains("there is no level 7")), "{found:?}");

        let mut s = structure();
        s.levels[0].requirements.push(at_least("certified", dec!(1)));
        s.rules.max_demotion_step = 0;
        s.valid_until = s.valid_from.pred_opt();
        let found = messages(&s);
        assert!(found.iter().any(|m| m.contains("entry level")), "{found:?}");
        assert!(found.iter().any(|m| m.contains("at least 1")), "{found:?}");
        assert!(found.iter().any(|m| m.contains("before valid_from")), "{found:?}");
    }
}
