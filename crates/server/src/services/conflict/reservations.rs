//! Account reservations: the availability answer, reserving (serialised per account
//! hierarchy and backed by the one-active-reservation-per-account index), renewing,
//! releasing and the expiry of lapsed reservations. Messages never name another partner.

use chrono::NaiveDate;
use serde::Deserialize;
use tributary_domain::deals::reservation::{
    AccountState, Availability, Held, Neighbourhood, ReservationRules, ReservationScope, availability,
    check_reservation,
};
use tributary_store::audit::Actor;
use tributary_store::repo::accounts::{self, Account};
use tributary_store::repo::partners;
use tributary_store::repo::reservations::{self, Reservation};
use tributary_store::{Conn, Db, Scope, StoreError, dialect, time};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::services::record;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReservationInput {
    pub account_id: String,
    /// The reserving partner; defaults to the caller's own organisation.
    pub partner_id: Option<String>,
    /// `account` (default) or `hierarchy`.
    pub scope: Option<String>,
}

use tributary_store::time::today;

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The partner a caller acts for: the one named (which the scope must admit) or its own.
pub async fn acting_partner(
    conn: &mut Conn<'_>,
    scope: &Scope,
    named: Option<&str>,
    own: Option<&str>,
) -> AppResult<String> {
    let Some(id) = named.filter(|s| !s.is_empty()).or(own) else {
        return Err(AppError::field("partner_id", "is required"));
    };
    if partners::get(conn, scope, id).await?.is_none() {
        return Err(AppError::field(
            "partner_id",
            format!("no partner you may act for has id {id}"),
        ));
    }
    Ok(id.to_string())
}

async fn account(conn: &mut Conn<'_>, id: &str) -> AppResult<Account> {
    accounts::get(conn, id)
        .await?
        .ok_or_else(|| AppError::field("account_id", format!("no customer account has id {id}")))
}

fn state_of(account: &Account, active: &[Reservation], today: &str) -> AccountState {
    AccountState {
        is_house_account: account.fields.is_house_account,
        reservation: active
            .iter()
            .find(|r| r.account_id == account.id && r.expires_on.as_str() >= today)
            .map(|r| Held {
                partner_id: r.partner_id.clone(),
                scope: ReservationScope::parse(&r.scope).unwrap_or(ReservationScope::Account),
            }),
    }
}

/// The account with its ancestors and descendants as the rules see them (lapsed
/// reservations not yet marked expired do not hold anything).
async fn neighbourhood(conn: &mut Conn<'_>, target: &Account) -> AppResult<(Neighbourhood, Vec<Account>)> {
    let ancestors = accounts::ancestors(conn, target).await?;
    let descendants = accounts::descendants(conn, &target.id).await?;
    let ids: Vec<String> = std::iter::once(target.id.clone())
        .chain(ancestors.iter().map(|a| a.id.clone()))
        .chain(descendants.iter().map(|a| a.id.clone()))
        .collect();
    let active = reservations::active_on(conn, &ids).await?;
    let now = day_text(today());
    let place = Neighbourhood {
        account: state_of(target, &active, &now),
        ancestors: ancestors.iter().map(|a| state_of(a, &active, &now)).collect(),
        descendants: descendants.iter().map(|a| state_of(a, &active, &now)).collect(),
    };
    Ok((place, ancestors))
}

/// "Is this account taken?" for `partner_id`.
pub async fn check(conn: &mut Conn<'_>, partner_id: &str, account_id: &str) -> AppResult<Availability> {
    let target = account(conn, account_id).await?;
    let (place, _) = neighbourhood(conn, &target).await?;
    Ok(availability(&place, partner_id))
}

fn taken() -> AppError {
    AppError::Conflict("this account is reserved by another partner".into())
}

