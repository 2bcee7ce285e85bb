//! The product catalogue (readable by every signed-in user; written by vendor staff).

use sea_query::{Cond, Expr, ExprTrait, Query};
use serde::Serialize;
use tributary_domain::money::{Currency, parse_decimal};
use tributary_domain::product::ProductFields;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, StoreError, time};

pub const SORTABLE: &[&str] = &["sku", "name", "family", "created_at"];

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Product {
    pub id: String,
    #[serde(flatten)]
    pub fields: ProductFields,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    sku: String,
    name: String,
    family: String,
    list_price: String,
    currency: String,
    active: bool,
    created_at: String,
    updated_at: String,
}

const COLUMNS: [&str; 9] = [
    "id",
    "sku",
    "name",
    "family",
    "list_price",
    "currency",
    "active",
    "created_at",
    "updated_at",
];

impl TryFrom<Row> for Product {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let corrupt = |e: String| StoreError::Corrupt(format!("product {}: {e}", row.id));
        Ok(Product {
            fields: ProductFields {
                list_price: parse_decimal(&row.list_price).map_err(corrupt)?,
                currency: Currency::parse(&row.currency).map_err(corrupt)?,
                sku: row.sku,
                name: row.name,
                family: row.family,
                active: row.active,
            },
            id: row.id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl Keyed for Product {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "sku" => self.fields.sku.clone(),
            "name" => self.fields.name.clone(),
            "family" => self.fields.family.clone(),
            _ => self.created_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub search: Option<String>,
    pub family: Option<String>,
    pub active: Option<bool>,
}

fn condition(filter: &ProductFilter) -> Cond {
    let mut cond = Cond::all();
    if let Some(text) = filter.search.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(
            Cond::any()
                .add(super::contains("sku", text))
                .add(super::contains("name", text)),
        );
    }
    if let Some(family) = filter.family.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(Expr::col("family").eq(family));
    }
    if let Some(active) = filter.active {
        cond = cond.add(Expr::col("active").eq(active));
    }
    cond
}

pub async fn list(
    conn: &mut Conn<'_>,
    filter: &ProductFilter,
    request: &PageRequest,
) -> Result<Page<Product>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("products", c)))
        .from("products")
        .cond_where(condition(filter))
        .take();
    page::apply(&mut query, "products", request);
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    page::finish(
        rows.into_iter().map(Product::try_from).collect::<Result<_, _>>()?,
        request,
    )
}

/// Number of products matching `filter`.
pub async fn count(conn: &mut Conn<'_>, filter: &ProductFilter) -> Result<i64, StoreError> {
    conn.fetch_count(
        &Query::select()
            .expr_as(Expr::col(sea_query::Asterisk).count(), "n")
            .from("products")
            .cond_where(condition(filter))
            .take(),
    )
    .await
}

pub async fn get(conn: &mut Conn<'_>, id: &str) -> Result<Option<Product>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("products")
                .and_where(Expr::col("id").eq(id))
                .take(),
        )
        .await?;
    row.map(Product::try_from).transpose()
}

pub async fn by_sku(conn: &mut Conn<'_>, sku: &str) -> Result<Option<Product>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("products")
                .and_where(Expr::col("sku").eq(sku))
                .take(),
        )
        .await?;
    row.map(Product::try_from).transpose()
}

/// The distinct product families, alphabetically.
pub async fn families(conn: &mut Conn<'_>) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Family {
        family: String,
    }
    let rows: Vec<Family> = conn
        .fetch_all(
            &Query::select()
                .distinct()
                .column("family")
                .from("products")
                .order_by("family", sea_query::Order::Asc)
                .take(),
        )
        .await?;
    Ok(rows.into_iter().map(|f| f.family).collect())
}

fn values(fields: &ProductFields) -> Vec<(&'static str, sea_query::SimpleExpr)> {
    vec![
        ("sku", fields.sku.clone().into()),
        ("name", fields.name.clone().into()),
        ("family", fields.family.clone().into()),
        ("list_price", fields.list_price.to_string().into()),
        ("currency", fields.currency.code().into()),
        ("active", fields.active.into()),
    ]
}

pub async fn insert(conn: &mut Conn<'_>, id: &str, fields: &ProductFields) -> Result<Product, StoreError> {
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
            .into_table("products")
            .columns(columns)
            .values_panic(exprs)
            .take(),
    )
    .await?;
    Ok(Product {
        id: id.to_string(),
        fields: fields.clone(),
        created_at: now.clone(),
        updated_at: now,
    })
}

pub async fn update(conn: &mut Conn<'_>, current: &Product, fields: &ProductFields) -> Result<Product, StoreError> {
    let now = time::now_text();
    let mut all = values(fields);
    all.push(("updated_at", now.clone().into()));
    conn.execute(
        &Query::update()
            .table("products")
            .values(all)
            .and_where(Expr::col("id").eq(current.id.clone()))
            .take(),
    )
    .await?;
    Ok(Product {
        id: current.id.clone(),
        fields: fields.clone(),
        created_at: current.created_at.clone(),
        updated_at: now,
    })
}
