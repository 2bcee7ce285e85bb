//! The delivery loop. Each [`deliver_due`] tick (1) fans the undelivered events of the
//! outbox out to the active endpoints that are to receive them, one delivery row each, and
//! marks the events delivered, in one transaction; (2) claims the deliveries that are due
//! and POSTs them, signed, to their endpoints, at most [`CONCURRENT_SENDS`] at a time with
//! a [`TIMEOUT`] each. A 2xx answer delivers; anything else retries after 1 min, 5 min,
//! 30 min, 2 h and 12 h, and the delivery is `failed` after [`MAX_ATTEMPTS`]. A claim
//! holds a delivery for [`LEASE`], so a server that dies mid-send leaves it to be retried
//! by another once the lease runs out. Time is a parameter, so tests drive the schedule.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tributary_domain::ids::new_id;
use tributary_store::repo::webhooks::{self, Attempt, DueDelivery, NewDelivery};
use tributary_store::{Db, time};

use super::kinds::receives;
use super::signature;
use crate::error::{AppResult, internal};

/// Attempts before a delivery is given up as `failed`.
pub const MAX_ATTEMPTS: i64 = 6;
/// The wait after failed attempt n (1-based) before attempt n + 1.
const BACKOFF_SECONDS: [i64; 5] = [60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600];
/// How long one attempt may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed delivery is held before another server may retry it.
const LEASE: TimeDelta = TimeDelta::minutes(5);
/// Sends in flight at once within a tick.
pub const CONCURRENT_SENDS: usize = 8;
const FAN_OUT_BATCH: u64 = 500;
const SEND_BATCH: u64 = 200;
/// The pause between ticks of [`run_forever`].
const TICK_EVERY: Duration = Duration::from_secs(15);

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tick {
    /// Outbox events handed to the endpoints.
    pub events: usize,
    pub delivered: usize,
    /// Attempts that failed and will be retried.
    pub retrying: usize,
    /// Deliveries given up after their last attempt.
    pub failed: usize,
}

/// The HTTP client of the deliveries: a per-attempt timeout, no redirects followed (a
/// receiver that moved must be re-registered), a recognisable user agent.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Tributary-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the webhook HTTP client builds")
}

/// The wait after failed attempt `attempt`, or `None` when it was the last.
pub fn retry_delay(attempt: i64) -> Option<TimeDelta> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    let index = usize::try_from(attempt.max(1) - 1).unwrap_or(0);
    BACKOFF_SECONDS
        .get(index)
        .or(BACKOFF_SECONDS.last())
        .map(|s| TimeDelta::seconds(*s))
}

/// Fans out every undelivered event, a batch per transaction; returns how many.
pub async fn fan_out(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    let at = time::format_timestamp(now);
    if !webhooks::any_undelivered(&mut db.acquire().await?.conn()).await? {
        return Ok(0);
    }
    let mut total = 0;
    loop {
        let mut tx = db.begin().await?;
        let mut conn = tx.conn();
        let events = webhooks::undelivered_events(&mut conn, FAN_OUT_BATCH).await?;
        if events.is_empty() {
            return Ok(total);
        }
        let endpoints = webhooks::active(&mut conn).await?;
        let new: Vec<NewDelivery> = events
            .iter()
            .flat_map(|event| {
                endpoints
                    .iter()
                    .filter(|endpoint| receives(endpoint, event))
                    .map(|endpoint| (new_id(), endpoint.id.clone(), event.id.clone()))
            })
            .collect();
        webhooks::queue(&mut conn, &new, &at).await?;
        let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
        webhooks::mark_events_delivered(&mut conn, &ids, &at).await?;
        tx.commit().await?;
        total += events.len();
        if (events.len() as u64) < FAN_OUT_BATCH {
            return Ok(total);
        }
    }
}

