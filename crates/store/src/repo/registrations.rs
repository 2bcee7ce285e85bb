//! Deal registrations: the submission, its decision and reason, the matched account and
//! the candidates a reviewer compares, protection and extensions, and the outcome.

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError, time};

pub const SORTABLE: &[&str] = &["created_at", "status", "expected_close", "customer_name"];

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Registration {
    pub id: String,
    pub reference: String,
    pub partner_id: String,
    pub registered_by: Option<String>,
    pub account_id: Option<String>,
    pub customer_name: String,
    /// The normalised customer name duplicates are compared by.
    pub customer_key: String,
    pub website_domain: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub country: String,
    pub city: Option<String>,
    /// `;`-separated product families.
    pub product_families: String,
    pub value: String,
    pub currency: String,
    pub expected_close: String,
    pub notes: Option<String>,
    pub status: String,
    pub reason: String,
    /// Best match score (0–1000) against existing accounts.
    pub match_score: Option<i64>,
    /// The scored candidate accounts (JSON), shown to reviewers only.
    #[serde(skip)]
    pub candidates_json: String,
    pub protected_until: Option<String>,
    pub extensions: i64,
    pub extension_requested: bool,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub closed_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: [&str; 29] = [
    "id",
    "reference",
    "partner_id",
    "registered_by",
    "account_id",
    "customer_name",
    "customer_key",
    "website_domain",
    "contact_name",
    "contact_email",
    "country",
    "city",
    "product_families",
    "value",
    "currency",
    "expected_close",
    "notes",
    "status",
    "reason",
    "match_score",
    "candidates_json",
    "protected_until",
    "extensions",
    "extension_requested",
    "decided_by",
    "decided_at",
    "closed_on",
    "created_at",
    "updated_at",
];

impl Keyed for Registration {
    fn id(&self) -> &str {
        &self.id
    }
    fn sort_value(&self, column: &str) -> String {
        match column {
            "status" => self.status.clone(),
            "expected_close" => self.expected_close.clone(),
            "customer_name" => self.customer_name.clone(),
            _ => self.created_at.clone(),
        }
    }
}

pub async fn insert(conn: &mut Conn<'_>, r: &Registration) -> Result<(), StoreError> {
    conn.execute(
        &Query::insert()
            .into_table("deal_registrations")
            .columns(COLUMNS)
            .values_panic([
                r.id.clone().into(),
                r.reference.clone().into(),
                r.partner_id.clone().into(),
                r.registered_by.clone().into(),
                r.account_id.clone().into(),
                r.customer_name.clone().into(),
                r.customer_key.clone().into(),
                r.website_domain.clone().into(),
                r.contact_name.clone().into(),
                r.contact_email.clone().into(),
                r.country.clone().into(),
                r.city.clone().into(),
                r.product_families.clone().into(),
                r.value.clone().into(),
                r.currency.clone().into(),
                r.expected_close.clone().into(),
                r.notes.clone().into(),
                r.status.clone().into(),
                r.reason.clone().into(),
                r.match_score.into(),
                r.candidates_json.clone().into(),
                r.protected_until.clone().into(),
                r.extensions.into(),
                r.extension_requested.into(),
                r.decided_by.clone().into(),
                r.decided_at.clone().into(),
                r.closed_on.clone().into(),
                r.created_at.clone().into(),
                r.updated_at.clone().into(),
            ])
            .take(),
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<Registration>, StoreError> {
    conn.fetch_optional(
        &Query::select()
            .columns(COLUMNS)
            .from("deal_registrations")
            .cond_where(scope.partner_condition("partner_id"))
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    pub partner_id: Option<String>,
    pub status: Option<String>,
    pub account_id: Option<String>,
    pub country: Option<String>,
    /// Approved registrations whose protection ends on or before this date.
    pub protected_until_by: Option<String>,
}

fn condition(scope: &Scope, filter: &RegistrationFilter) -> Cond {
    let mut cond = super::matching(
        Cond::all().add(scope.partner_condition("partner_id")),
        &[
            ("partner_id", &filter.partner_id),
            ("status", &filter.status),
            ("account_id", &filter.account_id),
            ("country", &filter.country),
        ],
        "created_at",
        (&None, &None),
    );
    if let Some(by) = filter.protected_until_by.as_deref().filter(|s| !s.is_empty()) {
        cond = cond
            .add(Expr::col("status").eq("approved"))
            .add(Expr::col("protected_until").lte(by));
    }
    cond
}

pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &RegistrationFilter,
    request: &PageRequest,
) -> Result<Page<Registration>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("deal_registrations", c)))
        .from("deal_registrations")
        .cond_where(condition(scope, filter))
        .take();
    page::apply(&mut query, "deal_registrations", request);
    let rows = conn.fetch_all(&query).await?;
    page::finish(rows, request)
}

/// Active (pending or approved) registrations of one account, or in one country (for
/// comparing customers not matched to an account), any partner.
pub async fn active(
    conn: &mut Conn<'_>,
    account_id: Option<&str>,
    country: &str,
) -> Result<Vec<Registration>, StoreError> {
    let place = match account_id {
        Some(id) => Cond::any()
            .add(Expr::col("account_id").eq(id))
            .add(Expr::col("country").eq(country)),
        None => Cond::all().add(Expr::col("country").eq(country)),
    };
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("deal_registrations")
            .cond_where(place)
            .and_where(Expr::col("status").is_in(["pending_review", "approved"]))
            .order_by("created_at", Order::Asc)
            .take(),
    )
    .await
}

/// The number of registrations created in `year` (for the next reference).
pub async fn count_in_year(conn: &mut Conn<'_>, year: i32) -> Result<i64, StoreError> {
    conn.fetch_count(
        &Query::select()
            .expr_as(Expr::col(sea_query::Asterisk).count(), "n")
            .from("deal_registrations")
            .and_where(Expr::col("reference").like(format!("DR-{year}-%")))
            .take(),
    )
    .await
}

/// Changes a registration's status (only from `from`), with the reason and who decided.
pub async fn transition(
    conn: &mut Conn<'_>,
    current: &Registration,
    changes: &Registration,
) -> Result<u64, StoreError> {
    conn.execute(
        &Query::update()
            .table("deal_registrations")
            .values([
                ("status", changes.status.clone().into()),
                ("reason", changes.reason.clone().into()),
                ("protected_until", changes.protected_until.clone().into()),
                ("extensions", changes.extensions.into()),
                ("extension_requested", changes.extension_requested.into()),
                ("decided_by", changes.decided_by.clone().into()),
                ("decided_at", changes.decided_at.clone().into()),
                ("closed_on", changes.closed_on.clone().into()),
                ("updated_at", time::now_text().into()),
            ])
            .and_where(Expr::col("id").eq(current.id.clone()))
            .and_where(Expr::col("status").eq(current.status.clone()))
            .and_where(Expr::col("updated_at").eq(current.updated_at.clone()))
            .take(),
    )
    .await
}

/// Approved registrations whose protection ended before `today` (for the expiry job).
pub async fn lapsed(conn: &mut Conn<'_>, today: &str) -> Result<Vec<Registration>, StoreError> {
    conn.fetch_all(
        &Query::select()
            .columns(COLUMNS)
            .from("deal_registrations")
            .and_where(Expr::col("status").eq("approved"))
            .and_where(Expr::col("protected_until").lt(today))
            .take(),
    )
    .await
}
