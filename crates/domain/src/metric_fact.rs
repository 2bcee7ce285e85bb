//! Metric facts: `(partner, metric, date, value)` values imported for tier metrics —
//! certified people, training completions, CSAT scores, agreement acceptance (1 or 0),
//! deals won, or any custom program metric. Append-only; a correction is a later fact.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::parse_decimal;
use crate::validation::{Errors, FieldError, date, optional_text, required_text};

/// One metric fact as submitted (API body or CSV row).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MetricFactInput {
    pub partner_id: String,
    /// The metric's name, e.g. `certified_people` or a custom name: letters, digits, `_`.
    pub metric: String,
    /// YYYY-MM-DD.
    pub fact_date: String,
    /// Exact decimal text, e.g. `4`, `4.5`, `1` for yes.
    pub value: String,
    /// Where the fact came from, e.g. "lms".
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricFactFields {
    pub partner_id: String,
    pub metric: String,
    pub fact_date: NaiveDate,
    pub value: Decimal,
    pub source: String,
}

/// A metric name: lowercase letters, digits and `_`, starting with a letter, at most 60.
pub fn metric_name(value: &str) -> Result<String, String> {
    let name = value.trim().to_ascii_lowercase();
    let valid = name.len() <= 60
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(name)
    } else {
        Err(format!(
            "'{}' is not a metric name (letters, digits and '_', starting with a letter, at most 60)",
            value.trim()
        ))
    }
}

impl MetricFactInput {
    pub fn validate(&self) -> Result<MetricFactFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let partner_id = errors.check("partner_id", required_text(&self.partner_id, 64));
        let metric = errors.check("metric", metric_name(&self.metric));
        let fact_date = errors.check("fact_date", date(&self.fact_date));
        let value = errors.check("value", parse_decimal(&self.value));
        let source = errors.check("source", optional_text(self.source.as_deref(), 60));
        errors.finish(|| MetricFactFields {
            partner_id: partner_id.unwrap_or_default(),
            metric: metric.unwrap_or_default(),
            fact_date: fact_date.unwrap_or_default(),
            value: value.unwrap_or_default(),
            source: source.flatten().unwrap_or_else(|| "api".to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_validated_field_by_field() {
        let good = MetricFactInput {
            partner_id: "p1".into(),
            metric: "Certified_People".into(),
            fact_date: "2026-03-01".into(),
            value: "4".into(),
            source: None,
        };
        let fields = good.validate().unwrap();
        assert_eq!(
            (fields.metric.as_str(), fields.source.as_str()),
            ("certified_people", "api")
        );
        let bad = MetricFactInput {
            metric: "9 lives".into(),
            fact_date: "2026-02-30".into(),
            value: "four".into(),
            ..good
        };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["metric", "fact_date", "value"]);
    }
}
