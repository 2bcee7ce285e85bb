//! Creating and changing customer accounts, keeping the hierarchy sound: a parent must
//! exist, offices hang under companies or subsidiaries, subsidiaries under companies or
//! subsidiaries, and a move never makes an account its own ancestor.

use tributary_domain::account::{AccountFields, AccountKind};
use tributary_store::Conn;
use tributary_store::audit::Actor;
use tributary_store::repo::accounts::{self, Account};

use super::record;
use crate::error::{AppError, AppResult};

async fn check_parent(conn: &mut Conn<'_>, fields: &AccountFields, current_id: Option<&str>) -> AppResult<()> {
    let Some(parent_id) = &fields.parent_id else {
        return Ok(());
    };
    let parent = accounts::get(conn, parent_id)
        .await?
        .ok_or_else(|| AppError::field("parent_id", format!("no account has id {parent_id}")))?;
    if parent.fields.kind == AccountKind::Office {
        return Err(AppError::field(
            "parent_id",
            format!("{} is an office; offices have no children", parent.fields.name),
        ));
    }
    if let Some(id) = current_id {
        let lineage = accounts::ancestors(conn, &parent).await?;
        if parent.id == id || lineage.iter().any(|a| a.id == id) {
            return Err(AppError::field(
                "parent_id",
                "an account cannot be placed under itself or its own descendant",
            ));
        }
    }
    Ok(())
}

pub async fn create(conn: &mut Conn<'_>, actor: &Actor, id: &str, fields: &AccountFields) -> AppResult<Account> {
    check_parent(conn, fields, None).await?;
    let account = accounts::insert(conn, id, fields).await?;
    record(
        conn,
        actor,
        "account.created",
        "account",
        id,
        None::<&()>,
        Some(&account),
    )
    .await?;
    Ok(account)
}

pub async fn update(
    conn: &mut Conn<'_>,
    actor: &Actor,
    current: &Account,
    fields: &AccountFields,
) -> AppResult<Account> {
    check_parent(conn, fields, Some(&current.id)).await?;
    if fields.kind == AccountKind::Office && !accounts::children(conn, &current.id).await?.is_empty() {
        return Err(AppError::field(
            "kind",
            "this account has subsidiaries or offices below it; it cannot become an office",
        ));
    }
    let updated = accounts::update(conn, current, fields).await?;
    record(
        conn,
        actor,
        "account.updated",
        "account",
        &current.id,
        Some(current),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}
