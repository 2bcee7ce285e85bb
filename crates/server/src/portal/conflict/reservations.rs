//! Account reservations in the portal: "Check an account" (the customer's details resolved
//! by matching, the answer in words — available, yours, another partner's (never which),
//! house account, uncertain or a new customer — and a Reserve button when it is free), and
//! the reservations the caller may see with renew and release, filtered, sorted and
//! exported as CSV.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tributary_domain::deals::reservation::{Availability, ReservationScope};
use tributary_domain::matching::CustomerQuery;
use tributary_store::repo::accounts;
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::reservations::{self, Reservation, ReservationFilter};
use tributary_store::{Conn, Scope};

use super::super::form::{Choice, Form, FormState, choices, country_choices, one};
use super::super::listing::{Column, Listing, Params, plain, sortable};
use super::super::lookup::{PartnerNames, partner_choices};
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::super::tiers::{csv_of, csv_response};
use super::{
    Key, RESERVATIONS, checked_sort, date_param, days_between, may_reserve, page_of, reservation_tabs, sort_rows, today,
};
use crate::api::reservations::{CheckAnswer, CheckRequest, change, check_account, reserve_account};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::services::conflict::reservations::ReservationInput;
use crate::state::AppState;

/// The reservation statuses, with their labels.
pub const STATUSES: [(&str, &str); 3] = [("active", "Active"), ("released", "Released"), ("expired", "Expired")];

pub fn reservation_status_label(code: &str) -> &str {
    STATUSES.iter().find(|(c, _)| *c == code).map_or(code, |(_, l)| l)
}

/// The scope of a reservation in words.
pub fn scope_label(code: &str) -> &str {
    ReservationScope::parse(code).map_or(code, |s| s.label())
}

/// The partner select of a form, when the caller may act for more than one partner.
async fn acting_choices(conn: &mut Conn<'_>, scope: &Scope, selected: Option<&str>) -> AppResult<Vec<Choice>> {
    let options = partner_choices(conn, scope, &PartnerFilter::default(), selected).await?;
    Ok(if options.len() > 1 { options } else { Vec::new() })
}

/// The answer of a check in words.
#[derive(Debug, Serialize)]
struct AnswerView {
    /// available, yours, taken, house_account, uncertain or none.
    kind: &'static str,
    title: String,
    detail: String,
    account_id: Option<String>,
    account_name: Option<String>,
    can_reserve: bool,
}

fn answer_view(answer: CheckAnswer, caller: &Caller) -> AnswerView {
    let name = answer.account_name.clone().unwrap_or_else(|| "The account".into());
    let (kind, title, detail) = match (answer.resolution.as_str(), answer.availability) {
        (_, Some(Availability::Available)) => (
            "available",
            format!("{name} is available"),
            "Nobody has reserved this account. You can reserve it — alone, or with its subsidiaries and offices.".to_string(),
        ),
        (_, Some(Availability::Yours)) => (
            "yours",
            format!("{name} is reserved by you"),
            "Your organisation already holds this account (or a parent account together with its subsidiaries and offices). See your reservations to renew or release it.".to_string(),
        ),
        (_, Some(Availability::Taken)) => (
            "taken",
            format!("{name} is reserved by another partner"),
            "Another partner holds this account. Ask your channel manager if you are already working with this customer.".to_string(),
        ),
        (_, Some(Availability::HouseAccount)) => (
            "house_account",
            format!("{name} is a house account"),
            "The vendor sells to this customer directly; it cannot be reserved or registered.".to_string(),
        ),
        ("uncertain", None) => (
            "uncertain",
            "Not sure which account this is".to_string(),
            "Several accounts could be this customer, or the best match is weak. Ask your channel manager, or register the deal: a channel manager will compare the candidates.".to_string(),
        ),
        _ => (
            "none",
            "A new customer".to_string(),
            "No existing account matches these details, so there is nothing to reserve. Register the deal to protect it.".to_string(),
        ),
    };
    AnswerView {
        can_reserve: kind == "available" && may_reserve(caller),
        kind,
        title,
        detail,
        account_id: answer.account_id,
        account_name: answer.account_name,
    }
}

