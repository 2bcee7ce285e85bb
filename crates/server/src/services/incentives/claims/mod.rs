//! Incentive claims (PRODUCT.md §5): a partner asks to be paid an amount — a SPIFF for a
//! registered deal, a bonus, a rebate — optionally under a published plan it is eligible
//! for, with proof attached ([`proof`]). Submitting opens an approval request through the
//! program's workflow (channel managers by default; nobody decides their own claim); the
//! decision moves the claim to approved, which the next period close puts on the
//! partner's statement, or to rejected with the reason. A claim can be withdrawn while it
//! waits. Every change is audited in the same transaction.

pub mod proof;

use std::collections::{BTreeMap, HashMap};

use base64::Engine;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tributary_domain::approval::ApprovalSubject;
use tributary_domain::incentives::PlanKind;
use tributary_domain::money::{Currency, parse_decimal};
use tributary_domain::role::Role;
use tributary_domain::validation::{Errors, FieldError, optional_text};
use tributary_store::audit::Actor;
use tributary_store::page::PageRequest;
use tributary_store::repo::attachments::{self, Attachment, StoredFile};
use tributary_store::repo::claims::{self, Claim};
use tributary_store::repo::incentive_plans::{PlanStatus, PublishedPlan};
use tributary_store::repo::metric_facts::{self, MetricFactFilter};
use tributary_store::repo::partners::Partner;
use tributary_store::repo::{approvals, incentive_plans, partners};
use tributary_store::{Conn, Scope, time};
use utoipa::ToSchema;

use self::proof::{CheckedProof, Proof};
use super::close::eligibility::{AGREEMENT_METRIC, Standings};
use super::facts::region_countries;
use crate::error::{AppError, AppResult, internal};
use crate::services::approvals::{NewApproval, Outcome, Verdict};
use crate::services::record;

/// What attachments of a claim are filed under.
pub const SUBJECT: &str = "claim";

tributary_domain::code_enum! {
    /// Where a claim is in its life.
    pub enum ClaimStatus ("claim status") {
        Submitted => ("submitted", "Awaiting decision"),
        Approved => ("approved", "Approved"),
        Rejected => ("rejected", "Rejected"),
        Withdrawn => ("withdrawn", "Withdrawn"),
        OnStatement => ("on_statement", "On a statement"),
    }
}

/// The plan kinds a claim may ask for (commissions and points are calculated, not claimed).
pub const CLAIM_KINDS: [PlanKind; 3] = [PlanKind::Spiff, PlanKind::Bonus, PlanKind::Rebate];

/// A claim as submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ClaimInput {
    /// The partner the claim is for: a distributor may claim for its resellers, vendor
    /// staff for any partner they manage; a partner's own organisation by default.
    pub partner_id: Option<String>,
    /// A published spiff, bonus or rebate plan the partner is eligible for.
    pub plan_id: Option<String>,
    /// `spiff`, `bonus` or `rebate`; default the plan's kind, else `spiff`.
    pub kind: Option<String>,
    /// A positive decimal with no more decimals than the currency allows.
    pub amount: String,
    pub currency: String,
    pub description: String,
    /// The deal the claim is for (e.g. a registration reference).
    pub deal_ref: Option<String>,
}

/// A valid claim's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFields {
    pub plan_id: Option<String>,
    pub kind: Option<PlanKind>,
    pub amount: Decimal,
    pub currency: Currency,
    pub description: String,
    pub deal_ref: Option<String>,
}

fn description(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("say what the claim is for".into());
    }
    if text.chars().count() > 2000 {
        return Err("must be at most 2000 characters".into());
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("must not contain control characters".into());
    }
    Ok(text.to_string())
}

impl ClaimInput {
    /// Every problem, each naming its field.
    pub fn validate(&self) -> Result<ClaimFields, Vec<FieldError>> {
        let mut errors = Errors::new();
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let amount = errors.check("amount", parse_decimal(&self.amount)).and_then(|amount| {
            if amount <= Decimal::ZERO {
                errors.add("amount", "must be positive");
                return None;
            }
            if let Some(currency) = currency
                && let Err(e) = currency.to_minor(amount)
            {
                errors.add("amount", e);
                return None;
            }
            Some(amount)
        });
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(text) => match PlanKind::parse(text) {
                Ok(kind) if CLAIM_KINDS.contains(&kind) => Some(kind),
                Ok(kind) => {
                    errors.add(
                        "kind",
                        format!("{} is calculated by the close, not claimed", kind.label()),
                    );
                    None
                }
                Err(e) => {
                    errors.add("kind", e);
                    None
                }
            },
        };
        let description = errors.check("description", description(&self.description));
        let deal_ref = errors.check("deal_ref", optional_text(self.deal_ref.as_deref(), 120));
        let plan_id = self.plan_id.as_deref().map(str::trim).filter(|p| !p.is_empty());
        errors.finish(|| ClaimFields {
            plan_id: plan_id.map(str::to_string),
            kind,
            amount: amount.expect("checked"),
            currency: currency.expect("checked"),
            description: description.expect("checked"),
            deal_ref: deal_ref.expect("checked"),
        })
    }
}

