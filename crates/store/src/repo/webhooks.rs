//! Webhook endpoints and their deliveries. An endpoint belongs to a partner organisation
//! (it receives that partner's events only) or to the vendor (`partner_id` NULL, every
//! event). Its signing secret is written and read here but never part of
//! [`WebhookEndpoint`], so it cannot leak into an API response or the audit trail.
//!
//! Delivery works off the event outbox in two steps, both safe with several servers:
//! fan-out turns undelivered events into one delivery row per matching endpoint (the
//! events are read `FOR UPDATE SKIP LOCKED` on PostgreSQL, and `UNIQUE (endpoint_id,
//! event_id)` makes a repeated fan-out a no-op); a sender then claims a due delivery with
//! a conditional update on the attempt count and due time it read, so only one server
//! sends each attempt, and records the outcome only if its claim still stands.

use sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query, SelectStatement};
use serde::Serialize;

use crate::repo::events::Event;
use crate::{Conn, Scope, StoreError};

/// A registered receiver of events (its secret is kept apart).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WebhookEndpoint {
    pub id: String,
    /// The partner organisation whose events the endpoint receives; absent for the
    /// vendor's endpoints, which receive the events of every partner.
    pub partner_id: Option<String>,
    pub url: String,
    /// The event kinds delivered (e.g. `statement.ready`).
    pub event_kinds: Vec<String>,
    /// Inactive endpoints get no new deliveries and pending ones wait.
    pub active: bool,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: String,
    partner_id: Option<String>,
    url: String,
    event_kinds: String,
    active: bool,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<EndpointRow> for WebhookEndpoint {
    fn from(row: EndpointRow) -> Self {
        WebhookEndpoint {
            id: row.id,
            partner_id: row.partner_id,
            url: row.url,
            event_kinds: row.event_kinds.split_whitespace().map(str::to_string).collect(),
            active: row.active,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

const ENDPOINT_COLUMNS: [&str; 8] = [
    "id",
    "partner_id",
    "url",
    "event_kinds",
    "active",
    "created_by",
    "created_at",
    "updated_at",
];

pub async fn insert(conn: &mut Conn<'_>, endpoint: &WebhookEndpoint, secret: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("webhook_endpoints")
            .columns(ENDPOINT_COLUMNS.into_iter().chain(["secret"]))
            .values_panic([
                endpoint.id.clone().into(),
                endpoint.partner_id.clone().into(),
                endpoint.url.clone().into(),
                endpoint.event_kinds.join(" ").into(),
                endpoint.active.into(),
                endpoint.created_by.clone().into(),
                endpoint.created_at.clone().into(),
                endpoint.updated_at.clone().into(),
                secret.into(),
            ])
            .take(),
    )
    .await?;
    Ok(())
}

/// The endpoint `id` if `scope` sees it (a partner scope never sees the vendor's).
pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<WebhookEndpoint>, StoreError> {
    let row: Option<EndpointRow> = conn
        .fetch_optional(
            &Query::select()
                .columns(ENDPOINT_COLUMNS)
                .from("webhook_endpoints")
                .and_where(Expr::col("id").eq(id))
                .cond_where(scope.partner_condition("partner_id"))
                .take(),
        )
        .await?;
    Ok(row.map(WebhookEndpoint::from))
}

/// The endpoints `scope` sees, oldest first.
pub async fn list(conn: &mut Conn<'_>, scope: &Scope) -> Result<Vec<WebhookEndpoint>, StoreError> {
    let rows: Vec<EndpointRow> = conn
        .fetch_all(
            &Query::select()
                .columns(ENDPOINT_COLUMNS)
                .from("webhook_endpoints")
                .cond_where(scope.partner_condition("partner_id"))
                .order_by("created_at", Order::Asc)
                .order_by("id", Order::Asc)
                .take(),
        )
        .await?;
    Ok(rows.into_iter().map(WebhookEndpoint::from).collect())
}

/// Every active endpoint (fan-out matches events against them).
pub async fn active(conn: &mut Conn<'_>) -> Result<Vec<WebhookEndpoint>, StoreError> {
    let rows: Vec<EndpointRow> = conn
        .fetch_all(
            &Query::select()
                .columns(ENDPOINT_COLUMNS)
                .from("webhook_endpoints")
                .and_where(Expr::col("active").eq(true))
                .take(),
        )
        .await?;
    Ok(rows.into_iter().map(WebhookEndpoint::from).collect())
}

/// Stores the endpoint's url, kinds, active flag and `updated_at`.
pub async fn update(conn: &mut Conn<'_>, endpoint: &WebhookEndpoint) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("webhook_endpoints")
            .values([
                ("url", endpoint.url.clone().into()),
                ("event_kinds", endpoint.event_kinds.join(" ").into()),
                ("active", endpoint.active.into()),
                ("updated_at", endpoint.updated_at.clone().into()),
            ])
            .and_where(Expr::col("id").eq(endpoint.id.clone()))
            .take(),
    )
    .await?;
    Ok(())
}

pub async fn set_secret(conn: &mut Conn<'_>, id: &str, secret: &str, now: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("webhook_endpoints")
            .values([("secret", secret.into()), ("updated_at", now.into())])
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await?;
    Ok(())
}

/// Removes the endpoint and its delivery history.
pub async fn delete(conn: &mut Conn<'_>, id: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::delete()
            .from_table("webhook_deliveries")
            .and_where(Expr::col("endpoint_id").eq(id))
            .take(),
    )
    .await?;
    conn.execute(
        &Query::delete()
            .from_table("webhook_endpoints")
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await?;
    Ok(())
}

/// One delivery of one event to one endpoint, as its owner reviews it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Delivery {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_kind: String,
    /// `pending` (due at `next_attempt_at`), `delivered` or `failed` (attempts exhausted).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    /// The HTTP status of the last attempt, if the receiver answered.
    pub last_status_code: Option<i64>,
    /// Why the last attempt failed (`HTTP 500`, a timeout, a refused connection).
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

/// The deliveries of an endpoint with their event's kind (filters and order added by callers).
fn delivery_query(endpoint_id: &str) -> SelectStatement {
    let d = "webhook_deliveries";
    Query::select()
        .columns([
            (d, "id"),
            (d, "endpoint_id"),
            (d, "event_id"),
            (d, "status"),
            (d, "attempts"),
            (d, "next_attempt_at"),
            (d, "last_status_code"),
            (d, "last_error"),
            (d, "created_at"),
            (d, "delivered_at"),
        ])
        .expr_as(Expr::col(("events", "kind")), "event_kind")
        .from(d)
        .inner_join("events", Expr::col(("events", "id")).equals((d, "event_id")))
        .and_where(Expr::col((d, "endpoint_id")).eq(endpoint_id))
        .take()
}

/// The newest deliveries of an endpoint, optionally of one status.
pub async fn deliveries(
    conn: &mut Conn<'_>,
    endpoint_id: &str,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<Delivery>, StoreError> {
    let d = "webhook_deliveries";
    let mut query = delivery_query(endpoint_id)
        .order_by((d, "created_at"), Order::Desc)
        .order_by((d, "id"), Order::Desc)
        .limit(limit.clamp(1, 1000))
        .take();
    if let Some(status) = status {
        query.and_where(Expr::col((d, "status")).eq(status));
    }
    conn.fetch_all(&query).await
}

/// Delivery `id` of the endpoint.
pub async fn delivery(conn: &mut Conn<'_>, endpoint_id: &str, id: &str) -> Result<Option<Delivery>, StoreError> {
    conn.fetch_optional(
        &delivery_query(endpoint_id)
            .and_where(Expr::col(("webhook_deliveries", "id")).eq(id))
            .take(),
    )
    .await
}

/// Queues a delivered or failed delivery again, due `now` with a fresh retry schedule;
/// false when it is still pending (already queued).
pub async fn requeue(conn: &mut Conn<'_>, id: &str, now: &str) -> Result<bool, StoreError> {
    let requeued = conn
        .execute(
            &Query::update()
                .table("webhook_deliveries")
                .values([
                    ("status", "pending".into()),
                    ("attempts", 0i64.into()),
                    ("next_attempt_at", now.into()),
                    ("delivered_at", Option::<String>::None.into()),
                ])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("status").ne("pending"))
                .take(),
        )
        .await?;
    Ok(requeued == 1)
}

/// Whether any event awaits fan-out (a read, so an idle tick takes no write lock).
pub async fn any_undelivered(conn: &mut Conn<'_>) -> Result<bool, StoreError> {
    let found = conn
        .fetch_count(
            &Query::select()
                .expr_as(Expr::val(1i64), "n")
                .from("events")
                .and_where(Expr::col("delivered_at").is_null())
                .limit(1)
                .take(),
        )
        .await?;
    Ok(found > 0)
}

/// The oldest events not yet fanned out, at most `limit`, locked against other servers
/// until the transaction ends (rows another server holds are skipped).
pub async fn undelivered_events(conn: &mut Conn<'_>, limit: u64) -> Result<Vec<Event>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns([
                "id",
                "kind",
                "partner_id",
                "subject_type",
                "subject_id",
                "payload_json",
                "created_at",
                "delivered_at",
            ])
            .from("events")
            .and_where(Expr::col("delivered_at").is_null())
            .order_by("created_at", Order::Asc)
            .order_by("id", Order::Asc)
            .limit(limit)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .take(),
    )
    .await
}

