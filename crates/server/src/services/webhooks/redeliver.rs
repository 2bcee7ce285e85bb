//! Sending a delivery again on request: after a receiver's outage outlasted the retry
//! schedule (the delivery `failed`), or when the receiver lost what it was sent. The
//! delivery is queued with a fresh schedule, due at once; the request is audited.

use tributary_store::audit::Actor;
use tributary_store::repo::webhooks::{self, Delivery, WebhookEndpoint};
use tributary_store::{Conn, time};

use crate::error::{AppError, AppResult};
use crate::services::record;

/// Queues delivery `id` of `endpoint` again and returns it as queued.
pub async fn redeliver(
    conn: &mut Conn<'_>,
    actor: &Actor,
    endpoint: &WebhookEndpoint,
    id: &str,
) -> AppResult<Delivery> {
    let before = webhooks::delivery(conn, &endpoint.id, id)
        .await?
        .ok_or_else(|| AppError::not_found("delivery"))?;
    if !webhooks::requeue(conn, &before.id, &time::now_text()).await? {
        return Err(AppError::Conflict(
            "the delivery is still queued; it is sent when due".into(),
        ));
    }
    let after = webhooks::delivery(conn, &endpoint.id, id)
        .await?
        .ok_or_else(|| AppError::not_found("delivery"))?;
    record(
        conn,
        actor,
        "webhook.delivery_requeued",
        "webhook_endpoint",
        &endpoint.id,
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(after)
}
