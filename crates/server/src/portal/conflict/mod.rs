//! Channel conflict in the portal (PRODUCT.md §4): account reservations ("is this account
//! taken?", reserve, my reservations with renew and release) and deal registrations
//! (register a deal, my registrations with status and reason, a registration's page with
//! the actions its state allows), and for channel managers the review queue with the
//! scored candidates side by side and bulk actions, the conflicts report, the pipeline by
//! status, partner and region, and what expires soon. Every action goes through the same
//! API functions and services as the REST API, which authorise it again; no page names a
//! partner the caller may not see.

pub mod registrations;
pub mod reports;
pub mod reservations;
pub mod review;

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::deals::registration::RegistrationStatus;
use tributary_domain::money::{Currency, group_thousands, parse_decimal};
use tributary_store::page::{Cursor, PAGE_LIMIT_MAX, PageRequest, Sort};
use tributary_store::repo::registrations::{Registration, RegistrationFilter};
use tributary_store::{Conn, Scope};

use super::lookup::PartnerNames;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize, may_review_registrations};

/// The navigation area of the reservation pages.
pub const RESERVATIONS: &str = "/reservations";
/// The navigation area of the registration pages.
pub const REGISTRATIONS: &str = "/registrations";

/// Rows of a list page kept in memory (review queue, conflicts report).
pub const PAGE_ROWS: usize = 50;

/// Most registrations a report or export reads.
const MAX_ROWS: usize = 50_000;

/// Whether the caller reviews registrations: approve, reject, extend protection.
pub fn may_review(caller: &Caller) -> bool {
    may_review_registrations(caller).is_ok() && authorize(caller, Resource::Registrations, Access::Write).is_ok()
}

/// Whether the caller may submit registrations.
pub fn may_register(caller: &Caller) -> bool {
    authorize(caller, Resource::Registrations, Access::Write).is_ok()
}

/// Whether the caller may reserve, renew and release.
pub fn may_reserve(caller: &Caller) -> bool {
    authorize(caller, Resource::Reservations, Access::Write).is_ok()
}

/// One link of an area's sub-navigation.
#[derive(Debug, Serialize)]
pub struct Tab {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The sub-navigation of the registration pages, `current` marking the page shown.
pub fn registration_tabs(caller: &Caller, current: &str) -> Vec<Tab> {
    let partner = caller.is_partner();
    let mut tabs = vec![(
        "/registrations",
        if partner { "My registrations" } else { "Registrations" },
    )];
    if may_register(caller) && partner {
        tabs.push(("/registrations/new", "Register a deal"));
    }
    if may_review(caller) {
        tabs.push(("/registrations/review", "Review queue"));
    }
    if !partner {
        tabs.extend([
            ("/registrations/conflicts", "Conflicts"),
            ("/registrations/pipeline", "Pipeline"),
            ("/registrations/expiring", "Expiring soon"),
        ]);
    }
    tabs.into_iter()
        .map(|(href, label)| Tab {
            href,
            label,
            current: href == current,
        })
        .collect()
}

/// The sub-navigation of the reservation pages.
pub fn reservation_tabs(caller: &Caller, current: &str) -> Vec<Tab> {
    let mut tabs = vec![(
        "/reservations",
        if caller.is_partner() {
            "My reservations"
        } else {
            "Reservations"
        },
    )];
    tabs.push(("/reservations/check", "Check an account"));
    tabs.into_iter()
        .map(|(href, label)| Tab {
            href,
            label,
            current: href == current,
        })
        .collect()
}

pub use tributary_store::time::today;

/// The label of a registration status ("Pending review"); unknown codes as they are.
pub fn status_label(code: &str) -> &str {
    RegistrationStatus::parse(code).map_or(code, |s| s.label())
}

/// Registration statuses as select options.
pub fn status_options() -> Vec<(&'static str, &'static str)> {
    RegistrationStatus::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect()
}

/// A decimal amount of a currency as people read it: "48,000.00 EUR".
pub fn amount_text(value: &str, currency: &str) -> String {
    match (parse_decimal(value), Currency::parse(currency)) {
        (Ok(amount), Ok(c)) => format!(
            "{} {}",
            group_thousands(&format!("{:.prec$}", c.round(amount), prec = c.minor_units() as usize)),
            c.code()
        ),
        _ => format!("{value} {currency}"),
    }
}

/// Sums per currency, as text: "48,000.00 EUR; 1,200.00 USD".
#[derive(Debug, Clone, Default)]
pub struct Amounts(pub std::collections::BTreeMap<String, Decimal>);

impl Amounts {
    pub fn add(&mut self, value: &str, currency: &str) {
        if let Ok(amount) = parse_decimal(value) {
            *self.0.entry(currency.to_string()).or_default() += amount;
        }
    }

