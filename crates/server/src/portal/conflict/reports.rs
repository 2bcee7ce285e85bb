//! Reports on registrations for vendor staff (each in the caller's scope, so a channel
//! manager sees the partners they manage): the conflicts report (declined registrations —
//! duplicates, house accounts, reserved accounts — with the reason, partner and date), the
//! pipeline (counts and value by status, by partner and by customer region, with bar
//! charts), and what expires soon (approved registrations whose protection ends and
//! reservations that lapse within N days, extension requests first). Every table sorts,
//! filters and exports as CSV.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use tributary_domain::deals::registration::RegistrationStatus;
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::registrations::RegistrationFilter;
use tributary_store::repo::reservations::{self, ReservationFilter};

use super::super::form::{FormState, choices, country_choices, one};
use super::super::listing::{Column, Header, Listing, Params, numeric, plain, sortable};
use super::super::lookup::partner_choices;
use super::super::page::{Chrome, PageError, PortalCaller, render_status, respond};
use super::super::tiers::chart::{self, BarChart};
use super::super::tiers::{csv_of, csv_response};
use super::registrations::registrations_csv;
use super::reservations::{ReservationView, reservation_views, reservations_csv};
use super::{
    Amounts, Key, NEWEST, REGISTRATIONS, RegistrationView, all_registrations, checked_sort, date_param, days_param,
    may_reserve, may_review, page_of, regions_by_country, registration_tabs, sort_rows, today, views,
};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

// ---------------------------------------------------------------------------------------
// Conflicts

pub const CONFLICTS: &str = "/registrations/conflicts";

/// The kinds of conflict a decline names, with their labels.
pub const KINDS: [(&str, &str); 5] = [
    ("duplicate", "Duplicate of another partner's registration"),
    ("own_duplicate", "Already registered by the same partner"),
    ("house_account", "House account"),
    ("reserved", "Reserved by another partner"),
    ("other", "Other"),
];

/// The kind of conflict a decline's reason describes.
pub fn conflict_kind(reason: &str) -> &'static str {
    let lower = reason.to_lowercase();
    if lower.starts_with("duplicate") {
        "duplicate"
    } else if lower.starts_with("you already registered") {
        "own_duplicate"
    } else if lower.contains("house account") {
        "house_account"
    } else if lower.contains("reserved by another partner") {
        "reserved"
    } else {
        "other"
    }
}

fn kind_label(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map_or("Other", |(_, l)| l)
}

const CONFLICT_COLUMNS: &[Column] = &[
    sortable("Submitted", "created_at"),
    plain("Reference"),
    sortable("Customer", "customer_name"),
    sortable("Partner", "partner"),
    sortable("Country", "country"),
    sortable("Conflict", "kind"),
    plain("Reason"),
];

const CONFLICT_SORTABLE: &[&str] = &["created_at", "customer_name", "partner", "country", "kind"];

#[derive(Debug, Serialize)]
struct ConflictRow {
    #[serde(flatten)]
    registration: RegistrationView,
    kind: &'static str,
    kind_label: &'static str,
}

/// Date range and partner/country filters shared by the reports.
fn base_filter(params: &Params, status: Option<&str>) -> RegistrationFilter {
    RegistrationFilter {
        partner_id: params.get("partner_id").map(str::to_string),
        status: status.map(str::to_string),
        country: params.get("country").map(|c| c.to_ascii_uppercase()),
        ..Default::default()
    }
}

/// Keeps the rows submitted within the `from`–`to` filter.
fn within_dates(rows: &mut Vec<RegistrationView>, params: &Params) -> AppResult<()> {
    let from = date_param("from", params.get("from"))?.map(|d| d.to_string());
    let to = date_param("to", params.get("to"))?.map(|d| d.to_string());
    rows.retain(|r| {
        from.as_deref().is_none_or(|f| r.created_on.as_str() >= f)
            && to.as_deref().is_none_or(|t| r.created_on.as_str() <= t)
    });
    Ok(())
}

