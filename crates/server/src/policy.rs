//! The authorisation policy: the one place that decides what a caller may do. Every
//! handler asks [`authorize`] for a [`Grant`] before touching data; the grant's [`Scope`]
//! is what repositories filter partner-owned rows by. API tokens never exceed their
//! owner's role and are further limited by their scopes.

use tributary_domain::role::Role;
use tributary_store::Scope;

use crate::auth::{Caller, Credential};
use crate::error::AppError;

/// What is being accessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Partners,
    Users,
    Products,
    Accounts,
    /// Regions and verticals.
    Geography,
    FxRates,
    Segments,
    Sales,
    Audit,
    /// Tier structures, drafts, simulations, evaluations and program-wide tier reports.
    TierPrograms,
    /// Partners' tier standing: snapshots, progress, history and manual overrides.
    TierStatus,
    /// Imported `(partner, metric, date, value)` facts tier metrics read.
    MetricFacts,
    /// Customer account reservations (and the "is this account taken?" check).
    Reservations,
    /// Deal registrations (partners submit; channel managers review).
    Registrations,
    /// The approval queue and decisions (who decides a step is the workflow's rule).
    Approvals,
    /// The program's approval rules.
    ApprovalRules,
    /// Incentive plans: drafts, published versions (partners read the plans they are in).
    IncentivePlans,
    /// Period close runs (vendor side only).
    IncentiveClose,
    /// Incentive statements and their lines (partners read their own).
    Statements,
    /// Incentive claims (partners submit; channel managers decide).
    Claims,
    /// Payout batches, payments, accounting exports and reconciliation.
    Payouts,
    /// Withholding tax rates by tax country.
    WithholdingRates,
    /// Webhook endpoints (partners register their own; the vendor its integrations').
    Webhooks,
    /// The caller's own account: password and API tokens.
    OwnAccount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// Bulk import of files (requires the `import` token scope).
    Import,
}

/// Permission to act, with the partner data the action may see or touch.
#[derive(Debug, Clone)]
pub struct Grant {
    pub scope: Scope,
}

/// How far a role reaches for one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    None,
    Read,
    ReadWrite,
}

fn reach(role: Role, resource: Resource) -> Reach {
    use Reach::*;
    use Resource::*;
    use Role::*;
    match (role, resource) {
        (Admin, _) => ReadWrite,
        (_, OwnAccount) => ReadWrite,
        (
            ChannelManager,
            Partners | Users | Accounts | Segments | TierPrograms | TierStatus | MetricFacts | Reservations
            | Registrations | Approvals,
        ) => ReadWrite,
        (ChannelManager, Claims) => ReadWrite,
        (ChannelManager, IncentivePlans | Statements | IncentiveClose | Payouts) => Read,
        (Finance, IncentivePlans | IncentiveClose | Statements | Payouts | WithholdingRates) => ReadWrite,
        (Finance, Claims) => Read,
        (Marketing, IncentivePlans) => Read,
        (PartnerAdmin, Claims | Webhooks) => ReadWrite,
        (PartnerAdmin | PartnerUser, IncentivePlans | Statements) => Read,
        (PartnerUser, Claims) => ReadWrite,
        (ChannelManager | Legal, ApprovalRules) => Read,
        (ChannelManager, Products | Geography | FxRates | Sales) => Read,
        (Finance, FxRates | Sales) => ReadWrite,
        (Finance, Approvals) => ReadWrite,
        (Finance, Registrations | ApprovalRules) => Read,
        (Finance, Partners | Products | Accounts | Geography | Audit | TierPrograms | TierStatus | MetricFacts) => Read,
        (Legal, Partners | Products | Geography | Audit | Users | Reservations | Registrations) => Read,
        (Marketing, Segments) => ReadWrite,
        (Marketing, Partners | Products | Geography | TierPrograms | TierStatus) => Read,
        (PartnerAdmin, Partners | Users | Reservations | Registrations) => ReadWrite,
        (PartnerAdmin, Products | Sales | TierStatus | MetricFacts) => Read,
        (PartnerUser, Reservations | Registrations) => ReadWrite,
        (PartnerUser, Partners | Products | Sales | Users | TierStatus | MetricFacts) => Read,
        _ => None,
    }
}

/// The partner rows a role sees: everything, its assigned partners, or its own organisation.
fn scope_of(caller: &Caller) -> Scope {
    match caller.role {
        Role::ChannelManager => Scope::ManagedBy(caller.user.id.clone()),
        role if role.is_partner() => caller.partner_scope(),
        _ => Scope::All,
    }
}

