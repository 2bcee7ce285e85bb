//! Tier structures: drafts and published structures, and the definition of every
//! published version (a published structure changes only by publishing a draft of it).

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::tiering::TierStructure;

use crate::{Conn, StoreError, time};

tributary_domain::code_enum! {
    /// Where a structure is in its life.
    pub enum StructureStatus ("structure status") {
        Draft => ("draft", "Draft"),
        Published => ("published", "Published"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoredStructure {
    pub id: String,
    pub status: StructureStatus,
    /// For a draft: the published structure it will replace when published.
    pub draft_of: Option<String>,
    /// The published version number (0 for a draft never published).
    pub version: i64,
    pub definition: TierStructure,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    status: String,
    draft_of: Option<String>,
    version: i64,
    definition_json: String,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
    published_at: Option<String>,
}

const COLUMNS: [&str; 9] = [
    "id",
    "status",
    "draft_of",
    "version",
    "definition_json",
    "created_by",
    "created_at",
    "updated_at",
    "published_at",
];

fn parse_definition(id: &str, json: &str) -> Result<TierStructure, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("tier structure {id}: {e}")))
}

fn definition_json(definition: &TierStructure) -> String {
    serde_json::to_string(definition).expect("a tier structure always serialises")
}

impl TryFrom<Row> for StoredStructure {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        Ok(StoredStructure {
            definition: parse_definition(&row.id, &row.definition_json)?,
            status: StructureStatus::parse(&row.status).map_err(StoreError::Corrupt)?,
            id: row.id,
            draft_of: row.draft_of,
            version: row.version,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        })
    }
}

/// Every structure, published first, then by name.
pub async fn list(conn: &mut Conn<'_>, status: Option<StructureStatus>) -> Result<Vec<StoredStructure>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS)
        .from("tier_structures")
        .order_by("status", Order::Desc)
        .order_by("name", Order::Asc)
        .order_by("id", Order::Asc)
        .take();
    if let Some(status) = status {
        query.and_where(Expr::col("status").eq(status.as_str()));
    }
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    rows.into_iter().map(StoredStructure::try_from).collect()
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<StoredStructure>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("tier_structures")
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(StoredStructure::try_from).transpose()
}

/// Stores a new draft (of `draft_of`, or of a structure not published yet).
pub async fn insert_draft(
    conn: &mut Conn<'_>,
    id: &str,
    draft_of: Option<&str>,
    definition: &TierStructure,
    created_by: Option<&str>,
) -> Result<StoredStructure, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::insert()
            .into_table("tier_structures")
            .columns(["name"].into_iter().chain(COLUMNS))
            .values_panic([
                definition.name.clone().into(),
                id.into(),
                StructureStatus::Draft.as_str().into(),
                draft_of.map(str::to_string).into(),
                0i64.into(),
                definition_json(definition).into(),
                created_by.map(str::to_string).into(),
                now.clone().into(),
                now.clone().into(),
                None::<String>.into(),
            ])
            .take(),
    )
    .await?;
    Ok(StoredStructure {
        id: id.to_string(),
        status: StructureStatus::Draft,
        draft_of: draft_of.map(str::to_string),
        version: 0,
        definition: definition.clone(),
        created_by: created_by.map(str::to_string),
        created_at: now.clone(),
        updated_at: now,
        published_at: None,
    })
}

/// Replaces a draft's definition.
pub async fn update_draft(
    conn: &mut Conn<'_>,
    current: &StoredStructure,
    definition: &TierStructure,
) -> Result<StoredStructure, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::update()
            .table("tier_structures")
            .values([
                ("name", definition.name.clone().into()),
                ("definition_json", definition_json(definition).into()),
                ("updated_at", now.clone().into()),
            ])
            .and_where(Expr::col("id").eq(current.id.clone()))
            .and_where(Expr::col("status").eq(StructureStatus::Draft.as_str()))
            .take(),
    )
    .await?;
    Ok(StoredStructure {
        definition: definition.clone(),
        updated_at: now,
        ..current.clone()
    })
}

/// Makes `definition` the next published version of structure `id` (which may be a
/// draft being published for the first time) and records the version.
pub async fn publish(
    conn: &mut Conn<'_>,
    target: &StoredStructure,
    definition: &TierStructure,
    published_by: Option<&str>,
) -> Result<StoredStructure, StoreError> {
    let now = time::now_text();
    let version = target.version + 1;
    conn.execute(
        &Query::update()
            .table("tier_structures")
            .values([
                ("name", definition.name.clone().into()),
                ("status", StructureStatus::Published.as_str().into()),
                ("draft_of", None::<String>.into()),
                ("version", version.into()),
                ("definition_json", definition_json(definition).into()),
                ("updated_at", now.clone().into()),
                ("published_at", now.clone().into()),
            ])
            .and_where(Expr::col("id").eq(target.id.clone()))
            .and_where(Expr::col("version").eq(target.version))
            .take(),
    )
    .await
    .and_then(|changed| {
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(
                "the structure was published by someone else meanwhile".into(),
            ))
        }
    })?;
    conn.execute(
        &Query::insert()
            .into_table("tier_structure_versions")
            .columns([
                "structure_id",
                "version",
                "definition_json",
                "published_by",
                "published_at",
            ])
            .values_panic([
                target.id.clone().into(),
                version.into(),
                definition_json(definition).into(),
                published_by.map(str::to_string).into(),
                now.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(StoredStructure {
        status: StructureStatus::Published,
        draft_of: None,
        version,
        definition: definition.clone(),
        updated_at: now.clone(),
        published_at: Some(now),
        ..target.clone()
    })
}

/// Deletes a draft (after it was published into its structure, or discarded).
pub async fn delete_draft(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("tier_structures")
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq(StructureStatus::Draft.as_str()))
            .take(),
    )
    .await
}

/// One published version of a structure.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StructureVersion {
    pub version: i64,
    pub definition: TierStructure,
    pub published_by: Option<String>,
    pub published_at: String,
}

pub async fn versions(conn: &mut Conn<'_>, structure_id: &str) -> Result<Vec<StructureVersion>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct VersionRow {
        version: i64,
        definition_json: String,
        published_by: Option<String>,
        published_at: String,
    }
    let rows: Vec<VersionRow> = conn
        .fetch_all(
            &Query::select()
                .columns(["version", "definition_json", "published_by", "published_at"])
                .from("tier_structure_versions")
                .and_where(Expr::col("structure_id").eq(structure_id))
                .order_by("version", Order::Desc)
                .take(),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(StructureVersion {
                definition: parse_definition(structure_id, &r.definition_json)?,
                version: r.version,
                published_by: r.published_by,
                published_at: r.published_at,
            })
        })
        .collect()
}
