//! Partner organisations, with their verticals and served countries in side tables.

use sea_query::{Cond, Expr, ExprTrait, Query};
use serde::Serialize;
use tributary_domain::partner::PartnerFields;
use tributary_domain::segment::SegmentFilter;

use crate::page::{self, Keyed, Page, PageRequest};
use crate::{Conn, Scope, StoreError, time};

/// Columns a partner list can be sorted by.
pub const SORTABLE: &[&str] = &[
    "name",
    "partner_type",
    "size_band",
    "country",
    "status",
    "created_at",
    "updated_at",
];

/// A stored partner organisation.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Partner {
    pub id: String,
    #[serde(flatten)]
    pub fields: PartnerFields,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    partner_type: String,
    distributor_id: Option<String>,
    size_band: String,
    address_line: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    country: String,
    latitude: Option<String>,
    longitude: Option<String>,
    website_domain: Option<String>,
    payout_currency: String,
    tax_country: String,
    status: String,
    channel_manager_id: Option<String>,
    created_at: String,
    updated_at: String,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct Code {
    partner_id: String,
    code: String,
}

const COLUMNS: [&str; 19] = [
    "id",
    "name",
    "partner_type",
    "distributor_id",
    "size_band",
    "address_line",
    "city",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "website_domain",
    "payout_currency",
    "tax_country",
    "status",
    "channel_manager_id",
    "created_at",
    "updated_at",
    "version",
];

fn corrupt(id: &str, field: &str, message: String) -> StoreError {
    StoreError::Corrupt(format!("partner {id} {field}: {message}"))
}

impl Row {
    fn into_partner(self, verticals: Vec<String>, countries_served: Vec<String>) -> Result<Partner, StoreError> {
        use tributary_domain::money::{Currency, parse_decimal};
        use tributary_domain::partner::{PartnerStatus, PartnerType, SizeBand};
        let id = self.id;
        let decimal =
            |v: Option<String>, f: &str| v.map(|t| parse_decimal(&t).map_err(|e| corrupt(&id, f, e))).transpose();
        let fields = PartnerFields {
            name: self.name,
            partner_type: PartnerType::parse(&self.partner_type).map_err(|e| corrupt(&id, "partner_type", e))?,
            distributor_id: self.distributor_id,
            size_band: SizeBand::parse(&self.size_band).map_err(|e| corrupt(&id, "size_band", e))?,
            verticals,
            countries_served,
            address_line: self.address_line,
            city: self.city,
            postal_code: self.postal_code,
            country: self.country,
            latitude: decimal(self.latitude, "latitude")?,
            longitude: decimal(self.longitude, "longitude")?,
            website_domain: self.website_domain,
            payout_currency: Currency::parse(&self.payout_currency).map_err(|e| corrupt(&id, "payout_currency", e))?,
            tax_country: self.tax_country,
            status: PartnerStatus::parse(&self.status).map_err(|e| corrupt(&id, "status", e))?,
            channel_manager_id: self.channel_manager_id,
        };
        Ok(Partner {
            id,
            fields,
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
        })
    }
}

impl Keyed for Partner {
    fn id(&self) -> &str {
        &self.id
    }

    fn sort_value(&self, column: &str) -> String {
        match column {
            "name" => self.fields.name.clone(),
            "partner_type" => self.fields.partner_type.as_str().to_string(),
            "size_band" => self.fields.size_band.as_str().to_string(),
            "country" => self.fields.country.clone(),
            "status" => self.fields.status.as_str().to_string(),
            "updated_at" => self.updated_at.clone(),
            _ => self.created_at.clone(),
        }
    }
}

/// Filters of the partner list; empty fields do not restrict.
#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    pub search: Option<String>,
    pub partner_type: Option<String>,
    pub status: Option<String>,
    pub country: Option<String>,
    pub size_band: Option<String>,
    pub region: Option<String>,
    pub vertical: Option<String>,
    pub channel_manager_id: Option<String>,
    pub distributor_id: Option<String>,
    /// A saved segment's criteria, applied on top of the other filters.
    pub segment: Option<SegmentFilter>,
}

fn any_of(column: &'static str, codes: Vec<String>) -> Cond {
    if codes.is_empty() {
        Cond::all()
    } else {
        Cond::all().add(Expr::col(column).is_in(codes))
    }
}

fn code_subquery(column: &'static str, table: &'static str, code_column: &'static str, codes: &[String]) -> Cond {
    if codes.is_empty() {
        return Cond::all();
    }
    Cond::all().add(
        Expr::col(column).in_subquery(
            Query::select()
                .column(if table == "region_countries" {
                    "country_code"
                } else {
                    "partner_id"
                })
                .from(table)
                .and_where(Expr::col(code_column).is_in(codes.iter().cloned()))
                .take(),
        ),
    )
}

