//! Metric facts: one row per `(partner, metric, date, value)` — certified people, CSAT,
//! training completions, agreement acceptance (1/0), deals won or a custom program
//! metric. Values are exact decimal text. Append-only, like sales facts.

use tributary_domain::metric_fact::{MetricFactFields, MetricFactInput};
use tributary_domain::validation::{Errors, FieldError};

use super::{ExportKind, ImportKind, validated};
use crate::column::Column;
use crate::row::RowValues;

/// Imported metric values.
#[derive(Debug, Clone, Copy)]
pub struct MetricFacts;

/// A stored metric fact as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFactRecord {
    pub id: String,
    pub fact: MetricFactFields,
    /// RFC 3339 timestamp.
    pub created_at: String,
}

impl ImportKind for MetricFacts {
    type Input = MetricFactInput;
    type Fields = MetricFactFields;
    const NAME: &'static str = "metric facts";
    const COLUMNS: &'static [Column] = &[
        Column::export_only(
            "id",
            "The fact's id (ignored on import)",
            "0190d0d0-0000-7000-8000-000000000007",
        ),
        Column::required(
            "partner_id",
            "The partner the value belongs to",
            "0190d0d0-0000-7000-8000-000000000005",
        ),
        Column::required(
            "metric",
            "Metric name: certified_people, training_completions, csat, agreement_accepted, deals_won or a custom name",
            "certified_people",
        ),
        Column::required("fact_date", "Date the value applies to, YYYY-MM-DD", "2026-03-31"),
        Column::required("value", "Exact decimal value (1 = yes, 0 = no for agreements)", "4"),
        Column::optional("source", "Where the value came from, e.g. lms (blank: import)", "lms"),
        Column::export_only(
            "created_at",
            "When the fact was recorded (ignored on import)",
            "2026-04-01T06:00:00Z",
        ),
    ];

    fn parse(row: &RowValues<'_>) -> Result<(MetricFactInput, MetricFactFields), Vec<FieldError>> {
        let input = MetricFactInput {
            partner_id: row.text("partner_id"),
            metric: row.text("metric"),
            fact_date: row.text("fact_date"),
            value: row.text("value"),
            source: Some(row.optional("source").unwrap_or_else(|| "import".to_string())),
        };
        validated(input, Errors::new(), MetricFactInput::validate)
    }
}

impl ExportKind for MetricFacts {
    type Record<'a> = &'a MetricFactRecord;

    fn cells(record: Self::Record<'_>) -> Vec<String> {
        let fact = &record.fact;
        vec![
            record.id.clone(),
            fact.partner_id.clone(),
            fact.metric.clone(),
            fact.fact_date.to_string(),
            fact.value.to_string(),
            fact.source.clone(),
            record.created_at.clone(),
        ]
    }
}
