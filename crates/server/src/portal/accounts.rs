//! Customer accounts in the portal (vendor staff): the filterable list, the detail page
//! with the chain of parents as a breadcrumb and the hierarchy below as a tree whose
//! branches load on demand, and the create/edit form.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use tributary_domain::account::{AccountInput, AccountKind};
use tributary_store::Conn;
use tributary_store::repo::accounts::{self, Account, AccountFilter};

use super::form::{Choice, Form, FormState, choices, country_choices, one, split_list};
use super::listing::{Column, Listing, Params, plain, sortable};
use super::lookup::{PICKER_MAX, first};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::accounts::{AccountQuery, save_account};
use crate::api::audit::entity_history;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Access, Resource, authorize};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    sortable("Name", "name"),
    sortable("Kind", "kind"),
    sortable("Country", "country"),
    plain("City"),
    plain("House account"),
    sortable("Created", "created_at"),
];

fn kind_choices(selected: &[String]) -> Vec<Choice> {
    choices(AccountKind::ALL.iter().map(|k| (k.as_str(), k.label())), selected)
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Accounts, Access::Read)?;
        let params = Params::of(&uri);
        let (filter, paging) = params.parse::<AccountQuery>()?.parts();
        let request = paging.request(accounts::SORTABLE, "name")?;
        let mut pooled = state.db.acquire().await?;
        let page = accounts::list(&mut pooled.conn(), &filter, &request).await?;
        let count = accounts::count(&mut pooled.conn(), &filter).await?;
        let listing = Listing::new("/accounts", &params, "name", COLUMNS)
            .rows(page.items.len())
            .count(count)
            .paged("cursor", page.next_cursor)
            .export("accounts");
        render(
            &state,
            "accounts/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/accounts"),
                accounts => page.items,
                listing,
                may_write => authorize(&caller, Resource::Accounts, Access::Write).is_ok(),
                filters => FormState::new(params.values()).prefixed("q-"),
                kinds => kind_choices(&one(params.get("kind"))),
                countries => country_choices(&one(params.get("country"))),
                house => choices([("true", "House accounts only"), ("false", "Open to partners")], &one(params.get("house"))),
            },
        )
    })
    .await
}

/// The account `id`, or 404.
async fn existing(conn: &mut Conn<'_>, id: &str) -> AppResult<Account> {
    accounts::get(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("account"))
}

pub async fn detail(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Accounts, Access::Read)?;
        let (account, mut ancestors, children) = {
            let mut pooled = state.db.acquire().await?;
            let mut conn = pooled.conn();
            let account = existing(&mut conn, &id).await?;
            let ancestors = accounts::ancestors(&mut conn, &account).await?;
            let children = accounts::children(&mut conn, &id).await?;
            (account, ancestors, children)
        };
        ancestors.reverse();
        let history = entity_history(&state, &caller, "account", &id).await?;
        render(
            &state,
            "accounts/detail.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/accounts"),
                may_write => authorize(&caller, Resource::Accounts, Access::Write).is_ok(),
                sales_href => policy::can_read(&caller, Resource::Sales).then(|| format!("/sales?account_id={id}")),
                account, ancestors, children, history,
            },
        )
    })
    .await
}

/// The accounts directly below `id`, as tree items (loaded by htmx when a branch opens).
pub async fn tree(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Accounts, Access::Read)?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        existing(&mut conn, &id).await?;
        let children = accounts::children(&mut conn, &id).await?;
        render(&state, "accounts/tree.html", minijinja::context! { children })
    })
    .await
}

/// Accounts that can have others below them (companies and subsidiaries), by name; the
/// current parent is offered even when it is not among the first ones.
async fn parent_choices(conn: &mut Conn<'_>, selected: Option<&str>, editing: Option<&str>) -> AppResult<Vec<Choice>> {
    let mut parents = Vec::new();
    for kind in [AccountKind::Company, AccountKind::Subsidiary] {
        let filter = AccountFilter {
            kind: Some(kind.as_str().to_string()),
            ..Default::default()
        };
        parents.extend(accounts::list(conn, &filter, &first("name", PICKER_MAX)).await?.items);
    }
    if let Some(id) = selected
        && !parents.iter().any(|p| p.id == id)
        && let Some(parent) = accounts::get(conn, id).await?
    {
        parents.push(parent);
    }
    parents.retain(|p| Some(p.id.as_str()) != editing);
    parents.sort_by(|a, b| a.fields.name.cmp(&b.fields.name));
    Ok(choices(
        parents.into_iter().map(|p| {
            let label = format!("{} ({}, {})", p.fields.name, p.fields.kind.label(), p.fields.country);
            (p.id, label)
        }),
        &one(selected),
    ))
}

/// Renders the create (no `account`) or edit form.
async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<AccountInput>,
    account: Option<&Account>,
    status: StatusCode,
) -> AppResult<Response> {
    authorize(caller, Resource::Accounts, Access::Write)?;
    let parents = {
        let mut pooled = state.db.acquire().await?;
        parent_choices(
            &mut pooled.conn(),
            form.values.parent_id.as_deref(),
            account.map(|a| a.id.as_str()),
        )
        .await?
    };
    render_status(
        state,
        status,
        "accounts/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/accounts"),
            action => account.map_or("/accounts".to_string(), |a| format!("/accounts/{}", a.id)),
            kinds => kind_choices(&one(Some(&form.values.kind))),
            countries => country_choices(&one(Some(&form.values.country))),
            parents, account, form,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewBelow {
    /// Pre-selects the parent ("add an account below this one").
    pub parent_id: Option<String>,
}

pub async fn new(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Query(below): Query<NewBelow>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let values = AccountInput {
            kind: if below.parent_id.is_some() {
                AccountKind::Subsidiary
            } else {
                AccountKind::Company
            }
            .as_str()
            .to_string(),
            parent_id: below.parent_id,
            ..Default::default()
        };
        form_page(&state, &caller, FormState::new(values), None, StatusCode::OK).await
    })
    .await
}

async fn save(
    state: &AppState,
    caller: &Caller,
    current: Option<&Account>,
    mut input: AccountInput,
) -> AppResult<Response> {
    input.domains = split_list(&input.domains);
    match save_account(state, caller, current.map(|a| a.id.as_str()), &input).await {
        Ok(account) => see_other(&format!("/accounts/{}", account.id)),
        Err(error) => {
            let (status, form) = FormState::failed(input, error)?;
            form_page(state, caller, form, current, status).await
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<AccountInput>,
) -> Result<Response, PageError> {
    respond(&state, save(&state, &caller, None, input)).await
}

async fn load(state: &AppState, caller: &Caller, id: &str) -> AppResult<Account> {
    authorize(caller, Resource::Accounts, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    existing(&mut pooled.conn(), id).await
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let account = load(&state, &caller, &id).await?;
        let f = &account.fields;
        let values = AccountInput {
            name: f.name.clone(),
            kind: f.kind.as_str().to_string(),
            parent_id: f.parent_id.clone(),
            domains: f.domains.clone(),
            country: f.country.clone(),
            city: f.city.clone(),
            is_house_account: f.is_house_account,
        };
        form_page(&state, &caller, FormState::new(values), Some(&account), StatusCode::OK).await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(input): Form<AccountInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let account = load(&state, &caller, &id).await?;
        save(&state, &caller, Some(&account), input).await
    })
    .await
}