async fn conflict_rows(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<ConflictRow>> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    let sort = checked_sort(params.get("sort"), "-created_at", CONFLICT_SORTABLE)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = all_registrations(&mut conn, &grant.scope, &base_filter(params, Some("declined")), NEWEST).await?;
    let mut rows = views(&mut conn, &grant.scope, rows).await?;
    within_dates(&mut rows, params)?;
    let mut rows: Vec<ConflictRow> = rows
        .into_iter()
        .map(|r| {
            let kind = conflict_kind(&r.reason);
            ConflictRow {
                registration: r,
                kind,
                kind_label: kind_label(kind),
            }
        })
        .filter(|r| params.get("kind").is_none_or(|k| k == r.kind))
        .collect();
    sort_rows(
        &mut rows,
        sort,
        |r, column| match column {
            "customer_name" => Key::text(&r.registration.customer_name),
            "partner" => Key::text(r.registration.partner_name.as_deref().unwrap_or_default()),
            "country" => Key::text(&r.registration.country),
            "kind" => Key::text(r.kind),
            _ => Key::text(&r.registration.created_at),
        },
        |r| r.registration.id.clone(),
    );
    Ok(rows)
}

pub async fn conflicts(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
        let params = Params::of(&uri);
        let rows = conflict_rows(&state, &caller, &params).await?;
        let count = rows.len();
        let (rows, next) = page_of(rows, params.get("offset"));
        let partners = {
            let mut pooled = state.db.acquire().await?;
            partner_choices(
                &mut pooled.conn(),
                &grant.scope,
                &PartnerFilter::default(),
                params.get("partner_id"),
            )
            .await?
        };
        let mut listing = Listing::new(CONFLICTS, &params, "-created_at", CONFLICT_COLUMNS)
            .rows(rows.len())
            .count(count as i64)
            .paged("offset", next);
        listing.export_href = Some(
            params
                .filters()
                .href("/registrations/conflicts.csv", &[("sort", params.get("sort"))]),
        );
        render_status(
            &state,
            StatusCode::OK,
            "conflict/conflicts.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, REGISTRATIONS),
                tabs => registration_tabs(&caller, CONFLICTS),
                kinds => choices(KINDS, &one(params.get("kind"))),
                countries => country_choices(&one(params.get("country"))),
                filters => FormState::new(params.values()).prefixed("q-"),
                rows, listing, partners,
            },
        )
    })
    .await
}

pub async fn conflicts_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rows = conflict_rows(&state, &caller, &Params::of(&uri)).await?;
        let body = csv_of(
            &[
                "submitted_at",
                "reference",
                "id",
                "customer_name",
                "website",
                "country",
                "partner_id",
                "partner_name",
                "conflict",
                "reason",
            ],
            rows.into_iter().map(|r| {
                let g = r.registration;
                vec![
                    g.created_at,
                    g.reference,
                    g.id,
                    g.customer_name,
                    g.website_domain.unwrap_or_default(),
                    g.country,
                    g.partner_id,
                    g.partner_name.unwrap_or_default(),
                    r.kind.to_string(),
                    g.reason,
                ]
            }),
        )?;
        csv_response("registration-conflicts.csv", body)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Pipeline

pub const PIPELINE: &str = "/registrations/pipeline";

/// Counts and values of one group (a partner, a region, or everything) by status.
#[derive(Debug, Clone, Default)]
struct Tally {
    counts: BTreeMap<&'static str, u64>,
    values: BTreeMap<&'static str, Amounts>,
    total: u64,
    /// Pending and approved: the open pipeline.
    open: Amounts,
    won: Amounts,
}

impl Tally {
    fn add(&mut self, r: &RegistrationView) {
        let status = RegistrationStatus::parse(&r.status).map_or("other", RegistrationStatus::as_str);
        *self.counts.entry(status).or_default() += 1;
        self.values.entry(status).or_default().add(&r.value, &r.currency);
        self.total += 1;
        match status {
            "pending_review" | "approved" => self.open.add(&r.value, &r.currency),
            "won" => self.won.add(&r.value, &r.currency),
            _ => {}
        }
    }
}

