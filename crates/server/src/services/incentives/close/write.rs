//! Writing a close's results, all in the caller's one transaction: per partner, the
//! period's statement in the partner's payout currency — created, or rewritten when it is
//! not approved yet (earning lines replaced; adjustment and claim lines it already carries
//! kept; a pending approval withdrawn) — with the partner's approved claims put on it. An
//! approved or paid statement is never touched: what its period yields now is compared per
//! plan with what was approved (plus earlier corrections), and each difference is posted
//! as an `adjustment` line into the partner's next open period. Every statement written
//! is audited and announced (`statement.calculated`), and the run is audited once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Days;
use serde::Serialize;
use tributary_domain::approval::ApprovalSubject;
use tributary_domain::incentives::{Period, Settlement};
use tributary_store::audit::Actor;
use tributary_store::repo::events::{self, Event};
use tributary_store::repo::statements::{self, LineKind, PayableClaim, Statement, StatementLine, StatementStatus};
use tributary_store::repo::{approvals, partners::Partner};
use tributary_store::{Conn, time};
use utoipa::ToSchema;

use super::super::facts::date_text;
use super::compute::Settled;
use super::inputs::CloseInputs;
use super::lines::{NewLine, PaidByPlan, Totals, add_paid, adjustments};
use super::summary::CloseSummary;
use crate::error::{AppError, AppResult};
use crate::services::record;

/// How far ahead an adjustment looks for an open period of the partner.
const MAX_PERIODS_AHEAD: usize = 240;

/// What happened to one statement, for the audit trail and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Written {
    Created,
    Replaced,
    Adjusted,
    Removed,
}

impl Written {
    fn action(self) -> &'static str {
        match self {
            Written::Created => "statement.calculated",
            Written::Replaced => "statement.recalculated",
            Written::Adjusted => "statement.adjusted",
            Written::Removed => "statement.removed",
        }
    }
}

/// The `statement.calculated` / `statement.ready` event of a statement.
pub fn statement_event(kind: &str, statement: &Statement) -> Event {
    let payload = serde_json::json!({
        "statement_id": statement.id,
        "partner_id": statement.partner_id,
        "period_key": statement.period_key,
        "currency": statement.currency,
        "gross": statement.gross,
        "withholding": statement.withholding,
        "net": statement.net,
        "points": statement.points,
        "payable_on": statement.payable_on,
        "status": statement.status,
    });
    Event {
        id: tributary_domain::ids::new_id(),
        kind: kind.to_string(),
        partner_id: Some(statement.partner_id.clone()),
        subject_type: "statement".into(),
        subject_id: statement.id.clone(),
        payload_json: payload.to_string(),
        created_at: time::now_text(),
        delivered_at: None,
    }
}

struct Writer<'i, 'a> {
    inputs: &'i CloseInputs,
    actor: &'a Actor,
    run_id: &'a str,
    now: String,
    summary: CloseSummary,
}