/// One tick: fan out the outbox, then send every delivery due at `now`.
pub async fn deliver_due(db: &Db, now: DateTime<Utc>, client: &reqwest::Client) -> AppResult<Tick> {
    let mut tick = Tick {
        events: fan_out(db, now).await?,
        ..Tick::default()
    };
    let at = time::format_timestamp(now);
    let lease_until = time::format_timestamp(now + LEASE);
    let mut claimed = Vec::new();
    {
        let mut pooled = db.acquire().await?;
        let mut conn = pooled.conn();
        for delivery in webhooks::due(&mut conn, &at, SEND_BATCH).await? {
            if webhooks::claim(&mut conn, &delivery, &lease_until).await? {
                claimed.push(delivery);
            }
        }
    }
    let sent: Vec<(DueDelivery, Attempt)> = futures_util::stream::iter(claimed)
        .map(|delivery| async move {
            let outcome = attempt(client, &delivery, now).await;
            (delivery, outcome)
        })
        .buffer_unordered(CONCURRENT_SENDS)
        .collect()
        .await;
    let mut pooled = db.acquire().await?;
    let mut conn = pooled.conn();
    for (delivery, outcome) in sent {
        if webhooks::record(&mut conn, &delivery.id, delivery.attempts + 1, &outcome).await? {
            match outcome.status {
                "delivered" => tick.delivered += 1,
                "failed" => tick.failed += 1,
                _ => tick.retrying += 1,
            }
        }
    }
    Ok(tick)
}

/// The JSON body of a delivery: the event with its payload as `data`.
pub fn body(delivery: &DueDelivery) -> AppResult<Vec<u8>> {
    let data: Value = serde_json::from_str(&delivery.payload_json).map_err(internal)?;
    serde_json::to_vec(&json!({
        "id": delivery.event_id,
        "kind": delivery.kind,
        "created_at": delivery.event_created_at,
        "partner_id": delivery.partner_id,
        "subject_type": delivery.subject_type,
        "subject_id": delivery.subject_id,
        "data": data,
    }))
    .map_err(internal)
}

/// Sends attempt `delivery.attempts + 1` and says how it ended.
async fn attempt(client: &reqwest::Client, delivery: &DueDelivery, now: DateTime<Utc>) -> Attempt {
    let number = delivery.attempts + 1;
    let result = match body(delivery) {
        Ok(body) => {
            let signature = signature::sign(&delivery.secret, now.timestamp(), &body);
            client
                .post(&delivery.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("Tributary-Event", &delivery.kind)
                .header("Tributary-Delivery", &delivery.id)
                .header(signature::HEADER, signature)
                .body(body)
                .send()
                .await
                .map(|response| response.status())
                .map_err(describe)
        }
        Err(_) => Err("the event's payload is not JSON".to_string()),
    };
    let at = time::format_timestamp(now);
    match result {
        Ok(status) if status.is_success() => Attempt {
            status: "delivered",
            next_attempt_at: at.clone(),
            status_code: Some(i64::from(status.as_u16())),
            error: None,
            delivered_at: Some(at),
        },
        other => {
            let (status_code, error) = match other {
                Ok(status) => (Some(i64::from(status.as_u16())), format!("HTTP {status}")),
                Err(error) => (None, error),
            };
            let (status, next_attempt_at) = match retry_delay(number) {
                Some(delay) => ("pending", time::format_timestamp(now + delay)),
                None => ("failed", at),
            };
            Attempt {
                status,
                next_attempt_at,
                status_code,
                error: Some(error),
                delivered_at: None,
            }
        }
    }
}

/// A failed request in words, without the URL (the endpoint's owner knows it).
fn describe(error: reqwest::Error) -> String {
    if error.is_timeout() {
        format!("no answer within {} s", TIMEOUT.as_secs())
    } else if error.is_connect() {
        "could not connect".to_string()
    } else {
        let mut text = error.without_url().to_string();
        text.truncate(200);
        text
    }
}

/// Ticks until the server stops; errors are logged and the next tick retries.
pub async fn run_forever(db: Db) {
    let client = client();
    loop {
        match deliver_due(&db, Utc::now(), &client).await {
            Ok(tick) if tick != Tick::default() => tracing::info!(
                events = tick.events,
                delivered = tick.delivered,
                retrying = tick.retrying,
                failed = tick.failed,
                "webhook deliveries"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "webhook delivery failed; will retry"),
        }
        tokio::time::sleep(TICK_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_then_give_up_after_the_sixth_attempt() {
        let minutes: Vec<Option<i64>> = (1..=6).map(|n| retry_delay(n).map(|d| d.num_minutes())).collect();
        assert_eq!(minutes, [Some(1), Some(5), Some(30), Some(120), Some(720), None]);
    }
}
