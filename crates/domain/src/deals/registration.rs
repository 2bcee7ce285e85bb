//! Deal registrations: what a partner submits, how the submission is decided (rules 1–6 of
//! PRODUCT.md §4, in order, with the reason shown to the partner — never another partner's
//! identity) and the lifecycle that follows.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::{Currency, parse_decimal};
use crate::validation::{Errors, FieldError, date, optional_text, required_text};

crate::code_enum! {
    /// Where a registration is in its life: submitted registrations are decided at once
    /// into declined, pending review or approved; review ends in approved or rejected;
    /// approved ones end won, lost or expired.
    pub enum RegistrationStatus ("registration status") {
        PendingReview => ("pending_review", "Pending review"),
        Approved => ("approved", "Approved"),
        Declined => ("declined", "Declined"),
        Rejected => ("rejected", "Rejected"),
        Won => ("won", "Won"),
        Lost => ("lost", "Lost"),
        Expired => ("expired", "Expired"),
    }
}

impl RegistrationStatus {
    /// Pending or approved: it protects the customer against other registrations.
    pub fn is_active(self) -> bool {
        matches!(self, RegistrationStatus::PendingReview | RegistrationStatus::Approved)
    }

    pub fn can_become(self, next: RegistrationStatus) -> bool {
        use RegistrationStatus::*;
        matches!(
            (self, next),
            (PendingReview, Approved | Rejected) | (Approved, Won | Lost | Expired)
        )
    }
}

/// A registration as submitted (API body or portal form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RegistrationInput {
    /// The registering partner; defaults to the caller's organisation (a distributor may
    /// register for its resellers).
    pub partner_id: Option<String>,
    pub customer_name: String,
    pub website: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// ISO 3166 code.
    pub country: String,
    pub city: Option<String>,
    pub product_families: Vec<String>,
    /// Decimal text, e.g. "48000.00".
    pub value: String,
    pub currency: String,
    /// YYYY-MM-DD, today or later.
    pub expected_close: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationFields {
    pub customer_name: String,
    pub website_domain: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub country: String,
    pub city: Option<String>,
    pub product_families: Vec<String>,
    pub value: Decimal,
    pub currency: Currency,
    pub expected_close: NaiveDate,
    pub notes: Option<String>,
}

/// A host name as typed in a website field ("https://www.acme.com/about" → "acme.com").
pub fn website_domain(value: &str) -> Result<String, String> {
    let text = value.trim().to_ascii_lowercase();
    let rest = text.split_once("://").map_or(text.as_str(), |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let valid = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if valid {
        Ok(host.to_string())
    } else {
        Err(format!("'{}' is not a web domain such as example.com", value.trim()))
    }
}

impl RegistrationInput {
    /// Validates every field; `today` bounds the expected close date.
    pub fn validate(&self, today: NaiveDate) -> Result<RegistrationFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let customer_name = errors.check("customer_name", required_text(&self.customer_name, 200));
        let website_domain = match self.website.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            Some(text) => errors.check("website", website_domain(text)),
            None => None,
        };
        let contact_name = errors.check("contact_name", optional_text(self.contact_name.as_deref(), 120));
        let contact_email = errors.check("contact_email", optional_text(self.contact_email.as_deref(), 200));
        if let Some(Some(email)) = &contact_email
            && (!email.contains('@') || website_domain_of_email(email).is_err())
        {
            errors.add("contact_email", format!("'{email}' is not an e-mail address"));
        }
        let country = errors.check("country", crate::partner::country_code(&self.country));
        let city = errors.check("city", optional_text(self.city.as_deref(), 120));
        let mut families: Vec<String> = self
            .product_families
            .iter()
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .collect();
        families.sort();
        families.dedup();
        if families.is_empty() {
            errors.add("product_families", "name at least one product family");
        }
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let value = errors.check("value", parse_decimal(&self.value));
        if value.is_some_and(|v| v <= Decimal::ZERO) {
            errors.add("value", "must be more than zero");
        }
        if let (Some(v), Some(c)) = (value, currency)
            && let Err(message) = c.to_minor(v)
        {
            errors.add("value", message);
        }
        let expected_close = errors.check("expected_close", date(&self.expected_close));
        if expected_close.is_some_and(|d| d < today) {
            errors.add("expected_close", format!("must be today ({today}) or later"));
        }
        let notes = errors.check("notes", optional_text(self.notes.as_deref(), 2000));
        errors.finish(|| RegistrationFields {
            customer_name: customer_name.unwrap_or_default(),
            website_domain,
            contact_name: contact_name.flatten(),
            contact_email: contact_email.flatten(),
            country: country.unwrap_or_default(),
            city: city.flatten(),
            product_families: families,
            value: value.unwrap_or_default(),
            currency: currency.unwrap_or(Currency::parse("USD").expect("USD is a currency")),
            expected_close: expected_close.unwrap_or(today),
            notes: notes.flatten(),
        })
    }
}

