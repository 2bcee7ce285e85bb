//! Sales facts in the portal: the ledger lines the caller may see (a partner its own, a
//! distributor also its resellers'), newest first, with totals per currency on top. Amounts
//! are stored as integer minor units and shown as the currency's exact decimal.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::sales::{self, SalesFact};
use tributary_store::repo::{accounts, products};

use super::form::{FormState, choices, one};
use super::listing::{Column, Listing, Params, numeric, plain, sortable};
use super::lookup::{PICKER_MAX, PartnerNames, first, partner_choices};
use super::page::{Chrome, PageError, PortalCaller, render, respond};
use crate::api::sales::SalesQuery;
use crate::error::AppResult;
use crate::policy::{self, Access, Resource, authorize};
use crate::state::AppState;

/// One line with the names behind its ids (those the caller may see).
#[derive(Debug, Serialize)]
struct Line {
    #[serde(flatten)]
    fact: SalesFact,
    partner: Option<String>,
    distributor: Option<String>,
    account: Option<String>,
    sku: Option<String>,
}

fn columns(with_accounts: bool) -> Vec<Column> {
    let mut columns = vec![sortable("Date", "fact_date"), plain("Partner")];
    if with_accounts {
        columns.push(plain("Customer"));
    }
    columns.extend([
        plain("Product"),
        numeric("Quantity"),
        numeric("Amount"),
        sortable("Currency", "currency"),
        sortable("Source", "source"),
        plain("Deal"),
    ]);
    columns
}

/// Caches of the names behind a page's ids.
struct Names<'a> {
    partners: PartnerNames<'a>,
    accounts: Option<HashMap<String, Option<String>>>,
    skus: HashMap<String, Option<String>>,
}

impl Names<'_> {
    async fn line(&mut self, conn: &mut tributary_store::Conn<'_>, fact: SalesFact) -> AppResult<Line> {
        let partner = self.partners.name(conn, &fact.partner_id).await?;
        let distributor = match &fact.distributor_id {
            Some(id) => self.partners.name(conn, id).await?,
            None => None,
        };
        let account = match &mut self.accounts {
            Some(known) => {
                if !known.contains_key(&fact.account_id) {
                    let name = accounts::get(conn, &fact.account_id).await?.map(|a| a.fields.name);
                    known.insert(fact.account_id.clone(), name);
                }
                known[&fact.account_id].clone()
            }
            None => None,
        };
        if !self.skus.contains_key(&fact.product_id) {
            let sku = products::get(conn, &fact.product_id).await?.map(|p| p.fields.sku);
            self.skus.insert(fact.product_id.clone(), sku);
        }
        let sku = self.skus[&fact.product_id].clone();
        Ok(Line {
            fact,
            partner,
            distributor,
            account,
            sku,
        })
    }
}

pub async fn list(
    State(state): State<AppState>,
    PortalCaller(caller): PortalCaller,
    uri: Uri,
) -> Result<Response, PageError> {
    respond(&state, async {
        let grant = authorize(&caller, Resource::Sales, Access::Read)?;
        let partner_grant = authorize(&caller, Resource::Partners, Access::Read)?;
        let with_accounts = policy::can_read(&caller, Resource::Accounts);
        let params = Params::of(&uri);
        let query: SalesQuery = params.parse()?;
        let filter = query.filter()?;
        let request = query.paging().request(sales::SORTABLE, "-fact_date")?;
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        let page = sales::list(&mut conn, &grant.scope, &filter, &request).await?;
        let totals = sales::totals(&mut conn, &grant.scope, &filter).await?;
        let mut names = Names {
            partners: PartnerNames::new(&partner_grant.scope),
            accounts: with_accounts.then(HashMap::new),
            skus: HashMap::new(),
        };
        let rows = page.items.len();
        let mut lines = Vec::with_capacity(rows);
        for fact in page.items {
            lines.push(names.line(&mut conn, fact).await?);
        }
        let account_filter = match params.get("account_id") {
            Some(id) if with_accounts => Some(
                accounts::get(&mut conn, id)
                    .await?
                    .map_or_else(|| id.to_string(), |a| a.fields.name),
            ),
            _ => None,
        };
        let partners = partner_choices(
            &mut conn,
            &partner_grant.scope,
            &PartnerFilter::default(),
            params.get("partner_id"),
        )
        .await?;
        let catalogue = products::list(&mut conn, &Default::default(), &first("sku", PICKER_MAX)).await?;
        let product_options = choices(
            catalogue
                .items
                .into_iter()
                .map(|p| (p.id, format!("{} — {}", p.fields.sku, p.fields.name))),
            &one(params.get("product_id")),
        );
        let listing = Listing::new("/sales", &params, "-fact_date", &columns(with_accounts))
            .rows(rows)
            .paged("cursor", page.next_cursor)
            .export("sales-facts");
        render(
            &state,
            "sales/list.html",
            minijinja::context! {
                chrome => Chrome::of(&caller, "/sales"),
                sales => totals,
                clear_account_href => params.href("/sales", &[("account_id", None), ("cursor", None)]),
                filters => FormState::new(params.values()).prefixed("q-"),
                products => product_options,
                lines, listing, with_accounts, account_filter, partners,
            },
        )
    })
    .await
}
