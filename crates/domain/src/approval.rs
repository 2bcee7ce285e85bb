//! Approval workflows (PRODUCT.md §10), one mechanism for every object that needs a
//! person's yes: deal registrations today; MDF requests, claims, statements and contracts
//! later. A program configures, per object type and amount band, the steps (each a set of
//! roles that may decide it) and each step's SLA. Nobody decides their own request.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::role::Role;
use crate::validation::{Errors, FieldError};

crate::code_enum! {
    /// What is being approved.
    pub enum ApprovalSubject ("approval subject") {
        DealRegistration => ("deal_registration", "Deal registration"),
        Statement => ("statement", "Incentive statement"),
        Claim => ("claim", "Incentive claim"),
    }
}

/// One step: any of `roles` may decide it, within `sla_hours`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApprovalStep {
    pub name: String,
    pub roles: Vec<Role>,
    pub sla_hours: u32,
}

/// The steps for one subject and amount band (`min_amount` ≤ amount < `max_amount`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApprovalRule {
    pub subject: ApprovalSubject,
    #[schema(value_type = Option<String>)]
    pub min_amount: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub max_amount: Option<Decimal>,
    pub steps: Vec<ApprovalStep>,
}

/// Every rule of the program, first match wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApprovalRules {
    pub rules: Vec<ApprovalRule>,
}

impl Default for ApprovalRules {
    /// Registrations and claims: one step, a channel manager (or an administrator) within
    /// 48 hours. Statements: finance within 72 hours; from 10,000 (in the statement's
    /// currency) a second finance approver, who must be another person.
    fn default() -> Self {
        let step = |name: &str, roles: Vec<Role>, sla_hours| ApprovalStep {
            name: name.into(),
            roles,
            sla_hours,
        };
        let manager = || step("Channel manager", vec![Role::ChannelManager, Role::Admin], 48);
        let finance = |name: &str| step(name, vec![Role::Finance, Role::Admin], 72);
        let rule = |subject, min_amount, max_amount, steps| ApprovalRule {
            subject,
            min_amount,
            max_amount,
            steps,
        };
        let threshold = Some(Decimal::from(DEFAULT_SECOND_APPROVER_FROM));
        Self {
            rules: vec![
                rule(ApprovalSubject::DealRegistration, None, None, vec![manager()]),
                rule(ApprovalSubject::Claim, None, None, vec![manager()]),
                rule(ApprovalSubject::Statement, None, threshold, vec![finance("Finance")]),
                rule(
                    ApprovalSubject::Statement,
                    threshold,
                    None,
                    vec![finance("Finance"), finance("Second finance approver")],
                ),
            ],
        }
    }
}

impl ApprovalRules {
    /// Refuses rules a request could not follow, naming the rule and step.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let place = format!("rule {} ({})", i + 1, rule.subject.label());
            if rule.steps.is_empty() {
                errors.add("rules", format!("{place}: needs at least one step"));
            }
            if let (Some(min), Some(max)) = (rule.min_amount, rule.max_amount)
                && min >= max
            {
                errors.add("rules", format!("{place}: min_amount must be below max_amount"));
            }
            for (s, step) in rule.steps.iter().enumerate() {
                if step.roles.is_empty() {
                    errors.add("rules", format!("{place}, step {}: name at least one role", s + 1));
                }
                if step.roles.iter().any(|r| r.is_partner()) {
                    errors.add("rules", format!("{place}, step {}: partners cannot approve", s + 1));
                }
                if step.sla_hours == 0 {
                    errors.add(
                        "rules",
                        format!("{place}, step {}: the SLA must be at least 1 hour", s + 1),
                    );
                }
            }
        }
        errors.finish(|| ())
    }

    /// The steps a request for `subject` of `amount` goes through (the default one-step
    /// channel-manager review when no rule matches).
    pub fn steps_for(&self, subject: ApprovalSubject, amount: Option<Decimal>) -> Vec<ApprovalStep> {
        self.rules
            .iter()
            .find(|r| {
                r.subject == subject
                    && r.min_amount.is_none_or(|min| amount.is_some_and(|a| a >= min))
                    && r.max_amount.is_none_or(|max| amount.is_none_or(|a| a < max))
            })
            .map(|r| r.steps.clone())
            .unwrap_or_else(|| {
                let defaults = Self::default();
                if defaults.rules.iter().any(|r| r.subject == subject) {
                    defaults.steps_for(subject, amount)
                } else {
                    defaults.rules[0].steps.clone()
                }
            })
    }
}

