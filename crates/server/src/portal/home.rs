//! The home page. Vendor staff see counts of what their role may read (partners by status,
//! the partners a channel manager looks after, users, products, accounts, the last 30 days
//! of sales per currency) with links into each area; partner users see their organisation:
//! its card, its people, its recent sales, its latest incentive statement and, for a
//! distributor, its resellers.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use tributary_domain::partner::{PartnerStatus, PartnerType};
use tributary_domain::role::Role;
use tributary_store::Conn;
use tributary_store::repo::partners::{self, PartnerFilter};
use tributary_store::repo::sales::{self, CurrencyTotal, SalesFilter};
use tributary_store::repo::{accounts, products, users};

use super::lookup::first;
use super::page::{Chrome, PageError, PortalCaller, render, respond};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

/// The window of "recent" sales on the home pages.
const RECENT_DAYS: i64 = 30;

#[derive(Debug, Serialize)]
struct Tile {
    label: &'static str,
    value: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct StatusCount {
    status: &'static str,
    count: i64,
    href: String,
}

/// The first day of the recent-sales window.
fn recent_from() -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(RECENT_DAYS))
        .format("%Y-%m-%d")
        .to_string()
}

async fn recent_sales(
    conn: &mut Conn<'_>,
    caller: &Caller,
    partner_id: Option<&str>,
) -> AppResult<Option<Vec<CurrencyTotal>>> {
    let Ok(grant) = authorize(caller, Resource::Sales, Access::Read) else {
        return Ok(None);
    };
    let filter = SalesFilter {
        partner_id: partner_id.map(str::to_string),
        date_from: Some(recent_from()),
        ..Default::default()
    };
    Ok(Some(sales::totals(conn, &grant.scope, &filter).await?))
}

pub async fn home(State(state): State<AppState>, PortalCaller(caller): PortalCaller) -> Result<Response, PageError> {
    respond(&state, async {
        if caller.is_partner() {
            partner_home(&state, &caller).await
        } else {
            vendor_home(&state, &caller).await
        }
    })
    .await
}

async fn vendor_home(state: &AppState, caller: &Caller) -> AppResult<Response> {
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let mut statuses = Vec::new();
    let mut tiles = Vec::new();
    if let Ok(grant) = authorize(caller, Resource::Partners, Access::Read) {
        for status in PartnerStatus::ALL {
            let filter = PartnerFilter {
                status: Some(status.as_str().to_string()),
                ..Default::default()
            };
            statuses.push(StatusCount {
                status: status.as_str(),
                count: partners::count(&mut conn, &grant.scope, &filter).await?,
                href: format!("/partners?status={}", status.as_str()),
            });
        }
        if caller.role == Role::ChannelManager {
            let filter = PartnerFilter {
                channel_manager_id: Some(caller.user.id.clone()),
                ..Default::default()
            };
            tiles.push(Tile {
                label: "Partners you manage",
                value: partners::count(&mut conn, &grant.scope, &filter).await?.to_string(),
                href: format!("/partners?channel_manager_id={}", caller.user.id),
            });
        }
    }
    if let Ok(grant) = authorize(caller, Resource::Users, Access::Read) {
        let count = users::count(&mut conn, &grant.scope, &Default::default()).await?;
        tiles.push(Tile {
            label: "Users",
            value: count.to_string(),
            href: "/users".into(),
        });
    }
    if authorize(caller, Resource::Products, Access::Read).is_ok() {
        let count = products::count(&mut conn, &Default::default()).await?;
        tiles.push(Tile {
            label: "Products",
            value: count.to_string(),
            href: "/products".into(),
        });
    }
    if authorize(caller, Resource::Accounts, Access::Read).is_ok() {
        let count = accounts::count(&mut conn, &Default::default()).await?;
        tiles.push(Tile {
            label: "Customer accounts",
            value: count.to_string(),
            href: "/accounts".into(),
        });
    }
    let sales = recent_sales(&mut conn, caller, None).await?;
    let chrome = Chrome::of(caller, "/");
    render(
        state,
        "home.html",
        minijinja::context! {
            statuses, tiles, sales,
            sales_href => format!("/sales?date_from={}", recent_from()),
            recent_days => RECENT_DAYS,
            areas => chrome.nav.iter().skip(1).collect::<Vec<_>>(),
            chrome,
        },
    )
}

async fn partner_home(state: &AppState, caller: &Caller) -> AppResult<Response> {
    let grant = authorize(caller, Resource::Partners, Access::Read)?;
    let own = caller.own_partner_id().ok_or_else(|| AppError::not_found("partner"))?;
    let mut pooled = state.db.acquire().await?;
    let mut conn = pooled.conn();
    let organisation = partners::get(&mut conn, &grant.scope, own)
        .await?
        .ok_or_else(|| AppError::not_found("partner"))?;
    let manager = match &organisation.fields.channel_manager_id {
        Some(id) => users::by_id(&mut conn, id).await?.map(|user| user.display_name),
        None => None,
    };
    let people = match authorize(caller, Resource::Users, Access::Read) {
        Ok(users_grant) => {
            let filter = users::UserFilter {
                partner_id: Some(own.to_string()),
                ..Default::default()
            };
            users::list(&mut conn, &users_grant.scope, &filter, &first("display_name", 100))
                .await?
                .items
        }
        Err(_) => Vec::new(),
    };
    let resellers = if organisation.fields.partner_type == PartnerType::Distributor {
        let filter = PartnerFilter {
            distributor_id: Some(own.to_string()),
            ..Default::default()
        };
        partners::list(&mut conn, &grant.scope, &filter, &first("name", 200))
            .await?
            .items
    } else {
        Vec::new()
    };
    let sales = recent_sales(&mut conn, caller, Some(own)).await?;
    drop(pooled);
    // The tier status cards; `None` when the role may not see tier standing.
    let tiers = match authorize(caller, Resource::TierStatus, Access::Read) {
        Ok(_) => Some(super::tiers::partner::status_cards(state, caller, own).await?),
        Err(_) => None,
    };
    // Registrations and reservations at a glance; `None` when the role sees neither.
    let conflict = super::conflict::home_summary(state, caller).await?;
    // The latest incentive statement; `None` when the role may not read statements.
    let earnings = super::incentives::earnings::card(state, caller).await?;
    render(
        state,
        "home_partner.html",
        minijinja::context! {
            chrome => Chrome::of(caller, "/"),
            conflict, earnings,
            tiers_href => format!("/partners/{own}/tiers"),
            organisation, manager, people, resellers, sales, tiers,
            sales_href => format!("/sales?partner_id={own}&date_from={}", recent_from()),
            recent_days => RECENT_DAYS,
        },
    )
}
