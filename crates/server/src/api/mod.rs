//! The REST API under `/api/v1`: JSON in and out, cursor-paged lists with filters,
//! problem+json errors, bearer API tokens (or the portal session), and an OpenAPI 3.1
//! document generated from these handlers at `/api/openapi.json`.

pub mod accounts;
pub mod approvals;
pub mod audit;
pub mod claims;
pub mod close_runs;
pub mod extract;
pub mod geography;
pub mod idempotency;
pub mod imports;
pub mod incentive_plans;
pub mod me;
pub mod metric_facts;
pub mod paging;
pub mod partners;
pub mod payouts;
pub mod products;
pub mod registrations;
pub mod reservations;
pub mod sales;
pub mod segments;
pub mod statements;
pub mod tier_status;
pub mod tier_structures;
pub mod tokens;
pub mod users;
pub mod webhooks;
pub mod withholding_rates;

use axum::Json;
use axum::Router;
use axum::routing::{get, post, put};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me::get))
        .route("/api/v1/partners", get(partners::list).post(partners::create))
        .route("/api/v1/partners/{id}", get(partners::get).put(partners::update))
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/users/{id}", get(users::get).put(users::update))
        .route("/api/v1/users/{id}/password", put(users::set_password))
        .route("/api/v1/products", get(products::list).post(products::create))
        .route("/api/v1/products/{id}", get(products::get).put(products::update))
        .route("/api/v1/accounts", get(accounts::list).post(accounts::create))
        .route("/api/v1/accounts/{id}", get(accounts::get).put(accounts::update))
        .route("/api/v1/accounts/{id}/children", get(accounts::children))
        .route("/api/v1/regions", get(geography::list_regions))
        .route("/api/v1/regions/{code}", put(geography::save_region))
        .route("/api/v1/verticals", get(geography::list_verticals))
        .route("/api/v1/verticals/{code}", put(geography::save_vertical))
        .route(
            "/api/v1/fx-rates",
            get(geography::list_fx_rates).post(geography::save_fx_rate),
        )
        .route("/api/v1/segments", get(segments::list).post(segments::create))
        .route(
            "/api/v1/segments/{id}",
            get(segments::get).put(segments::update).delete(segments::delete),
        )
        .route("/api/v1/sales-facts", get(sales::list).post(sales::append))
        .route("/api/v1/sales-facts/totals", get(sales::totals))
        .route("/api/v1/imports/{kind}", post(imports::import))
        .route("/api/v1/imports/{kind}/template", get(imports::template))
        .route("/api/v1/exports/{kind}", get(imports::export))
        .route("/api/v1/jobs/{id}", get(imports::job))
        .route("/api/v1/audit", get(audit::recent))
        .route("/api/v1/audit/verify", get(audit::verify))
        .route("/api/v1/audit/{entity_type}/{entity_id}", get(audit::history))
        .route("/api/v1/tokens", get(tokens::list).post(tokens::create))
        .route("/api/v1/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route(
            "/api/v1/tier-structures",
            get(tier_structures::list).post(tier_structures::create),
        )
        .route(
            "/api/v1/tier-structures/{id}",
            get(tier_structures::get)
                .put(tier_structures::update)
                .delete(tier_structures::discard),
        )
        .route("/api/v1/tier-structures/{id}/versions", get(tier_structures::versions))
        .route("/api/v1/tier-structures/{id}/drafts", post(tier_structures::draft))
        .route("/api/v1/tier-structures/{id}/publish", post(tier_structures::publish))
        .route("/api/v1/tier-structures/{id}/simulate", post(tier_structures::simulate))
        .route(
            "/api/v1/tier-structures/{id}/evaluations",
            get(tier_structures::evaluations).post(tier_structures::evaluate),
        )
        .route(
            "/api/v1/tier-structures/{id}/distribution",
            get(tier_structures::distribution),
        )
        .route("/api/v1/tier-structures/{id}/at-risk", get(tier_structures::at_risk))
        .route("/api/v1/tier-snapshots", get(tier_status::list_snapshots))
        .route("/api/v1/tier-snapshots/export", get(tier_status::export_snapshots))
        .route("/api/v1/partners/{id}/tier-status", get(tier_status::tier_status))
        .route(
            "/api/v1/tier-overrides",
            get(tier_status::list_overrides).post(tier_status::create_override),
        )
        .route(
            "/api/v1/tier-overrides/{id}",
            axum::routing::delete(tier_status::revoke),
        )
        .route("/api/v1/tier-events", get(tier_status::list_events))
        .route(
            "/api/v1/metric-facts",
            get(metric_facts::list).post(metric_facts::append),
        )
        .route(
            "/api/v1/reservations",
            get(reservations::list).post(reservations::create),
        )
        .route("/api/v1/reservations/check", post(reservations::check))
        .route("/api/v1/reservations/{id}/renew", post(reservations::renew))
        .route("/api/v1/reservations/{id}/release", post(reservations::release))
        .route(
            "/api/v1/registrations",
            get(registrations::list).post(registrations::create),
        )
        .route("/api/v1/registrations/{id}", get(registrations::get))
        .route("/api/v1/registrations/{id}/approve", post(registrations::approve))
        .route("/api/v1/registrations/{id}/reject", post(registrations::reject))
        .route("/api/v1/registrations/{id}/lost", post(registrations::lost))
        .route("/api/v1/registrations/{id}/won", post(registrations::won))
        .route(
            "/api/v1/registrations/{id}/extension-request",
            post(registrations::request_extension),
        )
        .route("/api/v1/registrations/{id}/extend", post(registrations::extend))
        .route("/api/v1/approvals", get(approvals::list))
        .route("/api/v1/approvals/decisions", post(approvals::decide_bulk))
        .route("/api/v1/approvals/{id}", get(approvals::get))
        .route("/api/v1/approvals/{id}/decision", post(approvals::decide))
        .route(
            "/api/v1/approval-rules",
            get(approvals::get_rules).put(approvals::put_rules),
        )
        .route("/api/v1/claims", get(claims::list).post(claims::create))
        .route("/api/v1/claims/export", get(claims::export))
        .route("/api/v1/claims/{id}", get(claims::get))
        .route("/api/v1/claims/{id}/withdraw", post(claims::withdraw))
        .route("/api/v1/claims/{id}/attachments", post(claims::attach))
        .route(
            "/api/v1/claims/{id}/attachments/{attachment_id}",
            get(claims::attachment),
        )
        .route("/api/v1/payout-batches", get(payouts::list).post(payouts::create))
        .route("/api/v1/payout-batches/{id}", get(payouts::get))
        .route("/api/v1/payout-batches/{id}/export", get(payouts::export_payments))
        .route("/api/v1/payout-batches/{id}/journal", get(payouts::journal))
        .route("/api/v1/payout-batches/{id}/mark-paid", post(payouts::mark_paid))
        .route("/api/v1/payouts/reconciliation", get(payouts::reconciliation))
        .route(
            "/api/v1/payouts/journal-accounts",
            get(payouts::get_accounts).put(payouts::put_accounts),
        )
        .route(
            "/api/v1/incentive-plans",
            get(incentive_plans::list).post(incentive_plans::create),
        )
        .route(
            "/api/v1/incentive-plans/{id}",
            get(incentive_plans::get)
                .put(incentive_plans::update)
                .delete(incentive_plans::discard),
        )
        .route("/api/v1/incentive-plans/{id}/versions", get(incentive_plans::versions))
        .route("/api/v1/incentive-plans/{id}/drafts", post(incentive_plans::draft))
        .route("/api/v1/incentive-plans/{id}/publish", post(incentive_plans::publish))
        .route("/api/v1/close-runs", get(close_runs::list).post(close_runs::start))
        .route("/api/v1/close-runs/{id}", get(close_runs::get))
        .route("/api/v1/statements", get(statements::list))
        .route("/api/v1/statements/export", get(statements::export_list))
        .route("/api/v1/statements/{id}", get(statements::get))
        .route("/api/v1/statements/{id}/download", get(statements::download))
        .route("/api/v1/statements/{id}/lines/{line_id}/facts", get(statements::facts))
        .route("/api/v1/statements/{id}/submit", post(statements::submit))
        .route(
            "/api/v1/partners/{id}/earnings",
            get(statements::partner_earnings_overview),
        )
        .route("/api/v1/incentives/spend", get(statements::spend_report))
        .route("/api/v1/withholding-rates", get(withholding_rates::list))
        .route(
            "/api/v1/withholding-rates/{country}",
            put(withholding_rates::put).delete(withholding_rates::delete),
        )
        .route("/api/v1/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/api/v1/webhooks/{id}",
            get(webhooks::get).put(webhooks::update).delete(webhooks::delete),
        )
        .route("/api/v1/webhooks/{id}/rotate-secret", post(webhooks::rotate_secret))
        .route("/api/v1/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route(
            "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            post(webhooks::redeliver_one),
        )
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("trb_…")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Tributary API", description = "Partner relationship management and channel automation."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    paths(
        me::get,
        partners::list, partners::get, partners::create, partners::update,
        users::list, users::get, users::create, users::update, users::set_password,
        products::list, products::get, products::create, products::update,
        accounts::list, accounts::get, accounts::create, accounts::update, accounts::children,
        geography::list_regions, geography::save_region, geography::list_verticals, geography::save_vertical,
        geography::list_fx_rates, geography::save_fx_rate,
        segments::list, segments::get, segments::create, segments::update, segments::delete,
        sales::list, sales::append, sales::totals,
        imports::import, imports::template, imports::export, imports::job,
        audit::recent, audit::verify, audit::history,
        tokens::list, tokens::create, tokens::revoke,
        tier_structures::list, tier_structures::get, tier_structures::create, tier_structures::update,
        tier_structures::discard, tier_structures::versions, tier_structures::draft, tier_structures::publish,
        tier_structures::simulate, tier_structures::evaluate, tier_structures::evaluations,
        tier_structures::distribution, tier_structures::at_risk,
        tier_status::list_snapshots, tier_status::export_snapshots, tier_status::tier_status,
        tier_status::list_overrides, tier_status::create_override, tier_status::revoke, tier_status::list_events,
        metric_facts::list, metric_facts::append,
        reservations::check, reservations::list, reservations::create, reservations::renew, reservations::release,
        registrations::create, registrations::list, registrations::get, registrations::approve, registrations::reject,
        registrations::lost, registrations::won, registrations::request_extension, registrations::extend,
        approvals::list, approvals::get, approvals::decide, approvals::decide_bulk, approvals::get_rules,
        approvals::put_rules,
        claims::create, claims::list, claims::export, claims::get, claims::withdraw, claims::attach,
        claims::attachment,
        payouts::create, payouts::list, payouts::get, payouts::export_payments, payouts::journal,
        payouts::mark_paid, payouts::reconciliation, payouts::get_accounts, payouts::put_accounts,
        incentive_plans::list, incentive_plans::get, incentive_plans::create, incentive_plans::update,
        incentive_plans::discard, incentive_plans::versions, incentive_plans::draft, incentive_plans::publish,
        close_runs::start, close_runs::list, close_runs::get,
        statements::list, statements::export_list, statements::get, statements::download, statements::facts,
        statements::submit, statements::partner_earnings_overview, statements::spend_report,
        withholding_rates::list, withholding_rates::put, withholding_rates::delete,
        webhooks::list, webhooks::create, webhooks::get, webhooks::update, webhooks::delete,
        webhooks::rotate_secret, webhooks::deliveries, webhooks::redeliver_one,
    )
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
