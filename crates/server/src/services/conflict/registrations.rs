//! Deal registrations: a submission is matched to the customer accounts (the in-memory
//! index), compared with the active registrations of the same customer (including
//! unmatched customers under spelling variants), decided by the domain's rules 1–6 and
//! stored — all under one lock, so concurrent registrations of one customer accept
//! exactly one. Then review (approve/reject, never one's own), protection and its
//! extension, won (sales facts flagged `deal_registered`), lost, and expiry.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tributary_domain::approval::ApprovalSubject;
use tributary_domain::deals::registration::{
    ActiveRegistration, CustomerMatch, RegistrationFields, RegistrationInput, RegistrationRules, RegistrationStatus,
    decide,
};
use tributary_domain::deals::reservation::Availability;
use tributary_domain::matching::{
    CandidateAccount, CustomerQuery, MatchClass, classify, decide as classify_ranked, normalize_company_name, score,
};
use tributary_domain::role::Role;
use tributary_domain::validation::FieldError;
use tributary_store::audit::Actor;
use tributary_store::repo::approvals;
use tributary_store::repo::registrations::{self, Registration};
use tributary_store::repo::tier_snapshots::{self, SnapshotFilter};
use tributary_store::repo::{accounts, products};
use tributary_store::{Conn, Db, Scope, dialect, time};
use utoipa::ToSchema;

use super::customers::CustomerIndex;
use super::reservations;
use crate::error::{AppError, AppResult, internal};
use crate::services::approvals::{NewApproval, Outcome, Verdict};
use crate::services::record;

/// A scored candidate account, as reviewers see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoredCandidate {
    pub account_id: String,
    pub account_name: String,
    pub score: u16,
    /// Which fields agreed and how much, in words.
    pub explanation: Vec<String>,
}

use tributary_store::time::today;

fn query_of(fields: &RegistrationFields) -> CustomerQuery {
    CustomerQuery {
        name: fields.customer_name.clone(),
        website: fields.website_domain.clone(),
        email: fields.contact_email.clone(),
        country: Some(fields.country.clone()),
        city: fields.city.clone(),
    }
}

async fn check_families(conn: &mut Conn<'_>, fields: &RegistrationFields) -> AppResult<()> {
    let known = products::families(conn).await?;
    let unknown: Vec<&String> = fields.product_families.iter().filter(|f| !known.contains(f)).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(AppError::Validation(vec![FieldError {
        field: "product_families".into(),
        message: format!(
            "unknown product famil{} {}",
            if unknown.len() == 1 { "y" } else { "ies" },
            unknown.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ")
        ),
    }]))
}

/// The partner's highest assigned tier level in any structure's latest snapshot.
async fn tier_level(conn: &mut Conn<'_>, partner_id: &str) -> AppResult<Option<u32>> {
    let filter = SnapshotFilter {
        partner_id: Some(partner_id.to_string()),
        ..SnapshotFilter::default()
    };
    let snapshots = tier_snapshots::all(conn, &Scope::All, &filter).await?;
    let latest = snapshots.iter().map(|s| s.eval_date.as_str()).max();
    Ok(snapshots
        .iter()
        .filter(|s| Some(s.eval_date.as_str()) == latest)
        .map(|s| s.assigned_level as u32)
        .max())
}

/// Matches the customer: the candidates and what the best one means.
async fn match_customer(
    conn: &mut Conn<'_>,
    customers: &CustomerIndex,
    query: &CustomerQuery,
    partner_id: &str,
) -> AppResult<(CustomerMatch, Option<String>, Option<i64>, Vec<ScoredCandidate>)> {
    let found = customers.search(query);
    let mut candidates = Vec::new();
    for c in &found {
        let name = accounts::get(conn, &c.account_id)
            .await?
            .map(|a| a.fields.name)
            .unwrap_or_default();
        candidates.push(ScoredCandidate {
            account_id: c.account_id.clone(),
            account_name: name,
            score: c.explanation.score,
            explanation: c.explanation.fields.iter().map(|f| f.detail.clone()).collect(),
        });
    }
    let Some(best) = found.first() else {
        return Ok((CustomerMatch::New, None, None, candidates));
    };
    let best_score = Some(i64::from(best.explanation.score));
    let ranked: Vec<u16> = found.iter().map(|c| c.explanation.score).collect();
    Ok(match classify_ranked(&ranked, customers.thresholds) {
        MatchClass::Same => {
            let account = accounts::get(conn, &best.account_id)
                .await?
                .ok_or_else(|| internal("the matching index names a deleted account"))?;
            let taken = reservations::check(conn, partner_id, &account.id).await? == Availability::Taken;
            (
                CustomerMatch::Account {
                    is_house_account: account.fields.is_house_account,
                    reserved_by_another: taken,
                },
                Some(account.id),
                best_score,
                candidates,
            )
        }
        MatchClass::Review => (CustomerMatch::Uncertain, None, best_score, candidates),
        MatchClass::Different => (CustomerMatch::New, None, best_score, candidates),
    })
}