#[derive(Debug, Serialize)]
struct TallyRow {
    key: String,
    name: String,
    /// One per status, in [`RegistrationStatus::ALL`] order.
    counts: Vec<u64>,
    total: u64,
    open_count: u64,
    won_count: u64,
    open: String,
    won: String,
}

fn tally_row(key: String, name: String, t: &Tally) -> TallyRow {
    TallyRow {
        counts: RegistrationStatus::ALL
            .iter()
            .map(|s| t.counts.get(s.as_str()).copied().unwrap_or(0))
            .collect(),
        total: t.total,
        open_count: ["pending_review", "approved"]
            .iter()
            .map(|s| t.counts.get(s).copied().unwrap_or(0))
            .sum(),
        won_count: t.counts.get("won").copied().unwrap_or(0),
        open: t.open.text(),
        won: t.won.text(),
        key,
        name,
    }
}

#[derive(Debug, Serialize)]
struct StatusRow {
    status: &'static str,
    label: &'static str,
    count: u64,
    value: String,
}

/// Everything the pipeline shows, grouped.
struct Pipeline {
    all: Tally,
    by_partner: BTreeMap<String, (String, Tally)>,
    by_region: BTreeMap<String, (String, Tally)>,
}

async fn pipeline_data(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Pipeline> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = all_registrations(
        &mut conn,
        &grant.scope,
        &base_filter(params, params.get("status")),
        NEWEST,
    )
    .await?;
    let mut rows = views(&mut conn, &grant.scope, rows).await?;
    within_dates(&mut rows, params)?;
    let (regions, _) = regions_by_country(&mut conn).await?;
    let mut data = Pipeline {
        all: Tally::default(),
        by_partner: BTreeMap::new(),
        by_region: BTreeMap::new(),
    };
    for r in &rows {
        data.all.add(r);
        let partner_name = r.partner_name.clone().unwrap_or_else(|| r.partner_id.clone());
        data.by_partner
            .entry(r.partner_id.clone())
            .or_insert_with(|| (partner_name, Tally::default()))
            .1
            .add(r);
        let (code, name) = regions
            .get(&r.country)
            .cloned()
            .unwrap_or_else(|| (String::new(), "No region".to_string()));
        data.by_region
            .entry(code)
            .or_insert_with(|| (name, Tally::default()))
            .1
            .add(r);
    }
    Ok(data)
}

/// A status label short enough for a chart's category axis.
fn short_label(status: &str) -> &str {
    match status {
        "pending_review" => "Pending",
        other => super::status_label(other),
    }
}

const PARTNER_SORTABLE: &[&str] = &["partner", "total", "pending_review", "approved", "won"];

fn partner_rows(data: &Pipeline, sort: &str) -> Vec<TallyRow> {
    let mut rows: Vec<(String, String, Tally)> = data
        .by_partner
        .iter()
        .map(|(id, (name, t))| (id.clone(), name.clone(), t.clone()))
        .collect();
    sort_rows(
        &mut rows,
        sort,
        |(_, name, t), column| match column {
            "partner" => Key::text(name),
            "total" => Key::number(t.total),
            status => Key::number(t.counts.get(status).copied().unwrap_or(0)),
        },
        |(id, _, _)| id.clone(),
    );
    rows.into_iter().map(|(id, name, t)| tally_row(id, name, &t)).collect()
}

fn region_rows(data: &Pipeline) -> Vec<TallyRow> {
    let mut rows: Vec<TallyRow> = data
        .by_region
        .iter()
        .map(|(code, (name, t))| {
            let label = if code.is_empty() {
                name.clone()
            } else {
                format!("{name} ({code})")
            };
            tally_row(code.clone(), label, t)
        })
        .collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    rows
}

