//! Payout batches, exactly once. A batch is created under the client's idempotency key
//! in one transaction: the batch row (its key is unique), then one payment per approved,
//! payable, unpaid statement with a positive net (the payment's statement id is unique,
//! and a statement another batch already holds is skipped, not paid twice), then the
//! totals. A retry with the same key finds the batch and returns it; two batches racing
//! for the same statements pay each one once; a process killed mid-batch commits nothing,
//! so the retry starts from a clean slate. Points are not money: they are reported, never
//! paid. Marking a batch paid marks its statements paid.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tributary_store::audit::Actor;
use tributary_store::repo::events::{self, Event};
use tributary_store::repo::partners;
use tributary_store::repo::payouts::{self, Payment, PaymentLine, PayoutBatch, Unpaid};
use tributary_store::{Conn, Db, Scope, StoreError, time};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, internal};
use crate::services::record;

/// What one currency of a batch pays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CurrencyTotal {
    pub currency: String,
    pub payments: u64,
    pub gross: String,
    pub withholding: String,
    pub net: String,
}

/// A statement the batch considered but did not pay, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotPaid {
    pub statement_id: String,
    pub partner_id: String,
    pub period_key: String,
    pub currency: String,
    pub net: String,
    pub reason: String,
}

/// A batch's totals per currency, the points its statements carry (reported, not paid)
/// and the statements it left unpaid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchTotals {
    pub currencies: Vec<CurrencyTotal>,
    /// Points on the paid statements: not money, so never in a payment.
    pub points: String,
    pub not_paid: Vec<NotPaid>,
}

/// A batch as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchView {
    #[serde(flatten)]
    pub batch: PayoutBatch,
    pub totals: BatchTotals,
}

impl BatchView {
    pub fn of(batch: PayoutBatch) -> AppResult<Self> {
        let totals = serde_json::from_str(&batch.totals_json).map_err(internal)?;
        Ok(Self { batch, totals })
    }
}

/// Whether the request made the batch or found the one made earlier under its key.
#[derive(Debug, Clone)]
pub enum Outcome {
    Created(BatchView),
    Existing(BatchView),
}

fn amount(text: &str, what: &str) -> AppResult<Decimal> {
    text.parse()
        .map_err(|_| internal(format!("{what} '{text}' is not a decimal")))
}

/// The batch under `key`, if any — refused when the key was used for another date.
async fn existing(conn: &mut Conn<'_>, key: &str, through: NaiveDate) -> AppResult<Option<BatchView>> {
    let Some(batch) = payouts::batch_by_key(conn, key).await? else {
        return Ok(None);
    };
    if batch.payable_through != through.to_string() {
        return Err(AppError::Conflict(format!(
            "this Idempotency-Key already created a batch payable through {}",
            batch.payable_through
        )));
    }
    Ok(Some(BatchView::of(batch)?))
}

/// Inserts the (still empty) batch row under `key`.
pub async fn open(
    conn: &mut Conn<'_>,
    actor: &Actor,
    key: &str,
    through: NaiveDate,
) -> Result<PayoutBatch, StoreError> {
    let batch = PayoutBatch {
        id: tributary_domain::ids::new_id(),
        idempotency_key: key.to_string(),
        status: "created".into(),
        payable_through: through.to_string(),
        statement_count: 0,
        totals_json: "{}".into(),
        created_by: actor.user_id.clone(),
        created_at: time::now_text(),
        exported_at: None,
        paid_at: None,
    };
    payouts::insert_batch(conn, &batch).await?;
    Ok(batch)
}

/// What paying one statement did.
#[derive(Debug, Clone, PartialEq)]
pub enum Paid {
    Paid(Payment),
    /// Another batch pays it.
    Taken,
    NotPaid(NotPaid),
}

