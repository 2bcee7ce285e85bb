//! Tier structures: drafts and published structures, and the definition of every
//! published version (a published structure changes only by publishing a draft of it).

use sea_query::{Cond, Expr, ExprTrait};
use serde::Serialize;
use tributary_domain::tiering::TierStructure;

use super::drafts::{self, Draftable, Tables, draftable_records};
use crate::{Conn, StoreError};

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

impl Draftable for StoredStructure {
    type Definition = TierStructure;
    type Version = StructureVersion;
    const TABLES: Tables = Tables {
        table: "tier_structures",
        versions: "tier_structure_versions",
        owner: "structure_id",
        noun: "tier structure",
        short: "structure",
    };

    fn summary(definition: &TierStructure) -> Vec<(&'static str, Expr)> {
        vec![("name", definition.name.clone().into())]
    }

    fn version_summary(_: &TierStructure) -> Vec<(&'static str, Expr)> {
        Vec::new()
    }

    draftable_records!(StoredStructure, StructureStatus, StructureVersion);
}

/// Every structure, published first, then by name.
pub async fn list(conn: &mut Conn<'_>, status: Option<StructureStatus>) -> Result<Vec<StoredStructure>, StoreError> {
    let mut cond = Cond::all();
    if let Some(status) = status {
        cond = cond.add(Expr::col("status").eq(status.as_str()));
    }
    drafts::list(conn, cond).await
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<StoredStructure>, StoreError> {
    drafts::get(conn, id).await
}

/// Stores a new draft (of `draft_of`, or of a structure not published yet).
pub async fn insert_draft(
    conn: &mut Conn<'_>,
    id: &str,
    draft_of: Option<&str>,
    definition: &TierStructure,
    created_by: Option<&str>,
) -> Result<StoredStructure, StoreError> {
    drafts::insert_draft(conn, id, draft_of, definition, created_by).await
}

/// Replaces a draft's definition.
pub async fn update_draft(
    conn: &mut Conn<'_>,
    current: &StoredStructure,
    definition: &TierStructure,
) -> Result<StoredStructure, StoreError> {
    drafts::update_draft(conn, current, definition).await
}

/// Makes `definition` the next published version of structure `target` (which may be a
/// draft being published for the first time) and records the version.
pub async fn publish(
    conn: &mut Conn<'_>,
    target: &StoredStructure,
    definition: &TierStructure,
    published_by: Option<&str>,
) -> Result<StoredStructure, StoreError> {
    drafts::publish(conn, target, definition, published_by).await
}

/// Deletes a draft (after it was published into its structure, or discarded).
pub async fn delete_draft(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    drafts::delete_draft::<StoredStructure>(conn, id).await
}

/// One published version of a structure.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StructureVersion {
    pub version: i64,
    pub definition: TierStructure,
    pub published_by: Option<String>,
    pub published_at: String,
}

/// Every published version of a structure, newest first.
pub async fn versions(conn: &mut Conn<'_>, structure_id: &str) -> Result<Vec<StructureVersion>, StoreError> {
    drafts::versions::<StoredStructure>(conn, structure_id).await
}
