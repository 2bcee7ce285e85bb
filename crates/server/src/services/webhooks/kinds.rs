//! The event kinds a webhook endpoint can subscribe to, and who may receive each. A
//! partner's endpoint receives only events about that partner and only of the kinds meant
//! for partners; the vendor's endpoints may subscribe to every kind and receive the
//! events of all partners.

use tributary_store::repo::events::Event;
use tributary_store::repo::webhooks::WebhookEndpoint;

/// Who may subscribe to a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Partners (for their own organisation) and the vendor.
    Partners,
    /// The vendor's endpoints only (internal workflow).
    Vendor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKind {
    pub code: &'static str,
    pub audience: Audience,
    pub description: &'static str,
}

/// Every kind the server emits into the outbox, in the order forms list them.
pub const EVENT_KINDS: &[EventKind] = &[
    EventKind {
        code: "statement.ready",
        audience: Audience::Partners,
        description: "A partner's incentive statement was approved and can be fetched",
    },
    EventKind {
        code: "statement.paid",
        audience: Audience::Partners,
        description: "A partner's incentive statement was paid in a payout batch",
    },
    EventKind {
        code: "statement.calculated",
        audience: Audience::Vendor,
        description: "A period close calculated a partner's statement (before approval)",
    },
    EventKind {
        code: "tier.promoted",
        audience: Audience::Partners,
        description: "A partner moved up a tier level",
    },
    EventKind {
        code: "tier.demoted",
        audience: Audience::Partners,
        description: "A partner moved down a tier level",
    },
    EventKind {
        code: "tier.at_risk",
        audience: Audience::Partners,
        description: "A partner misses its tier's requirements and may be demoted",
    },
    EventKind {
        code: "approval.overdue",
        audience: Audience::Vendor,
        description: "An approval step is past its deadline",
    },
];

pub fn kind(code: &str) -> Option<&'static EventKind> {
    EVENT_KINDS.iter().find(|k| k.code == code)
}

/// The kinds an endpoint of a partner (`for_partner`) or of the vendor may subscribe to.
pub fn subscribable(for_partner: bool) -> impl Iterator<Item = &'static EventKind> {
    EVENT_KINDS
        .iter()
        .filter(move |k| !for_partner || k.audience == Audience::Partners)
}

/// Whether `endpoint` is to receive `event`: it is active and subscribed to the kind, and
/// either belongs to the vendor or to the event's partner (for a kind meant for partners).
pub fn receives(endpoint: &WebhookEndpoint, event: &Event) -> bool {
    if !endpoint.active || !endpoint.event_kinds.contains(&event.kind) {
        return false;
    }
    match &endpoint.partner_id {
        None => true,
        Some(partner) => {
            event.partner_id.as_ref() == Some(partner)
                && kind(&event.kind).is_some_and(|k| k.audience == Audience::Partners)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(partner: Option<&str>, kinds: &[&str]) -> WebhookEndpoint {
        WebhookEndpoint {
            id: "e".into(),
            partner_id: partner.map(str::to_string),
            url: "https://hooks.example/in".into(),
            event_kinds: kinds.iter().map(|k| k.to_string()).collect(),
            active: true,
            created_by: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn event(kind: &str, partner: Option<&str>) -> Event {
        Event {
            id: "ev".into(),
            kind: kind.into(),
            partner_id: partner.map(str::to_string),
            subject_type: "statement".into(),
            subject_id: "s".into(),
            payload_json: "{}".into(),
            created_at: String::new(),
            delivered_at: None,
        }
    }

    #[test]
    fn partners_receive_only_their_own_events_of_partner_kinds() {
        let a = endpoint(Some("A"), &["statement.ready", "approval.overdue"]);
        assert!(receives(&a, &event("statement.ready", Some("A"))));
        assert!(
            !receives(&a, &event("statement.ready", Some("B"))),
            "another partner's event"
        );
        assert!(!receives(&a, &event("statement.ready", None)), "a vendor-wide event");
        assert!(!receives(&a, &event("tier.promoted", Some("A"))), "not subscribed");
        assert!(
            !receives(&a, &event("approval.overdue", Some("A"))),
            "a vendor-only kind never reaches a partner"
        );
        let vendor = endpoint(None, &["statement.ready", "approval.overdue"]);
        assert!(receives(&vendor, &event("statement.ready", Some("B"))));
        assert!(receives(&vendor, &event("approval.overdue", None)));
        let inactive = WebhookEndpoint {
            active: false,
            ..vendor
        };
        assert!(!receives(&inactive, &event("statement.ready", Some("B"))));
    }

    #[test]
    fn partners_subscribe_to_partner_kinds_only() {
        let partner: Vec<&str> = subscribable(true).map(|k| k.code).collect();
        assert_eq!(
            partner,
            [
                "statement.ready",
                "statement.paid",
                "tier.promoted",
                "tier.demoted",
                "tier.at_risk"
            ]
        );
        assert_eq!(subscribable(false).count(), EVENT_KINDS.len());
    }
}