/// Active registrations of the same customer: of the matched account, or scored as the
/// same customer against the submission.
async fn same_customer(
    conn: &mut Conn<'_>,
    customers: &CustomerIndex,
    query: &CustomerQuery,
    account_id: Option<&str>,
    country: &str,
    partner_id: &str,
) -> AppResult<Vec<ActiveRegistration>> {
    let mut same = Vec::new();
    for r in registrations::active(conn, account_id, country).await? {
        let matched = account_id.is_some() && r.account_id.as_deref() == account_id;
        let candidate = CandidateAccount {
            name: r.customer_name.clone(),
            domains: r.website_domain.iter().cloned().collect(),
            country: r.country.clone(),
            city: r.city.clone(),
        };
        let scored = classify(score(query, &candidate).score, customers.thresholds) == MatchClass::Same;
        if matched || scored {
            same.push(ActiveRegistration {
                registered_on: time::parse_date(&r.created_at[..10])?,
                own: r.partner_id == partner_id,
                product_families: r.product_families.split(';').map(str::to_string).collect(),
                reference: r.reference,
            });
        }
    }
    Ok(same)
}

/// Submits a registration for `partner_id` and decides it.
pub async fn register(
    db: &Db,
    customers: &CustomerIndex,
    rules: &RegistrationRules,
    actor: &Actor,
    partner_id: &str,
    input: &RegistrationInput,
) -> AppResult<Registration> {
    let today = today();
    let fields = input.validate(today).map_err(AppError::Validation)?;
    let query = query_of(&fields);
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    check_families(&mut conn, &fields).await?;
    dialect::lock_row(&mut conn, "conflict_gates", "name", "deal_registration").await?;
    let (customer, account_id, match_score, candidates) =
        match_customer(&mut conn, customers, &query, partner_id).await?;
    let active = same_customer(
        &mut conn,
        customers,
        &query,
        account_id.as_deref(),
        &fields.country,
        partner_id,
    )
    .await?;
    let level = tier_level(&mut conn, partner_id).await?;
    let decided = decide(&fields, &customer, &active, level, rules);
    let sequence = registrations::count_in_year(&mut conn, today.year()).await? + 1;
    let now = time::now_text();
    let approved = decided.status == RegistrationStatus::Approved;
    let registration = Registration {
        id: tributary_domain::ids::new_id(),
        reference: format!("DR-{}-{sequence:06}", today.year()),
        partner_id: partner_id.to_string(),
        registered_by: actor.user_id.clone(),
        account_id,
        customer_name: fields.customer_name.clone(),
        customer_key: normalize_company_name(&fields.customer_name).text,
        website_domain: fields.website_domain.clone(),
        contact_name: fields.contact_name.clone(),
        contact_email: fields.contact_email.clone(),
        country: fields.country.clone(),
        city: fields.city.clone(),
        product_families: fields.product_families.join(";"),
        value: fields.value.to_string(),
        currency: fields.currency.code().to_string(),
        expected_close: fields.expected_close.to_string(),
        notes: fields.notes.clone(),
        status: decided.status.as_str().to_string(),
        reason: decided.reason,
        match_score,
        candidates_json: serde_json::to_string(&candidates).map_err(internal)?,
        protected_until: approved.then(|| (today + chrono::Days::new(u64::from(rules.protection_days))).to_string()),
        extensions: 0,
        extension_requested: false,
        decided_by: None,
        decided_at: approved.then(|| now.clone()),
        closed_on: None,
        created_at: now.clone(),
        updated_at: now,
    };
    registrations::insert(&mut conn, &registration).await?;
    if decided.status == RegistrationStatus::PendingReview {
        let summary = format!(
            "{} {}: {} ({} {})",
            registration.reference,
            registration.customer_name,
            fields.product_families.join(", "),
            registration.value,
            registration.currency
        );
        let new = NewApproval {
            subject: ApprovalSubject::DealRegistration,
            subject_id: &registration.id,
            partner_id: Some(partner_id),
            requested_by: actor.user_id.as_deref(),
            summary,
            amount: Some(fields.value),
            currency: Some(&registration.currency),
        };
        crate::services::approvals::open(&mut conn, actor, new).await?;
    }
    record(
        &mut conn,
        actor,
        "registration.submitted",
        "registration",
        &registration.id,
        None::<&()>,
        Some(&registration),
    )
    .await?;
    tx.commit().await?;
    Ok(registration)
}

/// What a reviewer or the partner does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Lost,
    RequestExtension,
    Extend,
}

