//! Users in the portal: the list (vendor staff see whom their scope allows, partner
//! administrators their own people), the create/edit form — whose role select offers only
//! the roles the caller may hand out — and setting another user's password.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use tributary_domain::role::Role;
use tributary_domain::user::UserInput;
use tributary_store::repo::partners::{self, PartnerFilter};
use tributary_store::repo::users::{self, User};

use super::form::{Blank, Choice, Form, FormState, choices, one};
use super::listing::{Column, Listing, Params, plain, sortable};
use super::lookup::{PartnerNames, partner_choices};
use super::page::{Chrome, PageError, PortalCaller, render, render_status, respond, see_other};
use crate::api::users::{UserQuery, UserUpdate, change_password, create_user, update_user};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Access, Resource, authorize};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    sortable("Name", "display_name"),
    sortable("E-mail", "email"),
    sortable("Role", "role"),
    plain("Organisation"),
    plain("Active"),
    plain("Last sign-in"),
];

fn role_choices(roles: impl IntoIterator<Item = Role>, selected: &[String]) -> Vec<Choice> {
    choices(roles.into_iter().map(|r| (r.as_str(), r.label())), selected)
}

/// The roles the caller may give (a partner administrator: within its organisation).
fn assignable_roles(caller: &Caller) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|role| policy::may_assign_role(caller, *role, caller.own_partner_id()).is_ok())
        .collect()
}

/// The organisations the caller may put a user into.
async fn organisation_choices(state: &AppState, caller: &Caller, selected: Option<&str>) -> AppResult<Vec<Choice>> {
    let grant = authorize(caller, Resource::Users, Access::Write)?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    match caller.own_partner_id() {
        Some(own) => {
            let organisation = partners::get(&mut conn, &grant.scope, own).await?;
            Ok(choices(
                organisation.into_iter().map(|p| (p.id, p.fields.name)),
                &one(Some(own)),
            ))
        }
        None => partner_choices(&mut conn, &grant.scope, &PartnerFilter::default(), selected).await,
    }
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Users, Access::Read)?;
        let params = Params::of(&uri);
        let (filter, paging) = params.parse::<UserQuery>()?.parts();
        let request = paging.request(users::SORTABLE, "email")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = users::list(&mut conn, &grant.scope, &filter, &request).await?;
        let count = users::count(&mut conn, &grant.scope, &filter).await?;
        let mut names = PartnerNames::new(&grant.scope);
        let mut organisations = std::collections::HashMap::new();
        for user in &page.items {
            if let Some(partner_id) = &user.partner_id
                && let Some(name) = names.name(&mut conn, partner_id).await?
            {
                organisations.insert(partner_id.clone(), name);
            }
        }
        let partner_options = if caller.is_partner() && caller.partner_ids.len() < 2 {
            Vec::new()
        } else {
            partner_choices(
                &mut conn,
                &grant.scope,
                &PartnerFilter::default(),
                params.get("partner_id"),
            )
            .await?
        };
        let visible_roles = Role::ALL
            .iter()
            .copied()
            .filter(|role| !caller.is_partner() || role.is_partner());
        let listing = Listing::new("/users", &params, "email", COLUMNS)
            .rows(page.items.len())
            .count(count)
            .paged("cursor", page.next_cursor)
            .export("users");
        render(
            &state,
            "users/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/users"),
                users => page.items,
                organisations, listing,
                may_write => authorize(&caller, Resource::Users, Access::Write).is_ok(),
                filters => FormState::new(params.values()).prefixed("q-"),
                roles => role_choices(visible_roles, &one(params.get("role"))),
                partners => partner_options,
            },
        )
    })
    .await
}

/// Renders the create (no `user`) or edit form.
async fn form_page(
    state: &AppState,
    caller: &Caller,
    form: FormState<UserInput>,
    user: Option<&User>,
    active: bool,
    status: StatusCode,
) -> AppResult<Response> {
    let mut roles = assignable_roles(caller);
    if let Some(current) = user.and_then(|u| Role::parse(&u.role).ok())
        && !roles.contains(&current)
    {
        roles.insert(0, current);
    }
    let organisations = organisation_choices(state, caller, form.values.partner_id.as_deref()).await?;
    render_status(
        state,
        status,
        "users/form.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/users"),
            action => user.map_or("/users".to_string(), |u| format!("/users/{}", u.id)),
            roles => role_choices(roles, &one(Some(&form.values.role))),
            vendor_staff_allowed => caller.role == Role::Admin,
            organisations, user, active, form,
        },
    )
}

