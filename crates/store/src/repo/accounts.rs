//! Customer accounts and their hierarchy (company → subsidiaries → offices). Domains are
//! stored as one `;`-separated text column; house accounts are flagged.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use tributary_domain::account::{AccountFields, AccountKind};

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, StoreError, time};

pub const SORTABLE: &[&str] = &["name", "kind", "country", "created_at"];

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: String,
    #[serde(flatten)]
    pub fields: AccountFields,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    kind: String,
    parent_id: Option<String>,
    domains: String,
    country: String,
    city: Option<String>,
    is_house_account: bool,
    created_at: String,
    updated_at: String,
}

const COLUMNS: [&str; 10] = [
    "id",
    "name",
    "kind",
    "parent_id",
    "domains",
    "country",
    "city",
    "is_house_account",
    "created_at",
    "updated_at",
];

impl TryFrom<Row> for Account {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let kind =
            AccountKind::parse(&row.kind).map_err(|e| StoreError::Corrupt(format!("account {}: {e}", row.id)))?;
        Ok(Account {
            fields: AccountFields {
                name: row.name,
                kind,
                parent_id: row.parent_id,
                domains: row
                    .domains
                    .split(';')
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect(),
                country: row.country,
                city: row.city,
                is_house_account: row.is_house_account,
            },
            id: row.id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl Keyed for Account {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "name" => self.fields.name.clone(),
            "kind" => self.fields.kind.as_str().to_string(),
            "country" => self.fields.country.clone(),
            _ => self.created_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub search: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub house: Option<bool>,
    pub parent_id: Option<String>,
}

fn condition(filter: &AccountFilter) -> Cond {
    let mut cond = Cond::all();
    if let Some(text) = filter.search.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(
            Cond::any()
                .add(super::contains("name", text))
                .add(super::contains("domains", text))
                .add(super::contains("city", text)),
        );
    }
    for (column, value) in [
        ("kind", &filter.kind),
        ("country", &filter.country),
        ("parent_id", &filter.parent_id),
    ] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(Expr::col(column).eq(value));
        }
    }
    if let Some(house) = filter.house {
        cond = cond.add(Expr::col("is_house_account").eq(house));
    }
    cond
}

pub async fn list(
    conn: &mut Conn<'_>,
    filter: &AccountFilter,
    request: &PageRequest,
) -> Result<Page<Account>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("customer_accounts", c)))
        .from("customer_accounts")
        .cond_where(condition(filter))
        .take();
    page::apply(&mut query, "customer_accounts", request);
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    page::finish(
        rows.into_iter().map(Account::try_from).collect::<Result<_, _>>()?,
        request,
    )
}

/// Number of accounts matching `filter`.
pub async fn count(conn: &mut Conn<'_>, filter: &AccountFilter) -> Result<i64, StoreError> {
    conn.fetch_count(
        &Query::select()
            .expr_as(Expr::col(sea_query::Asterisk).count(), "n")
            .from("customer_accounts")
            .cond_where(condition(filter))
            .take(),
    )
    .await
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<Account>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("customer_accounts")
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(Account::try_from).transpose()
}

/// The direct children of an account, by name.
pub async fn children(conn: &mut Conn<'_>, id: &str) -> Result<Vec<Account>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from("customer_accounts")
                .and_where(Expr::col("parent_id").eq(id))
                .order_by("name", Order::Asc)
                .limit(1000)
                .take(),
        )
        .await?;
    rows.into_iter().map(Account::try_from).collect()
}

/// The chain of ancestors of an account, nearest first (bounded against cycles).
pub async fn ancestors(conn: &mut Conn<'_>, account: &Account) -> Result<Vec<Account>, StoreError> {
    let mut chain = Vec::new();
    let mut next = account.fields.parent_id.clone();
    while let Some(parent_id) = next {
        if chain.len() >= 32 || chain.iter().any(|a: &Account| a.id == parent_id) {
            return Err(StoreError::Corrupt(format!(
                "account {} has a cyclic or too deep hierarchy",
                account.id
            )));
        }
        let Some(parent) = get(conn, &parent_id).await? else {
            break;
        };
        next = parent.fields.parent_id.clone();
        chain.push(parent);
    }
    Ok(chain)
}

/// Every account below `id` (children, their children …), bounded against cycles.
pub async fn descendants(conn: &mut Conn<'_>, id: &str) -> Result<Vec<Account>, StoreError> {
    let mut found: Vec<Account> = Vec::new();
    let mut level = vec![id.to_string()];
    for _ in 0..32 {
        if level.is_empty() {
            return Ok(found);
        }
        let mut next = Vec::new();
        for chunk in level.chunks(500) {
            let rows: Vec<Row> = conn
                .fetch_all(
                    &Query::select()
                        .columns(COLUMNS)
                        .from("customer_accounts")
                        .and_where(Expr::col("parent_id").is_in(chunk.iter().cloned()))
                        .take(),
                )
                .await?;
            for row in rows {
                let account = Account::try_from(row)?;
                next.push(account.id.clone());
                found.push(account);
            }
        }
        level = next;
    }
    Err(StoreError::Corrupt(format!(
        "account {id} has a cyclic or too deep hierarchy"
    )))
}

fn values(fields: &AccountFields) -> Vec<(&'static str, sea_query::SimpleExpr)> {
    vec![
        ("name", fields.name.clone().into()),
        ("kind", fields.kind.as_str().into()),
        ("parent_id", fields.parent_id.clone().into()),
        ("domains", fields.domains.join(";").into()),
        ("country", fields.country.clone().into()),
        ("city", fields.city.clone().into()),
        ("is_house_account", fields.is_house_account.into()),
    ]
}

pub async fn insert(conn: &mut Conn<'_>, id: &str, fields: &AccountFields) -> Result<Account, StoreError> {
    let now = time::now_text();
    let mut all = values(fields);
    all.extend([
        ("id", id.into()),
        ("created_at", now.clone().into()),
        ("updated_at", now.clone().into()),
    ]);
    let (columns, exprs): (Vec<_>, Vec<_>) = all.into_iter().unzip();
    conn.execute(
        &Query::insert()
            .into_table("customer_accounts")
            .columns(columns)
            .values_panic(exprs)
            .take(),
    )
    .await?;
    Ok(Account {
        id: id.to_string(),
        fields: fields.clone(),
        created_at: now.clone(),
        updated_at: now,
    })
}

pub async fn update(conn: &mut Conn<'_>, current: &Account, fields: &AccountFields) -> Result<Account, StoreError> {
    let now = time::now_text();
    let mut all = values(fields);
    all.push(("updated_at", now.clone().into()));
    conn.execute(
        &Query::update()
            .table("customer_accounts")
            .values(all)
            .and_where(Expr::col("id").eq(current.id.clone()))
            .take(),
    )
    .await?;
    Ok(Account {
        id: current.id.clone(),
        fields: fields.clone(),
        created_at: current.created_at.clone(),
        updated_at: now,
    })
}