fn website_domain_of_email(email: &str) -> Result<String, String> {
    website_domain(email.rsplit_once('@').map_or("", |(_, d)| d))
}

/// What matching found for the customer.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomerMatch {
    /// Strong match to an existing account.
    Account {
        is_house_account: bool,
        reserved_by_another: bool,
    },
    /// Scores between the review and auto thresholds: a person decides.
    Uncertain,
    /// No account is close: a new customer.
    New,
}

/// An active registration of the same customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveRegistration {
    pub reference: String,
    pub registered_on: NaiveDate,
    pub own: bool,
    pub product_families: Vec<String>,
}

crate::code_enum! {
    /// What a program rule does with a case: decline it or send it to review.
    pub enum RuleAction ("rule action") {
        Decline => ("decline", "Decline"),
        Review => ("review", "Send to review"),
    }
}

/// The program's registration rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationRules {
    pub house_account: RuleAction,
    pub reserved_by_another: RuleAction,
    /// Approve without a person when the value is at most this (in the registration's
    /// currency) and the partner's tier level is at least `auto_approve_min_level`.
    pub auto_approve_max_value: Option<Decimal>,
    pub auto_approve_min_level: u32,
    pub protection_days: u32,
    pub max_extensions: u32,
}

impl RegistrationRules {
    /// Refuses settings a program cannot run with.
    pub fn validate(&self) -> Result<(), String> {
        if self.protection_days == 0 {
            return Err("registrations.protection_days must be at least 1".into());
        }
        if self.auto_approve_max_value.is_some_and(|v| v < Decimal::ZERO) {
            return Err("registrations.auto_approve_max_value must not be negative".into());
        }
        Ok(())
    }
}

impl Default for RegistrationRules {
    fn default() -> Self {
        Self {
            house_account: RuleAction::Decline,
            reserved_by_another: RuleAction::Decline,
            auto_approve_max_value: None,
            auto_approve_min_level: 2,
            protection_days: 90,
            max_extensions: 2,
        }
    }
}

/// The outcome of a submission and the reason shown to the partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationDecision {
    pub status: RegistrationStatus,
    pub reason: String,
}

fn decision(status: RegistrationStatus, reason: impl Into<String>) -> RegistrationDecision {
    RegistrationDecision {
        status,
        reason: reason.into(),
    }
}

fn overlaps(a: &[String], b: &[String]) -> bool {
    a.iter().any(|f| b.contains(f))
}

