//! CSV exports of everything a caller may see, with the same columns as imports. Rows are
//! read a page at a time and streamed to the client as they are written, so exports of
//! millions of rows run in constant memory.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::Uri;
use tokio::sync::mpsc;
use tributary_domain::money::Currency;
use tributary_domain::sales::SalesFactFields;
use tributary_interchange::{
    Accounts, CsvExport, ExportKind, FxRates, ImportKind, MetricFactRecord, MetricFacts, Partners, Products, Regions,
    SalesFactRecord, SalesFacts, UserRecord, Users, Verticals, template_csv,
};
use tributary_store::page::{Cursor, Page, PageRequest, Sort};
use tributary_store::repo::{accounts, fx_rates, metric_facts, partners, products, regions, sales, users, verticals};
use tributary_store::{Db, Scope, time};

use super::imports::ImportKindName;
use crate::api;
use crate::auth::Caller;
use crate::error::{AppError, AppResult, internal};
use crate::policy::{Access, authorize};
use crate::state::AppState;

const EXPORT_PAGE: u64 = 1000;

/// The import template (header and an example row) of a kind.
pub fn template(kind: ImportKindName) -> String {
    match kind {
        ImportKindName::Partners => template_csv::<Partners>(),
        ImportKindName::Users => template_csv::<Users>(),
        ImportKindName::Products => template_csv::<Products>(),
        ImportKindName::Accounts => template_csv::<Accounts>(),
        ImportKindName::Regions => template_csv::<Regions>(),
        ImportKindName::Verticals => template_csv::<Verticals>(),
        ImportKindName::FxRates => template_csv::<FxRates>(),
        ImportKindName::SalesFacts => template_csv::<SalesFacts>(),
        ImportKindName::MetricFacts => template_csv::<MetricFacts>(),
    }
}

/// A writer whose bytes are taken out after each page and sent to the client.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("export buffer lock is never poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn take(&self) -> Bytes {
        Bytes::from(std::mem::take(
            &mut *self.0.lock().expect("export buffer lock is never poisoned"),
        ))
    }
}

/// Streams CSV of kind `K`: `fill` is called with the export until it returns `false`.
struct Stream<K: ExportKind> {
    export: Option<CsvExport<K, Shared>>,
    buffer: Shared,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl<K: ExportKind> Stream<K> {
    fn new(sender: mpsc::Sender<Result<Bytes, std::io::Error>>) -> AppResult<Self> {
        let buffer = Shared::default();
        let export = CsvExport::<K, Shared>::new(buffer.clone()).map_err(internal)?;
        Ok(Self {
            export: Some(export),
            buffer,
            sender,
        })
    }

    fn write(&mut self, record: K::Record<'_>) -> AppResult<()> {
        self.export
            .as_mut()
            .expect("export is open until finished")
            .write(record)
            .map_err(internal)
    }

    /// Sends what has been written; `false` when the client went away.
    async fn send(&self) -> bool {
        let chunk = self.buffer.take();
        chunk.is_empty() || self.sender.send(Ok(chunk)).await.is_ok()
    }

    async fn finish(mut self) -> AppResult<()> {
        if let Some(export) = self.export.take() {
            export.finish().map_err(internal)?;
        }
        self.send().await;
        Ok(())
    }
}

fn page(column: &'static str, cursor: Option<Cursor>) -> PageRequest {
    PageRequest {
        sort: Sort {
            column,
            descending: false,
        },
        cursor,
        limit: EXPORT_PAGE,
    }
}

fn query<T: serde::de::DeserializeOwned>(uri: &Uri) -> AppResult<T> {
    Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| AppError::BadRequest(e.body_text()))
}

/// The filters an export honours: those of the kind's list endpoint.
#[derive(Debug, Clone, Default)]
pub struct ExportFilters {
    pub partners: partners::PartnerFilter,
    pub users: users::UserFilter,
    pub products: products::ProductFilter,
    pub accounts: accounts::AccountFilter,
    pub fx_rates: fx_rates::FxFilter,
    pub sales: sales::SalesFilter,
    pub metric_facts: metric_facts::MetricFactFilter,
}

/// Reads the export filters of `kind` from the query string of `uri`.
pub async fn filters_from(
    state: &AppState,
    caller: &Caller,
    kind: ImportKindName,
    uri: &Uri,
) -> AppResult<ExportFilters> {
    let mut filters = ExportFilters::default();
    match kind {
        ImportKindName::Partners => {
            filters.partners = query::<api::partners::PartnerQuery>(uri)?.filter(state, caller).await?;
        }
        ImportKindName::Users => filters.users = query::<api::users::UserQuery>(uri)?.parts().0,
        ImportKindName::Products => filters.products = query::<api::products::ProductQuery>(uri)?.parts().0,
        ImportKindName::Accounts => filters.accounts = query::<api::accounts::AccountQuery>(uri)?.parts().0,
        ImportKindName::FxRates => filters.fx_rates = query::<api::geography::FxQuery>(uri)?.filter()?,
        ImportKindName::SalesFacts => filters.sales = query::<api::sales::SalesQuery>(uri)?.filter()?,
        ImportKindName::MetricFacts => {
            filters.metric_facts = query::<api::metric_facts::MetricFactQuery>(uri)?.filter()?;
        }
        ImportKindName::Regions | ImportKindName::Verticals => {}
    }
    Ok(filters)
}