/// The customer's details as typed on the check page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckForm {
    pub name: String,
    pub website: String,
    pub country: String,
    pub city: String,
    pub partner_id: String,
}

impl CheckForm {
    fn of(params: &Params) -> Self {
        let get = |key: &str| params.get(key).unwrap_or_default().to_string();
        Self {
            name: get("name"),
            website: get("website"),
            country: get("country").to_ascii_uppercase(),
            city: get("city"),
            partner_id: get("partner_id"),
        }
    }

    fn request(&self) -> CheckRequest {
        let text = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_string());
        CheckRequest {
            account_id: None,
            customer: Some(CustomerQuery {
                name: self.name.trim().to_string(),
                website: text(&self.website),
                email: None,
                country: text(&self.country),
                city: text(&self.city),
            }),
            partner_id: text(&self.partner_id),
        }
    }

    /// The registration form prefilled with these details.
    fn register_href(&self) -> String {
        let given = |value: &str| Some(value.trim()).filter(|v| !v.is_empty()).map(str::to_string);
        let pairs: Vec<(&str, Option<String>)> = vec![
            ("customer_name", given(&self.name)),
            ("website", given(&self.website)),
            ("country", given(&self.country)),
            ("city", given(&self.city)),
            ("partner_id", given(&self.partner_id)),
        ];
        let changes: Vec<(&str, Option<&str>)> = pairs.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        Params::default().href("/registrations/new", &changes)
    }
}

/// Renders the check page: the form, and the answer when a name was given.
async fn check_page(
    state: &AppState,
    caller: &Caller,
    values: CheckForm,
    message: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Reservations, Access::Read)?;
    let partners = {
        let mut pooled = state.db.acquire().await?;
        acting_choices(
            &mut pooled.conn(),
            &grant.scope,
            Some(values.partner_id.as_str()).filter(|p| !p.is_empty()),
        )
        .await?
    };
    let mut form = FormState::new(values.clone()).prefixed("c-");
    form.message = message;
    let mut answer = None;
    if !values.name.trim().is_empty() {
        match check_account(state, caller, &values.request()).await {
            Ok(found) => answer = Some(answer_view(found, caller)),
            Err(error @ AppError::Validation(_)) => {
                let (_, failed) = FormState::failed(values.clone(), error)?;
                form.errors = failed.errors;
                if form.errors.contains_key("customer") {
                    form.errors.insert("name".into(), "is required".into());
                }
            }
            Err(other) => return Err(other),
        }
    }
    let status = if status == StatusCode::OK && !form.errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    render_status(
        state,
        status,
        "conflict/check.html",
        minijinja::context! {
            chrome => Chrome::of(caller, RESERVATIONS),
            tabs => reservation_tabs(caller, "/reservations/check"),
            countries => country_choices(&one(Some(values.country.as_str()))),
            scopes => ReservationScope::ALL.iter().map(|s| (s.as_str(), s.label())).collect::<Vec<_>>(),
            register_href => values.register_href(),
            may_register => super::may_register(caller),
            form, answer, partners,
        },
    )
}

pub async fn check(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let values = CheckForm::of(&Params::of(&uri));
        check_page(&state, &caller, values, None, StatusCode::OK).await
    })
    .await
}

/// The Reserve button of the check page: the account, the scope, and the details checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReserveForm {
    pub account_id: String,
    pub scope: String,
    #[serde(flatten)]
    pub checked: CheckForm,
}

pub async fn reserve(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<ReserveForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let input = ReservationInput {
            account_id: form.account_id.clone(),
            partner_id: Some(form.checked.partner_id.clone()).filter(|p| !p.is_empty()),
            scope: Some(form.scope.clone()).filter(|s| !s.is_empty()),
        };
        match reserve_account(&state, &caller, &input).await {
            Ok(_) => see_other(RESERVATIONS),
            Err(error @ (AppError::Conflict(_) | AppError::Validation(_) | AppError::Forbidden(_))) => {
                let status = error.status();
                let message = match error {
                    AppError::Conflict(m) | AppError::Forbidden(m) => m,
                    AppError::Validation(errors) => errors
                        .into_iter()
                        .map(|e| format!("{}: {}", e.field.replace('_', " "), e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                    _ => unreachable!("matched above"),
                };
                check_page(
                    &state,
                    &caller,
                    form.checked,
                    Some(format!("Not reserved: {message}")),
                    status,
                )
                .await
            }
            Err(other) => Err(other),
        }
    })
    .await
}

