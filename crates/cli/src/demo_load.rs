//! Writes a generated demo vendor into the database through the same services (and so the
//! same checks and audit records) as the API, except that the one shared demo password is
//! hashed once and sales facts go in as one import batch. A marker record in the audit
//! trail says the load finished, so an interrupted load is recognised and not served.

use anyhow::Context;
use tributary_demo::{DEMO_PASSWORD, DemoConfig, DemoDataset, DemoUser};
use tributary_server::auth::password;
use tributary_server::services::tiering::evaluation::Trigger;
use tributary_server::services::{self, record, tiering};
use tributary_store::audit::{self, Actor};
use tributary_store::repo::{fx_rates, metric_facts, partners, sales, tier_structures, users};
use tributary_store::{Conn, Db, Scope, time};

use crate::progress;

/// The audit action that marks a finished demo load.
pub const LOADED_ACTION: &str = "demo.loaded";
const FACTS_PER_COMMIT: usize = 100_000;
const FACTS_PER_STATEMENT: usize = 2_000;

/// What the database holds now.
pub enum Existing {
    Empty,
    Loaded,
    Partial,
}

pub async fn existing(db: &Db) -> anyhow::Result<Existing> {
    let mut pooled = db.acquire().await?;
    let mut conn = pooled.conn();
    let partner_count = partners::count(&mut conn, &Scope::All, &Default::default()).await?;
    if partner_count == 0 {
        return Ok(Existing::Empty);
    }
    let marker = audit::history(&mut conn, "demo", "dataset").await?;
    Ok(if marker.iter().any(|r| r.action == LOADED_ACTION) {
        Existing::Loaded
    } else {
        Existing::Partial
    })
}

fn validation(error: tributary_server::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", error.problem().detail)
}

/// Inserts a demo user with the shared password hash, audited like any new user.
async fn insert_user(conn: &mut Conn<'_>, actor: &Actor, user: &DemoUser, hash: &str) -> anyhow::Result<()> {
    let created = users::insert(conn, &user.id, &user.fields, Some(hash)).await?;
    record(
        conn,
        actor,
        "user.created",
        "user",
        &user.id,
        None::<&()>,
        Some(&created),
    )
    .await
    .map_err(validation)?;
    Ok(())
}

pub async fn load(db: &Db, config: &DemoConfig, dataset: &DemoDataset) -> anyhow::Result<u64> {
    let actor = Actor::system("demo");
    let mut tx = db.begin().await?;
    {
        let mut conn = tx.conn();
        for region in &dataset.regions {
            services::geography::save_region(&mut conn, &actor, region)
                .await
                .map_err(validation)?;
        }
        for vertical in &dataset.verticals {
            services::geography::save_vertical(&mut conn, &actor, vertical)
                .await
                .map_err(validation)?;
        }
        let hash = password::hash(DEMO_PASSWORD);
        let (vendor, partner_people): (Vec<_>, Vec<_>) =
            dataset.users.iter().partition(|u| u.fields.partner_id.is_none());
        let bar = progress::bar(dataset.users.len() as u64 + dataset.partners.len() as u64, "people");
        for user in &vendor {
            insert_user(&mut conn, &actor, user, &hash).await?;
            bar.inc(1);
        }
        for (id, fields) in &dataset.partners {
            services::partners::create(&mut conn, &actor, id, fields)
                .await
                .map_err(validation)?;
            bar.inc(1);
        }
        for user in &partner_people {
            insert_user(&mut conn, &actor, user, &hash).await?;
            bar.inc(1);
        }
        bar.finish_and_clear();
        let bar = progress::bar((dataset.products.len() + dataset.accounts.len()) as u64, "catalogue");
        for (id, fields) in &dataset.products {
            services::products::create(&mut conn, &actor, id, fields)
                .await
                .map_err(validation)?;
            bar.inc(1);
        }
        for (id, fields) in &dataset.accounts {
            services::accounts::create(&mut conn, &actor, id, fields)
                .await
                .map_err(validation)?;
            bar.inc(1);
        }
        bar.finish_and_clear();
        fx_rates::insert_many(&mut conn, &dataset.fx_rates).await?;
        let summary = serde_json::json!({ "rates": dataset.fx_rates.len() });
        record(
            &mut conn,
            &actor,
            "fx_rates.loaded",
            "fx_rate",
            "demo",
            None::<&()>,
            Some(&summary),
        )
        .await
        .map_err(validation)?;
    }
    tx.commit().await.context("saving the demo master data")?;
    let facts = load_facts(db, &actor, config, dataset).await?;
    load_program(db, &actor, dataset).await?;
    let mut tx = db.begin().await?;
    let summary = serde_json::json!({
        "seed": config.seed,
        "partners": dataset.partners.len(),
        "accounts": dataset.accounts.len(),
        "products": dataset.products.len(),
        "facts": facts,
    });
    record(
        &mut tx.conn(),
        &actor,
        LOADED_ACTION,
        "demo",
        "dataset",
        None::<&()>,
        Some(&summary),
    )
    .await
    .map_err(validation)?;
    tx.commit().await?;
    Ok(facts)
}

