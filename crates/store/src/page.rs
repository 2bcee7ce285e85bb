//! Keyset ("cursor") pagination shared by every list: rows are ordered by a sort column
//! plus the id, and the cursor is the last row's (sort value, id), so pages neither skip
//! nor repeat rows while others write.

use sea_query::{Cond, Expr, ExprTrait, Order, SelectStatement};

use crate::StoreError;

/// Largest page a caller may ask for.
pub const PAGE_LIMIT_MAX: u64 = 1000;

/// Which column a list is sorted by; `column` is one of the entity's sortable columns,
/// which are all `NOT NULL` so the comparison can use the column's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: &'static str,
    pub descending: bool,
}

/// Where a page starts: after the row with this sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort_value: String,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        hex::encode(format!("{}\u{1f}{}", self.sort_value, self.id))
    }

    pub fn decode(text: &str) -> Result<Self, String> {
        let bytes = hex::decode(text).map_err(|_| "cursor is not one this server issued".to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| "cursor is not one this server issued".to_string())?;
        let (sort_value, id) = text
            .split_once('\u{1f}')
            .ok_or_else(|| "cursor is not one this server issued".to_string())?;
        Ok(Self {
            sort_value: sort_value.to_string(),
            id: id.to_string(),
        })
    }
}

#[derive(Debug, Clone)]
pub struct PageRequest {
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: u64,
}

/// One page of results and the cursor of the next page, if there is one.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A row that can be paged: it knows its id and the text value of a sortable column.
pub trait Keyed {
    fn id(&self) -> &str;
    fn sort_value(&self, column: &str) -> String;
}

/// Adds ordering, the cursor condition and `LIMIT limit + 1` to a query on `table`.
pub fn apply(query: &mut SelectStatement, table: &'static str, request: &PageRequest) {
    let key = Expr::col((table, request.sort.column));
    let id = Expr::col((table, "id"));
    let order = if request.sort.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    if let Some(cursor) = &request.cursor {
        // "After the cursor" in the list's direction: past its sort value, or equal and past its id.
        let past = |column: Expr, value: String| {
            if request.sort.descending {
                column.lt(value)
            } else {
                column.gt(value)
            }
        };
        let after = Cond::any().add(past(key.clone(), cursor.sort_value.clone())).add(
            Cond::all()
                .add(key.clone().eq(cursor.sort_value.clone()))
                .add(past(id, cursor.id.clone())),
        );
        query.cond_where(after);
    }
    query
        .order_by_expr(key, order.clone())
        .order_by((table, "id"), order)
        .limit(request.limit.clamp(1, PAGE_LIMIT_MAX) + 1);
}

/// Cuts the extra row fetched by [`apply`] and turns it into the next cursor.
pub fn finish<T: Keyed>(mut rows: Vec<T>, request: &PageRequest) -> Result<Page<T>, StoreError> {
    let limit = request.limit.clamp(1, PAGE_LIMIT_MAX) as usize;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|last| {
            Cursor {
                sort_value: last.sort_value(request.sort.column),
                id: last.id().to_string(),
            }
            .encode()
        })
    } else {
        None
    };
    Ok(Page {
        items: rows,
        next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            sort_value: "Acme \u{e9}".into(),
            id: "0190".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        assert!(Cursor::decode("zz").is_err());
        assert!(Cursor::decode(&hex::encode("no separator")).is_err());
    }
}
