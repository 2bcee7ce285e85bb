//! Registering, changing and removing webhook endpoints. The URL must be `https://`
//! (plain `http://` only to 127.0.0.1, [::1] or localhost, for local integrations and
//! tests) without credentials in it; the kinds must be known and open to the endpoint's
//! owner. The secret is generated here and returned only on creation and rotation; the
//! audit trail records every change without it.

use serde::{Deserialize, Serialize};
use tributary_domain::ids::new_id;
use tributary_domain::validation::{Errors, FieldError};
use tributary_store::audit::Actor;
use tributary_store::repo::webhooks::{self, WebhookEndpoint};
use tributary_store::{Conn, time};
use utoipa::ToSchema;

use super::kinds::{kind, subscribable};
use super::signature::new_secret;
use crate::services::record;

const URL_MAX_CHARS: usize = 2000;

/// The body of `POST /api/v1/webhooks` and `PUT /api/v1/webhooks/{id}`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct WebhookInput {
    /// Where deliveries are POSTed: `https://…` (or `http://127.0.0.1…` / `http://localhost…`).
    pub url: String,
    /// The kinds to receive: `statement.ready`, `statement.paid`, `tier.promoted`, `tier.demoted`,
    /// `tier.at_risk`; the vendor's endpoints also `statement.calculated`, `approval.overdue`.
    #[serde(default)]
    pub event_kinds: Vec<String>,
    /// Inactive endpoints receive nothing (default true).
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl Default for WebhookInput {
    fn default() -> Self {
        Self {
            url: String::new(),
            event_kinds: Vec::new(),
            active: true,
        }
    }
}

/// A checked input: the URL and the distinct kinds in their canonical order.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidWebhook {
    pub url: String,
    pub event_kinds: Vec<String>,
    pub active: bool,
}

impl WebhookInput {
    /// Checks the input for an endpoint of a partner (`for_partner`) or of the vendor.
    pub fn validate(&self, for_partner: bool) -> Result<ValidWebhook, Vec<FieldError>> {
        let mut errors = Errors::new();
        let url = errors.check("url", check_url(&self.url));
        let kinds = errors.check("event_kinds", check_kinds(&self.event_kinds, for_partner));
        match (url, kinds) {
            (Some(url), Some(event_kinds)) => Ok(ValidWebhook {
                url,
                event_kinds,
                active: self.active,
            }),
            _ => Err(errors.0),
        }
    }
}

fn check_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is required".into());
    }
    if text.chars().count() > URL_MAX_CHARS {
        return Err(format!("must be at most {URL_MAX_CHARS} characters"));
    }
    let url = reqwest::Url::parse(text).map_err(|e| format!("'{text}' is not a URL ({e})"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password".into());
    }
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url.to_string()),
        "http" if loopback => Ok(url.to_string()),
        _ => Err("must be an https:// URL (plain http:// only to 127.0.0.1 or localhost)".into()),
    }
}

fn check_kinds(requested: &[String], for_partner: bool) -> Result<Vec<String>, String> {
    let requested: Vec<&str> = requested.iter().map(|k| k.trim()).filter(|k| !k.is_empty()).collect();
    if requested.is_empty() {
        return Err("choose at least one event kind".into());
    }
    if let Some(unknown) = requested.iter().find(|k| kind(k).is_none()) {
        return Err(format!("'{unknown}' is not an event kind"));
    }
    let open: Vec<&str> = subscribable(for_partner).map(|k| k.code).collect();
    if let Some(closed) = requested.iter().find(|k| !open.contains(k)) {
        return Err(format!("'{closed}' is delivered to the vendor's endpoints only"));
    }
    Ok(open
        .into_iter()
        .filter(|k| requested.contains(k))
        .map(str::to_string)
        .collect())
}

