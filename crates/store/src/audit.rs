//! The audit trail: every mutation appends a record (actor, time, action, entity, before,
//! after) in the same transaction as the change. Records are chained: each hash covers the
//! record and the previous hash, so editing or deleting any record breaks every later link,
//! and [`verify`] names the first broken one.
//!
//! Appends are serialised through the single `audit_head` row: the first statement of an
//! append bumps its sequence number, which row-locks it on PostgreSQL (SQLite write
//! transactions are already exclusive), so the chain has no gaps or forks under concurrency.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{Conn, StoreError, time};

/// Who did it: a user, or the system (imports run from the command line, schedulers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<String>,
    pub label: String,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_string(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    hash: String,
}

fn chain_hash(record: &AuditRecord) -> String {
    let mut hasher = Sha256::new();
    for part in [
        record.prev_hash.as_str(),
        &record.seq.to_string(),
        &record.occurred_at,
        record.actor_id.as_deref().unwrap_or(""),
        &record.actor_label,
        &record.action,
        &record.entity_type,
        &record.entity_id,
        record.before_json.as_deref().unwrap_or(""),
        record.after_json.as_deref().unwrap_or(""),
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends one record to the chain; call inside the transaction that makes the change.
pub async fn append(conn: &mut Conn<'_>, actor: &Actor, change: Change<'_>) -> Result<i64, StoreError> {
    conn.execute(
        &Query::update()
            .table("audit_head")
            .value("seq", Expr::col("seq").add(1))
            .and_where(Expr::col("id").eq(1))
            .take(),
    )
    .await?;
    let head: Head = conn
        .fetch_optional(
            &Query::select()
                .columns(["seq", "hash"])
                .from("audit_head")
                .and_where(Expr::col("id").eq(1))
                .take(),
        )
        .await?
        .ok_or_else(|| StoreError::Corrupt("audit_head row is missing".into()))?;
    let mut record = AuditRecord {
        seq: head.seq,
        occurred_at: time::now_text(),
        actor_id: actor.user_id.clone(),
        actor_label: actor.label.clone(),
        action: change.action.to_string(),
        entity_type: change.entity_type.to_string(),
        entity_id: change.entity_id.to_string(),
        before_json: change.before.map(|v| v.to_string()),
        after_json: change.after.map(|v| v.to_string()),
        prev_hash: head.hash,
        hash: String::new(),
    };
    record.hash = chain_hash(&record);
    conn.execute(
        &Query::insert()
            .into_table("audit_log")
            .columns([
                "seq",
                "occurred_at",
                "actor_id",
                "actor_label",
                "action",
                "entity_type",
                "entity_id",
                "before_json",
                "after_json",
                "prev_hash",
                "hash",
            ])
            .values_panic([
                record.seq.into(),
                record.occurred_at.clone().into(),
                record.actor_id.clone().into(),
                record.actor_label.clone().into(),
                record.action.clone().into(),
                record.entity_type.clone().into(),
                record.entity_id.clone().into(),
                record.before_json.clone().into(),
                record.after_json.clone().into(),
                record.prev_hash.clone().into(),
                record.hash.clone().into(),
            ])
            .take(),
    )
    .await?;
    conn.execute(
        &Query::update()
            .table("audit_head")
            .value("hash", record.hash.clone())
            .and_where(Expr::col("id").eq(1))
            .take(),
    )
    .await?;
    Ok(record.seq)
}

/// The history of one entity, newest first.
pub async fn history(conn: &mut Conn<'_>, entity_type: &str, entity_id: &str) -> Result<Vec<AuditRecord>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .column(sea_query::Asterisk)
            .from("audit_log")
            .and_where(Expr::col("entity_type").eq(entity_type))
            .and_where(Expr::col("entity_id").eq(entity_id))
            .order_by("seq", Order::Desc)
            .limit(500)
            .take(),
    )
    .await
}

/// The most recent records across all entities, newest first, optionally before a sequence number.
pub async fn recent(conn: &mut Conn<'_>, before_seq: Option<i64>, limit: u64) -> Result<Vec<AuditRecord>, StoreError> {
    let mut query = Query::select()
        .column(sea_query::Asterisk)
        .from("audit_log")
        .order_by("seq", Order::Desc)
        .limit(limit.clamp(1, 1000))
        .take();
    if let Some(seq) = before_seq {
        query.and_where(Expr::col("seq").lt(seq));
    }
    conn.fetch_all(&query).await
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verification {
    /// Every record's hash and link is intact.
    Intact { records: i64 },
    /// The first record whose content, hash or link does not check out.
    Broken { seq: i64, reason: String },
}

/// Walks the chain from the first record in batches and checks every link and hash, and
/// that the head points at the last record.
pub async fn verify(conn: &mut Conn<'_>) -> Result<Verification, StoreError> {
    const BATCH: u64 = 5000;
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1i64;
    loop {
        let batch: Vec<AuditRecord> = conn
            .fetch_all(
                &Query::select()
                    .column(sea_query::Asterisk)
                    .from("audit_log")
                    .and_where(Expr::col("seq").gte(expected_seq))
                    .order_by("seq", Order::Asc)
                    .limit(BATCH)
                    .take(),
            )
            .await?;
        let done = (batch.len() as u64) < BATCH;
        for record in batch {
            if record.seq != expected_seq {
                return Ok(Verification::Broken {
                    seq: expected_seq,
                    reason: format!("record {expected_seq} is missing (next present is {})", record.seq),
                });
            }
            if record.prev_hash != expected_prev {
                return Ok(Verification::Broken {
                    seq: record.seq,
                    reason: "its link to the previous record does not match".into(),
                });
            }
            if chain_hash(&record) != record.hash {
                return Ok(Verification::Broken {
                    seq: record.seq,
                    reason: "its content does not match its hash (the record was altered)".into(),
                });
            }
            expected_prev = record.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let head: Head = conn
        .fetch_optional(
            &Query::select()
                .columns(["seq", "hash"])
                .from("audit_head")
                .and_where(Expr::col("id").eq(1))
                .take(),
        )
        .await?
        .ok_or_else(|| StoreError::Corrupt("audit_head row is missing".into()))?;
    let records = expected_seq - 1;
    if head.seq != records || head.hash != expected_prev {
        return Ok(Verification::Broken {
            seq: records + 1,
            reason: format!(
                "the chain head says {} records but {records} were found intact (records were removed from the end)",
                head.seq
            ),
        });
    }
    Ok(Verification::Intact { records })
}