fn token_allows(caller: &Caller, access: Access) -> bool {
    match &caller.credential {
        Credential::Session { .. } => true,
        Credential::Token { scopes, .. } => {
            let needed = match access {
                Access::Read => "read",
                Access::Write => "write",
                Access::Import => "import",
            };
            scopes.iter().any(|s| s == needed)
        }
    }
}

/// Decides whether `caller` may perform `access` on `resource`.
pub fn authorize(caller: &Caller, resource: Resource, access: Access) -> Result<Grant, AppError> {
    let allowed = match reach(caller.role, resource) {
        Reach::None => false,
        Reach::Read => access == Access::Read,
        Reach::ReadWrite => true,
    };
    if !allowed {
        return Err(AppError::Forbidden(format!(
            "a {} may not {} {}",
            caller.role.label().to_lowercase(),
            match access {
                Access::Read => "read",
                Access::Write => "change",
                Access::Import => "import",
            },
            resource_name(resource)
        )));
    }
    if !token_allows(caller, access) {
        return Err(AppError::Forbidden(format!(
            "this API token lacks the '{}' scope",
            match access {
                Access::Read => "read",
                Access::Write => "write",
                Access::Import => "import",
            }
        )));
    }
    Ok(Grant {
        scope: scope_of(caller),
    })
}

fn resource_name(resource: Resource) -> &'static str {
    match resource {
        Resource::Partners => "partners",
        Resource::Users => "users",
        Resource::Products => "products",
        Resource::Accounts => "customer accounts",
        Resource::Geography => "regions and verticals",
        Resource::FxRates => "FX rates",
        Resource::Segments => "segments",
        Resource::Sales => "sales facts",
        Resource::Audit => "the audit trail",
        Resource::TierPrograms => "tier structures",
        Resource::TierStatus => "partner tier standing",
        Resource::MetricFacts => "metric facts",
        Resource::Reservations => "account reservations",
        Resource::Registrations => "deal registrations",
        Resource::Approvals => "approval requests",
        Resource::ApprovalRules => "approval rules",
        Resource::IncentivePlans => "incentive plans",
        Resource::IncentiveClose => "period close runs",
        Resource::Statements => "incentive statements",
        Resource::Claims => "incentive claims",
        Resource::Payouts => "payout batches",
        Resource::WithholdingRates => "withholding rates",
        Resource::Webhooks => "webhook endpoints",
        Resource::OwnAccount => "their own account",
    }
}

/// Whether the caller may change a partner's program fields (type, status, distributor,
/// channel manager, payout currency, tax country) — vendor staff only; a partner
/// administrator edits its organisation's profile but not its standing in the program.
pub fn may_change_program_fields(caller: &Caller) -> bool {
    !caller.role.is_partner()
}

/// Whether the caller may give a user `role` in `partner_id`: administrators anyone;
/// channel managers partner users of partners they manage (checked via the scope);
/// partner administrators users of their own organisation; nobody else.
pub fn may_assign_role(caller: &Caller, role: Role, partner_id: Option<&str>) -> Result<(), AppError> {
    let ok = match caller.role {
        Role::Admin => true,
        Role::ChannelManager => role.is_partner(),
        Role::PartnerAdmin => role.is_partner() && partner_id == caller.own_partner_id(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "a {} may not create or change a {} user{}",
            caller.role.label().to_lowercase(),
            role.label().to_lowercase(),
            if role.is_partner() { " of that organisation" } else { "" }
        )))
    }
}

/// Whether the caller may review registrations (approve, reject, extend protection):
/// vendor staff who write registrations, never partners.
pub fn may_review_registrations(caller: &Caller) -> Result<(), AppError> {
    if caller.role.is_partner() {
        return Err(AppError::Forbidden(
            "registrations are reviewed by the vendor's channel managers".into(),
        ));
    }
    Ok(())
}

/// Navigation areas shown in the portal for a role (only those it can read).
pub fn can_read(caller: &Caller, resource: Resource) -> bool {
    reach(caller.role, resource) != Reach::None
}

/// A token may create tokens only with scopes it holds itself (a session may grant any).
pub fn may_grant_scopes(caller: &Caller, requested: &[String]) -> Result<(), AppError> {
    if let Credential::Token { scopes, .. } = &caller.credential
        && let Some(extra) = requested.iter().find(|r| !scopes.contains(r))
    {
        return Err(AppError::Forbidden(format!(
            "this API token cannot create a token with the '{extra}' scope it does not have"
        )));
    }
    Ok(())
}