pub async fn pipeline(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
        let params = Params::of(&uri);
        let sort = checked_sort(params.get("sort"), "-total", PARTNER_SORTABLE)?;
        let data = pipeline_data(&state, &caller, &params).await?;
        let statuses: Vec<StatusRow> = RegistrationStatus::ALL
            .iter()
            .map(|s| StatusRow {
                status: s.as_str(),
                label: s.label(),
                count: data.all.counts.get(s.as_str()).copied().unwrap_or(0),
                value: data.all.values.get(s.as_str()).map_or("—".to_string(), Amounts::text),
            })
            .collect();
        let status_chart: BarChart = chart::grouped(
            "pipeline-chart",
            "Registrations by status",
            &statuses
                .iter()
                .map(|s| short_label(s.status).to_string())
                .collect::<Vec<_>>(),
            &["registrations"],
            &[statuses.iter().map(|s| s.count).collect()],
        );
        let regions = region_rows(&data);
        let region_chart: BarChart = chart::grouped(
            "region-chart",
            "Open and won registrations by customer region",
            &regions.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
            &["open", "won"],
            &[
                regions.iter().map(|r| r.open_count).collect(),
                regions.iter().map(|r| r.won_count).collect(),
            ],
        );
        let mut columns: Vec<Column> = vec![
            sortable("Partner", "partner"),
            Column {
                label: "Total",
                sort: Some("total"),
                numeric: true,
            },
        ];
        for s in RegistrationStatus::ALL {
            columns.push(Column {
                label: s.label(),
                sort: PARTNER_SORTABLE.contains(&s.as_str()).then_some(s.as_str()),
                numeric: true,
            });
        }
        columns.extend([numeric("Open value"), numeric("Won value")]);
        let partners_table = partner_rows(&data, sort);
        let mut listing = Listing::new(PIPELINE, &params, "-total", &columns).rows(partners_table.len());
        listing.export_href = Some(params.filters().href("/registrations/pipeline.csv", &[]));
        let partners = {
            let mut pooled = state.db.acquire().await?;
            partner_choices(
                &mut pooled.conn(),
                &grant.scope,
                &PartnerFilter::default(),
                params.get("partner_id"),
            )
            .await?
        };
        render_status(
            &state,
            StatusCode::OK,
            "conflict/pipeline.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, REGISTRATIONS),
                tabs => registration_tabs(&caller, PIPELINE),
                status_labels => RegistrationStatus::ALL.iter().map(|s| s.label()).collect::<Vec<_>>(),
                status_choices => choices(super::status_options(), &one(params.get("status"))),
                countries => country_choices(&one(params.get("country"))),
                filters => FormState::new(params.values()).prefixed("q-"),
                total => data.all.total,
                open => data.all.open.text(),
                won => data.all.won.text(),
                partner_rows => partners_table,
                region_rows => regions,
                statuses, status_chart, region_chart, listing, partners,
            },
        )
    })
    .await
}

/// The pipeline as CSV: one row per group, status and currency.
pub async fn pipeline_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let data = pipeline_data(&state, &caller, &params).await?;
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut emit = |dimension: &str, key: &str, name: &str, t: &Tally| {
            for (status, amounts) in &t.values {
                let count = t.counts.get(status).copied().unwrap_or(0);
                for (currency, value) in &amounts.0 {
                    rows.push(vec![
                        dimension.to_string(),
                        key.to_string(),
                        name.to_string(),
                        status.to_string(),
                        count.to_string(),
                        currency.clone(),
                        value.normalize().to_string(),
                    ]);
                }
            }
        };
        emit("all", "", "All registrations", &data.all);
        for (id, (name, t)) in &data.by_partner {
            emit("partner", id, name, t);
        }
        for (code, (name, t)) in &data.by_region {
            emit("region", code, name, t);
        }
        let body = csv_of(
            &["dimension", "key", "name", "status", "count", "currency", "value"],
            rows,
        )?;
        csv_response("registration-pipeline.csv", body)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Expiring soon

