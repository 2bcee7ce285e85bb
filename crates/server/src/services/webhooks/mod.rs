//! Signed webhooks: partners' and the vendor's systems receive events (a statement ready,
//! a tier change, …) as signed HTTP POSTs instead of visiting the portal. Endpoints are
//! registered per organisation ([`endpoints`]) for a list of [`kinds`]; a background loop
//! ([`delivery`]) fans the event outbox out to the matching endpoints and sends each
//! delivery with an HMAC-SHA256 [`signature`], retrying with backoff until it is
//! acknowledged or gives up. docs/webhooks.md tells receivers how to verify a delivery.

pub mod delivery;
pub mod endpoints;
pub mod kinds;
pub mod redeliver;
pub mod signature;

pub use delivery::{Tick, client, deliver_due, run_forever};