/// Who acts on a registration: recorded as `actor`, deciding approval steps as `role`,
/// seeing the registrations in `scope`.
pub struct Acting<'a> {
    pub actor: &'a Actor,
    pub role: Role,
    pub scope: &'a Scope,
}

/// Applies `action` with `comment` to a registration visible to `who`.
pub async fn act(
    conn: &mut Conn<'_>,
    who: &Acting<'_>,
    rules: &RegistrationRules,
    id: &str,
    action: Action,
    comment: Option<&str>,
) -> AppResult<Registration> {
    let Acting { actor, role, scope } = *who;
    let current = registrations::get(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("registration"))?;
    let status = RegistrationStatus::parse(&current.status).map_err(internal)?;
    let now = time::now_text();
    let today = today();
    let mut next = current.clone();
    let mut move_to = |target: RegistrationStatus| -> AppResult<()> {
        if !status.can_become(target) {
            return Err(AppError::Conflict(format!(
                "a {} registration cannot become {}",
                status.label().to_lowercase(),
                target.label().to_lowercase()
            )));
        }
        next.status = target.as_str().to_string();
        Ok(())
    };
    match action {
        Action::Approve | Action::Reject => {
            let approve = action == Action::Approve;
            move_to(if approve {
                RegistrationStatus::Approved
            } else {
                RegistrationStatus::Rejected
            })?;
            let note = comment.map(str::trim).filter(|c| !c.is_empty());
            if !approve && note.is_none() {
                return Err(AppError::field("comment", "say why the registration is rejected"));
            }
            let request = approvals::open_for(conn, ApprovalSubject::DealRegistration.as_str(), id)
                .await?
                .ok_or_else(|| AppError::Conflict("the registration has no open approval request".into()))?;
            let verdict = if approve { Verdict::Approve } else { Verdict::Reject };
            let outcome = crate::services::approvals::decide(conn, actor, role, &request, verdict, note).await?;
            if let Outcome::Advanced { next_step, of } = outcome {
                // More steps to go: the registration stays pending review.
                next.status = current.status.clone();
                next.reason = format!(
                    "Approved at step {} of {of}; awaiting {next_step}.",
                    request.current_step + 1
                );
                if registrations::transition(conn, &current, &next).await? != 1 {
                    return Err(AppError::Conflict(
                        "the registration changed meanwhile; reload and try again".into(),
                    ));
                }
                record(
                    conn,
                    actor,
                    "registration.step_approved",
                    "registration",
                    id,
                    Some(&current),
                    Some(&next),
                )
                .await?;
                return Ok(next);
            }
            next.reason = match (approve, comment.map(str::trim).filter(|c| !c.is_empty())) {
                (true, Some(c)) => format!("Approved: {c}"),
                (true, None) => "Approved by your channel manager.".into(),
                (false, Some(c)) => format!("Rejected: {c}"),
                (false, None) => return Err(AppError::field("comment", "say why the registration is rejected")),
            };
            next.decided_by = actor.user_id.clone();
            next.decided_at = Some(now.clone());
            if approve {
                next.protected_until = Some((today + chrono::Days::new(u64::from(rules.protection_days))).to_string());
            }
        }
        Action::Lost => {
            move_to(RegistrationStatus::Lost)?;
            next.closed_on = Some(today.to_string());
        }
        Action::RequestExtension => {
            if status != RegistrationStatus::Approved {
                return Err(AppError::Conflict(
                    "only an approved registration's protection can be extended".into(),
                ));
            }
            next.extension_requested = true;
        }
        Action::Extend => {
            if status != RegistrationStatus::Approved {
                return Err(AppError::Conflict(
                    "only an approved registration's protection can be extended".into(),
                ));
            }
            if current.extensions >= i64::from(rules.max_extensions) {
                return Err(AppError::Conflict(format!(
                    "the protection was already extended {} time(s), the most the program allows",
                    current.extensions
                )));
            }
            let until = time::parse_date(current.protected_until.as_deref().unwrap_or(&today.to_string()))?;
            next.protected_until =
                Some((until.max(today) + chrono::Days::new(u64::from(rules.protection_days))).to_string());
            next.extensions += 1;
            next.extension_requested = false;
        }
    }
    if registrations::transition(conn, &current, &next).await? != 1 {
        return Err(AppError::Conflict(
            "the registration changed meanwhile; reload and try again".into(),
        ));
    }
    let action_name = match action {
        Action::Approve => "registration.approved",
        Action::Reject => "registration.rejected",
        Action::Lost => "registration.lost",
        Action::RequestExtension => "registration.extension_requested",
        Action::Extend => "registration.extended",
    };
    record(
        conn,
        actor,
        action_name,
        "registration",
        id,
        Some(&current),
        Some(&next),
    )
    .await?;
    Ok(next)
}

