//! Metric facts in the portal: the imported `(partner, metric, date, value)` values tier
//! metrics read (certified people, CSAT, agreements, custom metrics), filtered by partner,
//! metric and dates, sorted, paged and exported as CSV. Partners see their own.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;
use tributary_store::repo::metric_facts::{self, MetricFactRow};
use tributary_store::repo::partners::PartnerFilter;

use super::super::form::FormState;
use super::super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::super::lookup::{PartnerNames, partner_choices};
use super::super::page::{Chrome, PageError, PortalCaller, may_import_something, render, respond};
use super::decimal_text;
use crate::api::metric_facts::MetricFactQuery;
use crate::api::paging::Paging;
use crate::policy::{Access, Resource, authorize};
use crate::state::AppState;

const COLUMNS: &[Column] = &[
    sortable("Date", "fact_date"),
    plain("Partner"),
    sortable("Metric", "metric"),
    numeric("Value"),
    plain("Source"),
    sortable("Recorded", "created_at"),
];

#[derive(Debug, Serialize)]
struct Row {
    #[serde(flatten)]
    fact: MetricFactRow,
    partner: Option<String>,
    value_text: String,
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::MetricFacts, Access::Read)?;
        let params = Params::of(&uri);
        let query: MetricFactQuery = params.parse()?;
        let filter = query.filter()?;
        let paging = Paging {
            limit: query.limit,
            cursor: query.cursor.clone(),
            sort: query.sort.clone(),
        };
        let request = paging.request(metric_facts::SORTABLE, "-fact_date")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = metric_facts::list(&mut conn, &grant.scope, &filter, &request).await?;
        let mut names = PartnerNames::new(&grant.scope);
        let mut rows = Vec::with_capacity(page.items.len());
        for fact in page.items {
            let partner = names.name(&mut conn, &fact.partner_id).await?;
            let value_text = fact
                .value
                .parse::<rust_decimal::Decimal>()
                .map_or_else(|_| fact.value.clone(), decimal_text);
            rows.push(Row {
                fact,
                partner,
                value_text,
            });
        }
        let partners = partner_choices(
            &mut conn,
            &grant.scope,
            &PartnerFilter::default(),
            params.get("partner_id"),
        )
        .await?;
        let listing = Listing::new("/metric-facts", &params, "-fact_date", COLUMNS)
            .rows(rows.len())
            .paged("cursor", page.next_cursor)
            .export("metric-facts");
        render(
            &state,
            "tiers/metric_facts.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/metric-facts"),
                may_import => may_import_something(&caller)
                    && authorize(&caller, Resource::MetricFacts, Access::Import).is_ok(),
                filters => FormState::new(params.values()).prefixed("q-"),
                rows, listing, partners,
            },
        )
    })
    .await
}
