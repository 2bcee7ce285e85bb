//! Saved partner segments (named filters).

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::segment::{SegmentFields, SegmentFilter};

use crate::{Conn, StoreError, time};

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Segment {
    pub id: String,
    #[serde(flatten)]
    pub fields: SegmentFields,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    description: Option<String>,
    filter_json: String,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
}

const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "description",
    "filter_json",
    "created_by",
    "created_at",
    "updated_at",
];

impl TryFrom<Row> for Segment {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let filter: SegmentFilter = serde_json::from_str(&row.filter_json)
            .map_err(|e| StoreError::Corrupt(format!("segment {} filter: {e}", row.id)))?;
        Ok(Segment {
            fields: SegmentFields {
                name: row.name,
                description: row.description,
                filter,
            },
            id: row.id,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

pub async fn list(conn: &mut Conn<'_>) -> Result<Vec<Segment>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from("segments")
                .order_by("name", Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(Segment::try_from).collect()
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<Segment>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("segments")
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(Segment::try_from).transpose()
}

fn filter_json(fields: &SegmentFields) -> String {
    serde_json::to_string(&fields.filter).expect("a segment filter always serialises")
}

pub async fn insert(
    conn: &mut Conn<'_>,
    id: &str,
    fields: &SegmentFields,
    created_by: Option<&str>,
) -> Result<Segment, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::insert()
            .into_table("segments")
            .columns(COLUMNS)
            .values_panic([
                id.into(),
                fields.name.clone().into(),
                fields.description.clone().into(),
                filter_json(fields).into(),
                created_by.map(str::to_string).into(),
                now.clone().into(),
                now.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(Segment {
        id: id.to_string(),
        fields: fields.clone(),
        created_by: created_by.map(str::to_string),
        created_at: now.clone(),
        updated_at: now,
    })
}

pub async fn update(conn: &mut Conn<'_>, current: &Segment, fields: &SegmentFields) -> Result<Segment, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::update()
            .table("segments")
            .values([
                ("name", fields.name.clone().into()),
                ("description", fields.description.clone().into()),
                ("filter_json", filter_json(fields).into()),
                ("updated_at", now.clone().into()),
            ])
            .and_where(Expr::col("id").eq(current.id.clone()))
            .take(),
    )
    .await?;
    Ok(Segment {
        fields: fields.clone(),
        updated_at: now,
        ..current.clone()
    })
}

pub async fn delete(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("segments")
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}
