//! The portal's templates (minijinja), compiled into the binary from `templates/` so the
//! server needs no files beside it. Every page extends `layout.html`. The filters registered
//! here turn stored codes into what people read: labels, country names, exact money
//! amounts and readable timestamps.

use axum::response::Html;
use minijinja::Environment;
use serde::Serialize;
use tributary_domain::account::AccountKind;
use tributary_domain::money::{Currency, group_thousands};
use tributary_domain::partner::{PartnerStatus, PartnerType, SizeBand};
use tributary_domain::role::Role;

use crate::error::{AppResult, internal};

macro_rules! files {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),+]
    };
}

/// Every template file, by name.
const FILES: &[(&str, &str)] = files![
    "layout.html",
    "macros.html",
    "login.html",
    "error.html",
    "notice.html",
    "home.html",
    "home_partner.html",
    "account.html",
    "reference.html",
    "partners/list.html",
    "partners/detail.html",
    "partners/form.html",
    "users/list.html",
    "users/form.html",
    "users/password.html",
    "products/list.html",
    "products/form.html",
    "accounts/list.html",
    "accounts/detail.html",
    "accounts/form.html",
    "accounts/tree.html",
    "sales/list.html",
    "sales/totals.html",
    "segments/list.html",
    "segments/form.html",
    "fx/list.html",
    "fx/form.html",
    "imports/index.html",
    "imports/job.html",
    "imports/status.html",
    "audit/list.html",
    "audit/verify.html",
    "tiers/macros.html",
    "tiers/card.html",
    "tiers/list.html",
    "tiers/detail.html",
    "tiers/form.html",
    "tiers/job.html",
    "tiers/job_status.html",
    "tiers/simulate.html",
    "tiers/snapshots.html",
    "tiers/partner.html",
    "tiers/metric_facts.html",
    "conflict/macros.html",
    "conflict/check.html",
    "conflict/reservations.html",
    "conflict/registrations.html",
    "conflict/register.html",
    "conflict/registration.html",
    "conflict/review.html",
    "conflict/conflicts.html",
    "conflict/pipeline.html",
    "conflict/expiring.html",
    "incentives/macros.html",
    "incentives/plans.html",
    "incentives/plan.html",
    "incentives/plan_form.html",
    "incentives/tier_fields.html",
    "incentives/close.html",
    "incentives/close_run.html",
    "incentives/close_status.html",
    "incentives/statements.html",
    "incentives/statement.html",
    "incentives/transactions.html",
    "incentives/transactions_page.html",
    "incentives/spend.html",
    "incentives/earnings.html",
    "incentives/earnings_card.html",
    "incentives/claims.html",
    "incentives/claims_form.html",
    "incentives/claims_detail.html",
    "incentives/payouts.html",
    "incentives/payout_batch.html",
    "incentives/payout_reconciliation.html",
    "withholding/list.html",
    "webhooks/macros.html",
    "webhooks/list.html",
    "webhooks/new.html",
    "webhooks/detail.html",
];

pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

/// The label of a code of one of the domain's code lists; unknown codes show as they are.
fn label(code: String, list: String) -> String {
    let found = match list.as_str() {
        "partner_type" => PartnerType::parse(&code).map(PartnerType::label),
        "partner_status" => PartnerStatus::parse(&code).map(PartnerStatus::label),
        "size_band" => SizeBand::parse(&code).map(SizeBand::label),
        "role" => Role::parse(&code).map(Role::label),
        "account_kind" => AccountKind::parse(&code).map(AccountKind::label),
        _ => Err(String::new()),
    };
    found.map(str::to_string).unwrap_or(code)
}

/// A country code with its name: "Germany (DE)".
fn country(code: String) -> String {
    match tributary_domain::reference::country_name(&code) {
        Some(name) => format!("{name} ({code})"),
        None => code,
    }
}

/// An amount in minor units as the exact decimal of its currency: (123456, "EUR") → "1,234.56".
fn money(minor: i64, currency: String) -> Result<String, minijinja::Error> {
    let currency = Currency::parse(&currency)
        .map_err(|message| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message))?;
    Ok(group_thousands(&currency.from_minor(minor).to_string()))
}

/// A stored UTC timestamp shown to the minute: "2026-03-31 12:00 UTC".
fn when(text: Option<String>) -> String {
    match text {
        Some(text) if text.len() >= 16 && text.as_bytes()[10] == b'T' => {
            format!("{} {} UTC", &text[..10], &text[11..16])
        }
        Some(text) => text,
        None => String::new(),
    }
}

/// Stored JSON (audit before/after) indented for reading.
fn pretty_json(text: Option<String>) -> String {
    let Some(text) = text else {
        return String::new();
    };
    serde_json::from_str::<serde_json::Value>(&text)
        .and_then(|value| serde_json::to_string_pretty(&value))
        .unwrap_or(text)
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_filter("label", label);
        env.add_filter("country", country);
        env.add_filter("money", money);
        env.add_filter("when", when);
        env.add_filter("pretty_json", pretty_json);
        for (name, source) in FILES {
            env.add_template(name, source)
                .expect("portal templates are valid (checked by tests)");
        }
        Self { env }
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> AppResult<Html<String>> {
        let template = self.env.get_template(name).map_err(internal)?;
        template.render(context).map(Html).map_err(internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let templates = Templates::new();
        for (name, _) in FILES {
            assert!(templates.env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn money_is_exact_and_grouped() {
        assert_eq!(money(123456789, "EUR".into()).unwrap(), "1,234,567.89");
        assert_eq!(money(-5, "USD".into()).unwrap(), "-0.05");
        assert_eq!(money(1000, "JPY".into()).unwrap(), "1,000");
        assert_eq!(money(1, "KWD".into()).unwrap(), "0.001");
        assert_eq!(group_thousands("-100"), "-100");
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(
            label("system_integrator".into(), "partner_type".into()),
            "System integrator"
        );
        assert_eq!(label("odd".into(), "role".into()), "odd");
        assert_eq!(country("DE".into()), "Germany (DE)");
        assert_eq!(when(Some("2026-03-31T12:00:00.000000Z".into())), "2026-03-31 12:00 UTC");
    }
}