/// The amount from which a statement needs a second approver unless the rules say otherwise.
pub const DEFAULT_SECOND_APPROVER_FROM: i64 = 10_000;

/// Why a decision is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefusal {
    #[error("nobody approves or rejects their own request")]
    OwnRequest,
    #[error("step '{step}' is decided by {roles}")]
    WrongRole { step: String, roles: String },
    #[error("a second step must be decided by another person than the first")]
    SamePerson,
    #[error("the request is already {0}")]
    Closed(String),
}

/// Whether `role` (user `decider`) may decide `step` of a request made by `requested_by`
/// whose earlier steps were approved by `earlier_deciders` (each step needs another person).
pub fn may_decide(
    step: &ApprovalStep,
    role: Role,
    decider: &str,
    requested_by: Option<&str>,
    earlier_deciders: &[String],
) -> Result<(), DecisionRefusal> {
    if requested_by == Some(decider) {
        return Err(DecisionRefusal::OwnRequest);
    }
    if earlier_deciders.iter().any(|d| d == decider) {
        return Err(DecisionRefusal::SamePerson);
    }
    if !step.roles.contains(&role) {
        return Err(DecisionRefusal::WrongRole {
            step: step.name.clone(),
            roles: step
                .roles
                .iter()
                .map(|r| r.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(" or "),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn two_bands() -> ApprovalRules {
        let step = |name: &str, roles: Vec<Role>| ApprovalStep {
            name: name.into(),
            roles,
            sla_hours: 24,
        };
        ApprovalRules {
            rules: vec![
                ApprovalRule {
                    subject: ApprovalSubject::DealRegistration,
                    min_amount: None,
                    max_amount: Some(dec!(100000)),
                    steps: vec![step("Channel manager", vec![Role::ChannelManager])],
                },
                ApprovalRule {
                    subject: ApprovalSubject::DealRegistration,
                    min_amount: Some(dec!(100000)),
                    max_amount: None,
                    steps: vec![
                        step("Channel manager", vec![Role::ChannelManager]),
                        step("Finance", vec![Role::Finance, Role::Admin]),
                    ],
                },
            ],
        }
    }

    #[test]
    fn amount_bands_choose_the_steps() {
        let rules = two_bands();
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!(
            rules
                .steps_for(ApprovalSubject::DealRegistration, Some(dec!(99999.99)))
                .len(),
            1
        );
        assert_eq!(
            rules
                .steps_for(ApprovalSubject::DealRegistration, Some(dec!(100000)))
                .len(),
            2
        );
        assert_eq!(
            ApprovalRules { rules: vec![] }
                .steps_for(ApprovalSubject::DealRegistration, None)
                .len(),
            1
        );
    }

    #[test]
    fn deciders_need_the_role_and_never_decide_their_own() {
        let step = &two_bands().rules[1].steps[1];
        assert_eq!(may_decide(step, Role::Finance, "u2", Some("u1"), &[]), Ok(()));
        assert_eq!(
            may_decide(step, Role::Finance, "u1", Some("u1"), &[]),
            Err(DecisionRefusal::OwnRequest)
        );
        assert_eq!(
            may_decide(step, Role::Finance, "u2", Some("u1"), &["u2".to_string()]),
            Err(DecisionRefusal::SamePerson)
        );
        let wrong = may_decide(step, Role::ChannelManager, "u2", Some("u1"), &[]).unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "step 'Finance' is decided by finance or administrator"
        );
    }

    #[test]
    fn unusable_rules_are_named() {
        let mut rules = two_bands();
        rules.rules[0].steps[0].roles = vec![Role::PartnerUser];
        rules.rules[1].min_amount = Some(dec!(5));
        rules.rules[1].max_amount = Some(dec!(5));
        let messages: Vec<String> = rules.validate().unwrap_err().into_iter().map(|e| e.message).collect();
        assert!(messages[0].contains("partners cannot approve"), "{messages:?}");
        assert!(messages[1].contains("min_amount must be below"), "{messages:?}");
    }

    #[test]
    fn default_statements_need_a_second_approver_from_the_threshold() {
        let rules = ApprovalRules::default();
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!(
            rules.steps_for(ApprovalSubject::Statement, Some(dec!(9999.99))).len(),
            1
        );
        assert_eq!(rules.steps_for(ApprovalSubject::Statement, Some(dec!(10000))).len(), 2);
        let only_registrations = two_bands();
        assert_eq!(
            only_registrations
                .steps_for(ApprovalSubject::Statement, Some(dec!(50000)))
                .len(),
            2,
            "a subject without saved rules keeps its default steps"
        );
    }
}
