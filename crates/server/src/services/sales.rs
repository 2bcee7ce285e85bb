//! Appending sales facts: every line's partner, distributor, account and product are
//! resolved (with a cache, so a file of millions of lines costs one look-up per distinct
//! key), lines go in with the batch that brought them, and the batch is audited once.

use std::collections::HashMap;

use tributary_domain::partner::PartnerType;
use tributary_domain::sales::SalesFactFields;
use tributary_domain::validation::FieldError;
use tributary_store::audit::Actor;
use tributary_store::repo::imports::{self, ImportBatch};
use tributary_store::repo::sales::{self, SalesFact};
use tributary_store::repo::{accounts, partners, products};
use tributary_store::{Conn, Scope, time};

use super::record;
use crate::error::AppResult;

/// Resolves the references of sales lines, remembering what it has looked up.
#[derive(Default)]
pub struct SalesResolver {
    partners: HashMap<String, Option<PartnerType>>,
    accounts: HashMap<String, bool>,
    products: HashMap<String, Option<String>>,
}

impl SalesResolver {
    async fn partner_type(&mut self, conn: &mut Conn<'_>, id: &str) -> AppResult<Option<PartnerType>> {
        if let Some(found) = self.partners.get(id) {
            return Ok(*found);
        }
        let found = partners::get(conn, &Scope::All, id)
            .await?
            .map(|p| p.fields.partner_type);
        self.partners.insert(id.to_string(), found);
        Ok(found)
    }

    /// The stored line for validated fields, or the field errors of its references.
    pub async fn resolve(
        &mut self,
        conn: &mut Conn<'_>,
        fields: SalesFactFields,
        batch_id: &str,
        created_at: &str,
    ) -> AppResult<Result<SalesFact, Vec<FieldError>>> {
        let mut errors = Vec::new();
        let mut add = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        if self.partner_type(conn, &fields.partner_id).await?.is_none() {
            add("partner_id", format!("no partner has id {}", fields.partner_id));
        }
        if let Some(distributor) = &fields.distributor_id {
            match self.partner_type(conn, distributor).await? {
                Some(PartnerType::Distributor) => {}
                Some(other) => add(
                    "distributor_id",
                    format!("partner {distributor} is a {other}, not a distributor"),
                ),
                None => add("distributor_id", format!("no partner has id {distributor}")),
            }
        }
        if !self.accounts.contains_key(&fields.account_id) {
            let exists = accounts::get(conn, &fields.account_id).await?.is_some();
            self.accounts.insert(fields.account_id.clone(), exists);
        }
        if !self.accounts[&fields.account_id] {
            add(
                "account_id",
                format!("no customer account has id {}", fields.account_id),
            );
        }
        if !self.products.contains_key(&fields.product_sku) {
            let id = products::by_sku(conn, &fields.product_sku).await?.map(|p| p.id);
            self.products.insert(fields.product_sku.clone(), id);
        }
        let product_id = self.products[&fields.product_sku].clone();
        if product_id.is_none() {
            add("product_sku", format!("no product has SKU {}", fields.product_sku));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        Ok(Ok(SalesFact {
            id: tributary_domain::ids::new_id(),
            fact_date: fields.fact_date.format("%Y-%m-%d").to_string(),
            partner_id: fields.partner_id,
            distributor_id: fields.distributor_id,
            account_id: fields.account_id,
            product_id: product_id.unwrap_or_default(),
            quantity: fields.quantity,
            amount_minor: fields.amount_minor,
            currency: fields.currency.code().to_string(),
            deal_ref: fields.deal_ref,
            source: fields.source,
            deal_registered: false,
            import_batch_id: Some(batch_id.to_string()),
            created_at: created_at.to_string(),
            cost_minor: fields.cost_minor,
        }))
    }
}

/// Opens the batch record that every line of one submission points to.
pub async fn open_batch(
    conn: &mut Conn<'_>,
    actor: &Actor,
    kind: &str,
    file_name: &str,
    content_sha256: &str,
) -> AppResult<ImportBatch> {
    let batch = ImportBatch {
        id: tributary_domain::ids::new_id(),
        kind: kind.to_string(),
        file_name: file_name.to_string(),
        row_count: 0,
        content_sha256: content_sha256.to_string(),
        created_by: actor.user_id.clone(),
        created_at: time::now_text(),
    };
    imports::insert(conn, &batch).await?;
    Ok(batch)
}

/// Records the finished batch in the audit trail (one record for the whole batch).
pub async fn close_batch(conn: &mut Conn<'_>, actor: &Actor, batch: &ImportBatch, rows: u64) -> AppResult<()> {
    imports::set_row_count(conn, &batch.id, rows as i64).await?;
    let after = serde_json::json!({
        "kind": batch.kind,
        "file_name": batch.file_name,
        "rows": rows,
        "content_sha256": batch.content_sha256,
    });
    record(
        conn,
        actor,
        "import.completed",
        "import_batch",
        &batch.id,
        None::<&()>,
        Some(&after),
    )
    .await
}

/// Appends already resolved lines.
pub async fn append(conn: &mut Conn<'_>, lines: &[SalesFact]) -> AppResult<()> {
    sales::insert_many(conn, lines).await?;
    Ok(())
}
