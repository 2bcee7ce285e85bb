//! Account reservations. A partner may reserve an available account for a period, either
//! the account alone or the account with all its subsidiaries and offices. The answer to
//! "is this account taken?" never names another partner.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::code_enum! {
    /// What a reservation covers.
    pub enum ReservationScope ("reservation scope") {
        Account => ("account", "This account only"),
        Hierarchy => ("hierarchy", "This account with its subsidiaries and offices"),
    }
}

/// The answer to "is this account taken?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Available,
    /// Reserved by the asking partner (the account itself or an ancestor's wider reservation).
    Yours,
    /// Reserved by another partner (never which).
    Taken,
    /// A house account: the vendor sells to it directly.
    HouseAccount,
}

/// An active reservation as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub partner_id: String,
    pub scope: ReservationScope,
}

/// One account of the hierarchy around the one asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub is_house_account: bool,
    pub reservation: Option<Held>,
}

/// The account asked about with its ancestors (parent first) and, for the wider scope,
/// every account below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    pub account: AccountState,
    pub ancestors: Vec<AccountState>,
    pub descendants: Vec<AccountState>,
}

/// Why a reservation is refused; the message never names another partner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this is a house account: the vendor sells to it directly")]
    HouseAccount,
    #[error("this account is reserved by another partner")]
    TakenByAnother,
    #[error("an account below this one is a house account, so the whole hierarchy cannot be reserved")]
    HouseAccountBelow,
    #[error("an account below this one is reserved by another partner, so the whole hierarchy cannot be reserved")]
    TakenBelow,
    #[error("a parent account is reserved by another partner together with its subsidiaries and offices")]
    AncestorTaken,
    #[error("you already hold this reservation; renew it instead")]
    AlreadyYours,
}

fn by_other(state: &AccountState, partner: &str) -> bool {
    state.reservation.as_ref().is_some_and(|r| r.partner_id != partner)
}

fn wide_by(state: &AccountState, partner: &str, mine: bool) -> bool {
    state
        .reservation
        .as_ref()
        .is_some_and(|r| r.scope == ReservationScope::Hierarchy && (r.partner_id == partner) == mine)
}

/// The answer to "is this account taken?" for `partner`.
pub fn availability(place: &Neighbourhood, partner: &str) -> Availability {
    if place.account.is_house_account {
        Availability::HouseAccount
    } else if by_other(&place.account, partner) || place.ancestors.iter().any(|a| wide_by(a, partner, false)) {
        Availability::Taken
    } else if place.account.reservation.is_some() || place.ancestors.iter().any(|a| wide_by(a, partner, true)) {
        Availability::Yours
    } else {
        Availability::Available
    }
}

/// Whether `partner` may reserve the account with `scope`.
pub fn check_reservation(place: &Neighbourhood, partner: &str, scope: ReservationScope) -> Result<(), Refusal> {
    if place.account.is_house_account {
        return Err(Refusal::HouseAccount);
    }
    if by_other(&place.account, partner) {
        return Err(Refusal::TakenByAnother);
    }
    if place.ancestors.iter().any(|a| wide_by(a, partner, false)) {
        return Err(Refusal::AncestorTaken);
    }
    if scope == ReservationScope::Hierarchy {
        if place.descendants.iter().any(|d| d.is_house_account) {
            return Err(Refusal::HouseAccountBelow);
        }
        if place.descendants.iter().any(|d| by_other(d, partner)) {
            return Err(Refusal::TakenBelow);
        }
    }
    if place.account.reservation.is_some() {
        return Err(Refusal::AlreadyYours);
    }
    Ok(())
}

/// How long reservations last and how often they may be renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReservationRules {
    pub period_days: u32,
    pub max_renewals: u32,
}

impl Default for ReservationRules {
    fn default() -> Self {
        Self {
            period_days: 180,
            max_renewals: 2,
        }
    }
}

impl ReservationRules {
    /// The expiry of a reservation made on `today`.
    pub fn expiry_from(&self, today: NaiveDate) -> NaiveDate {
        today + chrono::Days::new(u64::from(self.period_days))
    }