pub const EXPIRING: &str = "/registrations/expiring";

const EXPIRING_COLUMNS: &[Column] = &[
    plain("Reference"),
    sortable("Customer", "customer_name"),
    sortable("Partner", "partner"),
    sortable("Protected until", "protected_until"),
    numeric("Days left"),
    numeric("Extensions"),
    sortable("Extension", "requested"),
    plain("Actions"),
];

const EXPIRING_SORTABLE: &[&str] = &["customer_name", "partner", "protected_until", "requested"];

const RESERVATION_SORTABLE: &[&str] = &["account", "partner", "expires_on"];

/// Approved registrations whose protection ends within the page's days.
async fn expiring_registrations(
    state: &AppState,
    caller: &Caller,
    params: &Params,
) -> AppResult<Vec<RegistrationView>> {
    let grant = authorize(caller, Resource::Registrations, Access::Read)?;
    let days = days_param(params.get("days"), 30)?;
    let sort = checked_sort(params.get("sort"), "-requested", EXPIRING_SORTABLE)?;
    let by = today() + chrono::Days::new(days as u64);
    let filter = RegistrationFilter {
        protected_until_by: Some(by.to_string()),
        ..base_filter(params, Some("approved"))
    };
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = all_registrations(&mut conn, &grant.scope, &filter, NEWEST).await?;
    let mut rows = views(&mut conn, &grant.scope, rows).await?;
    if params.get("requested").is_some() {
        rows.retain(|r| r.extension_requested);
    }
    sort_rows(
        &mut rows,
        sort,
        |r, column| match column {
            "customer_name" => Key::text(&r.customer_name),
            "partner" => Key::text(r.partner_name.as_deref().unwrap_or_default()),
            // Requests first when descending, then the soonest end.
            "requested" => Key::Text(format!(
                "{}{}",
                u8::from(r.extension_requested),
                invert(r.protected_until.as_deref().unwrap_or_default())
            )),
            _ => Key::text(r.protected_until.as_deref().unwrap_or_default()),
        },
        |r| r.id.clone(),
    );
    Ok(rows)
}

/// A date text whose order is reversed (for "soonest first" inside a descending sort).
fn invert(date: &str) -> String {
    date.chars()
        .map(|c| c.to_digit(10).map_or(c, |d| char::from_digit(9 - d, 10).unwrap_or(c)))
        .collect()
}