    pub fn text(&self) -> String {
        if self.0.is_empty() {
            return "—".to_string();
        }
        self.0
            .iter()
            .map(|(currency, amount)| amount_text(&amount.to_string(), currency))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The date part of a stored timestamp.
pub fn day_of(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// Whole days from `from` (YYYY-MM-DD…) to `to`.
pub fn days_between(from: &str, to: NaiveDate) -> i64 {
    NaiveDate::parse_from_str(day_of(from), "%Y-%m-%d").map_or(0, |d| (to - d).num_days())
}

/// A registration as a row of the lists and the head of its page.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationView {
    pub id: String,
    pub reference: String,
    pub partner_id: String,
    /// The partner's name where the caller may see it.
    pub partner_name: Option<String>,
    pub account_id: Option<String>,
    pub customer_name: String,
    pub website_domain: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub country: String,
    pub city: Option<String>,
    pub families: Vec<String>,
    pub value: String,
    pub currency: String,
    pub value_text: String,
    pub expected_close: String,
    pub notes: Option<String>,
    pub status: String,
    pub status_label: String,
    pub reason: String,
    pub match_score: Option<i64>,
    pub protected_until: Option<String>,
    pub extensions: i64,
    pub extension_requested: bool,
    pub decided_at: Option<String>,
    pub closed_on: Option<String>,
    pub created_at: String,
    pub created_on: String,
    /// Days since it was submitted.
    pub age_days: i64,
    /// Days of protection left (approved registrations).
    pub days_left: Option<i64>,
}

impl RegistrationView {
    pub fn of(r: Registration, partner_name: Option<String>) -> Self {
        let today = today();
        let days_left = r
            .protected_until
            .as_deref()
            .filter(|_| r.status == "approved")
            .map(|until| -days_between(until, today));
        Self {
            families: r
                .product_families
                .split(';')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            value_text: amount_text(&r.value, &r.currency),
            status_label: status_label(&r.status).to_string(),
            created_on: day_of(&r.created_at).to_string(),
            age_days: days_between(&r.created_at, today),
            days_left,
            id: r.id,
            reference: r.reference,
            partner_id: r.partner_id,
            partner_name,
            account_id: r.account_id,
            customer_name: r.customer_name,
            website_domain: r.website_domain,
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            country: r.country,
            city: r.city,
            value: r.value,
            currency: r.currency,
            expected_close: r.expected_close,
            notes: r.notes,
            status: r.status,
            reason: r.reason,
            match_score: r.match_score,
            protected_until: r.protected_until,
            extensions: r.extensions,
            extension_requested: r.extension_requested,
            decided_at: r.decided_at,
            closed_on: r.closed_on,
            created_at: r.created_at,
        }
    }
}

/// Views of `rows` with the partner names the scope admits.
pub async fn views(conn: &mut Conn<'_>, scope: &Scope, rows: Vec<Registration>) -> AppResult<Vec<RegistrationView>> {
    let mut names = PartnerNames::new(scope);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let name = names.name(conn, &r.partner_id).await?;
        out.push(RegistrationView::of(r, name));
    }
    Ok(out)
}

/// Newest first.
pub const NEWEST: Sort = Sort {
    column: "created_at",
    descending: true,
};

/// Every registration visible in `scope` matching `filter` (up to a bound), in `sort` order.
pub async fn all_registrations(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &RegistrationFilter,
    sort: Sort,
) -> AppResult<Vec<Registration>> {
    let mut found = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let request = PageRequest {
            sort,
            cursor: cursor.take(),
            limit: PAGE_LIMIT_MAX,
        };
        let page = tributary_store::repo::registrations::list(conn, scope, filter, &request).await?;
        found.extend(page.items);
        match page.next_cursor {
            Some(next) if found.len() < MAX_ROWS => {
                cursor = Some(Cursor::decode(&next).map_err(AppError::Internal)?);
            }
            _ => break,
        }
    }
    Ok(found)
}

/// A value rows are sorted by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Number(Decimal),
    Text(String),
}

