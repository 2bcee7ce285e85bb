//! Appending metric facts: each line's partner must exist and be one the submitter may
//! touch (a channel manager: the partners it manages); lines go in with the batch that
//! brought them, audited once per batch.

use std::collections::HashMap;

use tributary_domain::metric_fact::MetricFactFields;
use tributary_domain::validation::FieldError;
use tributary_store::repo::metric_facts::{self, MetricFactRow};
use tributary_store::repo::partners;
use tributary_store::{Conn, Scope};

use crate::error::AppResult;

/// Resolves the partner of metric-fact lines within the submitter's scope, remembering
/// what it has looked up.
pub struct MetricFactResolver<'a> {
    scope: &'a Scope,
    partners: HashMap<String, bool>,
}

impl<'a> MetricFactResolver<'a> {
    pub fn new(scope: &'a Scope) -> Self {
        Self {
            scope,
            partners: HashMap::new(),
        }
    }

    /// The stored line for validated fields, or the field error of its partner.
    pub async fn resolve(
        &mut self,
        conn: &mut Conn<'_>,
        fields: MetricFactFields,
        batch_id: &str,
        created_at: &str,
    ) -> AppResult<Result<MetricFactRow, Vec<FieldError>>> {
        if !self.partners.contains_key(&fields.partner_id) {
            let visible = partners::get(conn, self.scope, &fields.partner_id).await?.is_some();
            self.partners.insert(fields.partner_id.clone(), visible);
        }
        if !self.partners[&fields.partner_id] {
            return Ok(Err(vec![FieldError {
                field: "partner_id".into(),
                message: format!("no partner you may record facts for has id {}", fields.partner_id),
            }]));
        }
        Ok(Ok(MetricFactRow {
            id: tributary_domain::ids::new_id(),
            partner_id: fields.partner_id,
            metric: fields.metric,
            fact_date: fields.fact_date.format("%Y-%m-%d").to_string(),
            value: fields.value.normalize().to_string(),
            source: fields.source,
            import_batch_id: Some(batch_id.to_string()),
            created_at: created_at.to_string(),
        }))
    }
}

pub async fn append(conn: &mut Conn<'_>, lines: &[MetricFactRow]) -> AppResult<()> {
    Ok(metric_facts::insert_many(conn, lines).await?)
}
