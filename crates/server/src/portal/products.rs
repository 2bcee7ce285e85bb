//! The product catalogue in the portal: a filterable list everyone with access reads, and
//! the create/edit form for those who may change it.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use tributary_domain::product::ProductInput;
use tributary_store::repo::products::{self, Product};

use super::form::{Form, FormState, choices, currency_choices, one};
use super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::products::{ProductQuery, save_product};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    sortable("SKU", "sku"),
    sortable("Name", "name"),
    sortable("Family", "family"),
    numeric("List price"),
    plain("Active"),
    sortable("Created", "created_at"),
];

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Products, Access::Read)?;
        let params = Params::of(&uri);
        let (filter, paging) = params.parse::<ProductQuery>()?.parts();
        let request = paging.request(products::SORTABLE, "sku")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = products::list(&mut conn, &filter, &request).await?;
        let count = products::count(&mut conn, &filter).await?;
        let families = products::families(&mut conn).await?;
        let listing = Listing::new("/products", &params, "sku", COLUMNS)
            .rows(page.items.len())
            .count(count)
            .paged("cursor", page.next_cursor)
            .export("products");
        render(
            &state,
            "products/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/products"),
                products => page.items,
                listing,
                may_write => authorize(&caller, Resource::Products, Access::Write).is_ok(),
                filters => FormState::new(params.values()).prefixed("q-"),
                families => choices(families.iter().map(|f| (f.as_str(), f.as_str())), &one(params.get("family"))),
                activity => choices([("true", "Active"), ("false", "Inactive")], &one(params.get("active"))),
            },
        )
    })
    .await
}

/// Renders the create (no `product`) or edit form.
fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<ProductInput>,
    product: Option<&Product>,
    status: StatusCode,
) -> AppResult<Response> {
    authorize(caller, Resource::Products, Access::Write)?;
    render_status(
        state,
        status,
        "products/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/products"),
            action => product.map_or("/products".to_string(), |p| format!("/products/{}", p.id)),
            currencies => currency_choices(&one(Some(&form.values.currency))),
            active => form.values.active.unwrap_or(true),
            product, form,
        },
    )
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        let values = ProductInput {
            active: Some(true),
            ..Default::default()
        };
        form_page(&state, &caller, FormState::new(values), None, StatusCode::OK)
    })
    .await
}

/// What an edit form submits: an unticked "active" checkbox is not sent at all.
fn submitted(mut input: ProductInput) -> ProductInput {
    input.active = Some(input.active.unwrap_or(false));
    input
}

async fn save(
    state: &AppState,
    caller: &Caller,
    current: Option<&Product>,
    input: ProductInput,
) -> AppResult<Response> {
    let input = submitted(input);
    match save_product(state, caller, current.map(|p| p.id.as_str()), &input).await {
        Ok(_) => see_other("/products"),
        Err(error) => {
            let (status, form) = FormState::failed(input, error)?;
            form_page(state, caller, form, current, status)
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<ProductInput>,
) -> Result<Response, PageError> {
    respond(&state, save(&state, &caller, None, input)).await
}

async fn existing(state: &AppState, caller: &Caller, id: &str) -> AppResult<Product> {
    authorize(caller, Resource::Products, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    products::get(&mut pooled.conn(), id)
        .await?
        .ok_or_else(|| AppError::not_found("product"))
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let product = existing(&state, &caller, &id).await?;
        let f = &product.fields;
        let values = ProductInput {
            sku: f.sku.clone(),
            name: f.name.clone(),
            family: f.family.clone(),
            list_price: f.list_price.to_string(),
            currency: f.currency.code().to_string(),
            active: Some(f.active),
        };
        form_page(&state, &caller, FormState::new(values), Some(&product), StatusCode::OK)
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(input): Form<ProductInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let product = existing(&state, &caller, &id).await?;
        save(&state, &caller, Some(&product), input).await
    })
    .await
}
