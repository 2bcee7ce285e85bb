//! Creating and changing users. Which roles a caller may hand out is the policy's
//! decision (`policy::may_assign_role`); here: the organisation must exist, passwords are
//! hashed with argon2id, and deactivating a user or changing a password ends their sessions.

use tributary_domain::user::UserFields;
use tributary_store::audit::Actor;
use tributary_store::repo::users::{self, User};
use tributary_store::repo::{partners, sessions};
use tributary_store::{Conn, Scope};

use super::record;
use crate::auth::password;
use crate::error::{AppError, AppResult};

async fn check_partner(conn: &mut Conn<'_>, fields: &UserFields) -> AppResult<()> {
    if let Some(partner_id) = &fields.partner_id
        && partners::get(conn, &Scope::All, partner_id).await?.is_none()
    {
        return Err(AppError::field("partner_id", format!("no partner has id {partner_id}")));
    }
    Ok(())
}

fn duplicate_email(error: tributary_store::StoreError, fields: &UserFields) -> AppError {
    match error {
        tributary_store::StoreError::Conflict(_) => {
            AppError::Conflict(format!("a user with e-mail {} already exists", fields.email))
        }
        other => other.into(),
    }
}

pub async fn create(
    conn: &mut Conn<'_>,
    actor: &Actor,
    id: &str,
    fields: &UserFields,
    initial_password: Option<&str>,
) -> AppResult<User> {
    check_partner(conn, fields).await?;
    let hash = initial_password.map(password::hash);
    let user = users::insert(conn, id, fields, hash.as_deref())
        .await
        .map_err(|e| duplicate_email(e, fields))?;
    record(conn, actor, "user.created", "user", id, None::<&()>, Some(&user)).await?;
    Ok(user)
}

pub async fn update(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &User,
    fields: &UserFields,
    active: bool,
) -> AppResult<User> {
    check_partner(conn, fields).await?;
    users::update(conn, &current.id, fields, active)
        .await
        .map_err(|e| duplicate_email(e, fields))?;
    if !active {
        sessions::delete_for_user(conn, &current.id).await?;
    }
    let updated = users::by_id(conn, &current.id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    record(
        conn,
        actor,
        "user.updated",
        "user",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

pub async fn set_password(conn: &mut Conn<'_>, actor: &Actor, user: &User, new_password: &str) -> AppResult<()> {
    tributary_domain::user::password(new_password).map_err(|m| AppError::field("password", m))?;
    users::set_password_hash(conn, &user.id, &password::hash(new_password)).await?;
    sessions::delete_for_user(conn, &user.id).await?;
    record(
        conn,
        actor,
        "user.password_set",
        "user",
        &user.id,
        None::<&()>,
        None::<&()>,
    )
    .await?;
    Ok(())
}