const COLUMNS: &[Column] = &[
    sortable("Account", "account"),
    plain("Partner"),
    sortable("Scope", "scope"),
    sortable("Reserved", "reserved_on"),
    sortable("Expires", "expires_on"),
    Column {
        label: "Renewals",
        sort: Some("renewals"),
        numeric: true,
    },
    sortable("Status", "status"),
    plain("Actions"),
];

const SORTABLE: &[&str] = &["account", "scope", "reserved_on", "expires_on", "renewals", "status"];

/// A reservation as a row.
#[derive(Debug, Clone, Serialize)]
pub struct ReservationView {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub partner_id: String,
    pub partner_name: Option<String>,
    pub scope: String,
    pub scope_label: String,
    pub status: String,
    pub status_label: String,
    pub reserved_on: String,
    pub expires_on: String,
    pub renewals: i64,
    pub renewals_left: i64,
    pub ended_on: Option<String>,
    /// Days until it lapses (active reservations).
    pub days_left: Option<i64>,
}

/// Views of `rows`, with account names and the partner names the scope admits.
pub async fn reservation_views(
    state: &AppState,
    conn: &mut Conn<'_>,
    scope: &Scope,
    rows: Vec<Reservation>,
) -> AppResult<Vec<ReservationView>> {
    let mut partners = PartnerNames::new(scope);
    let mut accounts_seen: HashMap<String, String> = HashMap::new();
    let max = i64::from(state.config.reservation_rules.max_renewals);
    let today = today();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if !accounts_seen.contains_key(&r.account_id) {
            let name = accounts::get(conn, &r.account_id)
                .await?
                .map_or_else(|| r.account_id.clone(), |a| a.fields.name);
            accounts_seen.insert(r.account_id.clone(), name);
        }
        let partner_name = partners.name(conn, &r.partner_id).await?;
        out.push(ReservationView {
            account_name: accounts_seen[&r.account_id].clone(),
            scope_label: scope_label(&r.scope).to_string(),
            status_label: reservation_status_label(&r.status).to_string(),
            renewals_left: (max - r.renewals).max(0),
            days_left: (r.status == "active").then(|| -days_between(&r.expires_on, today)),
            id: r.id,
            account_id: r.account_id,
            partner_id: r.partner_id,
            partner_name,
            scope: r.scope,
            status: r.status,
            reserved_on: r.reserved_on,
            expires_on: r.expires_on,
            renewals: r.renewals,
            ended_on: r.ended_on,
        })
    }
    Ok(out)
}