impl Key {
    pub fn text(value: &str) -> Self {
        Key::Text(value.to_lowercase())
    }

    pub fn number(value: impl Into<Decimal>) -> Self {
        Key::Number(value.into())
    }
}

/// Sorts `rows` by the `sort` parameter (`column` or `-column`) with `key`, ties by `tie`.
pub fn sort_rows<T>(rows: &mut [T], sort: &str, key: impl Fn(&T, &str) -> Key, tie: impl Fn(&T) -> String) {
    let (column, descending) = match sort.strip_prefix('-') {
        Some(column) => (column, true),
        None => (sort, false),
    };
    rows.sort_by(|a, b| {
        let order = key(a, column).cmp(&key(b, column)).then_with(|| tie(a).cmp(&tie(b)));
        if descending { order.reverse() } else { order }
    });
}

/// The rows of the page starting at `offset`, and the offset of the next page.
pub fn page_of<T>(rows: Vec<T>, offset: Option<&str>) -> (Vec<T>, Option<String>) {
    let start = offset.and_then(|o| o.parse::<usize>().ok()).unwrap_or(0);
    let total = rows.len();
    let page: Vec<T> = rows.into_iter().skip(start).take(PAGE_ROWS).collect();
    let next = (start + PAGE_ROWS < total).then(|| (start + PAGE_ROWS).to_string());
    (page, next)
}

/// A sort parameter checked against the sortable columns of an in-memory list.
pub fn checked_sort<'a>(sort: Option<&'a str>, default: &'a str, sortable: &[&str]) -> AppResult<&'a str> {
    let sort = sort.unwrap_or(default);
    let column = sort.strip_prefix('-').unwrap_or(sort);
    if sortable.contains(&column) {
        Ok(sort)
    } else {
        Err(AppError::field(
            "sort",
            format!("'{column}' is not sortable (one of: {})", sortable.join(", ")),
        ))
    }
}

/// A number of days typed in a filter, within 1..=3650.
pub fn days_param(text: Option<&str>, default: i64) -> AppResult<i64> {
    match text {
        None => Ok(default),
        Some(text) => match text.parse::<i64>() {
            Ok(days) if (1..=3650).contains(&days) => Ok(days),
            _ => Err(AppError::field(
                "days",
                format!("'{text}' is not a number of days from 1 to 3650"),
            )),
        },
    }
}

/// A date typed in a filter (YYYY-MM-DD).
pub fn date_param(name: &str, text: Option<&str>) -> AppResult<Option<NaiveDate>> {
    text.map(|t| tributary_domain::validation::date(t).map_err(|m| AppError::field(name, m)))
        .transpose()
}

/// Region names by country code (the first region listing the country).
pub async fn regions_by_country(
    conn: &mut Conn<'_>,
) -> AppResult<(HashMap<String, (String, String)>, Vec<(String, String)>)> {
    let regions = tributary_store::repo::regions::list(conn).await?;
    let mut by_country = HashMap::new();
    for r in &regions {
        for c in &r.countries {
            by_country
                .entry(c.clone())
                .or_insert_with(|| (r.code.clone(), r.name.clone()));
        }
    }
    Ok((by_country, regions.into_iter().map(|r| (r.code, r.name)).collect()))
}

/// A portal path a form asks to return to, or `default` when it is not one.
pub fn back_path<'a>(back: &'a str, default: &'a str) -> &'a str {
    let safe = back.starts_with('/') && !back.starts_with("//") && !back.contains('\\');
    if safe { back } else { default }
}

