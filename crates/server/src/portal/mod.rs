//! The portal: server-rendered pages (minijinja templates, htmx for in-page updates,
//! vendored static assets, no build step) for vendor staff and partner users. Handlers
//! go through the same policy and services as the API.

pub mod account;
pub mod accounts;
pub mod assets;
pub mod audit;
pub mod conflict;
pub mod drafts;
pub mod form;
pub mod fx_rates;
pub mod home;
pub mod imports;
pub mod incentives;
pub mod listing;
pub mod login;
pub mod lookup;
pub mod page;
pub mod partners;
pub mod products;
pub mod reference;
pub mod sales;
pub mod segments;
pub mod templates;
pub mod tiers;
pub mod users;
pub mod webhooks;
pub mod withholding;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/static/{file}", get(assets::serve))
        .route("/account", get(account::show))
        .route("/account/password", post(account::set_password))
        .route("/account/tokens", post(account::create))
        .route("/account/tokens/{id}/revoke", post(account::revoke))
        .route("/partners", get(partners::list).post(partners::create))
        .route("/partners/new", get(partners::new))
        .route("/partners/{id}", get(partners::detail).post(partners::update))
        .route("/partners/{id}/edit", get(partners::edit))
        .route("/users", get(users::list).post(users::create))
        .route("/users/new", get(users::new))
        .route("/users/{id}", post(users::update))
        .route("/users/{id}/edit", get(users::edit))
        .route(
            "/users/{id}/password",
            get(users::password_form).post(users::set_password),
        )
        .route("/products", get(products::list).post(products::create))
        .route("/products/new", get(products::new))
        .route("/products/{id}", post(products::update))
        .route("/products/{id}/edit", get(products::edit))
        .route("/accounts", get(accounts::list).post(accounts::create))
        .route("/accounts/new", get(accounts::new))
        .route("/accounts/{id}", get(accounts::detail).post(accounts::update))
        .route("/accounts/{id}/edit", get(accounts::edit))
        .route("/accounts/{id}/tree", get(accounts::tree))
        .route("/sales", get(sales::list))
        .route("/segments", get(segments::list).post(segments::create))
        .route("/segments/new", get(segments::new))
        .route("/segments/{id}", post(segments::update))
        .route("/segments/{id}/edit", get(segments::edit))
        .route("/segments/{id}/delete", post(segments::delete))
        .route("/fx-rates", get(fx_rates::list).post(fx_rates::save))
        .route("/fx-rates/new", get(fx_rates::new))
        .route("/reference", get(reference::show))
        .route("/withholding-rates", get(withholding::list).post(withholding::save))
        .route("/withholding-rates.csv", get(withholding::export))
        .route("/withholding-rates/{country}/delete", post(withholding::delete))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks.csv", get(webhooks::export))
        .route("/webhooks/new", get(webhooks::new))
        .route("/webhooks/{id}", get(webhooks::detail).post(webhooks::update))
        .route("/webhooks/{id}/deliveries.csv", get(webhooks::deliveries_csv))
        .route("/webhooks/{id}/rotate-secret", post(webhooks::rotate_secret))
        .route("/webhooks/{id}/delete", post(webhooks::delete))
        .route(
            "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            post(webhooks::redeliver),
        )
        .route("/reference/regions", post(reference::save_region))
        .route("/reference/verticals", post(reference::save_vertical))
        .route("/imports", get(imports::index).post(imports::upload))
        .route("/imports/jobs/{id}", get(imports::job))
        .route("/imports/jobs/{id}/status", get(imports::status))
        .route("/audit", get(audit::list))
        .route("/audit/verify", get(audit::verify))
        .route("/tiers", get(tiers::structures::list).post(tiers::form::create))
        .route("/tiers/new", get(tiers::form::new))
        .route("/tiers/snapshots", get(tiers::snapshots::list))
        .route("/tiers/snapshots/export", get(tiers::snapshots::export))
        .route("/tiers/{id}", get(tiers::structures::detail).post(tiers::form::update))
        .route("/tiers/{id}/edit", get(tiers::form::edit))
        .route("/tiers/{id}/draft", post(tiers::structures::copy))
        .route("/tiers/{id}/publish", post(tiers::structures::publish))
        .route("/tiers/{id}/discard", post(tiers::structures::discard))
        .route("/tiers/{id}/at-risk.csv", get(tiers::structures::at_risk_csv))
        .route("/tiers/{id}/distribution.csv", get(tiers::structures::distribution_csv))
        .route("/tiers/{id}/evaluate", post(tiers::evaluate::start))
        .route("/tiers/{id}/jobs/{job}", get(tiers::evaluate::job))
        .route("/tiers/{id}/jobs/{job}/status", get(tiers::evaluate::status))
        .route("/tiers/{id}/simulate", get(tiers::simulate::page))
        .route("/tiers/{id}/simulate/movers.csv", get(tiers::simulate::movers_csv))
        .route("/partners/{id}/tiers", get(tiers::partner::page))
        .route("/partners/{id}/tiers/overrides", post(tiers::partner::grant))
        .route(
            "/partners/{id}/tiers/overrides/{override_id}/revoke",
            post(tiers::partner::revoke),
        )
        .route("/my/tiers", get(tiers::partner::mine))
        .route(
            "/incentives/plans",
            get(incentives::plans::list).post(incentives::editor::create),
        )
        .route("/incentives/plans/new", get(incentives::editor::new))
        .route("/incentives/plans/export.csv", get(incentives::plans::export))
        .route("/incentives/plans/tier-levels", get(incentives::editor::tier_levels))
        .route(
            "/incentives/plans/{id}",
            get(incentives::plans::detail).post(incentives::editor::update),
        )
        .route("/incentives/plans/{id}/edit", get(incentives::editor::edit))
        .route("/incentives/plans/{id}/draft", post(incentives::plans::copy))
        .route("/incentives/plans/{id}/publish", post(incentives::plans::publish))
        .route("/incentives/plans/{id}/discard", post(incentives::plans::discard))
        .route(
            "/incentives/close",
            get(incentives::close::page).post(incentives::close::start),
        )
        .route("/incentives/close.csv", get(incentives::close::export))
        .route("/incentives/close/{id}", get(incentives::close::run))
        .route("/incentives/close/{id}/status", get(incentives::close::status))
        .route("/incentives/spend", get(incentives::spend::page))
        .route("/incentives/spend.csv", get(incentives::spend::export))
        .route("/incentives/statements", get(incentives::statements::list))
        .route("/incentives/statements.csv", get(incentives::statements::export))
        .route("/incentives/statements/submit", post(incentives::statements::submit))
        .route("/incentives/statements/{id}", get(incentives::statement::show))
        .route(
            "/incentives/statements/{id}/submit",
            post(incentives::statement::submit),
        )
        .route(
            "/incentives/statements/{id}/decide",
            post(incentives::statement::decide),
        )
        .route(
            "/incentives/statements/{id}/lines/{line_id}/transactions",
            get(incentives::statement::transactions),
        )
        .route("/earnings", get(incentives::earnings::page))
        .route("/earnings.csv", get(incentives::earnings::export))
        .route("/metric-facts", get(tiers::metric_facts::list))
        .route(
            "/reservations",
            get(conflict::reservations::list).post(conflict::reservations::reserve),
        )
        .route("/reservations/check", get(conflict::reservations::check))
        .route("/reservations/export.csv", get(conflict::reservations::export))
        .route("/reservations/{id}/renew", post(conflict::reservations::renew))
        .route("/reservations/{id}/release", post(conflict::reservations::release))
        .route(
            "/registrations",
            get(conflict::registrations::list).post(conflict::registrations::create),
        )
        .route("/registrations/new", get(conflict::registrations::new))
        .route("/registrations/export.csv", get(conflict::registrations::export))
        .route(
            "/registrations/review",
            get(conflict::review::page).post(conflict::review::bulk),
        )
        .route("/registrations/conflicts", get(conflict::reports::conflicts))
        .route("/registrations/conflicts.csv", get(conflict::reports::conflicts_csv))
        .route("/registrations/pipeline", get(conflict::reports::pipeline))
        .route("/registrations/pipeline.csv", get(conflict::reports::pipeline_csv))
        .route("/registrations/expiring", get(conflict::reports::expiring))
        .route(
            "/registrations/expiring/registrations.csv",
            get(conflict::reports::expiring_registrations_csv),
        )
        .route(
            "/registrations/expiring/reservations.csv",
            get(conflict::reports::expiring_reservations_csv),
        )
        .route("/registrations/{id}", get(conflict::registrations::show))
        .route("/registrations/{id}/approve", post(conflict::registrations::approve))
        .route("/registrations/{id}/reject", post(conflict::registrations::reject))
        .route("/registrations/{id}/extend", post(conflict::registrations::extend))
        .route(
            "/registrations/{id}/extension-request",
            post(conflict::registrations::request_extension),
        )
        .route("/registrations/{id}/won", post(conflict::registrations::won))
        .route("/registrations/{id}/lost", post(conflict::registrations::lost))
        .route(
            "/claims",
            get(incentives::claims::list).post(incentives::claims::create),
        )
        .route("/claims/new", get(incentives::claims::new))
        .route("/claims/export.csv", get(incentives::claims::export))
        .route("/claims/{id}", get(incentives::claims::show))
        .route("/claims/{id}/decision", post(incentives::claims::decide))
        .route("/claims/{id}/withdraw", post(incentives::claims::withdraw))
        .route("/claims/{id}/attachments", post(incentives::claims::attach))
        .route(
            "/payouts",
            get(incentives::payouts::list).post(incentives::payouts::create),
        )
        .route("/payouts/accounts", post(incentives::payouts::save))
        .route("/payouts/reconciliation", get(incentives::payouts::reconciliation))
        .route(
            "/payouts/reconciliation.csv",
            get(incentives::payouts::reconciliation_export),
        )
        .route("/payouts/batches/{id}", get(incentives::payouts::show))
        .route("/payouts/batches/{id}/mark-paid", post(incentives::payouts::mark_paid))
}
