//! Creating and changing partner organisations: reference checks (distributor, channel
//! manager, verticals), the status lifecycle, optimistic concurrency, and the audit record.

use tributary_domain::partner::{PartnerFields, PartnerType};
use tributary_domain::role::Role;
use tributary_domain::validation::FieldError;
use tributary_store::audit::Actor;
use tributary_store::repo::partners::{self, Partner};
use tributary_store::repo::{users, verticals};
use tributary_store::{Conn, Scope};

use super::record;
use crate::error::{AppError, AppResult};

/// Problems with the records a partner refers to, or with its status change.
async fn reference_errors(
    conn: &mut Conn<'_>,
    fields: &PartnerFields,
    current: Option<&Partner>,
) -> AppResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut add = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    if let Some(distributor_id) = &fields.distributor_id {
        match partners::get(conn, &Scope::All, distributor_id).await? {
            None => add("distributor_id", format!("no partner has id {distributor_id}")),
            Some(d) if d.fields.partner_type != PartnerType::Distributor => add(
                "distributor_id",
                format!("{} is a {}, not a distributor", d.fields.name, d.fields.partner_type),
            ),
            Some(d) if current.is_some_and(|c| c.id == d.id) => {
                add("distributor_id", "a partner cannot be its own distributor".into())
            }
            Some(_) => {}
        }
    }
    if let Some(manager_id) = &fields.channel_manager_id {
        match users::by_id(conn, manager_id).await? {
            Some(u) if u.role == Role::ChannelManager.as_str() && u.active => {}
            Some(u) => add(
                "channel_manager_id",
                format!("{} is not an active channel manager", u.email),
            ),
            None => add("channel_manager_id", format!("no user has id {manager_id}")),
        }
    }
    for code in &fields.verticals {
        if verticals::get(conn, code).await?.is_none() {
            add("verticals", format!("'{code}' is not a known vertical"));
        }
    }
    if let Some(current) = current
        && !current.fields.status.can_become(fields.status)
    {
        add(
            "status",
            format!(
                "a partner cannot go from {} to {}",
                current.fields.status, fields.status
            ),
        );
    }
    if let Some(current) = current
        && current.fields.partner_type == PartnerType::Distributor
        && fields.partner_type != PartnerType::Distributor
        && !partners::reseller_ids(conn, &current.id).await?.is_empty()
    {
        add("partner_type", "this distributor still has resellers attached".into());
    }
    Ok(errors)
}

pub async fn create(conn: &mut Conn<'_>, actor: &Actor, id: &str, fields: &PartnerFields) -> AppResult<Partner> {
    let errors = reference_errors(conn, fields, None).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let partner = partners::insert(conn, id, fields).await?;
    record(
        conn,
        actor,
        "partner.created",
        "partner",
        id,
        None::<&()>,
        Some(&partner),
    )
    .await?;
    Ok(partner)
}

pub async fn update(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &Partner,
    fields: &PartnerFields,
) -> AppResult<Partner> {
    let errors = reference_errors(conn, fields, Some(current)).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let updated = partners::update(conn, current, fields).await?.ok_or_else(|| {
        AppError::Conflict("the partner was changed by someone else meanwhile; reload and try again".into())
    })?;
    let action = if updated.fields.status != current.fields.status {
        "partner.status_changed"
    } else {
        "partner.updated"
    };
    record(
        conn,
        actor,
        action,
        "partner",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// What a partner administrator submits, limited to the profile: the program fields
/// (type, distributor, status, channel manager, payout currency, tax country) keep their
/// current values.
pub fn profile_only(current: &Partner, submitted: PartnerFields) -> PartnerFields {
    PartnerFields {
        partner_type: current.fields.partner_type,
        distributor_id: current.fields.distributor_id.clone(),
        status: current.fields.status,
        channel_manager_id: current.fields.channel_manager_id.clone(),
        payout_currency: current.fields.payout_currency,
        tax_country: current.fields.tax_country.clone(),
        ..submitted
    }
}