impl Writer<'_, '_> {
    /// Places `lines` on `statement` (numbered from 1), sets its totals and payable day,
    /// and stores both; `current` is the stored statement it replaces, if any.
    async fn store(
        &mut self,
        conn: &mut Conn<'_>,
        current: Option<&Statement>,
        mut statement: Statement,
        lines: Vec<NewLine>,
        holding_days: u32,
        written: Written,
    ) -> AppResult<Statement> {
        let placed: Vec<StatementLine> = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| line.placed(tributary_domain::ids::new_id(), &statement.id, i as i64 + 1, &self.now))
            .collect();
        let totals = Totals::of(placed.iter(), &statement.currency);
        let end = tributary_store::time::parse_date(&statement.period_end)?;
        statement.gross = totals.gross;
        statement.withholding = totals.withholding;
        statement.net = totals.net();
        statement.points = totals.points;
        statement.payable_on = date_text(end.checked_add_days(Days::new(u64::from(holding_days))).unwrap_or(end));
        statement.status = StatementStatus::Calculated;
        statement.close_run_id = Some(self.run_id.to_string());
        statement.updated_at = self.now.clone();
        match current {
            Some(current) => {
                statement.version = current.version + 1;
                if !statements::update(conn, current, &statement).await? {
                    return Err(AppError::Conflict(format!(
                        "the {} statement of {} changed while the close ran; close again",
                        statement.period_key, statement.partner_name
                    )));
                }
                statements::delete_lines(conn, &statement.id).await?;
            }
            None => statements::insert(conn, &statement).await?,
        }
        statements::insert_lines(conn, &placed).await?;
        record(
            conn,
            self.actor,
            written.action(),
            "statement",
            &statement.id,
            current,
            Some(&serde_json::json!({ "statement": statement, "lines": placed.len(), "close_run_id": self.run_id })),
        )
        .await?;
        events::insert_many(conn, &[statement_event("statement.calculated", &statement)]).await?;
        self.summary.count(written);
        Ok(statement)
    }

    fn blank(&self, partner: &Partner, period: &Period) -> Statement {
        Statement {
            id: tributary_domain::ids::new_id(),
            partner_id: partner.id.clone(),
            partner_name: partner.fields.name.clone(),
            period_key: period.key(),
            period_start: date_text(period.start),
            period_end: date_text(period.end),
            currency: partner.fields.payout_currency.code().to_string(),
            status: StatementStatus::Calculated,
            close_run_id: Some(self.run_id.to_string()),
            gross: Default::default(),
            withholding: Default::default(),
            net: Default::default(),
            points: Default::default(),
            payable_on: date_text(period.end),
            approved_at: None,
            paid_at: None,
            created_at: self.now.clone(),
            updated_at: self.now.clone(),
            version: 1,
        }
    }

    /// Withdraws the open approval request of a statement about to be recalculated.
    async fn withdraw_approval(&self, conn: &mut Conn<'_>, statement: &Statement) -> AppResult<()> {
        if let Some(request) = approvals::open_for(conn, ApprovalSubject::Statement.as_str(), &statement.id).await? {
            approvals::advance(conn, &request, request.current_step, "withdrawn", &request.due_at).await?;
            record(
                conn,
                self.actor,
                "approval.withdrawn",
                "approval",
                &request.id,
                Some(&request),
                Some(&serde_json::json!({ "status": "withdrawn", "reason": "the statement was recalculated" })),
            )
            .await?;
        }
        Ok(())
    }

    /// The period's statement of partner `index`: created or rewritten with `earnings`,
    /// the lines it keeps, and the partner's approved claims.
    async fn period_statement(
        &mut self,
        conn: &mut Conn<'_>,
        index: usize,
        current: Option<Statement>,
        earnings: Vec<NewLine>,
        claims: &[PayableClaim],
    ) -> AppResult<()> {
        let inputs = self.inputs;
        let partner = &inputs.partners[index];
        let kept: Vec<NewLine> = match &current {
            Some(statement) => statements::lines(conn, &statement.id)
                .await?
                .into_iter()
                .filter(|l| l.kind != LineKind::Earning)
                .map(unplaced)
                .collect(),
            None => Vec::new(),
        };
        let mut claim_lines = Vec::new();
        for claim in claims {
            claim_lines.push(NewLine::claim(
                claim,
                partner.fields.payout_currency,
                inputs.withholding_rate(index),
                inputs.period.end,
                &inputs.rates,
            )?);
        }
        let holding_days = earnings
            .iter()
            .filter_map(|l| l.plan_id.as_deref())
            .filter_map(|id| inputs.plans.iter().find(|p| p.plan_id == id))
            .map(|p| p.definition.holding_days)
            .max()
            .unwrap_or(0);
        let lines: Vec<NewLine> = earnings.into_iter().chain(kept).chain(claim_lines).collect();
        if let Some(statement) = current
            .as_ref()
            .filter(|s| s.status == StatementStatus::PendingApproval)
        {
            self.withdraw_approval(conn, statement).await?;
        }
        if lines.is_empty() {
            if let Some(statement) = current {
                self.remove(conn, &statement).await?;
            }
            return Ok(());
        }
        let (statement, written) = match &current {
            Some(existing) => (existing.clone(), Written::Replaced),
            None => (self.blank(partner, &inputs.period), Written::Created),
        };
        let stored = self
            .store(conn, current.as_ref(), statement, lines, holding_days, written)
            .await?;
        for claim in claims {
            if !statements::attach_claim(conn, &claim.id, &stored.id).await? {
                return Err(AppError::Conflict(format!(
                    "claim '{}' changed while the close ran; close again",
                    claim.description
                )));
            }
            self.summary.claims += 1;
        }
        Ok(())
    }

    /// Deletes a statement that no longer has anything to say (it was never approved).
    async fn remove(&mut self, conn: &mut Conn<'_>, statement: &Statement) -> AppResult<()> {
        if !statements::delete_open(conn, statement).await? {
            return Err(AppError::Conflict(format!(
                "the {} statement of {} changed while the close ran; close again",
                statement.period_key, statement.partner_name
            )));
        }
        record(
            conn,
            self.actor,
            Written::Removed.action(),
            "statement",
            &statement.id,
            Some(statement),
            Some(&serde_json::json!({ "close_run_id": self.run_id })),
        )
        .await?;
        self.summary.count(Written::Removed);
        Ok(())
    }

    /// Corrections of the approved statement `approved` of partner `index`, posted into
    /// the partner's next open period.
    async fn adjust(
        &mut self,
        conn: &mut Conn<'_>,
        index: usize,
        approved: &Statement,
        settled: &[&Settled],
    ) -> AppResult<()> {
        let inputs = self.inputs;
        let partner = &inputs.partners[index];
        let mut paid = PaidByPlan::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for line in statements::lines(conn, &approved.id).await? {
            if let (LineKind::Earning, Some(plan_id)) = (line.kind, &line.plan_id) {
                add_paid(&mut paid, plan_id, &line.unit, line.gross, line.withholding);
                names.insert(plan_id.clone(), line.description.clone());
            }
        }
        for placed in statements::adjustments_of(conn, &partner.id, &approved.period_key).await? {
            if let Some(plan_id) = &placed.line.plan_id {
                add_paid(
                    &mut paid,
                    plan_id,
                    &placed.line.unit,
                    placed.line.gross,
                    placed.line.withholding,
                );
            }
        }
        let now: Vec<(String, i64, String, Settlement)> = settled
            .iter()
            .map(|s| {
                let plan = &inputs.plans[s.plan];
                (
                    plan.plan_id.clone(),
                    plan.version,
                    plan.name.clone(),
                    s.settlement.clone(),
                )
            })
            .collect();
        let corrections = adjustments(&approved.period_key, &paid, &now, &names);
        if corrections.is_empty() {
            return Ok(());
        }
        let mut period = inputs.period.next();
        for _ in 0..MAX_PERIODS_AHEAD {
            let target = statements::for_partner_period(conn, &partner.id, &period.key()).await?;
            match target {
                Some(open) if open.status.is_open() => {
                    let mut lines: Vec<NewLine> = statements::lines(conn, &open.id)
                        .await?
                        .into_iter()
                        .map(unplaced)
                        .collect();
                    let holding_days = self.holding_days_of(&lines);
                    self.summary.adjustment_lines += corrections.len();
                    lines.extend(corrections);
                    self.store(conn, Some(&open), open.clone(), lines, holding_days, Written::Adjusted)
                        .await?;
                    return Ok(());
                }
                None => {
                    self.summary.adjustment_lines += corrections.len();
                    let statement = self.blank(partner, &period);
                    self.store(conn, None, statement, corrections, 0, Written::Created)
                        .await?;
                    return Ok(());
                }
                Some(_) => period = period.next(),
            }
        }
        Err(AppError::Conflict(format!(
            "{} has no open period to post the corrections of {} into",
            partner.fields.name, approved.period_key
        )))
    }

    /// The longest holding period of the plans paying on `lines` (earning lines).
    fn holding_days_of(&self, lines: &[NewLine]) -> u32 {
        lines
            .iter()
            .filter(|l| l.kind == LineKind::Earning)
            .filter_map(|l| l.plan_id.as_deref())
            .filter_map(|id| self.inputs.plans.iter().find(|p| p.plan_id == id))
            .map(|p| p.definition.holding_days)
            .max()
            .unwrap_or(0)
    }
}