/// One line of a won deal: what was sold.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct WonLine {
    pub product_sku: String,
    pub quantity: String,
    /// Decimal amount in the registration's currency.
    pub amount: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct WonInput {
    /// The sale date (YYYY-MM-DD); default today.
    pub fact_date: Option<String>,
    pub lines: Vec<WonLine>,
}

/// Marks an approved registration won and records its sales facts, flagged
/// `deal_registered` and carrying the registration's reference. A customer not yet an
/// account becomes one.
pub async fn won(
    conn: &mut Conn<'_>,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    input: &WonInput,
) -> AppResult<(
    Registration,
    Vec<String>,
    Option<tributary_store::repo::accounts::Account>,
)> {
    let current = registrations::get(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("registration"))?;
    let status = RegistrationStatus::parse(&current.status).map_err(internal)?;
    if !status.can_become(RegistrationStatus::Won) {
        return Err(AppError::Conflict(format!(
            "a {} registration cannot be won",
            status.label().to_lowercase()
        )));
    }
    if input.lines.is_empty() {
        return Err(AppError::field("lines", "list what was sold (at least one line)"));
    }
    let fact_date = input.fact_date.clone().unwrap_or_else(|| today().to_string());
    let mut created = None;
    let account_id = match &current.account_id {
        Some(id) => id.clone(),
        None => {
            let fields = tributary_domain::account::AccountInput {
                name: current.customer_name.clone(),
                kind: "company".into(),
                domains: current.website_domain.iter().cloned().collect(),
                country: current.country.clone(),
                city: current.city.clone(),
                ..Default::default()
            }
            .validate()
            .map_err(AppError::Validation)?;
            let id = tributary_domain::ids::new_id();
            created = Some(crate::services::accounts::create(conn, actor, &id, &fields).await?);
            id
        }
    };
    let batch =
        crate::services::sales::open_batch(conn, actor, "sales_facts", "deal-registration", &current.reference).await?;
    let mut resolver = crate::services::sales::SalesResolver::default();
    let mut problems = Vec::new();
    let mut facts = Vec::new();
    for (index, line) in input.lines.iter().enumerate() {
        let sale = tributary_domain::sales::SalesFactInput {
            fact_date: fact_date.clone(),
            partner_id: current.partner_id.clone(),
            account_id: account_id.clone(),
            product_sku: line.product_sku.clone(),
            quantity: line.quantity.clone(),
            amount: line.amount.clone(),
            currency: current.currency.clone(),
            deal_ref: Some(current.reference.clone()),
            source: Some("deal_registration".into()),
            ..Default::default()
        };
        let resolved = match sale.validate() {
            Ok(fields) => resolver.resolve(conn, fields, &batch.id, &batch.created_at).await?,
            Err(errors) => Err(errors),
        };
        match resolved {
            Ok(mut fact) => {
                fact.deal_registered = true;
                facts.push(fact);
            }
            Err(errors) => problems.extend(errors.into_iter().map(|e| crate::error::RowProblem {
                row: index as u64 + 1,
                column: e.field,
                message: e.message,
            })),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::InvalidRows(problems));
    }
    crate::services::sales::append(conn, &facts).await?;
    crate::services::sales::close_batch(conn, actor, &batch, facts.len() as u64).await?;
    let mut next = current.clone();
    next.status = RegistrationStatus::Won.as_str().to_string();
    next.closed_on = Some(fact_date);
    if registrations::transition(conn, &current, &next).await? != 1 {
        return Err(AppError::Conflict(
            "the registration changed meanwhile; reload and try again".into(),
        ));
    }
    record(
        conn,
        actor,
        "registration.won",
        "registration",
        id,
        Some(&current),
        Some(&next),
    )
    .await?;
    let won_value: Decimal = next.value.parse().map_err(internal)?;
    tracing::info!(reference = %next.reference, value = %won_value, "registration won");
    Ok((next, facts.into_iter().map(|f| f.id).collect(), created))
}

/// Approved registrations past their protection become expired (the scheduled job).
pub async fn expire_lapsed(db: &Db, today: NaiveDate) -> AppResult<usize> {
    let actor = Actor::system("scheduler");
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let lapsed = registrations::lapsed(&mut conn, &today.to_string()).await?;
    for r in &lapsed {
        let mut next = r.clone();
        next.status = RegistrationStatus::Expired.as_str().to_string();
        next.reason = format!("Protection ended on {}.", r.protected_until.clone().unwrap_or_default());
        next.closed_on = Some(today.to_string());
        registrations::transition(&mut conn, r, &next).await?;
        record(
            &mut conn,
            &actor,
            "registration.expired",
            "registration",
            &r.id,
            Some(r),
            Some(&next),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(lapsed.len())
}