pub async fn new(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        authorize(&caller, Resource::Users, Access::Write)?;
        let values = UserInput {
            partner_id: caller.own_partner_id().map(str::to_string),
            role: assignable_roles(&caller)
                .last()
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
            ..Default::default()
        };
        form_page(&state, &caller, FormState::new(values), None, true, StatusCode::OK).await
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Form(input): Form<UserInput>,
) -> Result<Response, PageError> {
    respond(&state, async {
        match create_user(&state, &caller, &input).await {
            Ok(_) => see_other("/users"),
            Err(error) => {
                let values = UserInput {
                    password: None,
                    ..input
                };
                let (status, form) = FormState::failed(values, error)?;
                form_page(&state, &caller, form, None, true, status).await
            }
        }
    })
    .await
}

/// The user `id` if the caller can see it (else 404) and may manage it (else 403).
async fn manageable(state: &AppState, caller: &Caller, id: &str) -> AppResult<User> {
    let grant = authorize(caller, Resource::Users, Access::Read)?;
    let mut pooled = state.db.acquire().await?;
    let user = users::get(&mut pooled.conn(), &grant.scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    authorize(caller, Resource::Users, Access::Write)?;
    policy::may_assign_role(caller, user.role()?, user.partner_id.as_deref())?;
    Ok(user)
}

pub async fn edit(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let user = manageable(&state, &caller, &id).await?;
        let values = UserInput {
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.clone(),
            partner_id: user.partner_id.clone(),
            password: None,
        };
        form_page(
            &state,
            &caller,
            FormState::new(values),
            Some(&user),
            user.active,
            StatusCode::OK,
        )
        .await
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(submitted): Form<UserUpdate>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let user = manageable(&state, &caller, &id).await?;
        let update = UserUpdate {
            user: UserInput {
                password: None,
                ..submitted.user
            },
            // An unticked checkbox is not sent at all.
            active: Some(submitted.active.unwrap_or(false)),
        };
        match update_user(&state, &caller, &id, &update).await {
            Ok(_) => see_other("/users"),
            Err(error) => {
                let (status, form) = FormState::failed(update.user, error)?;
                form_page(&state, &caller, form, Some(&user), update.active == Some(true), status).await
            }
        }
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewPassword {
    pub password: String,
    pub confirm: String,
}

impl NewPassword {
    /// Refuses a password typed differently twice; the strength rules are the service's.
    pub fn confirmed(&self) -> AppResult<&str> {
        if self.password != self.confirm {
            return Err(AppError::field("confirm", "the two passwords differ"));
        }
        Ok(&self.password)
    }
}

fn password_page(
    state: &AppState,
    caller: &Caller,
    user: &User,
    form: FormState<Blank>,
    status: StatusCode,
) -> AppResult<Response> {
    render_status(
        state,
        status,
        "users/password.html",
        minijinja::context! { chrome => Chrome::of(caller, "/users"), user, form },
    )
}

pub async fn password_form(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let user = manageable(&state, &caller, &id).await?;
        password_page(&state, &caller, &user, FormState::new(Blank::new()), StatusCode::OK)
    })
    .await
}

pub async fn set_password(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    Path(id): Path<String>,
    Form(input): Form<NewPassword>,
) -> Result<Response, PageError> {
    respond(&state, async {
        let user = manageable(&state, &caller, &id).await?;
        let changed = match input.confirmed() {
            Ok(password) => change_password(&state, &caller, &id, password).await,
            Err(error) => Err(error),
        };
        match changed {
            Ok(()) if id == caller.user.id => see_other("/login?next=/users"),
            Ok(()) => see_other("/users"),
            Err(error) => {
                let (status, form) = FormState::failed(Blank::new(), error)?;
                password_page(&state, &caller, &user, form, status)
            }
        }
    })
    .await
}