/// Marks events as handed to the webhook deliveries.
pub async fn mark_events_delivered(conn: &mut Conn<'_>, ids: &[String], now: &str) -> Result<(), StoreError> {
    for chunk in ids.chunks(500) {
        conn.execute(
            &Query::update()
                .table("events")
                .value("delivered_at", now)
                .and_where(Expr::col("id").is_in(chunk.iter().cloned()))
                .take(),
        )
        .await?;
    }
    Ok(())
}

/// A delivery to create: `id`, `endpoint_id`, `event_id`.
pub type NewDelivery = (String, String, String);

/// Queues deliveries due `now`; a pair (endpoint, event) that already has one is skipped.
pub async fn queue(conn: &mut Conn<'_>, new: &[NewDelivery], now: &str) -> Result<(), StoreError> {
    for chunk in new.chunks(500) {
        let mut insert = Query::insert()
            .into_table("webhook_deliveries")
            .columns([
                "id",
                "endpoint_id",
                "event_id",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
            ])
            .on_conflict(OnConflict::columns(["endpoint_id", "event_id"]).do_nothing().to_owned())
            .take();
        for (id, endpoint_id, event_id) in chunk {
            insert.values_panic([
                id.clone().into(),
                endpoint_id.clone().into(),
                event_id.clone().into(),
                "pending".into(),
                0i64.into(),
                now.into(),
                now.into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// A due delivery with everything needed to send it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DueDelivery {
    pub id: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub url: String,
    pub secret: String,
    pub event_id: String,
    pub kind: String,
    pub partner_id: Option<String>,
    pub subject_type: String,
    pub subject_id: String,
    pub payload_json: String,
    pub event_created_at: String,
}

/// Pending deliveries due at `now` to active endpoints, oldest due first.
pub async fn due(conn: &mut Conn<'_>, now: &str, limit: u64) -> Result<Vec<DueDelivery>, StoreError> {
    let (d, e, ev) = ("webhook_deliveries", "webhook_endpoints", "events");
    conn.fetch_all(
        &Query::select()
            .columns([(d, "id"), (d, "attempts"), (d, "next_attempt_at")])
            .columns([(e, "url"), (e, "secret")])
            .expr_as(Expr::col((ev, "id")), "event_id")
            .columns([
                (ev, "kind"),
                (ev, "partner_id"),
                (ev, "subject_type"),
                (ev, "subject_id"),
                (ev, "payload_json"),
            ])
            .expr_as(Expr::col((ev, "created_at")), "event_created_at")
            .from(d)
            .inner_join(e, Expr::col((e, "id")).equals((d, "endpoint_id")))
            .inner_join(ev, Expr::col((ev, "id")).equals((d, "event_id")))
            .and_where(Expr::col((d, "status")).eq("pending"))
            .and_where(Expr::col((d, "next_attempt_at")).lte(now))
            .and_where(Expr::col((e, "active")).eq(true))
            .order_by((d, "next_attempt_at"), Order::Asc)
            .order_by((d, "id"), Order::Asc)
            .limit(limit)
            .take(),
    )
    .await
}

/// Claims the next attempt of `delivery` (as read by [`due`]) until `lease_until`: counts
/// the attempt and moves its due time past the send. False when another server claimed
/// it first.
pub async fn claim(conn: &mut Conn<'_>, delivery: &DueDelivery, lease_until: &str) -> Result<bool, StoreError> {
    let claimed = conn
        .execute(
            &Query::update()
                .table("webhook_deliveries")
                .values([
                    ("attempts", (delivery.attempts + 1).into()),
                    ("next_attempt_at", lease_until.into()),
                ])
                .and_where(Expr::col("id").eq(delivery.id.clone()))
                .and_where(Expr::col("status").eq("pending"))
                .and_where(Expr::col("attempts").eq(delivery.attempts))
                .and_where(Expr::col("next_attempt_at").eq(delivery.next_attempt_at.clone()))
                .take(),
        )
        .await?;
    Ok(claimed == 1)
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// `delivered`, `pending` (to retry at `next_attempt_at`) or `failed`.
    pub status: &'static str,
    pub next_attempt_at: String,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub delivered_at: Option<String>,
}

/// Records attempt number `attempt` of a delivery, unless the claim lapsed and another
/// server has made a later attempt since.
pub async fn record(conn: &mut Conn<'_>, id: &str, attempt: i64, outcome: &Attempt) -> Result<bool, StoreError> {
    let recorded = conn
        .execute(
            &Query::update()
                .table("webhook_deliveries")
                .values([
                    ("status", outcome.status.into()),
                    ("next_attempt_at", outcome.next_attempt_at.clone().into()),
                    ("last_status_code", outcome.status_code.into()),
                    ("last_error", outcome.error.clone().into()),
                    ("delivered_at", outcome.delivered_at.clone().into()),
                ])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("status").eq("pending"))
                .and_where(Expr::col("attempts").eq(attempt))
                .take(),
        )
        .await?;
    Ok(recorded == 1)
}