/// Active reservations that lapse within the page's days.
async fn expiring_reservations(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<ReservationView>> {
    let grant = authorize(caller, Resource::Reservations, Access::Read)?;
    let days = days_param(params.get("days"), 30)?;
    let sort = checked_sort(params.get("rsort"), "expires_on", RESERVATION_SORTABLE)?;
    let by = today() + chrono::Days::new(days as u64);
    let filter = ReservationFilter {
        partner_id: params.get("partner_id").map(str::to_string),
        status: Some("active".into()),
        expiring_by: Some(by.to_string()),
        ..Default::default()
    };
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let rows = reservations::list(&mut conn, &grant.scope, &filter).await?;
    let mut rows = reservation_views(state, &mut conn, &grant.scope, rows).await?;
    sort_rows(
        &mut rows,
        sort,
        |r, column| match column {
            "account" => Key::text(&r.account_name),
            "partner" => Key::text(r.partner_name.as_deref().unwrap_or_default()),
            _ => Key::text(&r.expires_on),
        },
        |r| r.id.clone(),
    );
    Ok(rows)
}

/// Sortable headers of the reservations table, which sorts by `rsort`.
fn reservation_headers(params: &Params) -> Vec<Header> {
    let current = params.get("rsort").unwrap_or("expires_on");
    [
        ("Account", Some("account"), false),
        ("Partner", Some("partner"), false),
        ("Scope", None, false),
        ("Expires", Some("expires_on"), false),
        ("Days left", None, true),
        ("Renewals", None, true),
        ("Actions", None, false),
    ]
    .into_iter()
    .map(|(label, key, numeric)| {
        let Some(key) = key else {
            return Header {
                label,
                href: None,
                aria_sort: None,
                numeric,
            };
        };
        let descending = format!("-{key}");
        let (aria_sort, next) = if current == key {
            (Some("ascending"), descending.as_str())
        } else if current == descending {
            (Some("descending"), key)
        } else {
            (None, key)
        };
        Header {
            label,
            href: Some(params.href(EXPIRING, &[("rsort", Some(next))])),
            aria_sort,
            numeric,
        }
    })
    .collect()
}

pub async fn expiring(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Registrations, Access::Read)?;
        let params = Params::of(&uri);
        let days = days_param(params.get("days"), 30)?;
        let registrations = expiring_registrations(&state, &caller, &params).await?;
        let may_read_reservations = authorize(&caller, Resource::Reservations, Access::Read).is_ok();
        let reservations = if may_read_reservations {
            expiring_reservations(&state, &caller, &params).await?
        } else {
            Vec::new()
        };
        let requests = registrations.iter().filter(|r| r.extension_requested).count();
        let partners = {
            let mut pooled = state.db.acquire().await?;
            partner_choices(&mut pooled.conn(), &grant.scope, &PartnerFilter::default(), params.get("partner_id")).await?
        };
        let mut listing = Listing::new(EXPIRING, &params, "-requested", EXPIRING_COLUMNS).rows(registrations.len());
        listing.export_href = Some(params.filters().href(
            "/registrations/expiring/registrations.csv",
            &[("sort", params.get("sort"))],
        ));
        let mut filters = FormState::new(params.values()).prefixed("q-");
        filters.values.entry("days".into()).or_insert_with(|| days.to_string());
        let here = params.href(EXPIRING, &[]);
        render_status(
            &state,
            StatusCode::OK,
            "conflict/expiring.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, REGISTRATIONS),
                tabs => registration_tabs(&caller, EXPIRING),
                may_extend => may_review(&caller),
                may_renew => may_reserve(&caller),
                max_extensions => state.config.registration_rules.max_extensions,
                reservation_headers => reservation_headers(&params),
                reservations_export => params.filters().href("/registrations/expiring/reservations.csv", &[("rsort", params.get("rsort"))]),
                until => (today() + chrono::Days::new(days as u64)).to_string(),
                registrations, reservations, may_read_reservations, requests, days, listing, partners, filters, here,
            },
        )
    })
    .await
}

pub async fn expiring_registrations_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rows = expiring_registrations(&state, &caller, &Params::of(&uri)).await?;
        csv_response("registrations-expiring.csv", registrations_csv(rows)?)
    })
    .await
}

pub async fn expiring_reservations_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rows = expiring_reservations(&state, &caller, &Params::of(&uri)).await?;
        csv_response("reservations-expiring.csv", reservations_csv(rows)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declines_are_classified_by_their_reason() {
        assert_eq!(
            conflict_kind(
                "Duplicate: this customer was already registered on 2026-10-02 for an overlapping product family by another partner."
            ),
            "duplicate"
        );
        assert_eq!(
            conflict_kind(
                "You already registered this customer (DR-2026-000001, 2026-10-02); update that registration instead."
            ),
            "own_duplicate"
        );
        assert_eq!(
            conflict_kind("The customer is a house account: the vendor sells to it directly."),
            "house_account"
        );
        assert_eq!(
            conflict_kind("The customer account is reserved by another partner."),
            "reserved"
        );
        assert_eq!(conflict_kind("Something else"), "other");
    }

    #[test]
    fn inverted_dates_sort_backwards() {
        assert!(invert("2026-01-02") > invert("2026-01-03"));
        assert_eq!(invert("2026-01-02"), "7973-98-97");
    }
}
