//! Industry verticals partners specialise in.

use sea_query::{Expr, ExprTrait, Order, Query};
use tributary_domain::geography::VerticalFields;

use crate::{Conn, StoreError};

#[derive(sqlx::FromRow)]
struct Vertical {
    code: String,
    name: String,
}

pub async fn list(conn: &mut Conn<'_>) -> Result<Vec<VerticalFields>, StoreError> {
    let rows: Vec<Vertical> = conn
        .fetch_all(
            &Query::select()
                .columns(["code", "name"])
                .from("verticals")
                .order_by("name", Order::Asc)
                .take(),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|v| VerticalFields {
            code: v.code,
            name: v.name,
        })
        .collect())
}

pub async fn get(conn: &mut Conn<'_>, code: &str) -> Result<Option<VerticalFields>, StoreError> {
    let row: Option<Vertical> = conn
        .fetch_optional(
            &Query::select()
                .columns(["code", "name"])
                .from("verticals")
                .and_where(Expr::col("code").eq(code))
                .take(),
        )
        .await?;
    Ok(row.map(|v| VerticalFields {
        code: v.code,
        name: v.name,
    }))
}

/// Creates or renames a vertical.
pub async fn upsert(conn: &mut Conn<'_>, vertical: &VerticalFields) -> Result<(), StoreError> {
    if get(conn, &vertical.code).await?.is_some() {
        conn.execute(
            &Query::update()
                .table("verticals")
                .value("name", vertical.name.clone())
                .and_where(Expr::col("code").eq(vertical.code.clone()))
                .take(),
        )
        .await?;
    } else {
        conn.execute(
            &Query::insert()
                .into_table("verticals")
                .columns(["code", "name"])
                .values_panic([vertical.code.clone().into(), vertical.name.clone().into()])
                .take(),
        )
        .await?;
    }
    Ok(())
}
