//! List pages: the query string kept as ordered, non-empty pairs (so a blank filter input
//! does not reach the API's typed query structs), and the links built from it — sortable
//! column headers with `aria-sort`, first/next page, and the CSV export of the same filters.

use axum::extract::Query;
use axum::http::Uri;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult, internal};

/// Query parameters that page or order a list rather than filter it.
const NOT_FILTERS: [&str; 5] = ["sort", "cursor", "limit", "offset", "before_seq"];

/// The non-empty query parameters of a request, in order.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn of(uri: &Uri) -> Self {
        let pairs = uri
            .query()
            .map(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .filter(|(key, value)| key != "_csrf" && !value.trim().is_empty())
                    .map(|(key, value)| (key.into_owned(), value.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Self(pairs)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The parameters as one of the API's query structs.
    pub fn parse<T: DeserializeOwned>(&self) -> AppResult<T> {
        let uri: Uri = format!("/?{}", self.encode()).parse().map_err(internal)?;
        Query::<T>::try_from_uri(&uri)
            .map(|query| query.0)
            .map_err(|rejection| AppError::BadRequest(rejection.body_text()))
    }

    /// The parameters as a map, to fill in a filter form.
    pub fn values(&self) -> std::collections::BTreeMap<String, String> {
        self.0.iter().cloned().collect()
    }

    fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.0)
            .finish()
    }

    /// Only the filters (no sort or paging).
    pub fn filters(&self) -> Self {
        Self(
            self.0
                .iter()
                .filter(|(key, _)| !NOT_FILTERS.contains(&key.as_str()))
                .cloned()
                .collect(),
        )
    }

    /// A link to `path` with these parameters, each of `changes` replacing (or, when
    /// `None`, removing) its key.
    pub fn href(&self, path: &str, changes: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(key, _)| !changes.iter().any(|(changed, _)| changed == key))
            .cloned()
            .collect();
        for (key, value) in changes {
            if let Some(value) = value {
                pairs.push((key.to_string(), value.to_string()));
            }
        }
        let query = Self(pairs).encode();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// One column of a list table; `sort` names its sortable column, if it has one.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub label: &'static str,
    pub sort: Option<&'static str>,
    /// Figures, aligned right.
    pub numeric: bool,
}

pub const fn plain(label: &'static str) -> Column {
    Column {
        label,
        sort: None,
        numeric: false,
    }
}

pub const fn numeric(label: &'static str) -> Column {
    Column {
        label,
        sort: None,
        numeric: true,
    }
}

pub const fn sortable(label: &'static str, column: &'static str) -> Column {
    Column {
        label,
        sort: Some(column),
        numeric: false,
    }
}

/// Figures sortable by `column`.
pub const fn sortable_numeric(label: &'static str, column: &'static str) -> Column {
    Column {
        label,
        sort: Some(column),
        numeric: true,
    }
}

#[derive(Debug, Serialize)]
pub struct Header {
    pub label: &'static str,
    /// Link that sorts by this column (ascending, or descending when already ascending).
    pub href: Option<String>,
    /// `ascending` / `descending` on the column the list is sorted by.
    pub aria_sort: Option<&'static str>,
    pub numeric: bool,
}

/// Everything the table macro needs besides the rows.
#[derive(Debug, Serialize)]
pub struct Listing {
    pub path: String,
    pub headers: Vec<Header>,
    /// The explicit `sort` parameter, kept when the filter form is submitted.
    pub sort: Option<String>,
    pub count: Option<i64>,
    pub rows: usize,
    pub first_href: Option<String>,
    pub next_href: Option<String>,
    pub export_href: Option<String>,
    #[serde(skip)]
    params: Params,
}

impl Listing {
    pub fn new(path: &str, params: &Params, default_sort: &str, columns: &[Column]) -> Self {
        let current = params.get("sort").unwrap_or(default_sort);
        let headers = columns
            .iter()
            .map(|column| {
                let Some(key) = column.sort else {
                    return Header {
                        label: column.label,
                        href: None,
                        aria_sort: None,
                        numeric: column.numeric,
                    };
                };
                let descending = format!("-{key}");
                let (aria_sort, next) = if current == key {
                    (Some("ascending"), descending.as_str())
                } else if current == descending {
                    (Some("descending"), key)
                } else {
                    (None, key)
                };
                Header {
                    label: column.label,
                    href: Some(params.href(path, &[("sort", Some(next)), ("cursor", None), ("offset", None)])),
                    aria_sort,
                    numeric: column.numeric,
                }
            })
            .collect();
        Self {
            path: path.to_string(),
            headers,
            sort: params.get("sort").map(str::to_string),
            count: None,
            rows: 0,
            first_href: None,
            next_href: None,
            export_href: None,
            params: params.clone(),
        }
    }

    /// How many rows this page shows.
    pub fn rows(mut self, rows: usize) -> Self {
        self.rows = rows;
        self
    }

    /// How many rows match the filters in all.
    pub fn count(mut self, count: i64) -> Self {
        self.count = Some(count);
        self
    }

    /// Paging by the parameter `key` (`cursor`, `offset`, …): a link to the next page when
    /// there is one, and back to the first page when this is not it.
    pub fn paged(mut self, key: &str, next: Option<String>) -> Self {
        if self.params.get(key).is_some() {
            self.first_href = Some(self.params.href(&self.path, &[(key, None)]));
        }
        self.next_href = next.map(|value| self.params.href(&self.path, &[(key, Some(&value))]));
        self
    }

    /// A link to the CSV export of `kind` with the same filters.
    pub fn export(mut self, kind: &str) -> Self {
        self.export_href = Some(self.params.filters().href(&format!("/api/v1/exports/{kind}"), &[]));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Params {
        Params::of(&format!("/x?{query}").parse::<Uri>().unwrap())
    }

    #[test]
    fn blank_values_are_dropped_and_links_replace_keys() {
        let p = params("q=acme&status=&sort=-name&cursor=abc&_csrf=t");
        assert_eq!(p.get("status"), None);
        assert_eq!(p.href("/partners", &[("cursor", None)]), "/partners?q=acme&sort=-name");
        assert_eq!(p.filters().href("/e", &[]), "/e?q=acme");
        assert_eq!(
            p.href("/p", &[("q", Some("a b&c"))]),
            "/p?sort=-name&cursor=abc&q=a+b%26c"
        );
    }

    #[test]
    fn headers_toggle_and_report_the_sort() {
        let columns = [sortable("Name", "name"), sortable("Status", "status"), plain("Manager")];
        let listing = Listing::new("/partners", &params("sort=name&cursor=c"), "name", &columns);
        assert_eq!(listing.headers[0].aria_sort, Some("ascending"));
        assert_eq!(listing.headers[0].href.as_deref(), Some("/partners?sort=-name"));
        assert_eq!(listing.headers[1].aria_sort, None);
        assert!(listing.headers[2].href.is_none());
        let listing = listing.paged("cursor", Some("d".into()));
        assert_eq!(listing.first_href.as_deref(), Some("/partners?sort=name"));
        assert_eq!(listing.next_href.as_deref(), Some("/partners?sort=name&cursor=d"));
        let descending = Listing::new("/partners", &params(""), "-name", &columns);
        assert_eq!(descending.headers[0].aria_sort, Some("descending"));
        assert_eq!(descending.headers[0].href.as_deref(), Some("/partners?sort=name"));
    }
}