/// Whether `partner` is eligible for published plan `plan_id` today; returns the plan's kind.
async fn plan_kind(conn: &mut Conn<'_>, partner: &Partner, plan_id: &str, today: NaiveDate) -> AppResult<PlanKind> {
    let unknown = || AppError::field("plan_id", format!("no published plan has id {plan_id}"));
    let plan = incentive_plans::get(conn, plan_id).await?.ok_or_else(unknown)?;
    if plan.status != PlanStatus::Published {
        return Err(unknown());
    }
    let definition = &plan.definition;
    if !CLAIM_KINDS.contains(&definition.kind) {
        return Err(AppError::field(
            "plan_id",
            format!(
                "'{}' is a {} plan: it is calculated by the close, not claimed",
                definition.name,
                definition.kind.label().to_lowercase()
            ),
        ));
    }
    if !definition.applies(today, today) {
        return Err(AppError::field(
            "plan_id",
            format!("'{}' is not in effect today", definition.name),
        ));
    }
    let day = today.to_string();
    let agreements = if definition.eligibility.requires_agreement {
        let filter = MetricFactFilter {
            partner_id: Some(partner.id.clone()),
            metric: Some(AGREEMENT_METRIC.into()),
            date_to: Some(day.clone()),
            ..MetricFactFilter::default()
        };
        let request = PageRequest {
            sort: tributary_store::page::Sort {
                column: "created_at",
                descending: false,
            },
            cursor: None,
            limit: tributary_store::page::PAGE_LIMIT_MAX,
        };
        metric_facts::list(conn, &Scope::All, &filter, &request).await?.items
    } else {
        Vec::new()
    };
    let published = PublishedPlan {
        plan_id: plan.id.clone(),
        version: plan.version,
        name: definition.name.clone(),
        definition: definition.clone(),
    };
    let regions = region_countries(conn).await?;
    let partners = std::slice::from_ref(partner);
    let standings = Standings::load(
        conn,
        partners,
        std::slice::from_ref(&published),
        today,
        &regions,
        &agreements,
    )
    .await?;
    if standings
        .eligible(&published, partners, &BTreeMap::new(), &HashMap::new())
        .is_empty()
    {
        return Err(AppError::field(
            "plan_id",
            format!("{} is not eligible for '{}'", partner.fields.name, definition.name),
        ));
    }
    Ok(definition.kind)
}

fn stored(claim: &Claim, proof: CheckedProof, actor: &Actor) -> StoredFile {
    StoredFile {
        attachment: Attachment {
            id: tributary_domain::ids::new_id(),
            subject_type: SUBJECT.into(),
            subject_id: claim.id.clone(),
            partner_id: Some(claim.partner_id.clone()),
            file_name: proof.file_name,
            content_type: proof.content_type.into(),
            size_bytes: proof.size_bytes,
            sha256: proof.sha256,
            uploaded_by: actor.user_id.clone(),
            created_at: time::now_text(),
        },
        content_base64: base64::engine::general_purpose::STANDARD.encode(&proof.bytes),
    }
}

/// Checks every proof, naming the field `proof` for the first that fails.
pub fn check_proofs(proofs: Vec<Proof>) -> AppResult<Vec<CheckedProof>> {
    proofs
        .into_iter()
        .map(proof::check)
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::Validation(vec![e]))
}

