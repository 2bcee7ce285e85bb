//! Imported metric facts: `(partner, metric, date, value)` values such as certified people,
//! CSAT scores or custom program metrics. Append-only like sales facts.

use sea_query::{Cond, Expr, ExprTrait, Query};
use serde::Serialize;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError};

pub const SORTABLE: &[&str] = &["fact_date", "metric", "created_at"];

/// A stored metric fact; `value` is an exact decimal in text form.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MetricFactRow {
    pub id: String,
    pub partner_id: String,
    pub metric: String,
    pub fact_date: String,
    pub value: String,
    pub source: String,
    pub import_batch_id: Option<String>,
    pub created_at: String,
}

const COLUMNS: [&str; 8] = [
    "id",
    "partner_id",
    "metric",
    "fact_date",
    "value",
    "source",
    "import_batch_id",
    "created_at",
];

impl Keyed for MetricFactRow {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "fact_date" => self.fact_date.clone(),
            "metric" => self.metric.clone(),
            _ => self.created_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct MetricFactFilter {
    pub partner_id: Option<String>,
    pub metric: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
}

fn condition(scope: &Scope, filter: &MetricFactFilter) -> Cond {
    super::matching(
        Cond::all().add(scope.partner_condition("partner_id")),
        &[("partner_id", &filter.partner_id), ("metric", &filter.metric)],
        "fact_date",
        (&filter.date_from, &filter.date_to),
    )
}

pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &MetricFactFilter,
    request: &PageRequest,
) -> Result<Page<MetricFactRow>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("metric_facts", c)))
        .from("metric_facts")
        .cond_where(condition(scope, filter))
        .take();
    page::apply(&mut query, "metric_facts", request);
    let rows = conn.fetch_all(&query).await?;
    page::finish(rows, request)
}

/// Every fact dated on or before `until`, in recording order, for metric computation.
pub async fn for_metrics(conn: &mut Conn<'_>, until: &str) -> Result<Vec<MetricFactRow>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("metric_facts")
            .and_where(Expr::col("fact_date").lte(until))
            .order_by("created_at", sea_query::Order::Asc)
            .order_by("id", sea_query::Order::Asc)
            .take(),
    )
    .await
}

/// Appends facts in multi-row statements; ids and timestamps are set by the caller.
pub async fn insert_many(conn: &mut Conn<'_>, facts: &[MetricFactRow]) -> Result<(), StoreError> {
    for chunk in facts.chunks(1000) {
        let mut insert = Query::insert().into_table("metric_facts").columns(COLUMNS).take();
        for f in chunk {
            insert.values_panic([
                f.id.clone().into(),
                f.partner_id.clone().into(),
                f.metric.clone().into(),
                f.fact_date.clone().into(),
                f.value.clone().into(),
                f.source.clone().into(),
                f.import_batch_id.clone().into(),
                f.created_at.clone().into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}
