//! Daily FX rates, keyed by (from, to, date). A rate for a key is set once and may be
//! corrected by an explicit upsert, which the audit trail records with before and after.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use tributary_domain::fx::FxRateFields;
use tributary_domain::money::{Currency, parse_decimal};

use crate::page::{Cursor, Page};
use crate::{Conn, StoreError, time};

#[derive(sqlx::FromRow)]
struct Row {
    from_currency: String,
    to_currency: String,
    rate_date: String,
    rate: String,
}

impl TryFrom<Row> for FxRateFields {
    type Error = StoreError;
    fn try_from(row: Row) -> Result<Self, StoreError> {
        let corrupt = |e: String| {
            StoreError::Corrupt(format!(
                "fx rate {}/{} {}: {e}",
                row.from_currency, row.to_currency, row.rate_date
            ))
        };
        Ok(FxRateFields {
            from_currency: Currency::parse(&row.from_currency).map_err(corrupt)?,
            to_currency: Currency::parse(&row.to_currency).map_err(corrupt)?,
            rate_date: time::parse_date(&row.rate_date)?,
            rate: parse_decimal(&row.rate).map_err(corrupt)?,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct FxFilter {
    pub from_currency: Option<String>,
    pub to_currency: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
}

/// Rates matching the filter, newest first (then by pair), at most `limit`, after the
/// `cursor` of a previous page — a [`Cursor`] whose sort value is the date and whose id is
/// `FROM/TO`. Returns the page and the cursor of the next one.
pub async fn list(
    conn: &mut Conn<'_>,
    filter: &FxFilter,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<Page<FxRateFields>, StoreError> {
    let limit = limit.clamp(1, 1000);
    let mut query = Query::select()
        .columns(["from_currency", "to_currency", "rate_date", "rate"])
        .from("fx_rates")
        .order_by("rate_date", Order::Desc)
        .order_by("from_currency", Order::Asc)
        .order_by("to_currency", Order::Asc)
        .limit(limit + 1)
        .take();
    for (column, value) in [
        ("from_currency", &filter.from_currency),
        ("to_currency", &filter.to_currency),
    ] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            query.and_where(Expr::col(column).eq(value.to_ascii_uppercase()));
        }
    }
    if let Some(from) = filter.date_from.as_deref().filter(|s| !s.is_empty()) {
        query.and_where(Expr::col("rate_date").gte(from));
    }
    if let Some(to) = filter.date_to.as_deref().filter(|s| !s.is_empty()) {
        query.and_where(Expr::col("rate_date").lte(to));
    }
    if let Some(cursor) = cursor {
        let (from, to) = cursor.id.split_once('/').unwrap_or((cursor.id.as_str(), ""));
        query.cond_where(
            Cond::any()
                .add(Expr::col("rate_date").lt(cursor.sort_value.clone()))
                .add(
                    Cond::all()
                        .add(Expr::col("rate_date").eq(cursor.sort_value.clone()))
                        .add(
                            Cond::any().add(Expr::col("from_currency").gt(from)).add(
                                Cond::all()
                                    .add(Expr::col("from_currency").eq(from))
                                    .add(Expr::col("to_currency").gt(to)),
                            ),
                        ),
                ),
        );
    }
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    let mut items: Vec<FxRateFields> = rows.into_iter().map(FxRateFields::try_from).collect::<Result<_, _>>()?;
    let next_cursor = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|last| {
            Cursor {
                sort_value: last.rate_date.format("%Y-%m-%d").to_string(),
                id: format!("{}/{}", last.from_currency, last.to_currency),
            }
            .encode()
        })
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// The rate for a pair on a date or, failing that, the latest earlier one.
pub async fn effective(
    conn: &mut Conn<'_>,
    from: &str,
    to: &str,
    date: &str,
) -> Result<Option<FxRateFields>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(["from_currency", "to_currency", "rate_date", "rate"])
                .from("fx_rates")
                .and_where(Expr::col("from_currency").eq(from))
                .and_where(Expr::col("to_currency").eq(to))
                .and_where(Expr::col("rate_date").lte(date))
                .order_by("rate_date", Order::Desc)
                .limit(1)
                .take(),
        )
        .await?;
    row.map(FxRateFields::try_from).transpose()
}

pub async fn get(conn: &mut Conn<'_>, from: &str, to: &str, date: &str) -> Result<Option<FxRateFields>, StoreError> {
    Ok(effective(conn, from, to, date)
        .await?
        .filter(|r| r.rate_date.format("%Y-%m-%d").to_string() == date))
}

/// Inserts the rate, or replaces the rate stored for the same pair and date.
pub async fn upsert(conn: &mut Conn<'_>, rate: &FxRateFields) -> Result<(), StoreError> {
    let date = rate.rate_date.format("%Y-%m-%d").to_string();
    let existing = get(conn, rate.from_currency.code(), rate.to_currency.code(), &date).await?;
    if existing.is_some() {
        conn.execute(
            &Query::update()
                .table("fx_rates")
                .value("rate", rate.rate.to_string())
                .and_where(Expr::col("from_currency").eq(rate.from_currency.code()))
                .and_where(Expr::col("to_currency").eq(rate.to_currency.code()))
                .and_where(Expr::col("rate_date").eq(date))
                .take(),
        )
        .await?;
    } else {
        insert_many(conn, std::slice::from_ref(rate)).await?;
    }
    Ok(())
}

/// Inserts many new rates in one statement per chunk (bulk loads and imports).
pub async fn insert_many(conn: &mut Conn<'_>, rates: &[FxRateFields]) -> Result<(), StoreError> {
    let now = time::now_text();
    for chunk in rates.chunks(500) {
        let mut insert = Query::insert()
            .into_table("fx_rates")
            .columns(["from_currency", "to_currency", "rate_date", "rate", "created_at"])
            .take();
        for rate in chunk {
            insert.values_panic([
                rate.from_currency.code().into(),
                rate.to_currency.code().into(),
                rate.rate_date.format("%Y-%m-%d").to_string().into(),
                rate.rate.to_string().into(),
                now.clone().into(),
            ]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// Every rate dated on or before `until` (metric and close computations load them once).
pub async fn all_until(conn: &mut Conn<'_>, until: &str) -> Result<Vec<FxRateFields>, StoreError> {
    let rows: Vec<Row> = conn
        .fetch_all(
            &Query::select()
                .columns(["from_currency", "to_currency", "rate_date", "rate"])
                .from("fx_rates")
                .and_where(Expr::col("rate_date").lte(until))
                .take(),
        )
        .await?;
    rows.into_iter().map(FxRateFields::try_from).collect()
}

/// The distinct currencies that have at least one rate (either side of a pair).
pub async fn currencies_with_rates(conn: &mut Conn<'_>) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Code {
        code: String,
    }
    let mut codes = Vec::new();
    for column in ["from_currency", "to_currency"] {
        let rows: Vec<Code> = conn
            .fetch_all(
                &Query::select()
                    .distinct()
                    .expr_as(Expr::col(column), "code")
                    .from("fx_rates")
                    .take(),
            )
            .await?;
        codes.extend(rows.into_iter().map(|r| r.code));
    }
    codes.sort();
    codes.dedup();
    Ok(codes)
}