/// Submits a claim of `partner_id` with its proofs and opens its approval request.
pub async fn submit(
    conn: &mut Conn<'_>,
    actor: &Actor,
    partner_id: &str,
    input: &ClaimInput,
    proofs: Vec<Proof>,
    today: NaiveDate,
) -> AppResult<(Claim, Vec<Attachment>)> {
    let fields = input.validate().map_err(AppError::Validation)?;
    let proofs = check_proofs(proofs)?;
    let partner = partners::get(conn, &Scope::All, partner_id)
        .await?
        .ok_or_else(|| AppError::field("partner_id", format!("no partner has id {partner_id}")))?;
    let kind = match &fields.plan_id {
        Some(plan_id) => {
            let plan_kind = plan_kind(conn, &partner, plan_id, today).await?;
            if fields.kind.is_some_and(|k| k != plan_kind) {
                return Err(AppError::field(
                    "kind",
                    format!("the plan pays a {}", plan_kind.label()),
                ));
            }
            plan_kind
        }
        None => fields.kind.unwrap_or(PlanKind::Spiff),
    };
    let now = time::now_text();
    let claim = Claim {
        id: tributary_domain::ids::new_id(),
        partner_id: partner.id.clone(),
        plan_id: fields.plan_id.clone(),
        kind: kind.as_str().into(),
        amount: fields.amount.to_string(),
        currency: fields.currency.code().into(),
        description: fields.description.clone(),
        deal_ref: fields.deal_ref.clone(),
        status: ClaimStatus::Submitted.as_str().into(),
        statement_id: None,
        submitted_by: actor.user_id.clone(),
        decided_at: None,
        decision_comment: None,
        created_at: now.clone(),
        updated_at: now,
    };
    claims::insert(conn, &claim).await?;
    let mut attached = Vec::new();
    for proof in proofs {
        let file = stored(&claim, proof, actor);
        attachments::insert(conn, &file).await?;
        attached.push(file.attachment);
    }
    let summary = format!(
        "{} claim of {}: {} ({} {})",
        kind.label(),
        partner.fields.name,
        claim.description.lines().next().unwrap_or_default(),
        claim.amount,
        claim.currency
    );
    let new = NewApproval {
        subject: ApprovalSubject::Claim,
        subject_id: &claim.id,
        partner_id: Some(&claim.partner_id),
        requested_by: actor.user_id.as_deref(),
        summary,
        amount: Some(fields.amount),
        currency: Some(&claim.currency),
    };
    crate::services::approvals::open(conn, actor, new).await?;
    let after = serde_json::json!({ "claim": claim, "attachments": attached });
    record(
        conn,
        actor,
        "claim.submitted",
        "claim",
        &claim.id,
        None::<&()>,
        Some(&after),
    )
    .await?;
    Ok((claim, attached))
}

async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> AppResult<Claim> {
    claims::get(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("claim"))
}

fn waiting(claim: &Claim, action: &str) -> AppResult<()> {
    if claim.status == ClaimStatus::Submitted.as_str() {
        return Ok(());
    }
    let label = ClaimStatus::parse(&claim.status).map_or(claim.status.as_str(), |s| s.label());
    Err(AppError::Conflict(format!(
        "the claim is {}: only a claim awaiting its decision can {action}",
        label.to_lowercase()
    )))
}

async fn move_claim(conn: &mut Conn<'_>, current: &Claim, next: &Claim) -> AppResult<()> {
    if claims::transition(conn, current, next).await? != 1 {
        return Err(AppError::Conflict(
            "the claim changed meanwhile; reload and try again".into(),
        ));
    }
    Ok(())
}

/// Adds proof to a claim still awaiting its decision.
pub async fn attach(
    conn: &mut Conn<'_>,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    proof: Proof,
) -> AppResult<Attachment> {
    let claim = get(conn, scope, id).await?;
    waiting(&claim, "take more proof")?;
    let checked = check_proofs(vec![proof])?.remove(0);
    let file = stored(&claim, checked, actor);
    attachments::insert(conn, &file).await?;
    record(
        conn,
        actor,
        "claim.proof_added",
        "claim",
        id,
        None::<&()>,
        Some(&file.attachment),
    )
    .await?;
    Ok(file.attachment)
}

/// Withdraws a claim awaiting its decision; its approval request closes as withdrawn.
pub async fn withdraw(conn: &mut Conn<'_>, actor: &Actor, scope: &Scope, id: &str) -> AppResult<Claim> {
    let current = get(conn, scope, id).await?;
    waiting(&current, "be withdrawn")?;
    if let Some(request) = approvals::open_for(conn, ApprovalSubject::Claim.as_str(), id).await? {
        approvals::advance(conn, &request, request.current_step, "withdrawn", &request.due_at).await?;
    }
    let next = Claim {
        status: ClaimStatus::Withdrawn.as_str().into(),
        updated_at: time::now_text(),
        ..current.clone()
    };
    move_claim(conn, &current, &next).await?;
    record(conn, actor, "claim.withdrawn", "claim", id, Some(&current), Some(&next)).await?;
    Ok(next)
}