/// A stored line as a line to place again (a statement being rewritten keeps it).
fn unplaced(line: StatementLine) -> NewLine {
    NewLine {
        kind: line.kind,
        plan_id: line.plan_id,
        plan_version: line.plan_version,
        claim_id: line.claim_id,
        adjusts_period_key: line.adjusts_period_key,
        description: line.description,
        unit: line.unit,
        measure: line.measure,
        carry_in: line.carry_in,
        carry_out: line.carry_out,
        gross: line.gross,
        withholding: line.withholding,
        settlement: line.settlement,
    }
}

/// Writes the close of `inputs` with its settlements; returns what it wrote.
pub async fn write(
    conn: &mut Conn<'_>,
    actor: &Actor,
    run_id: &str,
    inputs: &CloseInputs,
    settled: &[Settled],
) -> AppResult<CloseSummary> {
    let key = inputs.period.key();
    let index: HashMap<&str, usize> = inputs
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut by_partner: BTreeMap<usize, Vec<&Settled>> = BTreeMap::new();
    for s in settled {
        by_partner.entry(s.partner).or_default().push(s);
    }
    let mut claims: BTreeMap<usize, Vec<PayableClaim>> = BTreeMap::new();
    for claim in statements::payable_claims(conn).await? {
        if let Some(&i) = index.get(claim.partner_id.as_str()) {
            claims.entry(i).or_default().push(claim);
        }
    }
    let mut visit: BTreeSet<usize> = by_partner.keys().chain(claims.keys()).copied().collect();
    for id in statements::partners_of_period(conn, &key).await? {
        visit.extend(index.get(id.as_str()).copied());
    }
    let mut writer = Writer {
        inputs,
        actor,
        run_id,
        now: time::now_text(),
        summary: CloseSummary::new(inputs, settled),
    };
    for partner in visit {
        let mine = by_partner.remove(&partner).unwrap_or_default();
        let current = statements::for_partner_period(conn, &inputs.partners[partner].id, &key).await?;
        match current {
            Some(approved) if approved.status.is_final() => writer.adjust(conn, partner, &approved, &mine).await?,
            current => {
                let earnings = mine
                    .iter()
                    .map(|s| {
                        let plan = &inputs.plans[s.plan];
                        NewLine::earning(&plan.plan_id, plan.version, &plan.name, s.settlement.clone())
                    })
                    .collect();
                let partner_claims = claims.remove(&partner).unwrap_or_default();
                writer
                    .period_statement(conn, partner, current, earnings, &partner_claims)
                    .await?
            }
        }
    }
    record(
        conn,
        actor,
        "close.completed",
        "close_run",
        run_id,
        None::<&()>,
        Some(&writer.summary),
    )
    .await?;
    Ok(writer.summary)
}