/// The export of `kind` for `caller`, honouring the list filters in `uri`.
pub async fn export(state: &AppState, caller: &Caller, kind: ImportKindName, uri: &Uri) -> AppResult<Body> {
    let grant = authorize(caller, kind.resource(), Access::Read)?;
    let filters = filters_from(state, caller, kind, uri).await?;
    stream(state.db.clone(), grant.scope, kind, filters).await
}

/// Streams the CSV of every `kind` record in `scope` matching `filters`.
pub async fn stream(db: Db, scope: Scope, kind: ImportKindName, filters: ExportFilters) -> AppResult<Body> {
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    match kind {
        ImportKindName::Partners => {
            let stream = Stream::<Partners>::new(sender)?;
            tokio::spawn(log_failure(partners_csv(db, scope, filters.partners, stream)));
        }
        ImportKindName::Users => {
            let stream = Stream::<Users>::new(sender)?;
            tokio::spawn(log_failure(users_csv(db, scope, filters.users, stream)));
        }
        ImportKindName::Products => {
            let stream = Stream::<Products>::new(sender)?;
            tokio::spawn(log_failure(products_csv(db, filters.products, stream)));
        }
        ImportKindName::Accounts => {
            let stream = Stream::<Accounts>::new(sender)?;
            tokio::spawn(log_failure(accounts_csv(db, filters.accounts, stream)));
        }
        ImportKindName::Regions => {
            let mut stream = Stream::<Regions>::new(sender)?;
            let mut pooled = db.acquire().await?;
            for region in regions::list(&mut pooled.conn()).await? {
                stream.write(&region)?;
            }
            stream.finish().await?;
        }
        ImportKindName::Verticals => {
            let mut stream = Stream::<Verticals>::new(sender)?;
            let mut pooled = db.acquire().await?;
            for vertical in verticals::list(&mut pooled.conn()).await? {
                stream.write(&vertical)?;
            }
            stream.finish().await?;
        }
        ImportKindName::FxRates => {
            let stream = Stream::<FxRates>::new(sender)?;
            tokio::spawn(log_failure(fx_csv(db, filters.fx_rates, stream)));
        }
        ImportKindName::SalesFacts => {
            let stream = Stream::<SalesFacts>::new(sender)?;
            tokio::spawn(log_failure(sales_csv(db, scope, filters.sales, stream)));
        }
        ImportKindName::MetricFacts => {
            let stream = Stream::<MetricFacts>::new(sender)?;
            tokio::spawn(log_failure(metric_facts_csv(db, scope, filters.metric_facts, stream)));
        }
    }
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    Ok(Body::from_stream(body))
}

async fn log_failure(work: impl std::future::Future<Output = AppResult<()>>) {
    if let Err(error) = work.await {
        tracing::error!(%error, "export failed part-way");
    }
}

impl<K: ExportKind> Stream<K> {
    /// Writes every page `fetch` returns (given the cursor after the previous page) through
    /// `write`, sending each page to the client, until the last page or the client leaves.
    async fn pages<T, Fut>(
        mut self,
        mut fetch: impl FnMut(Option<Cursor>) -> Fut,
        mut write: impl FnMut(&mut Self, T) -> AppResult<()>,
    ) -> AppResult<()>
    where
        Fut: std::future::Future<Output = AppResult<Page<T>>>,
    {
        let mut cursor = None;
        loop {
            let page_of = fetch(cursor.take()).await?;
            for item in page_of.items {
                write(&mut self, item)?;
            }
            if !self.send().await {
                break;
            }
            match page_of.next_cursor {
                Some(next) => cursor = Some(Cursor::decode(&next).map_err(internal)?),
                None => break,
            }
        }
        self.finish().await
    }
}

async fn partners_csv(
    db: Db,
    scope: Scope,
    filter: partners::PartnerFilter,
    stream: Stream<Partners>,
) -> AppResult<()> {
    let fetch = |cursor| {
        let (db, scope, filter) = (db.clone(), scope.clone(), filter.clone());
        async move {
            let mut pooled = db.acquire().await?;
            Ok(partners::list(&mut pooled.conn(), &scope, &filter, &page("name", cursor)).await?)
        }
    };
    stream
        .pages(fetch, |out, p| out.write((p.id.as_str(), &p.fields)))
        .await
}

async fn users_csv(db: Db, scope: Scope, filter: users::UserFilter, stream: Stream<Users>) -> AppResult<()> {
    let fetch = |cursor| {
        let (db, scope, filter) = (db.clone(), scope.clone(), filter.clone());
        async move {
            let mut pooled = db.acquire().await?;
            Ok(users::list(&mut pooled.conn(), &scope, &filter, &page("email", cursor)).await?)
        }
    };
    stream
        .pages(fetch, |out, u| {
            out.write(&UserRecord {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                role: u.role,
                partner_id: u.partner_id,
                active: u.active,
                created_at: u.created_at,
                last_login_at: u.last_login_at,
            })
        })
        .await
}

