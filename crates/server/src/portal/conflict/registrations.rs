//! Deal registrations in the portal: the list the caller may see (a partner its own, a
//! distributor also its resellers', a channel manager the partners they manage) with status
//! and reason, filtered, sorted, paged and exported as CSV; the registration form (product
//! families as checkboxes, errors next to their fields, what was typed kept); and one
//! registration's page with its decision's reason and the actions its state allows —
//! request an extension, report won (the lines sold) or lost for partners; approve, reject
//! or extend for reviewers, who also see the candidate accounts side by side with the
//! submission. Partners never see candidates, nor anything of another partner.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tributary_domain::deals::registration::RegistrationInput;
use tributary_domain::matching::{MatchClass, MatchThresholds, classify};
use tributary_store::repo::accounts;
use tributary_store::repo::partners::{self, PartnerFilter};
use tributary_store::repo::products::{self, ProductFilter};
use tributary_store::repo::registrations::{self, RegistrationFilter};

use super::super::form::{Form, FormState, choices, country_choices, currency_choices, one};
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::super::lookup::{first, partner_choices};
use super::super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use super::super::tiers::form::RawForm;
use super::super::tiers::{csv_of, csv_response};
use super::{
    REGISTRATIONS, RegistrationView, all_registrations, may_register, may_review, registration_tabs, status_options,
    views,
};
use crate::api::paging::Paging;
use crate::api::registrations::{RegistrationQuery, apply, detail, submit};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::conflict::registrations::{Action, ScoredCandidate, WonInput, WonLine};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    plain("Reference"),
    sortable("Customer", "customer_name"),
    plain("Partner"),
    plain("Country"),
    plain("Product families"),
    numeric("Value"),
    sortable("Expected close", "expected_close"),
    sortable("Status", "status"),
    plain("Reason"),
    sortable("Submitted", "created_at"),
];

/// The list's query: the API's, dates checked.
fn query_of(params: &Params) -> AppResult<(RegistrationFilter, Paging)> {
    let query: RegistrationQuery = params.parse()?;
    crate::api::paging::check_dates(&[("protected_until_by", &query.protected_until_by)])?;
    Ok((
        RegistrationFilter {
            partner_id: query.partner_id,
            status: query.status,
            account_id: query.account_id,
            country: query.country.map(|c| c.to_ascii_uppercase()),
            protected_until_by: query.protected_until_by,
        },
        Paging {
            limit: query.limit,
            cursor: query.cursor,
            sort: query.sort,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
        let params = Params::of(&uri);
        let (filter, paging) = query_of(&params)?;
        let request = paging.request(registrations::SORTABLE, "-created_at")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = registrations::list(&mut conn, &grant.scope, &filter, &request).await?;
        let rows = views(&mut conn, &grant.scope, page.items).await?;
        let partners = partner_choices(
            &mut conn,
            &grant.scope,
            &PartnerFilter::default(),
            params.get("partner_id"),
        )
        .await?;
        drop(pooled);
        let mut listing = Listing::new(REGISTRATIONS, &params, "-created_at", COLUMNS)
            .rows(rows.len())
            .paged("cursor", page.next_cursor);
        listing.export_href = Some(
            params
                .filters()
                .href("/registrations/export.csv", &[("sort", params.get("sort"))]),
        );
        render(
            &state,
            "conflict/registrations.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, REGISTRATIONS),
                tabs => registration_tabs(&caller, REGISTRATIONS),
                statuses => choices(status_options(), &one(params.get("status"))),
                countries => country_choices(&one(params.get("country"))),
                show_partner => partners.len() > 1,
                is_partner => caller.is_partner(),
                may_register => may_register(&caller),
                filters => FormState::new(params.values()).prefixed("q-"),
                rows, listing, partners,
            },
        )
    })
    .await
}

