//! The draft/publish/version storage that tier structures and incentive plans share: a
//! table of drafts and published definitions (JSON beside a few columns lists filter and
//! sort by), and a table of every published version. A published row changes only by
//! publishing a draft into it, which bumps its version (refused when someone else
//! published meanwhile) and records the definition of the new version. Each user of this
//! module names its tables and columns in a [`Tables`] and implements [`Draftable`].

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Conn, StoreError, time};

/// Where one kind of draftable definition is kept.
pub(crate) struct Tables {
    /// The drafts and published definitions (`tier_structures`).
    pub table: &'static str,
    /// Every published version (`tier_structure_versions`).
    pub versions: &'static str,
    /// The versions table's column naming the definition (`structure_id`).
    pub owner: &'static str,
    /// What one is called in errors (`tier structure`), and for short (`structure`).
    pub noun: &'static str,
    pub short: &'static str,
}

/// The columns of [`Tables::table`] every draftable has.
pub(crate) const COLUMNS: [&str; 9] = [
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

pub(crate) const DRAFT: &str = "draft";
pub(crate) const PUBLISHED: &str = "published";

/// One row of [`Tables::table`], with its definition parsed.
pub(crate) struct Record<D> {
    pub id: String,
    pub status: String,
    pub draft_of: Option<String>,
    pub version: i64,
    pub definition: D,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
}

/// One row of [`Tables::versions`], with its definition parsed.
pub(crate) struct Published<D> {
    pub version: i64,
    pub definition: D,
    pub published_by: Option<String>,
    pub published_at: String,
}

/// A stored draftable (a tier structure, an incentive plan) and its published versions.
pub(crate) trait Draftable: Sized + Clone {
    type Definition: Serialize + DeserializeOwned + Clone;
    type Version;
    const TABLES: Tables;
    /// The columns of [`Tables::table`] besides [`COLUMNS`] taken from the definition.
    fn summary(definition: &Self::Definition) -> Vec<(&'static str, Expr)>;
    /// The columns of [`Tables::versions`] besides the common ones taken from the definition.
    fn version_summary(definition: &Self::Definition) -> Vec<(&'static str, Expr)>;
    fn from_record(record: Record<Self::Definition>) -> Result<Self, StoreError>;
    fn record(&self) -> Record<Self::Definition>;
    fn from_published(published: Published<Self::Definition>) -> Self::Version;
}

/// Implements the record conversions of [`Draftable`] for a stored type with the fields
/// of [`Record`], its status enum and its version type with the fields of [`Published`].
macro_rules! draftable_records {
    ($stored:ident, $status:ident, $version:ident) => {
        fn from_record(r: $crate::repo::drafts::Record<Self::Definition>) -> Result<Self, $crate::StoreError> {
            Ok($stored {
                status: $status::parse(&r.status).map_err($crate::StoreError::Corrupt)?,
                id: r.id,
                draft_of: r.draft_of,
                version: r.version,
                definition: r.definition,
                created_by: r.created_by,
                created_at: r.created_at,
                updated_at: r.updated_at,
                published_at: r.published_at,
            })
        }

        fn record(&self) -> $crate::repo::drafts::Record<Self::Definition> {
            $crate::repo::drafts::Record {
                id: self.id.clone(),
                status: self.status.as_str().to_string(),
                draft_of: self.draft_of.clone(),
                version: self.version,
                definition: self.definition.clone(),
                created_by: self.created_by.clone(),
                created_at: self.created_at.clone(),
                updated_at: self.updated_at.clone(),
                published_at: self.published_at.clone(),
            }
        }

        fn from_published(p: $crate::repo::drafts::Published<Self::Definition>) -> $version {
            $version {
                version: p.version,
                definition: p.definition,
                published_by: p.published_by,
                published_at: p.published_at,
            }
        }
    };
}
pub(crate) use draftable_records;

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

pub(crate) fn parse_definition<S: Draftable>(id: &str, json: &str) -> Result<S::Definition, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{} {id}: {e}", S::TABLES.noun)))
}

fn definition_json<S: Draftable>(definition: &S::Definition) -> String {
    serde_json::to_string(definition).expect("a draftable definition always serialises")
}

fn stored<S: Draftable>(row: Row) -> Result<S, StoreError> {
    S::from_record(Record {
        definition: parse_definition::<S>(&row.id, &row.definition_json)?,
        id: row.id,
        status: row.status,
        draft_of: row.draft_of,
        version: row.version,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
        published_at: row.published_at,
    })
}

/// Every row matching `cond`, published first, then by name.
pub(crate) async fn list<S: Draftable>(conn: &mut Conn<'_>, cond: Cond) -> Result<Vec<S>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from(S::TABLES.table)
                .cond_where(cond)
                .order_by("status", Order::Desc)
                .order_by("name", Order::Asc)
                .order_by("id", Order::Asc)
                .take(),
        )
        .await?;
    rows.into_iter().map(stored).collect()
}

pub(crate) async fn get<S: Draftable>(conn: &mut Conn<'_>, id: &str) -> Result<Option<S>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from(S::TABLES.table)
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(stored).transpose()
}

/// Stores a new draft (of `draft_of`, or of one not published yet).
pub(crate) async fn insert_draft<S: Draftable>(
    conn: &mut Conn<'_>,
    id: &str,
    draft_of: Option<&str>,
    definition: &S::Definition,
    created_by: Option<&str>,
) -> Result<S, StoreError> {
    let now = time::now_text();
    let (summary_columns, summary_values): (Vec<&str>, Vec<Expr>) = S::summary(definition).into_iter().unzip();
    conn.execute(
        &Query::insert()
            .into_table(S::TABLES.table)
            .columns(summary_columns.into_iter().chain(COLUMNS))
            .values_panic(summary_values.into_iter().chain([
                id.into(),
                DRAFT.into(),
                draft_of.map(str::to_string).into(),
                0i64.into(),
                definition_json::<S>(definition).into(),
                created_by.map(str::to_string).into(),
                now.clone().into(),
                now.clone().into(),
                None::<String>.into(),
            ]))
            .take(),
    )
    .await?;
    S::from_record(Record {
        id: id.to_string(),
        status: DRAFT.to_string(),
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
pub(crate) async fn update_draft<S: Draftable>(
    conn: &mut Conn<'_>,
    current: &S,
    definition: &S::Definition,
) -> Result<S, StoreError> {
    let now = time::now_text();
    let mut record = current.record();
    conn.execute(
        &Query::update()
            .table(S::TABLES.table)
            .values(S::summary(definition).into_iter().chain([
                ("definition_json", definition_json::<S>(definition).into()),
                ("updated_at", now.clone().into()),
            ]))
            .and_where(Expr::col("id").eq(record.id.clone()))
            .and_where(Expr::col("status").eq(DRAFT))
            .take(),
    )
    .await?;
    record.definition = definition.clone();
    record.updated_at = now;
    S::from_record(record)
}

/// Makes `definition` the next published version of `target` (which may be a draft being
/// published for the first time) and records the version. Refuses (conflict) when someone
/// published it meanwhile.
pub(crate) async fn publish<S: Draftable>(
    conn: &mut Conn<'_>,
    target: &S,
    definition: &S::Definition,
    published_by: Option<&str>,
) -> Result<S, StoreError> {
    let now = time::now_text();
    let mut record = target.record();
    let version = record.version + 1;
    let changed = conn
        .execute(
            &Query::update()
                .table(S::TABLES.table)
                .values(S::summary(definition).into_iter().chain([
                    ("status", PUBLISHED.into()),
                    ("draft_of", None::<String>.into()),
                    ("version", version.into()),
                    ("definition_json", definition_json::<S>(definition).into()),
                    ("updated_at", now.clone().into()),
                    ("published_at", now.clone().into()),
                ]))
                .and_where(Expr::col("id").eq(record.id.clone()))
                .and_where(Expr::col("version").eq(record.version))
                .take(),
        )
        .await?;
    if changed != 1 {
        return Err(StoreError::Conflict(format!(
            "the {} was published by someone else meanwhile",
            S::TABLES.short
        )));
    }
    let (summary_columns, summary_values): (Vec<&str>, Vec<Expr>) = S::version_summary(definition).into_iter().unzip();
    conn.execute(
        &Query::insert()
            .into_table(S::TABLES.versions)
            .columns(
                [S::TABLES.owner, "version", "definition_json"]
                    .into_iter()
                    .chain(summary_columns)
                    .chain(["published_by", "published_at"]),
            )
            .values_panic(
                [
                    record.id.clone().into(),
                    version.into(),
                    definition_json::<S>(definition).into(),
                ]
                .into_iter()
                .chain(summary_values)
                .chain([published_by.map(str::to_string).into(), now.clone().into()]),
            )
            .take(),
    )
    .await?;
    record.status = PUBLISHED.to_string();
    record.draft_of = None;
    record.version = version;
    record.definition = definition.clone();
    record.updated_at = now.clone();
    record.published_at = Some(now);
    S::from_record(record)
}

/// Deletes a draft (after it was published, or discarded).
pub(crate) async fn delete_draft<S: Draftable>(conn: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::delete()
            .from_table(S::TABLES.table)
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq(DRAFT))
            .take(),
    )
    .await
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    definition_json: String,
    published_by: Option<String>,
    published_at: String,
}

const VERSION_COLUMNS: [&str; 4] = ["version", "definition_json", "published_by", "published_at"];

fn published<S: Draftable>(id: &str, row: VersionRow) -> Result<S::Version, StoreError> {
    Ok(S::from_published(Published {
        definition: parse_definition::<S>(id, &row.definition_json)?,
        version: row.version,
        published_by: row.published_by,
        published_at: row.published_at,
    }))
}

/// Every published version of `id`, newest first.
pub(crate) async fn versions<S: Draftable>(conn: &mut Conn<'_>, id: &str) -> Result<Vec<S::Version>, StoreError> {
    let rows: Vec<VersionRow> = conn
        .fetch_all(
            &Query::select()
                .columns(VERSION_COLUMNS)
                .from(S::TABLES.versions)
                .and_where(Expr::col(S::TABLES.owner).eq(id))
                .order_by("version", Order::Desc)
                .take(),
        )
        .await?;
    rows.into_iter().map(|row| published::<S>(id, row)).collect()
}

/// One published version of `id`.
pub(crate) async fn version<S: Draftable>(
    conn: &mut Conn<'_>,
    id: &str,
    version: i64,
) -> Result<Option<S::Version>, StoreError> {
    let row: Option<VersionRow> = conn
        .fetch_optional(
            &Query::select()
                .columns(VERSION_COLUMNS)
                .from(S::TABLES.versions)
                .and_where(Expr::col(S::TABLES.owner).eq(id))
                .and_where(Expr::col("version").eq(version))
                .take(),
        )
        .await?;
    row.map(|row| published::<S>(id, row)).transpose()
}