/// Pays `statement` in `batch` when its net is positive and no other payment pays it.
pub async fn pay(conn: &mut Conn<'_>, batch: &PayoutBatch, statement: &Unpaid) -> AppResult<Paid> {
    let gross = amount(&statement.gross, "gross")?;
    let withholding = amount(&statement.withholding, "withholding")?;
    let net = amount(&statement.net, "net")?;
    if gross - withholding != net {
        return Err(internal(format!(
            "statement {}: gross {gross} − withholding {withholding} ≠ net {net}",
            statement.id
        )));
    }
    if net <= Decimal::ZERO {
        return Ok(Paid::NotPaid(NotPaid {
            statement_id: statement.id.clone(),
            partner_id: statement.partner_id.clone(),
            period_key: statement.period_key.clone(),
            currency: statement.currency.clone(),
            net: statement.net.clone(),
            reason: if net.is_zero() {
                "nothing to pay: the net is zero".into()
            } else {
                "not paid: the net is negative".into()
            },
        }));
    }
    let payment = Payment {
        id: tributary_domain::ids::new_id(),
        batch_id: batch.id.clone(),
        statement_id: statement.id.clone(),
        partner_id: statement.partner_id.clone(),
        currency: statement.currency.clone(),
        gross: statement.gross.clone(),
        withholding: statement.withholding.clone(),
        net: statement.net.clone(),
        created_at: batch.created_at.clone(),
    };
    Ok(if payouts::insert_payment(conn, &payment).await? {
        Paid::Paid(payment)
    } else {
        Paid::Taken
    })
}

/// The money of one payment and the points of its statement.
pub struct Amounts<'a> {
    pub currency: &'a str,
    pub gross: &'a str,
    pub withholding: &'a str,
    pub net: &'a str,
    pub points: &'a str,
}

/// Sums payments per currency (sorted by code) and the points their statements carry.
pub fn totals<'a>(paid: impl IntoIterator<Item = Amounts<'a>>, not_paid: Vec<NotPaid>) -> AppResult<BatchTotals> {
    let mut by_currency: BTreeMap<&str, (u64, Decimal, Decimal, Decimal)> = BTreeMap::new();
    let mut points = Decimal::ZERO;
    for p in paid {
        let entry = by_currency.entry(p.currency).or_default();
        entry.0 += 1;
        entry.1 += amount(p.gross, "gross")?;
        entry.2 += amount(p.withholding, "withholding")?;
        entry.3 += amount(p.net, "net")?;
        points += amount(p.points, "points")?;
    }
    Ok(BatchTotals {
        currencies: by_currency
            .into_iter()
            .map(|(currency, (payments, gross, withholding, net))| CurrencyTotal {
                currency: currency.to_string(),
                payments,
                gross: gross.to_string(),
                withholding: withholding.to_string(),
                net: net.to_string(),
            })
            .collect(),
        points: points.normalize().to_string(),
        not_paid,
    })
}

/// Creates the batch of every statement payable through `through` under `key`, or
/// returns the batch `key` already created.
pub async fn create(db: &Db, actor: &Actor, key: &str, through: NaiveDate, today: NaiveDate) -> AppResult<Outcome> {
    if through > today {
        return Err(AppError::field(
            "payable_through",
            format!("must not be after today ({today}): statements still held are not payable yet"),
        ));
    }
    let mut tx = db.begin().await?;
    if let Some(found) = existing(&mut tx.conn(), key, through).await? {
        return Ok(Outcome::Existing(found));
    }
    let batch = match open(&mut tx.conn(), actor, key, through).await {
        Ok(batch) => batch,
        // A concurrent request with the same key committed its batch first.
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            let mut pooled = db.acquire().await?;
            return existing(&mut pooled.conn(), key, through)
                .await?
                .map(Outcome::Existing)
                .ok_or_else(|| AppError::Conflict("a concurrent batch with the same key failed; retry".into()));
        }
        Err(other) => return Err(other.into()),
    };
    let mut conn = tx.conn();
    let mut paid = Vec::new();
    let mut not_paid = Vec::new();
    let mut taken = 0;
    for statement in payouts::unpaid(&mut conn, &through.to_string()).await? {
        match pay(&mut conn, &batch, &statement).await? {
            Paid::Paid(payment) => paid.push((payment, statement.points)),
            Paid::Taken => taken += 1,
            Paid::NotPaid(reason) => not_paid.push(reason),
        }
    }
    if paid.is_empty() {
        let mut detail = format!("no approved statement with a positive net is payable on or before {through}");
        if taken > 0 {
            detail.push_str(&format!("; {taken} are already in another batch"));
        }
        if !not_paid.is_empty() {
            detail.push_str(&format!("; {} have a net of zero or less", not_paid.len()));
        }
        return Err(AppError::field("payable_through", detail));
    }
    let amounts = paid.iter().map(|(p, points)| Amounts {
        currency: &p.currency,
        gross: &p.gross,
        withholding: &p.withholding,
        net: &p.net,
        points,
    });
    let totals = totals(amounts, not_paid)?;
    let totals_json = serde_json::to_string(&totals).map_err(internal)?;
    payouts::finish_batch(&mut conn, &batch.id, paid.len() as i64, &totals_json).await?;
    let batch = PayoutBatch {
        statement_count: paid.len() as i64,
        totals_json,
        ..batch
    };
    let view = BatchView { batch, totals };
    record(
        &mut conn,
        actor,
        "payout_batch.created",
        "payout_batch",
        &view.batch.id,
        None::<&()>,
        Some(&view),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Created(view))
}