/// The registrations matching the list's filters as CSV, in the list's order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
        let params = Params::of(&uri);
        let (filter, paging) = query_of(&params)?;
        let request = paging.request(registrations::SORTABLE, "-created_at")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let rows = all_registrations(&mut conn, &grant.scope, &filter, request.sort).await?;
        let rows = views(&mut conn, &grant.scope, rows).await?;
        csv_response("registrations.csv", registrations_csv(rows)?)
    })
    .await
}

/// Registrations as CSV: one row each, with the decision's reason.
pub fn registrations_csv(rows: Vec<RegistrationView>) -> AppResult<Vec<u8>> {
    csv_of(
        &[
            "reference",
            "id",
            "partner_id",
            "partner_name",
            "customer_name",
            "website",
            "country",
            "city",
            "product_families",
            "value",
            "currency",
            "expected_close",
            "status",
            "reason",
            "protected_until",
            "extensions",
            "extension_requested",
            "submitted_at",
        ],
        rows.into_iter().map(|r| {
            vec![
                r.reference,
                r.id,
                r.partner_id,
                r.partner_name.unwrap_or_default(),
                r.customer_name,
                r.website_domain.unwrap_or_default(),
                r.country,
                r.city.unwrap_or_default(),
                r.families.join(";"),
                r.value,
                r.currency,
                r.expected_close,
                r.status,
                r.reason,
                r.protected_until.unwrap_or_default(),
                r.extensions.to_string(),
                r.extension_requested.to_string(),
                r.created_at,
            ]
        }),
    )
}

/// The registration form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub partner_id: String,
    pub customer_name: String,
    pub website: String,
    pub contact_name: String,
    pub contact_email: String,
    pub country: String,
    pub city: String,
    pub product_families: Vec<String>,
    pub value: String,
    pub currency: String,
    pub expected_close: String,
    pub notes: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

impl RegistrationForm {
    pub fn input(&self) -> RegistrationInput {
        RegistrationInput {
            partner_id: optional(&self.partner_id),
            customer_name: self.customer_name.trim().to_string(),
            website: optional(&self.website),
            contact_name: optional(&self.contact_name),
            contact_email: optional(&self.contact_email),
            country: self.country.trim().to_string(),
            city: optional(&self.city),
            product_families: self.product_families.clone(),
            value: self.value.trim().to_string(),
            currency: self.currency.trim().to_ascii_uppercase(),
            expected_close: self.expected_close.trim().to_string(),
            notes: optional(&self.notes),
        }
    }
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<RegistrationForm>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Registrations, Access::Write)?;
    let (families, partners) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let families = products::families(&mut conn).await?;
        let selected = Some(form.values.partner_id.as_str()).filter(|p| !p.is_empty());
        let partners = partner_choices(&mut conn, &grant.scope, &PartnerFilter::default(), selected).await?;
        (families, partners)
    };
    let values = &form.values;
    // Families no longer sold stay checked if they were, so the error next to them is understood.
    let mut offered: Vec<String> = families.clone();
    for f in &values.product_families {
        if !offered.contains(f) {
            offered.push(f.clone());
        }
    }
    render_status(
        state,
        status,
        "conflict/register.html",
        minijinja::context! {
            chrome => Chrome::of(caller, REGISTRATIONS),
            tabs => registration_tabs(caller, "/registrations/new"),
            families => choices(offered.iter().map(|f| (f.clone(), f.clone())), &values.product_families),
            countries => country_choices(&one(Some(values.country.as_str()))),
            currencies => currency_choices(&one(Some(values.currency.as_str()))),
            partners => if partners.len() > 1 { partners } else { Vec::new() },
            today => super::today().to_string(),
            protection_days => state.config.registration_rules.protection_days,
            form,
        },
    )
}

