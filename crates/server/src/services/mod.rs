//! Services: the operations behind the API, the portal and the command line. Each checks
//! references the domain cannot check alone, writes through the repositories and appends
//! the audit record, all inside the caller's transaction — so an import of many rows and a
//! single API call share one code path.

pub mod accounts;
pub mod approvals;
pub mod conflict;
pub mod exports;
pub mod geography;
pub mod imports;
pub mod incentives;
pub mod partners;
pub mod products;
pub mod sales;
pub mod scheduled;
pub mod segments;
pub mod tiering;
pub mod tokens;
pub mod users;
pub mod webhooks;
pub mod withholding;

use serde::Serialize;
use tributary_store::Conn;
use tributary_store::audit::{self, Actor, Change};

use crate::error::{AppResult, internal};

/// Appends the audit record of one change (before/after as JSON).
pub async fn record<B: Serialize, A: Serialize>(
    conn: &mut Conn<'_>,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> AppResult<()> {
    let before = before.map(serde_json::to_value).transpose().map_err(internal)?;
    let after = after.map(serde_json::to_value).transpose().map_err(internal)?;
    audit::append(
        conn,
        actor,
        Change {
            action,
            entity_type,
            entity_id,
            before,
            after,
        },
    )
    .await?;
    Ok(())
}
