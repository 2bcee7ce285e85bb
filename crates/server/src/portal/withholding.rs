//! Withholding rates in the portal (finance and administrators): every tax country's rate
//! on one page, sortable and filterable by country, exported as CSV, with the form that
//! sets a country's rate (opened from a row's "Change" link) and a remove button per row.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use tributary_store::repo::withholding_rates::{self, WithholdingRate};

use super::form::{Form, FormState, country_choices, one};
use super::listing::{Column, Listing, Params, sortable};
use super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use super::tiers::{csv_of, csv_response};
use crate::api::withholding_rates::{remove, store};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::{Access, Resource, authorize};
use crate::services::withholding::WithholdingRateInput;
use crate::state::AppState;

const PATH: &str = "/withholding-rates";

const COLUMNS: &[Column] = &[
    sortable("Country", "country"),
    Column {
        label: "Rate",
        sort: Some("rate"),
        numeric: true,
    },
    sortable("Updated", "updated_at"),
];

/// The stored rates matching the `country` filter, in the order of `sort`.
async fn rows(state: &AppState, caller: &Caller, params: &Params) -> AppResult<Vec<WithholdingRate>> {
    authorize(caller, Resource::WithholdingRates, Access::Read)?;
    let mut rates = {
        let mut pooled = state.db.acquire().await?;
        withholding_rates::list(&mut pooled.conn()).await?
    };
    if let Some(country) = params.get("country") {
        rates.retain(|r| r.country.eq_ignore_ascii_case(country));
    }
    let sort = params.get("sort").unwrap_or("country");
    match sort.trim_start_matches('-') {
        "rate" => rates.sort_by(|a, b| a.rate.cmp(&b.rate).then_with(|| a.country.cmp(&b.country))),
        "updated_at" => rates.sort_by(|a, b| a.updated_at.cmp(&b.updated_at)),
        _ => {}
    }
    if sort.starts_with('-') {
        rates.reverse();
    }
    Ok(rates)
}

async fn page(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    form: FormState<WithholdingRateInput>,
    status: StatusCode,
) -> AppResult<Response> {
    let rates = rows(state, caller, params).await?;
    let mut listing = Listing::new(PATH, params, "country", COLUMNS).rows(rates.len());
    listing.export_href = Some(
        params
            .filters()
            .href("/withholding-rates.csv", &[("sort", params.get("sort"))]),
    );
    render_status(
        state,
        status,
        "withholding/list.html",
        minijinja::context! {
            chrome => Chrome::of(caller, PATH),
            may_write => authorize(caller, Resource::WithholdingRates, Access::Write).is_ok(),
            filters => FormState::new(params.values()).prefixed("q-"),
            filter_countries => country_choices(&one(params.get("country"))),
            form_countries => country_choices(&one(Some(&form.values.country))),
            form, rates, listing,
        },
    )
}

/// The page; `?edit=CC` fills the form with that country's rate.
pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let editing = match params.get("edit") {
            Some(country) => {
                let mut pooled = state.db.acquire().await?;
                withholding_rates::get(&mut pooled.conn(), &country.to_ascii_uppercase()).await?
            }
            None => None,
        };
        let form = FormState::new(
            editing.map_or_else(WithholdingRateInput::default, |r| WithholdingRateInput {
                country: r.country,
                rate: r.rate.to_string(),
            }),
        );
        page(&state, &caller, &params, form, StatusCode::OK).await
    })
    .await
}

pub async fn save(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<WithholdingRateInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match store(&state, &caller, &input).await {
            Ok(_) => see_other(PATH),
            Err(error) => {
                let (status, form) = FormState::failed(input, error)?;
                page(&state, &caller, &Params::default(), form, status).await
            }
        }
    })
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(country): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        remove(&state, &caller, &country).await?;
        see_other(PATH)
    })
    .await
}

pub async fn export(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let rates = rows(&state, &caller, &Params::of(&uri)).await?;
        let body = csv_of(
            &["country", "rate", "updated_at", "updated_by"],
            rates.into_iter().map(|r| {
                vec![
                    r.country,
                    r.rate.to_string(),
                    r.updated_at,
                    r.updated_by.unwrap_or_default(),
                ]
            }),
        )?;
        csv_response("withholding-rates.csv", body)
    })
    .await
}
