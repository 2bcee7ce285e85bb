//! Sales facts: append-only. There is no update or delete here by design; a correction is
//! a new line (a return or an adjustment) that refers to the same deal or account.

use sea_query::{Cond, Expr, ExprTrait, Query};
use serde::Serialize;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError};

pub const SORTABLE: &[&str] = &["fact_date", "created_at", "currency", "source"];

/// A stored sales or return line; `amount_minor` is in the currency's minor units.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SalesFact {
    pub id: String,
    pub fact_date: String,
    pub partner_id: String,
    pub distributor_id: Option<String>,
    pub account_id: String,
    pub product_id: String,
    pub quantity: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub deal_ref: Option<String>,
    pub source: String,
    pub deal_registered: bool,
    pub import_batch_id: Option<String>,
    pub created_at: String,
    /// Cost of the goods in minor units of `currency`, when known (margin plans need it).
    pub cost_minor: Option<i64>,
}

const COLUMNS: [&str; 15] = [
    "id",
    "fact_date",
    "partner_id",
    "distributor_id",
    "account_id",
    "product_id",
    "quantity",
    "amount_minor",
    "currency",
    "deal_ref",
    "source",
    "deal_registered",
    "import_batch_id",
    "created_at",
    "cost_minor",
];

impl Keyed for SalesFact {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "fact_date" => self.fact_date.clone(),
            "currency" => self.currency.clone(),
            "source" => self.source.clone(),
            _ => self.created_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SalesFilter {
    pub partner_id: Option<String>,
    pub account_id: Option<String>,
    pub product_id: Option<String>,
    pub currency: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub deal_ref: Option<String>,
}

fn condition(scope: &Scope, filter: &SalesFilter) -> Cond {
    super::matching(
        Cond::all().add(scope.partner_condition("partner_id")),
        &[
            ("partner_id", &filter.partner_id),
            ("account_id", &filter.account_id),
            ("product_id", &filter.product_id),
            ("currency", &filter.currency),
            ("deal_ref", &filter.deal_ref),
        ],
        "fact_date",
        (&filter.date_from, &filter.date_to),
    )
}

pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &SalesFilter,
    request: &PageRequest,
) -> Result<Page<SalesFact>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("sales_facts", c)))
        .from("sales_facts")
        .cond_where(condition(scope, filter))
        .take();
    page::apply(&mut query, "sales_facts", request);
    let rows = conn.fetch_all(&query).await?;
    page::finish(rows, request)
}

/// Count and amount total per currency of the visible facts matching the filter.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CurrencyTotal {
    pub currency: String,
    pub lines: i64,
    pub amount_minor: i64,
}

pub async fn totals(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &SalesFilter,
) -> Result<Vec<CurrencyTotal>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .column("currency")
            .expr_as(Expr::col(sea_query::Asterisk).count(), "lines")
            .expr_as(Expr::col("amount_minor").sum().cast_as("BIGINT"), "amount_minor")
            .from("sales_facts")
            .cond_where(condition(scope, filter))
            .group_by_col("currency")
            .order_by("currency", sea_query::Order::Asc)
            .take(),
    )
    .await
}

/// Appends facts in multi-row statements; ids and timestamps are set by the caller.
pub async fn insert_many(conn: &mut Conn<'_>, facts: &[SalesFact]) -> Result<(), StoreError> {
    for chunk in facts.chunks(1000) {
        let mut insert = Query::insert().into_table("sales_facts").columns(COLUMNS).take();
        for f in chunk {
            insert.values_panic([
                f.id.clone().into(),
                f.fact_date.clone().into(),
                f.partner_id.clone().into(),
                f.distributor_id.clone().into(),
                f.account_id.clone().into(),
                f.product_id.clone().into(),
                f.quantity.into(),
                f.amount_minor.into(),
                f.currency.clone().into(),
                f.deal_ref.clone().into(),
                f.source.clone().into(),
                f.deal_registered.into(),
                f.import_batch_id.clone().into(),
                f.created_at.clone().into(),
                f.cost_minor.into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// The columns tier metrics need from a sales fact.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MetricSale {
    pub partner_id: String,
    pub account_id: String,
    pub fact_date: String,
    pub amount_minor: i64,
    pub currency: String,
}

/// Every fact dated on or before `until`, in recording order, for metric computation.
pub async fn for_metrics(conn: &mut Conn<'_>, until: &str) -> Result<Vec<MetricSale>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(["partner_id", "account_id", "fact_date", "amount_minor", "currency"])
            .from("sales_facts")
            .and_where(Expr::col("fact_date").lte(until))
            .order_by("created_at", sea_query::Order::Asc)
            .order_by("id", sea_query::Order::Asc)
            .take(),
    )
    .await
}

/// The distinct currencies sales have been recorded in.
pub async fn currencies(conn: &mut Conn<'_>) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        currency: String,
    }
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .distinct()
                .column("currency")
                .from("sales_facts")
                .order_by("currency", sea_query::Order::Asc)
                .take(),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.currency).collect())
}

/// A sales fact with what the incentive close filters on: the product's SKU and family
/// and the customer account's country.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CloseSale {
    pub id: String,
    pub fact_date: String,
    pub partner_id: String,
    pub distributor_id: Option<String>,
    pub account_id: String,
    pub sku: String,
    pub family: String,
    pub customer_country: String,
    pub deal_registered: bool,
    pub quantity: i64,
    pub amount_minor: i64,
    pub cost_minor: Option<i64>,
    pub currency: String,
}

/// The facts dated `from..=until` (from the first when `from` is absent), in recording
/// order; with `partner_id`, only those it sold or distributed.
pub async fn for_close(
    conn: &mut Conn<'_>,
    from: Option<&str>,
    until: &str,
    partner_id: Option<&str>,
) -> Result<Vec<CloseSale>, StoreError> {
    let mut query = Query::select()
        .columns(
            [
                "id",
                "fact_date",
                "partner_id",
                "distributor_id",
                "account_id",
                "deal_registered",
                "quantity",
                "amount_minor",
                "cost_minor",
                "currency",
            ]
            .map(|c| ("sales_facts", c)),
        )
        .columns([("products", "sku"), ("products", "family")])
        .expr_as(Expr::col(("customer_accounts", "country")), "customer_country")
        .from("sales_facts")
        .inner_join(
            "products",
            Expr::col(("products", "id")).equals(("sales_facts", "product_id")),
        )
        .inner_join(
            "customer_accounts",
            Expr::col(("customer_accounts", "id")).equals(("sales_facts", "account_id")),
        )
        .order_by(("sales_facts", "created_at"), sea_query::Order::Asc)
        .order_by(("sales_facts", "id"), sea_query::Order::Asc)
        .take();
    let mut cond = Cond::all().add(Expr::col(("sales_facts", "fact_date")).lte(until));
    if let Some(from) = from {
        cond = cond.add(Expr::col(("sales_facts", "fact_date")).gte(from));
    }
    if let Some(partner) = partner_id {
        cond = cond.add(
            Cond::any()
                .add(Expr::col(("sales_facts", "partner_id")).eq(partner))
                .add(Expr::col(("sales_facts", "distributor_id")).eq(partner)),
        );
    }
    query.cond_where(cond);
    conn.fetch_all(&query).await
}
