//! Reports read from statements: a partner's earnings overview (each period's gross,
//! withholding, net, points and status, and totals per currency), and the vendor's spend
//! of a period by plan or by partner region (per payout currency; claims and corrections
//! included, so the figures add up to the statements).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;
use tributary_store::repo::incentive_plans::{self, PlanFilter};
use tributary_store::repo::partners::PartnerFilter;
use tributary_store::repo::statements::{self, LineKind, Statement, StatementFilter, StatementStatus};
use tributary_store::{Conn, Scope};
use utoipa::ToSchema;

use super::super::facts::region_countries;
use crate::error::{AppError, AppResult};
use crate::services::tiering::members::every_partner;

/// One period of a partner's earnings.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EarningsPeriod {
    pub statement_id: String,
    pub period_key: String,
    pub period_end: String,
    pub currency: String,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
    #[schema(value_type = String)]
    pub points: Decimal,
    pub status: StatementStatus,
    pub payable_on: String,
    pub paid_at: Option<String>,
}

/// A partner's earnings in one currency over every period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct EarningsTotal {
    pub currency: String,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
    /// Net of the statements already paid.
    #[schema(value_type = String)]
    pub paid: Decimal,
    /// Net of the approved statements not paid yet.
    #[schema(value_type = String)]
    pub approved: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EarningsOverview {
    pub partner_id: String,
    /// Newest period first.
    pub periods: Vec<EarningsPeriod>,
    pub totals: Vec<EarningsTotal>,
    /// Points earned over every period.
    #[schema(value_type = String)]
    pub points: Decimal,
}

fn period_of(s: &Statement) -> EarningsPeriod {
    EarningsPeriod {
        statement_id: s.id.clone(),
        period_key: s.period_key.clone(),
        period_end: s.period_end.clone(),
        currency: s.currency.clone(),
        gross: s.gross,
        withholding: s.withholding,
        net: s.net,
        points: s.points,
        status: s.status,
        payable_on: s.payable_on.clone(),
        paid_at: s.paid_at.clone(),
    }
}

/// The earnings of partner `partner_id` from the statements visible in `scope`.
pub async fn earnings(conn: &mut Conn<'_>, scope: &Scope, partner_id: &str) -> AppResult<EarningsOverview> {
    let filter = StatementFilter {
        partner_id: Some(partner_id.to_string()),
        ..StatementFilter::default()
    };
    let found = statements::all(conn, scope, &filter).await?;
    let mut totals: BTreeMap<String, EarningsTotal> = BTreeMap::new();
    for s in &found {
        let total = totals.entry(s.currency.clone()).or_insert_with(|| EarningsTotal {
            currency: s.currency.clone(),
            ..EarningsTotal::default()
        });
        total.gross += s.gross;
        total.withholding += s.withholding;
        total.net += s.net;
        match s.status {
            StatementStatus::Paid => total.paid += s.net,
            StatementStatus::Approved => total.approved += s.net,
            _ => {}
        }
    }
    Ok(EarningsOverview {
        partner_id: partner_id.to_string(),
        points: found.iter().map(|s| s.points).sum(),
        periods: found.iter().map(period_of).collect(),
        totals: totals.into_values().collect(),
    })
}

tributary_domain::code_enum! {
    /// How spend is grouped.
    pub enum SpendGroup ("spend grouping") {
        Plan => ("plan", "By plan"),
        Region => ("region", "By partner region"),
    }
}

/// Spend of one group in one unit (payout currency, or `PTS`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct SpendRow {
    /// The plan id or region code (`claims` for claims without a plan, `none` for
    /// partners outside every region).
    pub key: String,
    pub label: String,
    pub unit: String,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
    pub lines: usize,
    pub partners: usize,
}

/// The spend of period `period_key` in the statements visible in `scope`, grouped; a
/// partner counts in the first region (by code) that holds its head-office country.
pub async fn spend(
    conn: &mut Conn<'_>,
    scope: &Scope,
    period_key: &str,
    group: SpendGroup,
) -> AppResult<Vec<SpendRow>> {
    if period_key.trim().is_empty() {
        return Err(AppError::field("period_key", "name the period, e.g. 2026-Q3"));
    }
    let lines = statements::lines_of_period(conn, scope, period_key).await?;
    let labels: HashMap<String, (String, String)> = match group {
        SpendGroup::Plan => incentive_plans::list(conn, &PlanFilter::default())
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), (p.id, p.definition.name)))
            .collect(),
        SpendGroup::Region => {
            let regions = region_countries(conn).await?;
            every_partner(conn, &Scope::All, &PartnerFilter::default())
                .await?
                .into_iter()
                .map(|p| {
                    let region = regions
                        .iter()
                        .find(|(_, countries)| countries.contains(&p.fields.country))
                        .map(|(code, _)| (code.clone(), code.clone()))
                        .unwrap_or_else(|| ("none".into(), "No region".into()));
                    (p.id, region)
                })
                .collect()
        }
    };
    let mut rows: BTreeMap<(String, String), (SpendRow, BTreeSet<String>)> = BTreeMap::new();
    for placed in &lines {
        let line = &placed.line;
        let (key, label) = match group {
            SpendGroup::Plan => match &line.plan_id {
                Some(id) => labels
                    .get(id)
                    .cloned()
                    .unwrap_or((id.clone(), line.description.clone())),
                None if line.kind == LineKind::Claim => ("claims".into(), "Claims".into()),
                None => ("other".into(), "Other".into()),
            },
            SpendGroup::Region => labels
                .get(&placed.partner_id)
                .cloned()
                .unwrap_or_else(|| ("none".into(), "No region".into())),
        };
        let (row, partners) = rows.entry((key.clone(), line.unit.clone())).or_insert_with(|| {
            (
                SpendRow {
                    key,
                    label,
                    unit: line.unit.clone(),
                    ..SpendRow::default()
                },
                BTreeSet::new(),
            )
        });
        row.gross += line.gross;
        row.withholding += line.withholding;
        row.net += line.net;
        row.lines += 1;
        partners.insert(placed.partner_id.clone());
    }
    Ok(rows
        .into_values()
        .map(|(mut row, partners)| {
            row.partners = partners.len();
            row
        })
        .collect())
}