pub async fn new(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Registrations, Access::Write)?;
        let params = Params::of(&uri);
        let get = |key: &str| params.get(key).unwrap_or_default().to_string();
        // A partner's own payout currency is the likely one.
        let currency = match caller.own_partner_id() {
            Some(own) => {
                let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
                let mut pooled = state.db.acquire().await?;
                partners::get(&mut pooled.conn(), &grant.scope, own)
                    .await?
                    .map_or("USD".to_string(), |p| p.fields.payout_currency.code().to_string())
            }
            None => "USD".to_string(),
        };
        let values = RegistrationForm {
            partner_id: get("partner_id"),
            customer_name: get("customer_name"),
            website: get("website"),
            country: get("country").to_ascii_uppercase(),
            city: get("city"),
            currency,
            ..Default::default()
        };
        form_page(&state, &caller, FormState::new(values), StatusCode::OK).await
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<RegistrationForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match submit(&state, &caller, &form.input()).await {
            Ok(created) => see_other(&format!("/registrations/{}", created.id)),
            Err(error) => {
                let (status, failed) = FormState::failed(form, error)?;
                form_page(&state, &caller, failed, status).await
            }
        }
    })
    .await
}

/// One candidate account as reviewers compare it.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    pub account_id: String,
    pub account_name: String,
    pub score: u16,
    /// same, review or different (against the thresholds).
    pub class: &'static str,
    pub class_label: &'static str,
    pub is_house_account: bool,
    /// The account's value and how it agreed, per compared field (name, domain, country, city).
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub value: String,
    pub detail: String,
}

/// The submission and its candidates, field by field.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub fields: Vec<&'static str>,
    pub submitted: Vec<String>,
    pub candidates: Vec<CandidateView>,
    pub auto: u16,
    pub review: u16,
}

const FIELDS: [(&str, &str); 4] = [
    ("name", "Name"),
    ("domain", "Website domain"),
    ("country", "Country"),
    ("city", "City"),
];

/// The candidates of `r` side by side with the submission.
pub async fn comparison(
    conn: &mut tributary_store::Conn<'_>,
    r: &RegistrationView,
    candidates: &[ScoredCandidate],
    thresholds: MatchThresholds,
) -> AppResult<Comparison> {
    let mut views = Vec::with_capacity(candidates.len());
    for c in candidates {
        let account = accounts::get(conn, &c.account_id).await?;
        let values: [String; 4] = match &account {
            Some(a) => [
                a.fields.name.clone(),
                a.fields.domains.join(", "),
                a.fields.country.clone(),
                a.fields.city.clone().unwrap_or_default(),
            ],
            None => [c.account_name.clone(), String::new(), String::new(), String::new()],
        };
        let cells = FIELDS
            .iter()
            .zip(values)
            .map(|((key, _), value)| Cell {
                value,
                detail: c
                    .explanation
                    .iter()
                    .find(|e| e.split_whitespace().next() == Some(key))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        let (class, class_label) = match classify(c.score, thresholds) {
            MatchClass::Same => ("same", "Same customer"),
            MatchClass::Review => ("review", "Uncertain"),
            MatchClass::Different => ("different", "Different"),
        };
        views.push(CandidateView {
            account_id: c.account_id.clone(),
            account_name: c.account_name.clone(),
            score: c.score,
            class,
            class_label,
            is_house_account: account.is_some_and(|a| a.fields.is_house_account),
            cells,
        });
    }
    Ok(Comparison {
        fields: FIELDS.iter().map(|(_, label)| *label).collect(),
        submitted: vec![
            r.customer_name.clone(),
            r.website_domain.clone().unwrap_or_default(),
            r.country.clone(),
            r.city.clone().unwrap_or_default(),
        ],
        candidates: views,
        auto: thresholds.auto,
        review: thresholds.review,
    })
}

/// The won form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WonForm {
    pub fact_date: String,
    pub lines: Vec<WonLine>,
}

impl WonForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut columns: HashMap<&str, Vec<String>> = HashMap::new();
        let mut fact_date = String::new();
        for (key, value) in pairs {
            match key.as_str() {
                "fact_date" => fact_date = value.trim().to_string(),
                "line_sku" | "line_quantity" | "line_amount" => {
                    columns.entry(key.as_str()).or_default().push(value.trim().to_string())
                }
                _ => {}
            }
        }
        let column = |name: &str| columns.get(name).cloned().unwrap_or_default();
        let (skus, quantities, amounts) = (column("line_sku"), column("line_quantity"), column("line_amount"));
        let count = skus.len().max(quantities.len()).max(amounts.len());
        let cell = |values: &[String], i: usize| values.get(i).cloned().unwrap_or_default();
        Self {
            fact_date,
            lines: (0..count)
                .map(|i| WonLine {
                    product_sku: cell(&skus, i),
                    quantity: cell(&quantities, i),
                    amount: cell(&amounts, i),
                })
                .filter(|l| !(l.product_sku.is_empty() && l.quantity.is_empty() && l.amount.is_empty()))
                .collect(),
        }
    }

    fn input(&self) -> WonInput {
        WonInput {
            fact_date: optional(&self.fact_date),
            lines: self.lines.clone(),
        }
    }
}