async fn products_csv(db: Db, filter: products::ProductFilter, stream: Stream<Products>) -> AppResult<()> {
    let fetch = |cursor| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let mut pooled = db.acquire().await?;
            Ok(products::list(&mut pooled.conn(), &filter, &page("sku", cursor)).await?)
        }
    };
    stream.pages(fetch, |out, p| out.write(&p.fields)).await
}

async fn accounts_csv(db: Db, filter: accounts::AccountFilter, stream: Stream<Accounts>) -> AppResult<()> {
    let fetch = |cursor| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let mut pooled = db.acquire().await?;
            Ok(accounts::list(&mut pooled.conn(), &filter, &page("created_at", cursor)).await?)
        }
    };
    stream
        .pages(fetch, |out, a| out.write((a.id.as_str(), &a.fields)))
        .await
}

async fn fx_csv(db: Db, filter: fx_rates::FxFilter, stream: Stream<FxRates>) -> AppResult<()> {
    let fetch = |cursor: Option<Cursor>| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let mut pooled = db.acquire().await?;
            Ok(fx_rates::list(&mut pooled.conn(), &filter, EXPORT_PAGE, cursor.as_ref()).await?)
        }
    };
    stream.pages(fetch, |out, rate| out.write(&rate)).await
}

async fn sales_csv(db: Db, scope: Scope, filter: sales::SalesFilter, mut stream: Stream<SalesFacts>) -> AppResult<()> {
    let mut cursor = None;
    let mut skus: HashMap<String, String> = HashMap::new();
    loop {
        let mut pooled = db.acquire().await?;
        let mut conn = pooled.conn();
        let page_of = sales::list(&mut conn, &scope, &filter, &page("fact_date", cursor.take())).await?;
        for fact in page_of.items {
            if !skus.contains_key(&fact.product_id) {
                let sku = products::get(&mut conn, &fact.product_id)
                    .await?
                    .map(|p| p.fields.sku)
                    .unwrap_or_default();
                skus.insert(fact.product_id.clone(), sku);
            }
            let currency = Currency::parse(&fact.currency).map_err(internal)?;
            stream.write(&SalesFactRecord {
                fact: SalesFactFields {
                    fact_date: time::parse_date(&fact.fact_date)?,
                    partner_id: fact.partner_id,
                    distributor_id: fact.distributor_id,
                    account_id: fact.account_id,
                    product_sku: skus[&fact.product_id].clone(),
                    quantity: fact.quantity,
                    amount_minor: fact.amount_minor,
                    currency,
                    deal_ref: fact.deal_ref,
                    source: fact.source,
                    cost_minor: fact.cost_minor,
                },
                id: fact.id,
                deal_registered: fact.deal_registered,
                created_at: fact.created_at,
            })?;
        }
        if !stream.send().await {
            break;
        }
        match page_of.next_cursor {
            Some(next) => cursor = Some(Cursor::decode(&next).map_err(internal)?),
            None => break,
        }
    }
    stream.finish().await
}

/// Column documentation of a kind (for the portal's import help).
pub fn columns(kind: ImportKindName) -> &'static [tributary_interchange::Column] {
    match kind {
        ImportKindName::Partners => Partners::COLUMNS,
        ImportKindName::Users => Users::COLUMNS,
        ImportKindName::Products => Products::COLUMNS,
        ImportKindName::Accounts => Accounts::COLUMNS,
        ImportKindName::Regions => Regions::COLUMNS,
        ImportKindName::Verticals => Verticals::COLUMNS,
        ImportKindName::FxRates => FxRates::COLUMNS,
        ImportKindName::SalesFacts => SalesFacts::COLUMNS,
        ImportKindName::MetricFacts => MetricFacts::COLUMNS,
    }
}

async fn metric_facts_csv(
    db: Db,
    scope: Scope,
    filter: metric_facts::MetricFactFilter,
    stream: Stream<MetricFacts>,
) -> AppResult<()> {
    let fetch = |cursor| {
        let (db, scope, filter) = (db.clone(), scope.clone(), filter.clone());
        async move {
            let mut pooled = db.acquire().await?;
            Ok(metric_facts::list(&mut pooled.conn(), &scope, &filter, &page("fact_date", cursor)).await?)
        }
    };
    stream
        .pages(fetch, |out, f| {
            out.write(&MetricFactRecord {
                fact: tributary_domain::metric_fact::MetricFactFields {
                    partner_id: f.partner_id,
                    metric: f.metric,
                    fact_date: time::parse_date(&f.fact_date)?,
                    value: f.value.parse().map_err(internal)?,
                    source: f.source,
                },
                id: f.id,
                created_at: f.created_at,
            })
        })
        .await
}