fn segment_condition(segment: &SegmentFilter) -> Cond {
    let codes = |items: Vec<&'static str>| items.into_iter().map(str::to_string).collect::<Vec<_>>();
    let mut cond = Cond::all()
        .add(any_of(
            "partner_type",
            codes(segment.partner_types.iter().map(|t| t.as_str()).collect()),
        ))
        .add(any_of(
            "size_band",
            codes(segment.size_bands.iter().map(|t| t.as_str()).collect()),
        ))
        .add(any_of(
            "status",
            codes(segment.statuses.iter().map(|t| t.as_str()).collect()),
        ))
        .add(any_of("country", segment.countries.clone()))
        .add(code_subquery(
            "country",
            "region_countries",
            "region_code",
            &segment.regions,
        ))
        .add(code_subquery(
            "id",
            "partner_verticals",
            "vertical_code",
            &segment.verticals,
        ));
    if let Some(text) = segment.name_contains.as_deref() {
        cond = cond.add(super::contains("name", text));
    }
    cond
}

fn filter_condition(filter: &PartnerFilter) -> Cond {
    let mut cond = Cond::all();
    if let Some(text) = filter.search.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(
            Cond::any()
                .add(super::contains("name", text))
                .add(super::contains("website_domain", text))
                .add(super::contains("city", text)),
        );
    }
    for (column, value) in [
        ("partner_type", &filter.partner_type),
        ("status", &filter.status),
        ("country", &filter.country),
        ("size_band", &filter.size_band),
        ("channel_manager_id", &filter.channel_manager_id),
        ("distributor_id", &filter.distributor_id),
    ] {
        if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(Expr::col(column).eq(value));
        }
    }
    if let Some(region) = filter.region.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(
            Expr::col("country").in_subquery(
                Query::select()
                    .column("country_code")
                    .from("region_countries")
                    .and_where(Expr::col("region_code").eq(region))
                    .take(),
            ),
        );
    }
    if let Some(segment) = &filter.segment {
        cond = cond.add(segment_condition(segment));
    }
    if let Some(vertical) = filter.vertical.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(
            Expr::col("id").in_subquery(
                Query::select()
                    .column("partner_id")
                    .from("partner_verticals")
                    .and_where(Expr::col("vertical_code").eq(vertical))
                    .take(),
            ),
        );
    }
    cond
}

async fn hydrate(conn: &mut Conn<'_>, rows: Vec<Row>) -> Result<Vec<Partner>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let verticals: Vec<Code> = conn
        .fetch_all(
            &Query::select()
                .column("partner_id")
                .expr_as(Expr::col("vertical_code"), "code")
                .from("partner_verticals")
                .and_where(Expr::col("partner_id").is_in(ids.clone()))
                .order_by("vertical_code", sea_query::Order::Asc)
                .take(),
        )
        .await?;
    let countries: Vec<Code> = conn
        .fetch_all(
            &Query::select()
                .column("partner_id")
                .expr_as(Expr::col("country_code"), "code")
                .from("partner_countries")
                .and_where(Expr::col("partner_id").is_in(ids))
                .order_by("country_code", sea_query::Order::Asc)
                .take(),
        )
        .await?;
    let codes_of = |codes: &[Code], id: &str| -> Vec<String> {
        codes
            .iter()
            .filter(|c| c.partner_id == id)
            .map(|c| c.code.clone())
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            let v = codes_of(&verticals, &row.id);
            let c = codes_of(&countries, &row.id);
            row.into_partner(v, c)
        })
        .collect()
}

/// One page of the partners visible in `scope` that match `filter`.
pub async fn list(
    conn: &mut Conn<'_>,
    scope: &Scope,
    filter: &PartnerFilter,
    request: &PageRequest,
) -> Result<Page<Partner>, StoreError> {
    let mut query = Query::select()
        .columns(COLUMNS.map(|c| ("partners", c)))
        .from("partners")
        .cond_where(scope.partner_condition("id"))
        .cond_where(filter_condition(filter))
        .take();
    page::apply(&mut query, "partners", request);
    let rows: Vec<Row> = conn.fetch_all(&query).await?;
    page::finish(hydrate(conn, rows).await?, request)
}