/// The state of the page's action forms: the comment, the won lines, and what went wrong.
#[derive(Debug, Default, Serialize)]
pub struct ActionValues {
    pub comment: String,
    pub won: WonForm,
    /// Which form the message belongs to: review, extend, won, lost or extension.
    pub failed: String,
}

/// The page of registration `id`; `actions` carries the values and message of a failed action.
async fn detail_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    actions: Option<FormState<ActionValues>>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    let found = detail(state, caller, id).await?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let registration = views(&mut conn, &grant.scope, vec![found.registration])
        .await?
        .remove(0);
    let comparison = match &found.candidates {
        Some(candidates) if !caller.is_partner() => {
            Some(comparison(&mut conn, &registration, candidates, state.customers.thresholds).await?)
        }
        _ => None,
    };
    let mut skus: Vec<(String, String)> = Vec::new();
    for family in &registration.families {
        let filter = ProductFilter {
            family: Some(family.clone()),
            active: Some(true),
            ..Default::default()
        };
        for p in products::list(&mut conn, &filter, &first("sku", 200)).await?.items {
            skus.push((p.fields.sku, p.fields.name));
        }
    }
    drop(pooled);
    let status_code = registration.status.as_str();
    let rules = &state.config.registration_rules;
    let reviewer = may_review(caller);
    let writer = may_register(caller);
    let allowed = BTreeMap::from([
        ("review", reviewer && status_code == "pending_review"),
        (
            "extend",
            reviewer && status_code == "approved" && registration.extensions < i64::from(rules.max_extensions),
        ),
        (
            "extension",
            writer && caller.is_partner() && status_code == "approved" && !registration.extension_requested,
        ),
        ("won", writer && status_code == "approved"),
        ("lost", writer && status_code == "approved"),
    ]);
    let mut actions = actions.unwrap_or_else(|| FormState::new(ActionValues::default()).prefixed("a-"));
    if actions.values.won.lines.is_empty() {
        actions.values.won.lines.push(WonLine::default());
    }
    if actions.values.won.fact_date.is_empty() {
        actions.values.won.fact_date = super::today().to_string();
    }
    let line_errors: Vec<String> = actions
        .errors
        .get("lines")
        .map(|m| m.split("; ").map(str::to_string).collect())
        .unwrap_or_default();
    render_status(
        state,
        status,
        "conflict/registration.html",
        minijinja::context! {
            chrome => Chrome::of(caller, REGISTRATIONS),
            tabs => registration_tabs(caller, ""),
            is_partner => caller.is_partner(),
            max_extensions => rules.max_extensions,
            protection_days => rules.protection_days,
            r => registration,
            comparison, allowed, actions, skus, line_errors,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, detail_page(&state, &caller, &id, None, StatusCode::OK)).await
}

/// The comment typed with an action.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommentForm {
    pub comment: String,
    /// The page to return to (the review queue); the registration's page by default.
    pub back: String,
}

