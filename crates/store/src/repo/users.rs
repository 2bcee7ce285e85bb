//! Users and their credentials. Partner users are scoped by their organisation; vendor
//! users (no organisation) are visible only to callers who see every partner.

use sea_query::{Cond, Expr, ExprTrait, Query};
use serde::Serialize;
use tributary_domain::role::Role;
use tributary_domain::user::UserFields;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError, time};

pub const SORTABLE: &[&str] = &["email", "display_name", "role", "created_at"];

/// A stored user (never carries the password hash).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub partner_id: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_login_at: Option<String>,
}

impl User {
    pub fn role(&self) -> Result<Role, StoreError> {
        Role::parse(&self.role).map_err(|e| StoreError::Corrupt(format!("user {} role: {e}", self.id)))
    }
}

impl Keyed for User {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "email" => self.email.clone(),
            "display_name" => self.display_name.clone(),
            "role" => self.role.clone(),
            _ => self.created_at.clone(),
        }
    }
}

const COLUMNS: [&str; 9] = [
    "id",
    "email",
    "display_name",
    "role",
    "partner_id",
    "active",
    "created_at",
    "updated_at",
    "last_login_at",
];

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub search: Option<String>,
    pub role: Option<String>,
    pub partner_id: Option<String>,
}

fn visible(scope: &Scope) -> Cond {
    match scope {
        Scope::All => Cond::all(),
        _ => Cond::all()
            .add(Expr::col("partner_id").is_not_null())
            .add(scope.partner_condition("partner_id")),
    }
}

fn condition(scope: &Scope, filter: &UserFilter) -> Cond {
    let mut cond = visible(scope);
    if let Some(text) = filter.search.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(
            Cond::any()
                .add(super::contains("email", text))
                .add(super::contains("display_name", text)),
        );
    }
    if let Some(role) = filter.role.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col("role").eq(role));
    }
    if let Some(partner) = filter.partner_id.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col("partner_id").eq(partner));
    }
    cond
}

pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &UserFilter,
    request: &PageRequest,
) -> Result<Page<User>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("users", c)))
        .from("users")
        .cond_where(condition(scope, filter))
        .take();
    page::apply(&mut query, "users", request);
    let rows = conn.fetch_all(&query).await?;
    page::finish(rows, request)
}

/// Number of users visible in `scope` matching `filter`.
pub async fn count(conn: &mut Conn<'_>, scope: &Scope, filter: &UserFilter) -> Result<i64, StoreError> {
    conn.fetch_count(
        &Query::select()
            .expr_as(Expr::col(sea_query::Asterisk).count(), "n")
            .from("users")
            .cond_where(condition(scope, filter))
            .take(),
    )
    .await
}

pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<User>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("users")
            .and_where(Expr::col("id").eq(id))
            .cond_where(visible(scope))
            .take(),
    )
    .await
}

/// A user with its password hash, for signing in (unscoped: the caller is not known yet).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: String,
    pub password_hash: Option<String>,
    pub active: bool,
}

pub async fn credentials_by_email(conn: &mut Conn<'_>, email: &str) -> Result<Option<Credentials>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(["id", "password_hash", "active"])
            .from("users")
            .and_where(Expr::col("email").eq(email.trim().to_ascii_lowercase()))
            .take(),
    )
    .await
}

/// The user behind a session or token (unscoped: identifies the caller).
pub async fn by_id(conn: &mut Conn<'_>, id: &str) -> Result<Option<User>, StoreError> {
    get(conn, &Scope::All, id).await
}

pub async fn insert(
    conn: &mut Conn<'_>,
    id: &str,
    fields: &UserFields,
    password_hash: Option<&str>,
) -> Result<User, StoreError> {
    let now = time::now_text();
    conn.execute(
        &Query::insert()
            .into_table("users")
            .columns([
                "id",
                "email",
                "display_name",
                "role",
                "partner_id",
                "password_hash",
                "active",
                "created_at",
                "updated_at",
            ])
            .values_panic([
                id.into(),
                fields.email.clone().into(),
                fields.display_name.clone().into(),
                fields.role.as_str().into(),
                fields.partner_id.clone().into(),
                password_hash.map(str::to_string).into(),
                true.into(),
                now.clone().into(),
                now.clone().into(),
            ])
            .take(),
    )
    .await?;
    Ok(User {
        id: id.to_string(),
        email: fields.email.clone(),
        display_name: fields.display_name.clone(),
        role: fields.role.as_str().to_string(),
        partner_id: fields.partner_id.clone(),
        active: true,
        created_at: now.clone(),
        updated_at: now,
        last_login_at: None,
    })
}

/// Updates name, role, organisation and active flag.
pub async fn update(conn: &mut Conn<'_>, id: &str, fields: &UserFields, active: bool) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("users")
            .values([
                ("email", fields.email.clone().into()),
                ("display_name", fields.display_name.clone().into()),
                ("role", fields.role.as_str().into()),
                ("partner_id", fields.partner_id.clone().into()),
                ("active", active.into()),
                ("updated_at", time::now_text().into()),
            ])
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

pub async fn set_password_hash(conn: &mut Conn<'_>, id: &str, hash: &str) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("users")
            .values([("password_hash", hash.into()), ("updated_at", time::now_text().into())])
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

pub async fn touch_login(conn: &mut Conn<'_>, id: &str) -> Result<(), StoreError> {
    conn.execute(
        &Query::update()
            .table("users")
            .value("last_login_at", time::now_text())
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await?;
    Ok(())
}

/// Vendor users with a given role (e.g. the channel managers a partner can be assigned to).
pub async fn with_role(conn: &mut Conn<'_>, role: Role) -> Result<Vec<User>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("users")
            .and_where(Expr::col("role").eq(role.as_str()))
            .order_by("display_name", sea_query::Order::Asc)
            .take(),
    )
    .await
}