/// Number of partners visible in `scope` matching `filter`.
pub async fn count(conn: &mut Conn<'_>, scope: &Scope, filter: &PartnerFilter) -> Result<i64, StoreError> {
    conn.fetch_count(
        &Query::select()
            .expr_as(Expr::col(sea_query::Asterisk).count(), "n")
            .from("partners")
            .cond_where(scope.partner_condition("id"))
            .cond_where(filter_condition(filter))
            .take(),
    )
    .await
}

/// The partner, if it exists and is visible in `scope`.
pub async fn get(conn: &mut Conn<'_>, scope: &Scope, id: &str) -> Result<Option<Partner>, StoreError> {
    let row: Option<Row> = conn
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from("partners")
                .and_where(Expr::col("id").eq(id))
                .cond_where(scope.partner_condition("id"))
                .take(),
        )
        .await?;
    Ok(hydrate(conn, row.into_iter().collect()).await?.pop())
}

/// Ids of the resellers attached to a distributor.
pub async fn reseller_ids(conn: &mut Conn<'_>, distributor_id: &str) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: String,
    }
    let rows: Vec<Id> = conn
        .fetch_all(
            &Query::select()
                .column("id")
                .from("partners")
                .and_where(Expr::col("distributor_id").eq(distributor_id))
                .take(),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

async fn replace_codes(conn: &mut Conn<'_>, id: &str, fields: &PartnerFields) -> Result<(), StoreError> {
    for (table, column, codes) in [
        ("partner_verticals", "vertical_code", &fields.verticals),
        ("partner_countries", "country_code", &fields.countries_served),
    ] {
        conn.execute(
            &Query::delete()
                .from_table(table)
                .and_where(Expr::col("partner_id").eq(id))
                .take(),
        )
        .await?;
        if codes.is_empty() {
            continue;
        }
        let mut insert = Query::insert().into_table(table).columns(["partner_id", column]).take();
        for code in codes {
            insert.values_panic([id.into(), code.clone().into()]);
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

fn field_values(fields: &PartnerFields) -> Vec<(&'static str, sea_query::SimpleExpr)> {
    vec![
        ("name", fields.name.clone().into()),
        ("partner_type", fields.partner_type.as_str().into()),
        ("distributor_id", fields.distributor_id.clone().into()),
        ("size_band", fields.size_band.as_str().into()),
        ("address_line", fields.address_line.clone().into()),
        ("city", fields.city.clone().into()),
        ("postal_code", fields.postal_code.clone().into()),
        ("country", fields.country.clone().into()),
        ("latitude", fields.latitude.map(|d| d.to_string()).into()),
        ("longitude", fields.longitude.map(|d| d.to_string()).into()),
        ("website_domain", fields.website_domain.clone().into()),
        ("payout_currency", fields.payout_currency.code().into()),
        ("tax_country", fields.tax_country.clone().into()),
        ("status", fields.status.as_str().into()),
        ("channel_manager_id", fields.channel_manager_id.clone().into()),
    ]
}

/// Inserts a new partner with the given id.
pub async fn insert(conn: &mut Conn<'_>, id: &str, fields: &PartnerFields) -> Result<Partner, StoreError> {
    let now = time::now_text();
    let mut values = field_values(fields);
    values.push(("id", id.into()));
    values.push(("created_at", now.clone().into()));
    values.push(("updated_at", now.clone().into()));
    values.push(("version", 1i64.into()));
    let (columns, exprs): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    conn.execute(
        &Query::insert()
            .into_table("partners")
            .columns(columns)
            .values_panic(exprs)
            .take(),
    )
    .await?;
    replace_codes(conn, id, fields).await?;
    Ok(Partner {
        id: id.to_string(),
        fields: fields.clone(),
        created_at: now.clone(),
        updated_at: now,
        version: 1,
    })
}

/// Replaces a partner's attributes if its version is still `expected_version`; `None`
/// when someone else changed it first (optimistic concurrency).
pub async fn update(
    conn: &mut Conn<'_>,
    current: &Partner,
    fields: &PartnerFields,
) -> Result<Option<Partner>, StoreError> {
    let now = time::now_text();
    let mut values = field_values(fields);
    values.push(("updated_at", now.clone().into()));
    values.push(("version", (current.version + 1).into()));
    let changed = conn
        .execute(
            &Query::update()
                .table("partners")
                .values(values)
                .and_where(Expr::col("id").eq(current.id.clone()))
                .and_where(Expr::col("version").eq(current.version))
                .take(),
        )
        .await?;
    if changed == 0 {
        return Ok(None);
    }
    replace_codes(conn, &current.id, fields).await?;
    Ok(Some(Partner {
        id: current.id.clone(),
        fields: fields.clone(),
        created_at: current.created_at.clone(),
        updated_at: now,
        version: current.version + 1,
    }))
}
