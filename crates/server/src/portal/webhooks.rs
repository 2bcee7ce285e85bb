//! Webhooks in the portal: a partner administrator manages its organisation's endpoints,
//! an administrator the vendor's (and sees every partner's). The list filters by state and
//! kind, sorts and exports CSV; an endpoint's page shows its recent deliveries (a chart by
//! status, a filterable table, CSV) with the edit form, secret rotation and removal. The
//! secret appears once, on the page that answers its creation or rotation.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use tributary_store::Scope;
use tributary_store::repo::webhooks::{Delivery, WebhookEndpoint};

use super::form::{Form, FormState, choices, one};
use super::listing::{Column, Listing, Params, plain, sortable};
use super::lookup::PartnerNames;
use super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::tiers::chart::grouped;
use super::tiers::{csv_of, csv_response};
use crate::api::webhooks::{
    DeliveryQuery, WebhookWithSecret, change, list_endpoints, recent_deliveries, register, remove, requeue, rotate,
    visible,
};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::Access;
use crate::services::webhooks::endpoints::WebhookInput;
use crate::services::webhooks::kinds::subscribable;
use crate::state::AppState;

const PATH: &str = "/webhooks";

const COLUMNS: &[Column] = &[
    sortable("URL", "url"),
    plain("Organisation"),
    plain("Events"),
    plain("State"),
    sortable("Registered", "created_at"),
];

const DELIVERY_COLUMNS: &[Column] = &[
    plain("Created"),
    plain("Event"),
    plain("Status"),
    plain("Attempts"),
    plain("Last answer"),
    plain("Next attempt"),
    plain("Actions"),
];

/// The endpoint form as submitted (checkbox groups arrive as lists; an unticked box not at all).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WebhookForm {
    pub url: String,
    pub event_kinds: Vec<String>,
    pub active: Option<String>,
}

impl From<WebhookForm> for WebhookInput {
    fn from(form: WebhookForm) -> Self {
        WebhookInput {
            url: form.url,
            event_kinds: form.event_kinds,
            active: form.active.is_some(),
        }
    }
}

/// The kinds the form offers: partner kinds for a partner's endpoint, all for the vendor's.
fn kind_choices(for_partner: bool, selected: &[String]) -> Vec<super::form::Choice> {
    choices(
        subscribable(for_partner).map(|k| (k.code, format!("{} — {}", k.code, k.description))),
        selected,
    )
}

/// A listed endpoint with its owner's name.
#[derive(Debug, serde::Serialize)]
struct Row {
    #[serde(flatten)]
    endpoint: WebhookEndpoint,
    organisation: String,
}

async fn rows(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<Row>> {
    let mut endpoints = list_endpoints(state, caller).await?;
    match params.get("state") {
        Some("active") => endpoints.retain(|e| e.active),
        Some("inactive") => endpoints.retain(|e| !e.active),
        _ => {}
    }
    if let Some(kind) = params.get("kind") {
        endpoints.retain(|e| e.event_kinds.iter().any(|k| k == kind));
    }
    let sort = params.get("sort").unwrap_or("created_at");
    if sort.trim_start_matches('-') == "url" {
        endpoints.sort_by(|a, b| a.url.cmp(&b.url));
    }
    if sort.starts_with('-') {
        endpoints.reverse();
    }
    let mut names = PartnerNames::new(&Scope::All);
    let mut pooled = state.db.acquire().await?;
    let mut rows = Vec::with_capacity(endpoints.len());
    for endpoint in endpoints {
        let organisation = match &endpoint.partner_id {
            Some(id) => names.name(&mut pooled.conn(), id).await?.unwrap_or_default(),
            None => "Vendor (all partners)".to_string(),
        };
        rows.push(Row { endpoint, organisation });
    }
    Ok(rows)
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let rows = rows(&state, &caller, &params).await?;
        let mut listing = Listing::new(PATH, &params, "created_at", COLUMNS).rows(rows.len());
        listing.export_href = Some(params.filters().href("/webhooks.csv", &[("sort", params.get("sort"))]));
        render_status(
            &state,
            StatusCode::OK,
            "webhooks/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, PATH),
                filters => FormState::new(params.values()).prefixed("q-"),
                states => choices([("active", "Active"), ("inactive", "Inactive")], &one(params.get("state"))),
                kinds => kind_choices(false, &one(params.get("kind"))),
                rows, listing,
            },
        )
    })
    .await
}

pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rows = rows(&state, &caller, &Params::of(&uri)).await?;
        let body = csv_of(
            &[
                "id",
                "url",
                "partner_id",
                "organisation",
                "event_kinds",
                "active",
                "created_at",
                "updated_at",
            ],
            rows.into_iter().map(|r| {
                let e = r.endpoint;
                vec![
                    e.id,
                    e.url,
                    e.partner_id.unwrap_or_default(),
                    r.organisation,
                    e.event_kinds.join(" "),
                    e.active.to_string(),
                    e.created_at,
                    e.updated_at,
                ]
            }),
        )?;
        csv_response("webhooks.csv", body)
    })
    .await
}

