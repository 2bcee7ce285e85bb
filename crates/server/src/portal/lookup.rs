//! Look-ups shared by several pages: the names behind the ids a record refers to (channel
//! managers, partners) and the options of partner and channel-manager selects. Partner
//! names are always read through the caller's scope, so a page cannot show a partner the
//! caller may not see.

use std::collections::HashMap;

use tributary_domain::role::Role;
use tributary_store::page::{PageRequest, Sort};
use tributary_store::repo::partners::{self, PartnerFilter};
use tributary_store::repo::users;
use tributary_store::{Conn, Scope};

use super::form::{Choice, choices};
use crate::error::AppResult;

/// Most options a partner select offers (the first ones by name).
pub const PICKER_MAX: u64 = 500;

/// The first `limit` rows by `column`, ascending.
pub fn first(column: &'static str, limit: u64) -> PageRequest {
    PageRequest {
        sort: Sort {
            column,
            descending: false,
        },
        cursor: None,
        limit,
    }
}

/// Display names of the channel managers, by user id.
pub async fn manager_names(conn: &mut Conn<'_>) -> AppResult<HashMap<String, String>> {
    Ok(users::with_role(conn, Role::ChannelManager)
        .await?
        .into_iter()
        .map(|user| (user.id, user.display_name))
        .collect())
}

/// The active channel managers a partner can be assigned to.
pub async fn manager_choices(conn: &mut Conn<'_>, selected: Option<&str>) -> AppResult<Vec<Choice>> {
    let managers = users::with_role(conn, Role::ChannelManager).await?;
    Ok(choices(
        managers
            .into_iter()
            .filter(|user| user.active || selected == Some(user.id.as_str()))
            .map(|user| (user.id, format!("{} ({})", user.display_name, user.email))),
        &super::form::one(selected),
    ))
}

/// Partners visible in `scope` matching `filter`, as select options by name; the selected
/// partner is offered even when it is not among the first [`PICKER_MAX`].
pub async fn partner_choices(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &PartnerFilter,
    selected: Option<&str>,
) -> AppResult<Vec<Choice>> {
    let page = partners::list(conn, scope, filter, &first("name", PICKER_MAX)).await?;
    let mut options: Vec<(String, String)> = page.items.into_iter().map(|p| (p.id, p.fields.name)).collect();
    if let Some(id) = selected
        && !options.iter().any(|(option, _)| option == id)
        && let Some(partner) = partners::get(conn, scope, id).await?
    {
        options.insert(0, (partner.id, partner.fields.name));
    }
    Ok(choices(options, &super::form::one(selected)))
}

/// Partner names by id, read once each through the caller's scope.
pub struct PartnerNames<'a> {
    scope: &'a Scope,
    known: HashMap<String, Option<String>>,
}

impl<'a> PartnerNames<'a> {
    pub fn new(scope: &'a Scope) -> Self {
        Self {
            scope,
            known: HashMap::new(),
        }
    }

    /// The partner's name, or `None` when the caller may not see it.
    pub async fn name(&mut self, conn: &mut Conn<'_>, id: &str) -> AppResult<Option<String>> {
        if let Some(known) = self.known.get(id) {
            return Ok(known.clone());
        }
        let name = partners::get(conn, self.scope, id).await?.map(|p| p.fields.name);
        self.known.insert(id.to_string(), name.clone());
        Ok(name)
    }
}