/// The reservations matching the page's filters, sorted as asked.
async fn matching(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<ReservationView>> {
    let grant = authorize(caller, Resource::Reservations, Access::Read)?;
    let expiring_by = date_param("expiring_by", params.get("expiring_by"))?;
    let filter = ReservationFilter {
        partner_id: params.get("partner_id").map(str::to_string),
        account_id: params.get("account_id").map(str::to_string),
        status: params.get("status").map(str::to_string),
        expiring_by: expiring_by.map(|d| d.to_string()),
    };
    let sort = checked_sort(params.get("sort"), "-reserved_on", SORTABLE)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = reservations::list(&mut conn, &grant.scope, &filter).await?;
    let mut rows = reservation_views(state, &mut conn, &grant.scope, rows).await?;
    if let Some(q) = params.get("q") {
        let q = q.to_lowercase();
        rows.retain(|r| r.account_name.to_lowercase().contains(&q));
    }
    sort_rows(
        &mut rows,
        sort,
        |r, column| match column {
            "scope" => Key::text(&r.scope),
            "reserved_on" => Key::text(&r.reserved_on),
            "expires_on" => Key::text(&r.expires_on),
            "renewals" => Key::number(r.renewals),
            "status" => Key::text(&r.status),
            _ => Key::text(&r.account_name),
        },
        |r| r.id.clone(),
    );
    Ok(rows)
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    message: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Reservations, Access::Read)?;
    let rows = matching(state, caller, params).await?;
    let count = rows.len();
    let (rows, next) = page_of(rows, params.get("offset"));
    let partners = {
        let mut pooled = state.db.acquire().await?;
        acting_choices(&mut pooled.conn(), &grant.scope, params.get("partner_id")).await?
    };
    let mut listing = Listing::new(RESERVATIONS, params, "-reserved_on", COLUMNS)
        .rows(rows.len())
        .count(count as i64)
        .paged("offset", next);
    listing.export_href = Some(
        params
            .filters()
            .href("/reservations/export.csv", &[("sort", params.get("sort"))]),
    );
    let mut filters = FormState::new(params.values()).prefixed("q-");
    filters.message = message;
    render_status(
        state,
        status,
        "conflict/reservations.html",
        minijinja::context! {
            chrome => Chrome::of(caller, RESERVATIONS),
            tabs => reservation_tabs(caller, RESERVATIONS),
            statuses => choices(STATUSES, &one(params.get("status"))),
            may_write => may_reserve(caller),
            show_partner => !caller.is_partner() || !partners.is_empty(),
            max_renewals => state.config.reservation_rules.max_renewals,
            period_days => state.config.reservation_rules.period_days,
            rows, listing, partners, filters,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(
        &state,
        list_page(&state, &caller, &Params::of(&uri), None, StatusCode::OK),
    )
    .await
}

/// The reservations matching the list's filters as CSV, in the list's order.
pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rows = matching(&state, &caller, &Params::of(&uri)).await?;
        csv_response("reservations.csv", reservations_csv(rows)?)
    })
    .await
}

pub fn reservations_csv(rows: Vec<ReservationView>) -> AppResult<Vec<u8>> {
    csv_of(
        &[
            "id",
            "account_id",
            "account_name",
            "partner_id",
            "partner_name",
            "scope",
            "status",
            "reserved_on",
            "expires_on",
            "renewals",
            "ended_on",
        ],
        rows.into_iter().map(|r| {
            vec![
                r.id,
                r.account_id,
                r.account_name,
                r.partner_id,
                r.partner_name.unwrap_or_default(),
                r.scope,
                r.status,
                r.reserved_on,
                r.expires_on,
                r.renewals.to_string(),
                r.ended_on.unwrap_or_default(),
            ]
        }),
    )
}

/// Renew or release, then back to the list (or the page it was pressed on).
async fn act(state: &AppState, caller: &Caller, id: &str, renew: bool, back: &str) -> AppResult<Response> {
    match change(state, caller, id, renew).await {
        Ok(_) => see_other(back),
        Err(error @ (AppError::Conflict(_) | AppError::Forbidden(_))) => {
            let status = error.status();
            list_page(state, caller, &Params::default(), Some(error.to_string()), status).await
        }
        Err(other) => Err(other),
    }
}

/// Where to go after an action: a portal path given by the form, or the list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Back {
    pub back: String,
}

impl Back {
    pub fn path(&self) -> &str {
        super::back_path(&self.back, RESERVATIONS)
    }
}

pub async fn renew(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(back): Form<Back>,
) -> Result<Response, PageError> {
    respond(&state, act(&state, &caller, &id, true, back.path())).await
}

pub async fn release(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(back): Form<Back>,
) -> Result<Response, PageError> {
    respond(&state, act(&state, &caller, &id, false, back.path())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_links_stay_in_the_portal() {
        let back = |text: &str| Back { back: text.into() };
        assert_eq!(
            back("/registrations/expiring?days=60").path(),
            "/registrations/expiring?days=60"
        );
        assert_eq!(back("https://evil.example").path(), RESERVATIONS);
        assert_eq!(back("//evil.example").path(), RESERVATIONS);
        assert_eq!(back("").path(), RESERVATIONS);
    }

    #[test]
    fn the_register_link_carries_the_details() {
        let form = CheckForm {
            name: "Globex GmbH".into(),
            website: "globex.de".into(),
            country: "DE".into(),
            city: String::new(),
            partner_id: String::new(),
        };
        assert_eq!(
            form.register_href(),
            "/registrations/new?customer_name=Globex+GmbH&website=globex.de&country=DE"
        );
    }
}
