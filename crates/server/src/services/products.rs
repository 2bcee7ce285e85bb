//! Creating and changing products; the SKU is unique.

use tributary_domain::product::ProductFields;
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::products::{self, Product};

use super::record;
use crate::error::{AppError, AppResult};

fn duplicate_sku(fields: &ProductFields) -> impl FnOnce(tributary_store::StoreError) -> AppError + '_ {
    move |e| match e {
        tributary_store::StoreError::Conflict(_) => AppError::Conflict(format!("SKU {} is already in use", fields.sku)),
        other => other.into(),
    }
}

pub async fn create(conn: &mut Conn<'_>, actor: &Actor, id: &str, fields: &ProductFields) -> AppResult<Product> {
    let product = products::insert(conn, id, fields)
        .await
        .map_err(duplicate_sku(fields))?;
    record(
        conn,
        actor,
        "product.created",
        "product",
        id,
        None::<&()>,
        Some(&product),
    )
    .await?;
    Ok(product)
}

pub async fn update(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &Product,
    fields: &ProductFields,
) -> AppResult<Product> {
    let updated = products::update(conn, current, fields)
        .await
        .map_err(duplicate_sku(fields))?;
    record(
        conn,
        actor,
        "product.updated",
        "product",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}
