//! The demo's incentive history: withholding rates, the demo plans (published), a close of
//! every quarter that has ended inside the window, statements approved through the
//! two-person workflow (finance, then an administrator for the large ones) for all but
//! the latest quarter, and the oldest quarters paid in a payout batch — so earnings,
//! statements, the review queue, payouts and reconciliation all have history to show.

use anyhow::{Context, bail};
use chrono::{Days, NaiveDate};
use tributary_demo::DemoDataset;
use tributary_domain::incentives::{Period, PeriodKind};
use tributary_domain::role::Role;
use tributary_server::services::approvals::{Outcome, Verdict};
use tributary_server::services::incentives::{close, payouts, plans, statements};
use tributary_server::services::withholding;
use tributary_store::audit::Actor;
use tributary_store::repo::close_runs::CloseStatus;
use tributary_store::repo::statements::{self as statement_rows, StatementFilter, StatementStatus};
use tributary_store::{Db, Scope};

use crate::progress;

fn failure(error: tributary_server::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", error.problem().detail)
}

/// A vendor user of `role` as an actor that can decide approval steps.
fn person(dataset: &DemoDataset, role: Role) -> anyhow::Result<Actor> {
    let user = dataset
        .users
        .iter()
        .find(|u| u.fields.role == role && u.fields.partner_id.is_none())
        .with_context(|| format!("the demo has no {} user", role.as_str()))?;
    Ok(Actor {
        user_id: Some(user.id.clone()),
        label: user.fields.email.clone(),
    })
}

/// Publishes the program, closes each ended quarter and approves and pays the older ones.
pub async fn load(
    db: &Db,
    actor: &Actor,
    dataset: &DemoDataset,
    structure_id: &str,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let valid_from = dataset.tier_structure.valid_from;
    let mut tx = db.begin().await?;
    {
        let mut conn = tx.conn();
        for (country, rate) in tributary_demo::incentives::withholding_rates() {
            withholding::save(&mut conn, actor, country, rate)
                .await
                .map_err(failure)?;
        }
        for plan in tributary_demo::incentives::plans(valid_from, structure_id) {
            let draft = plans::create_draft(&mut conn, actor, &plan).await.map_err(failure)?;
            plans::publish(&mut conn, actor, &draft).await.map_err(failure)?;
        }
    }
    tx.commit().await.context("saving the incentive plans")?;
    let mut quarters = Vec::new();
    let mut quarter = Period::containing(PeriodKind::Quarter, valid_from);
    while quarter.end < today {
        quarters.push(quarter);
        quarter = quarter.next();
    }
    let bar = progress::bar(quarters.len() as u64, "incentive closes");
    for period in &quarters {
        let run = close::start(db, actor, *period).await.map_err(failure)?;
        let finished = close::run(db, actor, &run, |_| {}).await.map_err(failure)?;
        if finished.status != CloseStatus::Succeeded {
            bail!(
                "the demo close of {period} failed: {}",
                finished.error.unwrap_or_default()
            );
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let Some((latest, approved)) = quarters.split_last() else {
        return Ok(());
    };
    approve(db, dataset, approved).await?;
    submit(db, actor, latest).await?;
    pay(db, dataset, approved, today).await
}

/// Submits and approves every statement of `periods`: finance decides, and an
/// administrator gives the second approval where the amount needs one.
async fn approve(db: &Db, dataset: &DemoDataset, periods: &[Period]) -> anyhow::Result<()> {
    let submitter = person(dataset, Role::ChannelManager)?;
    let finance = person(dataset, Role::Finance)?;
    let admin = person(dataset, Role::Admin)?;
    for period in periods {
        let mut tx = db.begin().await?;
        let mut conn = tx.conn();
        let filter = StatementFilter {
            period_key: Some(period.key()),
            ..StatementFilter::default()
        };
        for statement in statement_rows::all(&mut conn, &Scope::All, &filter).await? {
            statements::approval::submit(&mut conn, &submitter, &statement)
                .await
                .map_err(failure)?;
            let (outcome, _) = statements::approval::decide(
                &mut conn,
                &finance,
                Role::Finance,
                &statement.id,
                Verdict::Approve,
                None,
            )
            .await
            .map_err(failure)?;
            if matches!(outcome, Outcome::Advanced { .. }) {
                statements::approval::decide(&mut conn, &admin, Role::Admin, &statement.id, Verdict::Approve, None)
                    .await
                    .map_err(failure)?;
            }
        }
        tx.commit()
            .await
            .with_context(|| format!("approving the {period} statements"))?;
    }
    Ok(())
}

/// Submits the latest quarter's statements, leaving them in the finance review queue.
async fn submit(db: &Db, actor: &Actor, period: &Period) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let filter = StatementFilter {
        period_key: Some(period.key()),
        status: Some(StatementStatus::Calculated),
        ..StatementFilter::default()
    };
    for statement in statement_rows::all(&mut conn, &Scope::All, &filter).await? {
        statements::approval::submit(&mut conn, actor, &statement)
            .await
            .map_err(failure)?;
    }
    tx.commit().await?;
    Ok(())
}

/// The day a quarter's statements are all payable: its end plus the longest holding
/// period of the demo plans (30 days), and a day to spare.
fn payable_through(period: &Period, today: NaiveDate) -> NaiveDate {
    period
        .end
        .checked_add_days(Days::new(31))
        .unwrap_or(period.end)
        .min(today)
}

/// Pays the approved statements of all but the last of `approved` in one batch marked
/// paid, and batches the last quarter's without marking it paid yet.
async fn pay(db: &Db, dataset: &DemoDataset, approved: &[Period], today: NaiveDate) -> anyhow::Result<()> {
    let finance = person(dataset, Role::Finance)?;
    let Some((last, older)) = approved.split_last() else {
        return Ok(());
    };
    if let Some(newest_older) = older.last() {
        let key = format!("demo-{}", newest_older.key());
        let through = payable_through(newest_older, today);
        let batch = match payouts::batch::create(db, &finance, &key, through, today)
            .await
            .map_err(failure)?
        {
            payouts::batch::Outcome::Created(view) | payouts::batch::Outcome::Existing(view) => view,
        };
        payouts::batch::mark_paid(db, &finance, &batch.batch.id)
            .await
            .map_err(failure)?;
    }
    let key = format!("demo-{}", last.key());
    payouts::batch::create(db, &finance, &key, payable_through(last, today), today)
        .await
        .map_err(failure)?;
    Ok(())
}
