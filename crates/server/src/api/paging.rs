//! List parameters shared by every collection endpoint: `limit`, `cursor` and `sort`
//! (a sortable column, `-column` for descending), and the list envelope.

use serde::{Deserialize, Serialize};
use tributary_store::page::{Cursor, Page, PageRequest, Sort};
use utoipa::{IntoParams, ToSchema};

use crate::error::AppError;

pub const DEFAULT_LIMIT: u64 = 50;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1..=1000 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// A sortable column; prefix with `-` for descending.
    pub sort: Option<String>,
}

impl Paging {
    /// The store's page request, refusing unknown sort columns and foreign cursors.
    pub fn request(&self, sortable: &[&'static str], default_sort: &'static str) -> Result<PageRequest, AppError> {
        let wanted = self.sort.as_deref().unwrap_or(default_sort);
        let (name, descending) = match wanted.strip_prefix('-') {
            Some(name) => (name, true),
            None => (wanted, false),
        };
        let column = sortable.iter().copied().find(|c| *c == name).ok_or_else(|| {
            AppError::field(
                "sort",
                format!("'{name}' is not sortable (one of: {})", sortable.join(", ")),
            )
        })?;
        let cursor = self
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(Cursor::decode)
            .transpose()
            .map_err(|m| AppError::field("cursor", m))?;
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=tributary_store::page::PAGE_LIMIT_MAX).contains(&limit) {
            return Err(AppError::field("limit", "must be between 1 and 1000"));
        }
        Ok(PageRequest {
            sort: Sort { column, descending },
            cursor,
            limit,
        })
    }
}

/// One page of a collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> From<Page<T>> for List<T> {
    fn from(page: Page<T>) -> Self {
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// Refuses query parameters that should be dates (YYYY-MM-DD) but are not, naming the first.
pub fn check_dates(parameters: &[(&str, &Option<String>)]) -> Result<(), AppError> {
    for (field, value) in parameters {
        if let Some(text) = value.as_deref().filter(|s| !s.is_empty()) {
            tributary_domain::validation::date(text).map_err(|m| AppError::field(field, m))?;
        }
    }
    Ok(())
}
