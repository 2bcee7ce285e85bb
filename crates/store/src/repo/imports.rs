//! Import batches: one record per imported file, so every imported fact can be traced to
//! the file (by SHA-256) and the person that brought it in.

use sea_query::{Order, Query};
use serde::Serialize;

use crate::{Conn, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ImportBatch {
    pub id: String,
    pub kind: String,
    pub file_name: String,
    pub row_count: i64,
    pub content_sha256: String,
    pub created_by: Option<String>,
    pub created_at: String,
}

const COLUMNS: [&str; 7] = [
    "id",
    "kind",
    "file_name",
    "row_count",
    "content_sha256",
    "created_by",
    "created_at",
];

pub async fn insert(conn: &mut Conn<'_>, batch: &ImportBatch) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("import_batches")
            .columns(COLUMNS)
            .values_panic([
                batch.id.clone().into(),
                batch.kind.clone().into(),
                batch.file_name.clone().into(),
                batch.row_count.into(),
                batch.content_sha256.clone().into(),
                batch.created_by.clone().into(),
                batch.created_at.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(())
}

pub async fn recent(conn: &mut Conn<'_>, limit: u64) -> Result<Vec<ImportBatch>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("import_batches")
            .order_by("created_at", Order::Desc)
            .limit(limit)
            .take(),
    )
    .await
}

pub async fn set_row_count(conn: &mut Conn<'_>, id: &str, rows: i64) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("import_batches")
            .value("row_count", rows)
            .and_where(sea_query::ExprTrait::eq(sea_query::Expr::col("id"), id))
            .take(),
    )
    .await?;
    Ok(())
}
