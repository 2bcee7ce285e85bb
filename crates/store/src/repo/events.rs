//! The event outbox: things that happened (a partner promoted, a partner at risk) recorded
//! in the same transaction as the change, for the communications capability to deliver.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::{Conn, Scope, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub partner_id: Option<String>,
    pub subject_type: String,
    pub subject_id: String,
    pub payload_json: String,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

const COLUMNS: [&str; 8] = [
    "id",
    "kind",
    "partner_id",
    "subject_type",
    "subject_id",
    "payload_json",
    "created_at",
    "delivered_at",
];

pub async fn insert_many(conn: &mut Conn<'_>, events: &[Event]) -> Result<(), StoreError> {
    for chunk in events.chunks(1000) {
        let mut insert = Query::insert().into_table("events").columns(COLUMNS).take();
        for e in chunk {
            insert.values_panic([
                e.id.clone().into(),
                e.kind.clone().into(),
                e.partner_id.clone().into(),
                e.subject_type.clone().into(),
                e.subject_id.clone().into(),
                e.payload_json.clone().into(),
                e.created_at.clone().into(),
                e.delivered_at.clone().into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// The newest events of a kind prefix (e.g. `tier.`) visible in `scope`.
pub async fn recent(
    conn: &mut Conn<'_>,
    scope: &Scope,
    kind_prefix: &str,
    limit: u64,
) -> Result<Vec<Event>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("events")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("kind").like(format!("{kind_prefix}%")))
            .order_by("created_at", Order::Desc)
            .order_by("id", Order::Desc)
            .limit(limit)
            .take(),
    )
    .await
}