async fn load_facts(db: &Db, actor: &Actor, config: &DemoConfig, dataset: &DemoDataset) -> anyhow::Result<u64> {
    let bar = progress::bar(config.facts as u64, "sales facts");
    let mut tx = db.begin().await?;
    let batch = services::sales::open_batch(
        &mut tx.conn(),
        actor,
        "sales_facts",
        "demo",
        &format!("seed-{}", config.seed),
    )
    .await
    .map_err(validation)?;
    let mut pending = Vec::with_capacity(FACTS_PER_STATEMENT);
    let mut in_transaction = 0usize;
    let mut total = 0u64;
    for fact in tributary_demo::facts(config, dataset) {
        // The demo's deal references are registrations the vendor approved.
        let registered = fact.deal_ref.is_some();
        pending.push(sales::SalesFact {
            id: tributary_domain::ids::new_id(),
            fact_date: fact.fact_date.format("%Y-%m-%d").to_string(),
            partner_id: dataset.partners[fact.partner as usize].0.clone(),
            distributor_id: fact.distributor.map(|d| dataset.partners[d as usize].0.clone()),
            account_id: dataset.accounts[fact.account as usize].0.clone(),
            product_id: dataset.products[fact.product as usize].0.clone(),
            quantity: fact.quantity,
            amount_minor: fact.amount_minor,
            currency: fact.currency.code().to_string(),
            deal_ref: fact.deal_ref,
            source: fact.source.to_string(),
            deal_registered: registered,
            import_batch_id: Some(batch.id.clone()),
            created_at: time::now_text(),
            cost_minor: None,
        });
        if pending.len() == FACTS_PER_STATEMENT {
            sales::insert_many(&mut tx.conn(), &pending).await?;
            total += pending.len() as u64;
            in_transaction += pending.len();
            bar.inc(pending.len() as u64);
            pending.clear();
            if in_transaction >= FACTS_PER_COMMIT {
                tx.commit().await?;
                tx = db.begin().await?;
                in_transaction = 0;
            }
        }
    }
    sales::insert_many(&mut tx.conn(), &pending).await?;
    total += pending.len() as u64;
    services::sales::close_batch(&mut tx.conn(), actor, &batch, total)
        .await
        .map_err(validation)?;
    tx.commit().await?;
    bar.finish_and_clear();
    Ok(total)
}

/// The partner program: its metric facts, the structure (published) and one evaluation per
/// quarter end of the window, oldest first, so partners have a tier history.
async fn load_program(db: &Db, actor: &Actor, dataset: &DemoDataset) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    {
        let mut conn = tx.conn();
        let batch = services::sales::open_batch(&mut conn, actor, "metric_facts", "demo", "demo-metric-facts")
            .await
            .map_err(validation)?;
        let now = time::now_text();
        let rows: Vec<metric_facts::MetricFactRow> = dataset
            .metric_facts
            .iter()
            .map(|f| metric_facts::MetricFactRow {
                id: tributary_domain::ids::new_id(),
                partner_id: f.partner_id.clone(),
                metric: f.metric.clone(),
                fact_date: f.fact_date.format("%Y-%m-%d").to_string(),
                value: f.value.to_string(),
                source: f.source.clone(),
                import_batch_id: Some(batch.id.clone()),
                created_at: now.clone(),
            })
            .collect();
        metric_facts::insert_many(&mut conn, &rows).await?;
        services::sales::close_batch(&mut conn, actor, &batch, rows.len() as u64)
            .await
            .map_err(validation)?;
        let draft = tiering::structures::create_draft(&mut conn, actor, &dataset.tier_structure)
            .await
            .map_err(validation)?;
        tiering::structures::publish(&mut conn, actor, &draft)
            .await
            .map_err(validation)?;
    }
    tx.commit().await.context("saving the partner program")?;
    let structure_id = {
        let mut pooled = db.acquire().await?;
        tier_structures::list(&mut pooled.conn(), None)
            .await?
            .into_iter()
            .next()
            .map(|s| s.id)
            .context("the partner program was not saved")?
    };
    let today = chrono::Utc::now().date_naive();
    let dates: Vec<_> = dataset.evaluation_dates.iter().filter(|d| **d <= today).collect();
    let bar = progress::bar(dates.len() as u64, "tier evaluations");
    for date in dates {
        tiering::evaluation::evaluate(db, actor, &structure_id, *date, Trigger::Scheduled, |_, _| {})
            .await
            .map_err(validation)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    crate::demo_incentives::load(db, actor, dataset, &structure_id, today).await
}
