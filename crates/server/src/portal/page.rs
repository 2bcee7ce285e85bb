//! What every portal page needs: the signed-in [`PortalCaller`] (or a redirect to the
//! sign-in page), the navigation the caller's role may see, the CSRF token for forms, and
//! errors rendered as pages rather than JSON.

use std::future::Future;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Access, Resource};
use crate::services::imports::ImportKindName;
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
    /// The area the page belongs to (`aria-current`).
    pub current: bool,
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

/// Whether the caller may import at least one kind of file.
pub fn may_import_something(caller: &Caller) -> bool {
    ImportKindName::ALL
        .iter()
        .any(|kind| policy::authorize(caller, kind.resource(), Access::Import).is_ok())
}

impl Chrome {
    /// The chrome of a page in the area whose navigation link is `section` (e.g. `/partners`).
    pub fn of(caller: &Caller, section: &str) -> Self {
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
            (Resource::Reservations, "/reservations", "Reservations"),
            (
                Resource::Registrations,
                "/registrations",
                if caller.is_partner() {
                    "Deal registrations"
                } else {
                    "Registrations"
                },
            ),
            (Resource::Segments, "/segments", "Segments"),
            (Resource::TierPrograms, "/tiers", "Tiers"),
            if caller.is_partner() {
                (Resource::Statements, "/earnings", "Earnings")
            } else {
                (Resource::IncentivePlans, "/incentives/plans", "Incentives")
            },
            if caller.is_partner() {
                (Resource::Claims, "/claims", "Claims")
            } else {
                (Resource::Payouts, "/payouts", "Payouts")
            },
            (Resource::MetricFacts, "/metric-facts", "Metric facts"),
            (Resource::FxRates, "/fx-rates", "FX rates"),
            (Resource::Geography, "/reference", "Regions & verticals"),
            (Resource::WithholdingRates, "/withholding-rates", "Withholding"),
            (Resource::Webhooks, "/webhooks", "Webhooks"),
            (Resource::Audit, "/audit", "Audit"),
        ];
        let mut links = vec![("/", "Home")];
        links.extend(
            areas
                .into_iter()
                .filter(|(resource, _, _)| policy::can_read(caller, *resource))
                .map(|(_, href, label)| (href, label)),
        );
        if may_import_something(caller) {
            links.push(("/imports", "Imports"));
        }
        Self {
            user_name: caller.user.display_name.clone(),
            user_email: caller.user.email.clone(),
            role_label: caller.role.label(),
            is_partner: caller.is_partner(),
            csrf_token: caller.csrf_token().unwrap_or_default().to_string(),
            nav: links
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: href == section,
                })
                .collect(),
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

/// Adapts an [`AppError`] (or anything that converts into one) into a page for a handler's `?`.
pub trait OrPage<T> {
    fn or_page(self, state: &AppState) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> OrPage<T> for Result<T, E> {
    fn or_page(self, state: &AppState) -> Result<T, PageError> {
        self.map_err(|error| PageError {
            error: error.into(),
            state: state.clone(),
        })
    }
}

/// Runs the body of a page handler, rendering any error as a page.
pub async fn respond(state: &AppState, work: impl Future<Output = AppResult<Response>>) -> Result<Response, PageError> {
    work.await.or_page(state)
}

/// Renders a template as a 200 page.
pub fn render(state: &AppState, template: &str, context: minijinja::Value) -> AppResult<Response> {
    render_status(state, StatusCode::OK, template, context)
}

/// Renders a template with a status (422 for a form with errors, …).
pub fn render_status(
    state: &AppState,
    status: StatusCode,
    template: &str,
    context: minijinja::Value,
) -> AppResult<Response> {
    Ok((status, state.templates.render(template, context)?).into_response())
}

/// Redirects after a successful form submission (303, so the browser follows with GET).
pub fn see_other(path: &str) -> AppResult<Response> {
    Ok(Redirect::to(path).into_response())
}