/// Marks a batch paid: its statements become `paid` (each partner's statement shows it,
/// and a `statement.paid` event tells the partner's systems).
pub async fn mark_paid(db: &Db, actor: &Actor, id: &str) -> AppResult<BatchView> {
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let before = payouts::get_batch(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("payout batch"))?;
    let at = time::now_text();
    let Some(statements) = payouts::mark_paid(&mut conn, id, &at).await? else {
        return Err(AppError::Conflict(format!(
            "the batch was already marked paid on {}",
            before.paid_at.as_deref().map_or("", |t| &t[..10])
        )));
    };
    let lines = payouts::payment_lines(&mut conn, &Scope::All, id).await?;
    let paid_events: Vec<Event> = lines
        .iter()
        .map(|p| Event {
            id: tributary_domain::ids::new_id(),
            kind: "statement.paid".into(),
            partner_id: Some(p.partner_id.clone()),
            subject_type: "statement".into(),
            subject_id: p.statement_id.clone(),
            payload_json: serde_json::json!({
                "statement_id": p.statement_id, "period_key": p.period_key, "currency": p.currency,
                "net": p.net, "paid_at": at,
            })
            .to_string(),
            created_at: at.clone(),
            delivered_at: None,
        })
        .collect();
    events::insert_many(&mut conn, &paid_events).await?;
    let after = payouts::get_batch(&mut conn, id)
        .await?
        .ok_or_else(|| internal("a batch vanished while being marked paid"))?;
    record(
        &mut conn,
        actor,
        "payout_batch.paid",
        "payout_batch",
        id,
        Some(&before),
        Some(&serde_json::json!({ "batch": after, "statements_paid": statements })),
    )
    .await?;
    tx.commit().await?;
    BatchView::of(after)
}

/// Stamps a batch's first export to accounting (audited; later exports change nothing).
pub async fn mark_exported(db: &Db, actor: &Actor, batch: &PayoutBatch) -> AppResult<()> {
    if batch.exported_at.is_some() || batch.status != "created" {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let mut conn = tx.conn();
    let at = time::now_text();
    if payouts::mark_exported(&mut conn, &batch.id, &at).await? == 1 {
        let after = serde_json::json!({ "status": "exported", "exported_at": at });
        record(
            &mut conn,
            actor,
            "payout_batch.exported",
            "payout_batch",
            &batch.id,
            Some(batch),
            Some(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A batch with its payments as `scope` may see them: a scoped caller (a channel manager)
/// sees the payments, totals and unpaid statements of the partners in its scope only.
pub async fn visible(
    conn: &mut Conn<'_>,
    scope: &Scope,
    batch: PayoutBatch,
) -> AppResult<(BatchView, Vec<PaymentLine>)> {
    let view = BatchView::of(batch)?;
    let payments = payouts::payment_lines(conn, scope, &view.batch.id).await?;
    if *scope == Scope::All {
        return Ok((view, payments));
    }
    let mut not_paid = Vec::new();
    for n in view.totals.not_paid {
        if partners::get(conn, scope, &n.partner_id).await?.is_some() {
            not_paid.push(n);
        }
    }
    let amounts = payments.iter().map(|p| Amounts {
        currency: &p.currency,
        gross: &p.gross,
        withholding: &p.withholding,
        net: &p.net,
        points: &p.points,
    });
    let totals = totals(amounts, not_paid)?;
    let batch = PayoutBatch {
        statement_count: payments.len() as i64,
        ..view.batch
    };
    Ok((BatchView { batch, totals }, payments))
}