    /// The new expiry of a renewal, or why it is refused: one more period from the current
    /// expiry, at most `max_renewals` times.
    pub fn renew(&self, renewals: u32, expires: NaiveDate) -> Result<NaiveDate, String> {
        if renewals >= self.max_renewals {
            return Err(format!(
                "the reservation was already renewed {renewals} time(s), the most the program allows"
            ));
        }
        Ok(expires + chrono::Days::new(u64::from(self.period_days)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free() -> AccountState {
        AccountState {
            is_house_account: false,
            reservation: None,
        }
    }

    fn held(partner: &str, scope: ReservationScope) -> AccountState {
        AccountState {
            is_house_account: false,
            reservation: Some(Held {
                partner_id: partner.into(),
                scope,
            }),
        }
    }

    fn house() -> AccountState {
        AccountState {
            is_house_account: true,
            reservation: None,
        }
    }

    fn place(account: AccountState, ancestors: Vec<AccountState>, descendants: Vec<AccountState>) -> Neighbourhood {
        Neighbourhood {
            account,
            ancestors,
            descendants,
        }
    }

    use ReservationScope::{Account, Hierarchy};

    #[test]
    fn every_refusal_rule() {
        let ok = place(free(), vec![free()], vec![free()]);
        assert_eq!(check_reservation(&ok, "a", Hierarchy), Ok(()));
        assert_eq!(
            check_reservation(&place(house(), vec![], vec![]), "a", Account),
            Err(Refusal::HouseAccount)
        );
        assert_eq!(
            check_reservation(&place(held("b", Account), vec![], vec![]), "a", Account),
            Err(Refusal::TakenByAnother)
        );
        assert_eq!(
            check_reservation(&place(held("a", Account), vec![], vec![]), "a", Account),
            Err(Refusal::AlreadyYours)
        );
        // Below: only the wider scope looks down.
        let below_house = place(free(), vec![], vec![free(), house()]);
        assert_eq!(check_reservation(&below_house, "a", Account), Ok(()));
        assert_eq!(
            check_reservation(&below_house, "a", Hierarchy),
            Err(Refusal::HouseAccountBelow)
        );
        let below_taken = place(free(), vec![], vec![held("b", Account)]);
        assert_eq!(check_reservation(&below_taken, "a", Account), Ok(()));
        assert_eq!(
            check_reservation(&below_taken, "a", Hierarchy),
            Err(Refusal::TakenBelow)
        );
        let below_mine = place(free(), vec![], vec![held("a", Account)]);
        assert_eq!(check_reservation(&below_mine, "a", Hierarchy), Ok(()));
        // Above: only another partner's wider reservation blocks.
        let above_narrow = place(free(), vec![held("b", Account)], vec![]);
        assert_eq!(check_reservation(&above_narrow, "a", Account), Ok(()));
        let above_wide = place(free(), vec![free(), held("b", Hierarchy)], vec![]);
        assert_eq!(
            check_reservation(&above_wide, "a", Account),
            Err(Refusal::AncestorTaken)
        );
    }

    #[test]
    fn the_answer_never_names_the_other_partner() {
        assert_eq!(
            availability(&place(free(), vec![], vec![]), "a"),
            Availability::Available
        );
        assert_eq!(
            availability(&place(house(), vec![], vec![]), "a"),
            Availability::HouseAccount
        );
        assert_eq!(
            availability(&place(held("a", Account), vec![], vec![]), "a"),
            Availability::Yours
        );
        assert_eq!(
            availability(&place(held("b", Account), vec![], vec![]), "a"),
            Availability::Taken
        );
        let under_mine = place(free(), vec![held("a", Hierarchy)], vec![]);
        assert_eq!(availability(&under_mine, "a"), Availability::Yours);
        let under_theirs = place(free(), vec![held("b", Hierarchy)], vec![]);
        assert_eq!(availability(&under_theirs, "a"), Availability::Taken);
    }

    #[test]
    fn renewals_extend_from_the_expiry_up_to_the_limit() {
        let rules = ReservationRules::default();
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(rules.expiry_from(day), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
        assert_eq!(rules.renew(1, day), Ok(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()));
        assert!(rules.renew(2, day).unwrap_err().contains("2 time(s)"));
    }
}