/// Compares two optional texts with missing ones last.
pub fn cmp_missing_last(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// One figure of the partner home's channel-conflict card.
#[derive(Debug, Serialize)]
pub struct HomeFigure {
    pub value: usize,
    pub label: &'static str,
    pub href: String,
}

/// The partner home's card: registrations pending and approved (with those whose
/// protection ends within 30 days) and active reservations (with those lapsing within 30
/// days), each linking to its list; `None` when the role sees neither.
#[derive(Debug, Serialize)]
pub struct HomeSummary {
    pub figures: Vec<HomeFigure>,
    pub may_register: bool,
    pub may_reserve: bool,
}

/// The window of "ending soon" on the partner home.
const SOON_DAYS: u64 = 30;

pub async fn home_summary(state: &crate::state::AppState, caller: &Caller) -> AppResult<Option<HomeSummary>> {
    let registrations_grant = authorize(caller, Resource::Registrations, Access::Read).ok();
    let reservations_grant = authorize(caller, Resource::Reservations, Access::Read).ok();
    if registrations_grant.is_none() && reservations_grant.is_none() {
        return Ok(None);
    }
    let soon = (today() + chrono::Days::new(SOON_DAYS)).to_string();
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut figures = Vec::new();
    if let Some(grant) = &registrations_grant {
        let count = |status: &str, by: Option<&str>| RegistrationFilter {
            status: Some(status.to_string()),
            protected_until_by: by.map(str::to_string),
            ..Default::default()
        };
        let pending = all_registrations(&mut conn, &grant.scope, &count("pending_review", None), NEWEST).await?;
        let approved = all_registrations(&mut conn, &grant.scope, &count("approved", None), NEWEST).await?;
        let ending = approved
            .iter()
            .filter(|r| r.protected_until.as_deref().is_some_and(|u| u <= soon.as_str()))
            .count();
        figures.extend([
            HomeFigure {
                value: pending.len(),
                label: "registrations pending review",
                href: "/registrations?status=pending_review".into(),
            },
            HomeFigure {
                value: approved.len(),
                label: "approved registrations",
                href: "/registrations?status=approved".into(),
            },
            HomeFigure {
                value: ending,
                label: "protections ending within 30 days",
                href: format!("/registrations?protected_until_by={soon}"),
            },
        ]);
    }
    if let Some(grant) = &reservations_grant {
        let filter = tributary_store::repo::reservations::ReservationFilter {
            status: Some("active".into()),
            ..Default::default()
        };
        let active = tributary_store::repo::reservations::list(&mut conn, &grant.scope, &filter).await?;
        let lapsing = active.iter().filter(|r| r.expires_on.as_str() <= soon.as_str()).count();
        figures.extend([
            HomeFigure {
                value: active.len(),
                label: "accounts reserved",
                href: "/reservations?status=active".into(),
            },
            HomeFigure {
                value: lapsing,
                label: "reservations lapsing within 30 days",
                href: format!("/reservations?expiring_by={soon}"),
            },
        ]);
    }
    Ok(Some(HomeSummary {
        figures,
        may_register: may_register(caller),
        may_reserve: may_reserve(caller),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_well() {
        assert_eq!(amount_text("48000", "EUR"), "48,000.00 EUR");
        assert_eq!(amount_text("1000", "JPY"), "1,000 JPY");
        let mut sums = Amounts::default();
        sums.add("10.5", "USD");
        sums.add("48000.00", "EUR");
        sums.add("0.5", "USD");
        assert_eq!(sums.text(), "48,000.00 EUR; 11.00 USD");
        assert_eq!(Amounts::default().text(), "—");
    }

    #[test]
    fn rows_sort_and_page_in_memory() {
        let mut rows = vec![("b", 2), ("a", 3), ("c", 1)];
        sort_rows(
            &mut rows,
            "-n",
            |r, column| match column {
                "n" => Key::number(r.1),
                _ => Key::text(r.0),
            },
            |r| r.0.to_string(),
        );
        assert_eq!(rows, [("a", 3), ("b", 2), ("c", 1)]);
        sort_rows(&mut rows, "name", |r, _| Key::text(r.0), |r| r.0.to_string());
        assert_eq!(rows[0].0, "a");
        let (page, next) = page_of((0..120).collect::<Vec<_>>(), Some("50"));
        assert_eq!((page[0], page.len(), next.as_deref()), (50, 50, Some("100")));
        let (page, next) = page_of((0..120).collect::<Vec<_>>(), Some("100"));
        assert_eq!((page.len(), next), (20, None));
        assert!(checked_sort(Some("-age"), "name", &["age"]).is_ok());
        assert!(checked_sort(Some("bogus"), "name", &["age"]).is_err());
        assert_eq!(days_param(None, 30).unwrap(), 30);
        assert!(days_param(Some("0"), 30).is_err());
    }
}