/// Registers an endpoint of `partner_id` (or of the vendor) and returns it with its secret.
pub async fn create(
    conn: &mut Conn<'_>,
    actor: &Actor,
    partner_id: Option<String>,
    input: ValidWebhook,
) -> crate::error::AppResult<(WebhookEndpoint, String)> {
    let now = time::now_text();
    let endpoint = WebhookEndpoint {
        id: new_id(),
        partner_id,
        url: input.url,
        event_kinds: input.event_kinds,
        active: input.active,
        created_by: actor.user_id.clone(),
        created_at: now.clone(),
        updated_at: now,
    };
    let secret = new_secret();
    webhooks::insert(conn, &endpoint, &secret).await?;
    record(
        conn,
        actor,
        "webhook.created",
        "webhook_endpoint",
        &endpoint.id,
        None::<&WebhookEndpoint>,
        Some(&endpoint),
    )
    .await?;
    Ok((endpoint, secret))
}

pub async fn update(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &WebhookEndpoint,
    input: ValidWebhook,
) -> crate::error::AppResult<WebhookEndpoint> {
    let updated = WebhookEndpoint {
        url: input.url,
        event_kinds: input.event_kinds,
        active: input.active,
        updated_at: time::now_text(),
        ..current.clone()
    };
    webhooks::update(conn, &updated).await?;
    record(
        conn,
        actor,
        "webhook.updated",
        "webhook_endpoint",
        &updated.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// Replaces the endpoint's secret and returns the new one (deliveries sent from now on
/// are signed with it).
pub async fn rotate_secret(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &WebhookEndpoint,
) -> crate::error::AppResult<String> {
    let secret = new_secret();
    webhooks::set_secret(conn, &current.id, &secret, &time::now_text()).await?;
    record(
        conn,
        actor,
        "webhook.secret_rotated",
        "webhook_endpoint",
        &current.id,
        None::<&WebhookEndpoint>,
        None::<&WebhookEndpoint>,
    )
    .await?;
    Ok(secret)
}

/// Removes the endpoint with its delivery history.
pub async fn delete(conn: &mut Conn<'_>, actor: &Actor, current: &WebhookEndpoint) -> crate::error::AppResult<()> {
    webhooks::delete(conn, &current.id).await?;
    record(
        conn,
        actor,
        "webhook.deleted",
        "webhook_endpoint",
        &current.id,
        Some(current),
        None::<&WebhookEndpoint>,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(url: &str, kinds: &[&str]) -> WebhookInput {
        WebhookInput {
            url: url.into(),
            event_kinds: kinds.iter().map(|k| k.to_string()).collect(),
            active: true,
        }
    }

    fn refused(input: &WebhookInput, for_partner: bool) -> Vec<(String, String)> {
        input
            .validate(for_partner)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn urls_are_https_or_loopback_http_without_credentials() {
        for ok in [
            "https://hooks.example.com/tributary",
            " https://hooks.example.com:8443/in?src=trb ",
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://[::1]:9000/",
        ] {
            assert!(input(ok, &["statement.ready"]).validate(true).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "hooks.example.com",
            "http://hooks.example.com/in",
            "http://10.0.0.5/in",
            "ftp://hooks.example.com/",
            "https://user:pass@hooks.example.com/",
            "javascript:alert(1)",
        ] {
            let errors = refused(&input(bad, &["statement.ready"]), true);
            assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
            assert_eq!(errors[0].0, "url", "{bad}");
        }
    }

    #[test]
    fn kinds_are_known_open_to_the_owner_and_kept_in_order() {
        let valid = input(
            "https://h.example/",
            &["tier.demoted", "statement.ready", "tier.demoted"],
        )
        .validate(true)
        .unwrap();
        assert_eq!(valid.event_kinds, ["statement.ready", "tier.demoted"]);
        assert_eq!(
            refused(&input("https://h.example/", &[]), true),
            [("event_kinds".to_string(), "choose at least one event kind".to_string())]
        );
        assert_eq!(
            refused(&input("https://h.example/", &["deal.won"]), false)[0].0,
            "event_kinds"
        );
        let vendor_only = refused(&input("https://h.example/", &["approval.overdue"]), true);
        assert!(vendor_only[0].1.contains("vendor's endpoints only"), "{vendor_only:?}");
        assert!(
            input("https://h.example/", &["approval.overdue", "statement.calculated"])
                .validate(false)
                .is_ok()
        );
    }
}
