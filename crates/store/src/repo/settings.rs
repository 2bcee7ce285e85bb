//! Program settings stored as JSON documents by name (e.g. the approval rules), so they
//! are edited at run time, audited and survive restarts.

use sea_query::{Expr, ExprTrait, Query};

use crate::{Conn, StoreError, time};

#[derive(sqlx::FromRow)]
struct Row {
    value_json: String,
}

pub async fn get(conn: &mut Conn<'_>, name: &str) -> Result<Option<String>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .column("value_json")
                .from("program_settings")
                .and_where(Expr::col("name").eq(name))
                .take(),
        )
        .await?;
    Ok(row.map(|r| r.value_json))
}

/// Stores `value_json` under `name`, replacing any earlier value.
pub async fn put(
    conn: &mut Conn<'_>,
    name: &str,
    value_json: &str,
    updated_by: Option<&str>,
) -> Result<(), StoreError> {
    let now = time::now_text();
    let changed = conn
        .execute(
            &Query::update()
                .table("program_settings")
                .values([
                    ("value_json", value_json.into()),
                    ("updated_by", updated_by.map(str::to_string).into()),
                    ("updated_at", now.clone().into()),
                ])
                .and_where(Expr::col("name").eq(name))
                .take(),
        )
        .await?;
    if changed == 0 {
        conn.execute(
            &Query::insert()
                .into_table("program_settings")
                .columns(["name", "value_json", "updated_by", "updated_at"])
                .values_panic([
                    name.into(),
                    value_json.into(),
                    updated_by.map(str::to_string).into(),
                    now.into(),
                ])
                .take(),
        )
        .await?;
    }
    Ok(())
}
