//! What every portal page needs: the signed-in [`PortalCaller`] (or a redirect to the
//! sign-in page), the navigation the caller's role may see, the CSRF token for forms, and
//! errors rendered as pages rather than JSON.

use axum::extract::{FromRequestParts, OriginalUri, State};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::auth::Caller;
use crate::error::AppError;
use crate::policy::{self, Resource};
use crate::state::AppState;

/// The signed-in user of a portal page.
pub struct PortalCaller(pub Caller);

/// Not signed in: go to the sign-in page and come back afterwards.
pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let next = form_urlencoded::byte_serialize(self.0.as_bytes()).collect::<String>();
        Redirect::to(&format!("/login?next={next}")).into_response()
    }
}

impl FromRequestParts<AppState> for PortalCaller {
    type Rejection = SignInFirst;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, SignInFirst> {
        match parts.extensions.get::<Caller>() {
            Some(caller) => Ok(PortalCaller(caller.clone())),
            None => {
                let uri = parts
                    .extensions
                    .get::<OriginalUri>()
                    .map(|u| u.0.to_string())
                    .unwrap_or_else(|| parts.uri.to_string());
                Err(SignInFirst(uri))
            }
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The common context of every page.
#[derive(Debug, Serialize)]
pub struct Chrome {
    pub user_name: String,
    pub user_email: String,
    pub role_label: &'static str,
    pub is_partner: bool,
    pub csrf_token: String,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    pub fn of(caller: &Caller) -> Self {
        let mut nav = vec![NavItem {
            href: "/",
            label: "Home",
        }];
        let areas = [
            (
                Resource::Partners,
                "/partners",
                if caller.is_partner() {
                    "Organisation"
                } else {
                    "Partners"
                },
            ),
            (Resource::Users, "/users", "Users"),
            (Resource::Products, "/products", "Products"),
            (Resource::Accounts, "/accounts", "Accounts"),
            (Resource::Sales, "/sales", "Sales"),
            (Resource::Segments, "/segments", "Segments"),
            (Resource::FxRates, "/fx-rates", "FX rates"),
            (Resource::Geography, "/reference", "Regions & verticals"),
            (Resource::Audit, "/audit", "Audit"),
        ];
        for (resource, href, label) in areas {
            if policy::can_read(caller, resource) {
                nav.push(NavItem { href, label });
            }
        }
        Self {
            user_name: caller.user.display_name.clone(),
            user_email: caller.user.email.clone(),
            role_label: caller.role.label(),
            is_partner: caller.is_partner(),
            csrf_token: caller.csrf_token().unwrap_or_default().to_string(),
            nav,
        }
    }
}

/// An error on a portal page, rendered as an HTML page with the right status.
pub struct PageError {
    pub error: AppError,
    pub state: AppState,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.error.status();
        let problem = self.error.problem();
        let body = self
            .state
            .templates
            .render(
                "error.html",
                minijinja::context! { title => problem.title, detail => problem.detail, status => problem.status },
            )
            .unwrap_or_else(|_| Html(format!("<h1>{}</h1>", problem.title)));
        (status, body).into_response()
    }
}

/// Adapts an [`AppError`] into a page for a handler's `?`.
pub trait OrPage<T> {
    fn or_page(self, state: &AppState) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, state: &AppState) -> Result<T, PageError> {
        self.map_err(|error| PageError {
            error,
            state: state.clone(),
        })
    }
}

pub async fn home(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
) -> Result<Html<String>, PageError> {
    state
        .templates
        .render("home.html", minijinja::context! { chrome => Chrome::of(&caller) })
        .or_page(&state)
}