fn new_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<WebhookInput>,
    status: StatusCode,
) -> AppResult<Response> {
    crate::policy::authorize(caller, crate::policy::Resource::Webhooks, Access::Write)?;
    render_status(
        state,
        status,
        "webhooks/new.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PATH),
            kinds => kind_choices(caller.is_partner(), &form.values.event_kinds),
            form,
        },
    )
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        new_page(&state, &caller, FormState::new(WebhookInput::default()), StatusCode::OK)
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(form): Form<WebhookForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let input = WebhookInput::from(form);
        match register(&state, &caller, &input).await {
            Ok(created) => {
                let form = FormState::new(input_of(&created.endpoint));
                detail_page(
                    &state,
                    &caller,
                    created.endpoint.clone(),
                    Some(created),
                    form,
                    &Params::default(),
                    StatusCode::CREATED,
                )
                .await
            }
            Err(error) => {
                let (status, form) = FormState::failed(input, error)?;
                new_page(&state, &caller, form, status)
            }
        }
    })
    .await
}

fn input_of(endpoint: &WebhookEndpoint) -> WebhookInput {
    WebhookInput {
        url: endpoint.url.clone(),
        event_kinds: endpoint.event_kinds.clone(),
        active: endpoint.active,
    }
}

/// Deliveries by status, as a chart.
fn status_chart(deliveries: &[Delivery]) -> super::tiers::chart::BarChart {
    let statuses = ["delivered", "pending", "failed"];
    let counts: Vec<u64> = statuses
        .iter()
        .map(|s| deliveries.iter().filter(|d| d.status == *s).count() as u64)
        .collect();
    let labels: Vec<String> = ["Delivered", "Pending", "Failed"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    grouped(
        "delivery-status",
        "Recent deliveries by status",
        &labels,
        &["Deliveries"],
        &[counts],
    )
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    endpoint: WebhookEndpoint,
    created: Option<WebhookWithSecret>,
    form: FormState<WebhookInput>,
    params: &Params,
    status: StatusCode,
) -> AppResult<Response> {
    let query: DeliveryQuery = params.parse()?;
    let deliveries = recent_deliveries(state, caller, &endpoint.id, &query).await?;
    let path = format!("{PATH}/{}", endpoint.id);
    let mut listing = Listing::new(&path, params, "", DELIVERY_COLUMNS).rows(deliveries.len());
    listing.export_href = Some(params.filters().href(&format!("{path}/deliveries.csv"), &[]));
    render_status(
        state,
        status,
        "webhooks/detail.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PATH),
            may_write => crate::policy::authorize(caller, crate::policy::Resource::Webhooks, Access::Write).is_ok(),
            kinds => kind_choices(endpoint.partner_id.is_some(), &form.values.event_kinds),
            filters => FormState::new(params.values()).prefixed("q-"),
            statuses => choices([("pending", "Pending"), ("delivered", "Delivered"), ("failed", "Failed")], &one(params.get("status"))),
            chart => status_chart(&deliveries),
            secret => created.map(|c| c.secret),
            endpoint, deliveries, listing, form,
        },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let endpoint = visible(&state, &caller, Access::Read, &id).await?;
        let form = FormState::new(input_of(&endpoint));
        detail_page(&state, &caller, endpoint, None, form, &Params::of(&uri), StatusCode::OK).await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(form): Form<WebhookForm>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let input = WebhookInput::from(form);
        match change(&state, &caller, &id, &input).await {
            Ok(_) => see_other(&format!("{PATH}/{id}")),
            Err(error) => {
                let endpoint = visible(&state, &caller, Access::Read, &id).await?;
                let (status, form) = FormState::failed(input, error)?;
                detail_page(&state, &caller, endpoint, None, form, &Params::default(), status).await
            }
        }
    })
    .await
}

pub async fn rotate_secret(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rotated = rotate(&state, &caller, &id).await?;
        let form = FormState::new(input_of(&rotated.endpoint));
        detail_page(
            &state,
            &caller,
            rotated.endpoint.clone(),
            Some(rotated),
            form,
            &Params::default(),
            StatusCode::OK,
        )
        .await
    })
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        remove(&state, &caller, &id).await?;
        see_other(PATH)
    })
    .await
}

pub async fn redeliver(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    respond(&state, async {
        requeue(&state, &caller, &id, &delivery_id).await?;
        see_other(&format!("{PATH}/{id}"))
    })
    .await
}

pub async fn deliveries_csv(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let query: DeliveryQuery = Params::of(&uri).parse()?;
        let deliveries = recent_deliveries(&state, &caller, &id, &query).await?;
        let body = csv_of(
            &[
                "id",
                "event_id",
                "event_kind",
                "status",
                "attempts",
                "last_status_code",
                "last_error",
                "next_attempt_at",
                "created_at",
                "delivered_at",
            ],
            deliveries.into_iter().map(|d| {
                vec![
                    d.id,
                    d.event_id,
                    d.event_kind,
                    d.status,
                    d.attempts.to_string(),
                    d.last_status_code.map(|c| c.to_string()).unwrap_or_default(),
                    d.last_error.unwrap_or_default(),
                    d.next_attempt_at,
                    d.created_at,
                    d.delivered_at.unwrap_or_default(),
                ]
            }),
        )?;
        csv_response("webhook-deliveries.csv", body)
    })
    .await
}
