//! Daily FX rates in the portal: the list filtered by currency pair and dates (cursor
//! paging on date, then pair), and the form that adds a rate or corrects the one stored
//! for the same pair and day (finance and administrators).

use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use tributary_domain::fx::FxRateInput;
use tributary_store::repo::fx_rates;

use super::form::{Form, FormState, currency_choices, one};
use super::listing::{Column, Listing, Params, numeric, plain};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::geography::{FxQuery, store_fx_rate};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

const PAGE_ROWS: u64 = 50;

const COLUMNS: &[Column] = &[plain("From"), plain("To"), plain("Date"), numeric("Rate")];

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::FxRates, Access::Read)?;
        let params = Params::of(&uri);
        let query: FxQuery = params.parse()?;
        let filter = query.filter()?;
        let cursor = query.cursor()?;
        let page = {
            let mut pooled = state.db.acquire().await?;
            fx_rates::list(
                &mut pooled.conn(),
                &filter,
                query.limit.unwrap_or(PAGE_ROWS),
                cursor.as_ref(),
            )
            .await?
        };
        let rates = page.items;
        let listing = Listing::new("/fx-rates", &params, "", COLUMNS)
            .rows(rates.len())
            .paged("cursor", page.next_cursor)
            .export("fx-rates");
        render(
            &state,
            "fx/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/fx-rates"),
                may_write => authorize(&caller, Resource::FxRates, Access::Write).is_ok(),
                filters => FormState::new(params.values()).prefixed("q-"),
                from_currencies => currency_choices(&one(params.get("from_currency"))),
                to_currencies => currency_choices(&one(params.get("to_currency"))),
                rates, listing,
            },
        )
    })
    .await
}

fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<FxRateInput>,
    status: StatusCode,
) -> AppResult<Response> {
    authorize(caller, Resource::FxRates, Access::Write)?;
    render_status(
        state,
        status,
        "fx/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/fx-rates"),
            from_currencies => currency_choices(&one(Some(&form.values.from_currency))),
            to_currencies => currency_choices(&one(Some(&form.values.to_currency))),
            correcting => !form.values.rate.is_empty(),
            form,
        },
    )
}

/// The form, pre-filled from the query string when correcting a listed rate.
pub async fn new(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Query(values): Query<FxRateInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        form_page(&state, &caller, FormState::new(values), StatusCode::OK)
    })
    .await
}

pub async fn save(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<FxRateInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match store_fx_rate(&state, &caller, &input).await {
            Ok(rate) => see_other(&Params::default().href(
                "/fx-rates",
                &[
                    ("from_currency", Some(rate.from_currency.code())),
                    ("to_currency", Some(rate.to_currency.code())),
                ],
            )),
            Err(error) => {
                let (status, form) = FormState::failed(input, error)?;
                form_page(&state, &caller, form, status)
            }
        }
    })
    .await
}
