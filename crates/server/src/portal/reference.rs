//! Regions and verticals on one page: both lists, and for administrators a form for each
//! that adds a new code or, opened from a row's "Edit" link, changes an existing one.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use tributary_domain::geography::{RegionInput, VerticalInput};
use tributary_store::repo::{regions, verticals};

use super::form::{Form, FormState, split_list};
use super::listing::Params;
use super::page::{Chrome, PageError, PortalCaller, render_status, respond, see_other};
use crate::api::geography::{store_region, store_vertical};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// The two forms as the page shows them.
struct Forms {
    region: FormState<RegionInput>,
    vertical: FormState<VerticalInput>,
}

async fn page(state: &AppState, caller: &Caller, forms: Forms, status: StatusCode) -> AppResult<Response> {
    authorize(caller, Resource::Geography, Access::Read)?;
    let (all_regions, all_verticals) = {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        (regions::list(&mut conn).await?, verticals::list(&mut conn).await?)
    };
    render_status(
        state,
        status,
        "reference.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/reference"),
            may_write => authorize(caller, Resource::Geography, Access::Write).is_ok(),
            regions => all_regions,
            verticals => all_verticals,
            region_form => forms.region.prefixed("region-"),
            vertical_form => forms.vertical.prefixed("vertical-"),
        },
    )
}

/// The page; `?region=code` or `?vertical=code` opens that record in its form.
pub async fn show(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let params = Params::of(&uri);
        let (region, vertical) = {
            let mut pooled = state.db.acquire().await?;
            let mut conn = pooled.conn();
            let region = match params.get("region") {
                Some(code) => regions::get(&mut conn, code).await?,
                None => None,
            };
            let vertical = match params.get("vertical") {
                Some(code) => verticals::get(&mut conn, code).await?,
                None => None,
            };
            (region, vertical)
        };
        let forms = Forms {
            region: FormState::new(region.map_or_else(RegionInput::default, |r| RegionInput {
                code: r.code,
                name: r.name,
                countries: r.countries,
            })),
            vertical: FormState::new(vertical.map_or_else(VerticalInput::default, |v| VerticalInput {
                code: v.code,
                name: v.name,
            })),
        };
        page(&state, &caller, forms, StatusCode::OK).await
    })
    .await
}

pub async fn save_region(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(mut input): Form<RegionInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        input.countries = split_list(&input.countries);
        match store_region(&state, &caller, &input.code, input.clone()).await {
            Ok(_) => see_other("/reference"),
            Err(error) => {
                let (status, region) = FormState::failed(input, error)?;
                let forms = Forms {
                    region,
                    vertical: FormState::new(VerticalInput::default()),
                };
                page(&state, &caller, forms, status).await
            }
        }
    })
    .await
}

pub async fn save_vertical(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<VerticalInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match store_vertical(&state, &caller, &input.code, input.clone()).await {
            Ok(_) => see_other("/reference"),
            Err(error) => {
                let (status, vertical) = FormState::failed(input, error)?;
                let forms = Forms {
                    region: FormState::new(RegionInput::default()),
                    vertical,
                };
                page(&state, &caller, forms, status).await
            }
        }
    })
    .await
}