/// The detail page again after `error`, the message shown on the form `which`.
async fn failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    which: &str,
    mut values: ActionValues,
    error: AppError,
) -> AppResult<Response> {
    if matches!(error, AppError::NotFound(_)) {
        return Err(error);
    }
    values.failed = which.to_string();
    let mut form = FormState::new(values).prefixed("a-");
    let status = error.status();
    match error {
        AppError::Validation(errors) => {
            for e in errors {
                let field = e.field.rsplit('.').next().unwrap_or(&e.field).to_string();
                form.errors.insert(field, e.message);
            }
        }
        AppError::InvalidRows(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("line {}: {} {}", p.row, p.column.replace('_', " "), p.message))
                .collect();
            form.errors.insert("lines".into(), lines.join("; "));
        }
        AppError::Conflict(message) | AppError::Forbidden(message) | AppError::BadRequest(message) => {
            form.message = Some(message)
        }
        other => return Err(other),
    }
    detail_page(state, caller, id, Some(form), status).await
}

async fn act(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: Action,
    which: &str,
    form: CommentForm,
) -> AppResult<Response> {
    let CommentForm { comment, back } = form;
    let text = Some(comment.trim()).filter(|c| !c.is_empty());
    match apply(state, caller, id, action, text).await {
        Ok(_) => {
            let own = format!("/registrations/{id}");
            see_other(super::back_path(&back, &own))
        }
        Err(error) => {
            let values = ActionValues {
                comment,
                ..Default::default()
            };
            failed(state, caller, id, which, values, error).await
        }
    }
}

macro_rules! action_page {
    ($name:ident, $action:expr, $which:literal) => {
        pub async fn $name(
            State(state): State<AppState>,
            PortalCaller(caller): PortalCaller,
            Path(id): Path<String>,
            Form(form): Form<CommentForm>,
        ) -> Result<Response, PageError> {
            respond(&state, act(&state, &caller, &id, $action, $which, form)).await
        }
    };
}

action_page!(approve, Action::Approve, "review");
action_page!(reject, Action::Reject, "review");
action_page!(extend, Action::Extend, "extend");
action_page!(request_extension, Action::RequestExtension, "extension");
action_page!(lost, Action::Lost, "lost");

/// Reports the registration won with the lines sold (recorded as `deal_registered` sales).
pub async fn won(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    RawForm(pairs): RawForm,
) -> Result<Response, PageError> {
    respond(&state, async {
        let form = WonForm::from_pairs(&pairs);
        let result = async {
            crate::api::registrations::mark_won(&state, &caller, &id, &form.input()).await?;
            Ok::<_, AppError>(())
        }
        .await;
        match result {
            Ok(()) => see_other(&format!("/registrations/{id}")),
            Err(error) => {
                let values = ActionValues {
                    won: form,
                    ..Default::default()
                };
                failed(&state, &caller, &id, "won", values, error).await
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn won_lines_are_zipped_and_blank_rows_dropped() {
        let form = WonForm::from_pairs(&pairs(&[
            ("fact_date", "2026-12-01"),
            ("line_sku", "FW-1"),
            ("line_quantity", "2"),
            ("line_amount", "1000.00"),
            ("line_sku", ""),
            ("line_quantity", ""),
            ("line_amount", ""),
            ("line_sku", "SW-1"),
            ("line_quantity", "1"),
            ("line_amount", " 50 "),
        ]));
        assert_eq!(form.fact_date, "2026-12-01");
        assert_eq!(form.lines.len(), 2);
        assert_eq!(form.lines[1].product_sku, "SW-1");
        assert_eq!(form.lines[1].amount, "50");
        assert_eq!(form.input().fact_date.as_deref(), Some("2026-12-01"));
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let form = RegistrationForm {
            customer_name: " Globex ".into(),
            website: " ".into(),
            currency: "eur".into(),
            ..Default::default()
        };
        let input = form.input();
        assert_eq!(input.customer_name, "Globex");
        assert_eq!(input.website, None);
        assert_eq!(input.partner_id, None);
        assert_eq!(input.currency, "EUR");
    }
}