/// Who decides a claim: recorded as `actor`, deciding approval steps as `role`, seeing
/// the claims in `scope`.
pub struct Decider<'a> {
    pub actor: &'a Actor,
    pub role: Role,
    pub scope: &'a Scope,
}

/// Records `verdict` on the claim's current approval step; at the last step the claim
/// becomes approved (the next close pays it) or rejected (the comment says why).
pub async fn decide(
    conn: &mut Conn<'_>,
    who: &Decider<'_>,
    id: &str,
    verdict: Verdict,
    comment: Option<&str>,
) -> AppResult<Claim> {
    let current = get(conn, who.scope, id).await?;
    waiting(&current, "be decided")?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if verdict == Verdict::Reject && comment.is_none() {
        return Err(AppError::field("comment", "say why the claim is rejected"));
    }
    let request = approvals::open_for(conn, ApprovalSubject::Claim.as_str(), id)
        .await?
        .ok_or_else(|| internal(format!("claim {id} awaits a decision but has no open approval request")))?;
    let outcome = crate::services::approvals::decide(conn, who.actor, who.role, &request, verdict, comment).await?;
    let now = time::now_text();
    let (status, action) = match outcome {
        Outcome::Advanced { .. } => {
            record(
                conn,
                who.actor,
                "claim.step_approved",
                "claim",
                id,
                None::<&()>,
                Some(&serde_json::json!({ "step": request.current_step + 1, "comment": comment })),
            )
            .await?;
            return Ok(current);
        }
        Outcome::Approved => (ClaimStatus::Approved, "claim.approved"),
        Outcome::Rejected => (ClaimStatus::Rejected, "claim.rejected"),
    };
    let next = Claim {
        status: status.as_str().into(),
        decided_at: Some(now.clone()),
        decision_comment: comment.map(str::to_string),
        updated_at: now,
        ..current.clone()
    };
    move_claim(conn, &current, &next).await?;
    record(conn, who.actor, action, "claim", id, Some(&current), Some(&next)).await?;
    Ok(next)
}

/// One proof file with its content, if the claim is in `scope`.
pub async fn proof_file(
    conn: &mut Conn<'_>,
    scope: &Scope,
    claim_id: &str,
    attachment_id: &str,
) -> AppResult<(Attachment, Vec<u8>)> {
    let file = attachments::get(conn, scope, SUBJECT, claim_id, attachment_id)
        .await?
        .ok_or_else(|| AppError::not_found("attachment"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file.content_base64.as_bytes())
        .map_err(internal)?;
    Ok((file.attachment, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(amount: &str, currency: &str) -> ClaimInput {
        ClaimInput {
            amount: amount.into(),
            currency: currency.into(),
            description: "SPIFF for the Globex deal".into(),
            ..ClaimInput::default()
        }
    }

    fn fields(input: &ClaimInput) -> Vec<String> {
        input.validate().unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn amounts_are_positive_exact_and_fit_the_currency() {
        let ok = input("250.50", "eur").validate().unwrap();
        assert_eq!((ok.amount.to_string().as_str(), ok.currency.code()), ("250.50", "EUR"));
        assert_eq!(fields(&input("-5", "EUR")), ["amount"]);
        assert_eq!(fields(&input("0", "EUR")), ["amount"]);
        assert_eq!(fields(&input("1.005", "EUR")), ["amount"]);
        assert_eq!(fields(&input("10.5", "JPY")), ["amount"]);
        assert_eq!(fields(&input("1e3", "EUR")), ["amount"]);
        assert_eq!(fields(&input("10", "EURO")), ["currency"]);
    }

    #[test]
    fn kinds_and_texts_are_checked() {
        let mut commission = input("10", "EUR");
        commission.kind = Some("commission".into());
        commission.description = "  ".into();
        commission.deal_ref = Some("x".repeat(121));
        assert_eq!(fields(&commission), ["kind", "description", "deal_ref"]);
        let mut bonus = input("10", "EUR");
        bonus.kind = Some("Bonus".into());
        bonus.description = "Line one\nline two".into();
        assert_eq!(bonus.validate().unwrap().kind, Some(PlanKind::Bonus));
    }
}
