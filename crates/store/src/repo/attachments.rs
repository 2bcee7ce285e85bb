//! Files attached to a record (e.g. the proof of an incentive claim), stored in the
//! database as base64 with their SHA-256 so they are backed up and scoped like the record
//! they belong to. Lists carry only the metadata; the content is read on download.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, Scope, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Attachment {
    pub id: String,
    /// What the file belongs to, e.g. `claim`.
    pub subject_type: String,
    pub subject_id: String,
    pub partner_id: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub created_at: String,
}

const COLUMNS: [&str; 10] = [
    "id",
    "subject_type",
    "subject_id",
    "partner_id",
    "file_name",
    "content_type",
    "size_bytes",
    "sha256",
    "uploaded_by",
    "created_at",
];

/// An attachment with its content.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredFile {
    #[sqlx(flatten)]
    pub attachment: Attachment,
    pub content_base64: String,
}

pub async fn insert(conn: &mut Conn<'_>, file: &StoredFile) -> Result<(), StoreError> {
    let a = &file.attachment;
    conn.execute(
        &Query::insert()
            .into_table("attachments")
            .columns(COLUMNS.iter().copied().chain(["content_base64"]))
            .values_panic([
                a.id.clone().into(),
                a.subject_type.clone().into(),
                a.subject_id.clone().into(),
                a.partner_id.clone().into(),
                a.file_name.clone().into(),
                a.content_type.clone().into(),
                a.size_bytes.into(),
                a.sha256.clone().into(),
                a.uploaded_by.clone().into(),
                a.created_at.clone().into(),
                file.content_base64.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

/// The attachments of one record, oldest first (metadata only).
pub async fn of_subject(
    conn: &mut Conn<'_>,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<Attachment>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("attachments")
            .and_where(Expr::col("subject_type").eq(subject_type))
            .and_where(Expr::col("subject_id").eq(subject_id))
            .order_by("created_at", Order::Asc)
            .order_by("id", Order::Asc)
            .take(),
    )
    .await
}

/// One attachment of a record with its content, if the record's partner is in `scope`.
pub async fn get(
    conn: &mut Conn<'_>,
    scope: &Scope,
    subject_type: &str,
    subject_id: &str,
    id: &str,
) -> Result<Option<StoredFile>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS.iter().copied().chain(["content_base64"]))
            .from("attachments")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("subject_type").eq(subject_type))
            .and_where(Expr::col("subject_id").eq(subject_id))
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}