/// Decides a submission by rules 1–6, in order.
pub fn decide(
    fields: &RegistrationFields,
    customer: &CustomerMatch,
    active: &[ActiveRegistration],
    partner_level: Option<u32>,
    rules: &RegistrationRules,
) -> RegistrationDecision {
    use RegistrationStatus::{Approved, Declined, PendingReview};
    if let CustomerMatch::Account {
        is_house_account: true, ..
    } = customer
    {
        return match rules.house_account {
            RuleAction::Decline => decision(
                Declined,
                "The customer is a house account: the vendor sells to it directly.",
            ),
            RuleAction::Review => decision(
                PendingReview,
                "The customer is a house account; a channel manager will review.",
            ),
        };
    }
    let overlapping = |own: bool| {
        active
            .iter()
            .filter(|r| r.own == own && overlaps(&r.product_families, &fields.product_families))
            .min_by_key(|r| r.registered_on)
    };
    if let Some(first) = overlapping(false) {
        return decision(
            Declined,
            format!(
                "Duplicate: this customer was already registered on {} for an overlapping product family by another partner.",
                first.registered_on
            ),
        );
    }
    if let Some(own) = overlapping(true) {
        return decision(
            Declined,
            format!(
                "You already registered this customer ({}, {}); update that registration instead.",
                own.reference, own.registered_on
            ),
        );
    }
    if let CustomerMatch::Account {
        reserved_by_another: true,
        ..
    } = customer
    {
        return match rules.reserved_by_another {
            RuleAction::Decline => decision(Declined, "The customer account is reserved by another partner."),
            RuleAction::Review => decision(
                PendingReview,
                "The customer account is reserved by another partner; a channel manager will review.",
            ),
        };
    }
    if *customer == CustomerMatch::Uncertain {
        return decision(
            PendingReview,
            "The customer may match an existing account; a channel manager will review the candidates.",
        );
    }
    let auto = rules
        .auto_approve_max_value
        .is_some_and(|max| fields.value <= max && partner_level.is_some_and(|l| l >= rules.auto_approve_min_level));
    if auto {
        decision(Approved, "Approved automatically under the program's rules.")
    } else {
        decision(PendingReview, "Awaiting approval by your channel manager.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn input() -> RegistrationInput {
        RegistrationInput {
            customer_name: "Acme GmbH".into(),
            website: Some("https://www.acme.de/kontakt".into()),
            contact_email: Some("anna@acme.de".into()),
            country: "de".into(),
            product_families: vec!["Firewalls".into(), " Firewalls".into()],
            value: "48000.00".into(),
            currency: "EUR".into(),
            expected_close: "2027-02-01".into(),
            ..RegistrationInput::default()
        }
    }

    #[test]
    fn submissions_are_validated_field_by_field() {
        let fields = input().validate(today()).unwrap();
        assert_eq!(fields.website_domain.as_deref(), Some("acme.de"));
        assert_eq!(fields.product_families, vec!["Firewalls"]);
        let bad = RegistrationInput {
            website: Some("not a domain".into()),
            product_families: vec![],
            value: "-5".into(),
            expected_close: "2026-11-01".into(),
            contact_email: Some("nobody".into()),
            ..input()
        };
        let fields: Vec<String> = bad
            .validate(today())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "website",
                "contact_email",
                "product_families",
                "value",
                "expected_close"
            ]
        );
    }

    fn active(own: bool, family: &str) -> ActiveRegistration {
        ActiveRegistration {
            reference: "DR-2026-000007".into(),
            registered_on: NaiveDate::from_ymd_opt(2026, 10, 2).unwrap(),
            own,
            product_families: vec![family.into()],
        }
    }

    #[test]
    fn each_decision_rule_in_order() {
        let fields = input().validate(today()).unwrap();
        let rules = RegistrationRules::default();
        let account = |house, reserved| CustomerMatch::Account {
            is_house_account: house,
            reserved_by_another: reserved,
        };
        let d = decide(&fields, &account(true, false), &[], None, &rules);
        assert_eq!(d.status, RegistrationStatus::Declined);
        assert!(d.reason.contains("house account"));
        let review = RegistrationRules {
            house_account: RuleAction::Review,
            ..rules.clone()
        };
        assert_eq!(
            decide(&fields, &account(true, false), &[], None, &review).status,
            RegistrationStatus::PendingReview
        );

        let d = decide(
            &fields,
            &account(false, false),
            &[active(false, "Firewalls")],
            None,
            &rules,
        );
        assert_eq!(d.status, RegistrationStatus::Declined);
        assert!(
            d.reason.contains("2026-10-02") && d.reason.contains("another partner"),
            "{}",
            d.reason
        );
        // Another family does not overlap.
        let d = decide(
            &fields,
            &account(false, false),
            &[active(false, "Switches")],
            None,
            &rules,
        );
        assert_eq!(d.status, RegistrationStatus::PendingReview);
        let d = decide(&fields, &CustomerMatch::New, &[active(true, "Firewalls")], None, &rules);
        assert!(d.reason.contains("DR-2026-000007"), "{}", d.reason);

        let d = decide(&fields, &account(false, true), &[], None, &rules);
        assert!(d.reason.contains("reserved by another partner"));
        let d = decide(&fields, &CustomerMatch::Uncertain, &[], None, &rules);
        assert_eq!(d.status, RegistrationStatus::PendingReview);
        assert!(d.reason.contains("candidates"));

        let auto = RegistrationRules {
            auto_approve_max_value: Some(dec!(50000)),
            ..rules.clone()
        };
        assert_eq!(
            decide(&fields, &CustomerMatch::New, &[], Some(2), &auto).status,
            RegistrationStatus::Approved
        );
        assert_eq!(
            decide(&fields, &CustomerMatch::New, &[], Some(1), &auto).status,
            RegistrationStatus::PendingReview
        );
        assert_eq!(
            decide(&fields, &CustomerMatch::New, &[], None, &rules).status,
            RegistrationStatus::PendingReview
        );
    }

    #[test]
    fn the_lifecycle_only_moves_forward() {
        use RegistrationStatus::*;
        assert!(PendingReview.can_become(Approved) && PendingReview.can_become(Rejected));
        assert!(Approved.can_become(Won) && Approved.can_become(Expired));
        assert!(!Declined.can_become(Approved) && !Won.can_become(Lost) && !PendingReview.can_become(Won));
    }
}