/// Reserves an account for `partner_id`, or says which rule refuses it.
pub async fn reserve(
    conn: &mut Conn<'_>,
    actor: &Actor,
    partner_id: &str,
    account_id: &str,
    scope: ReservationScope,
    rules: &ReservationRules,
) -> AppResult<Reservation> {
    let target = account(conn, account_id).await?;
    let ancestors = accounts::ancestors(conn, &target).await?;
    // Writers within one hierarchy are serialised on its root account.
    let root = ancestors
        .last()
        .map_or(target.id.as_str(), |a| a.id.as_str())
        .to_string();
    dialect::lock_row(conn, "customer_accounts", "id", &root).await?;
    let (place, _) = neighbourhood(conn, &target).await?;
    check_reservation(&place, partner_id, scope).map_err(|refusal| AppError::Conflict(refusal.to_string()))?;
    let today = today();
    for lapsed in reservations::active_on(conn, std::slice::from_ref(&target.id)).await? {
        reservations::end(conn, &lapsed.id, "expired", &day_text(today)).await?;
    }
    let now = time::now_text();
    let reservation = Reservation {
        id: tributary_domain::ids::new_id(),
        account_id: target.id.clone(),
        partner_id: partner_id.to_string(),
        scope: scope.as_str().to_string(),
        status: "active".into(),
        reserved_on: day_text(today),
        expires_on: day_text(rules.expiry_from(today)),
        renewals: 0,
        ended_on: None,
        created_by: actor.user_id.clone(),
        created_at: now.clone(),
        updated_at: now,
    };
    match reservations::insert(conn, &reservation).await {
        Err(StoreError::Conflict(_)) => return Err(taken()),
        other => other?,
    }
    record(
        conn,
        actor,
        "reservation.created",
        "reservation",
        &reservation.id,
        None::<&()>,
        Some(&reservation),
    )
    .await?;
    Ok(reservation)
}

async fn active_reservation(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> AppResult<Reservation> {
    let found = reservations::get(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("reservation"))?;
    if found.status != "active" {
        return Err(AppError::Conflict(format!("the reservation is {}", found.status)));
    }
    Ok(found)
}

pub async fn renew(
    conn: &mut Conn<'_>,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    rules: &ReservationRules,
) -> AppResult<Reservation> {
    let current = active_reservation(conn, scope, id).await?;
    let expires = NaiveDate::parse_from_str(&current.expires_on, "%Y-%m-%d").map_err(crate::error::internal)?;
    if expires < today() {
        return Err(AppError::Conflict(
            "the reservation has lapsed; reserve the account again".into(),
        ));
    }
    let renewed_until = rules
        .renew(current.renewals as u32, expires)
        .map_err(AppError::Conflict)?;
    reservations::renew(conn, id, &day_text(renewed_until), current.renewals + 1).await?;
    let renewed = Reservation {
        expires_on: day_text(renewed_until),
        renewals: current.renewals + 1,
        ..current.clone()
    };
    record(
        conn,
        actor,
        "reservation.renewed",
        "reservation",
        id,
        Some(&current),
        Some(&renewed),
    )
    .await?;
    Ok(renewed)
}

pub async fn release(conn: &mut Conn<'_>, actor: &Actor, scope: &Scope, id: &str) -> AppResult<Reservation> {
    let current = active_reservation(conn, scope, id).await?;
    let today = day_text(today());
    reservations::end(conn, id, "released", &today).await?;
    let released = Reservation {
        status: "released".into(),
        ended_on: Some(today),
        ..current.clone()
    };
    record(
        conn,
        actor,
        "reservation.released",
        "reservation",
        id,
        Some(&current),
        Some(&released),
    )
    .await?;
    Ok(released)
}

/// Marks every reservation past its expiry as expired (the scheduled job); returns how many.
pub async fn expire_lapsed(db: &Db, today: NaiveDate) -> AppResult<usize> {
    let actor = Actor::system("scheduler");
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let lapsed = reservations::lapsed(&mut conn, &day_text(today)).await?;
    for r in &lapsed {
        reservations::end(&mut conn, &r.id, "expired", &day_text(today)).await?;
        record(
            &mut conn,
            &actor,
            "reservation.expired",
            "reservation",
            &r.id,
            Some(r),
            None::<&()>,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(lapsed.len())
}
