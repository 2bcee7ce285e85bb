//! Regions and the ISO countries they group.

use sea_query::{Expr, ExprTrait, Order, Query};
use tributary_domain::geography::RegionFields;

use crate::{Conn, StoreError};

#[derive(sqlx::FromRow)]
struct Region {
    code: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct Member {
    region_code: String,
    country_code: String,
}

pub async fn list(conn: &mut Conn<'_>) -> Result<Vec<RegionFields>, StoreError> {
    let regions: Vec<Region> = conn
        .fetch_all(
            &Query::select()
                .columns(["code", "name"])
                .from("regions")
                .order_by("code", Order::Asc)
                .take(),
        )
        .await?;
    let members: Vec<Member> = conn
        .fetch_all(
            &Query::select()
                .columns(["region_code", "country_code"])
                .from("region_countries")
                .order_by("country_code", Order::Asc)
                .take(),
        )
        .await?;
    Ok(regions
        .into_iter()
        .map(|r| RegionFields {
            countries: members
                .iter()
                .filter(|m| m.region_code == r.code)
                .map(|m| m.country_code.clone())
                .collect(),
            code: r.code,
            name: r.name,
        })
        .collect())
}

pub async fn get(conn: &mut Conn<'_>, code: &str) -> Result<Option<RegionFields>, StoreError> {
    Ok(list(conn).await?.into_iter().find(|r| r.code == code))
}

/// Creates or replaces a region and its country list.
pub async fn upsert(conn: &mut Conn<'_>, region: &RegionFields) -> Result<(), StoreError> {
    let exists = get(conn, &region.code).await?.is_some();
    if exists {
        conn.execute(
            &Query::update()
                .table("regions")
                .value("name", region.name.clone())
                .and_where(Expr::col("code").eq(region.code.clone()))
                .take(),
        )
        .await?;
        conn.execute(
            &Query::delete()
                .from_table("region_countries")
                .and_where(Expr::col("region_code").eq(region.code.clone()))
                .take(),
        )
        .await?;
    } else {
        conn.execute(
            &Query::insert()
                .into_table("regions")
                .columns(["code", "name"])
                .values_panic([region.code.clone().into(), region.name.clone().into()])
                .take(),
        )
        .await?;
    }
    if !region.countries.is_empty() {
        let mut insert = Query::insert()
            .into_table("region_countries")
            .columns(["region_code", "country_code"])
            .take();
        for country in &region.countries {
            insert.values_panic([region.code.clone().into(), country.clone().into()]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}
