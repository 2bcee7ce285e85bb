//! Statements in machine-readable form, so a partner firm working with many vendors can
//! fetch them without the portal: a list as CSV (one row per statement), and one statement
//! as CSV (one row per line with the working that matters to a bookkeeper: measure, fact
//! count, calculated amount, multiplier, cap, carry, FX rate and date, gross, withholding
//! and net) or as JSON (the statement with every line and its whole settlement). Cells
//! that a spreadsheet would run as a formula are escaped.

use tributary_store::repo::statements::Statement;

use super::StatementDetail;
use crate::error::{AppResult, internal};
use crate::services::incentives::csv_table as csv;

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

const LIST_HEADER: [&str; 15] = [
    "statement_id",
    "partner_id",
    "partner_name",
    "period_key",
    "period_start",
    "period_end",
    "currency",
    "status",
    "gross",
    "withholding",
    "net",
    "points",
    "payable_on",
    "approved_at",
    "paid_at",
];

/// Statements as CSV, one row each.
pub fn list_csv(statements: &[Statement]) -> AppResult<Vec<u8>> {
    csv(
        &LIST_HEADER,
        statements.iter().map(|s| {
            vec![
                s.id.clone(),
                s.partner_id.clone(),
                s.partner_name.clone(),
                s.period_key.clone(),
                s.period_start.clone(),
                s.period_end.clone(),
                s.currency.clone(),
                s.status.as_str().to_string(),
                s.gross.to_string(),
                s.withholding.to_string(),
                s.net.to_string(),
                s.points.to_string(),
                s.payable_on.clone(),
                text(s.approved_at.as_ref()),
                text(s.paid_at.as_ref()),
            ]
        }),
    )
}

const LINE_HEADER: [&str; 24] = [
    "statement_id",
    "partner_id",
    "period_key",
    "status",
    "line_no",
    "kind",
    "description",
    "plan_id",
    "plan_version",
    "adjusts_period_key",
    "claim_id",
    "unit",
    "measure",
    "fact_count",
    "calculated",
    "multiplier",
    "cap",
    "carry_in",
    "carry_out",
    "fx_rate",
    "fx_date",
    "gross",
    "withholding",
    "net",
];

/// One statement as CSV, one row per line.
pub fn statement_csv(detail: &StatementDetail) -> AppResult<Vec<u8>> {
    let s = &detail.statement;
    csv(
        &LINE_HEADER,
        detail.lines.iter().map(|line| {
            let settlement = line.settlement.as_ref();
            vec![
                s.id.clone(),
                s.partner_id.clone(),
                s.period_key.clone(),
                s.status.as_str().to_string(),
                line.line_no.to_string(),
                line.kind.as_str().to_string(),
                line.description.clone(),
                text(line.plan_id.as_ref()),
                text(line.plan_version),
                text(line.adjusts_period_key.as_ref()),
                text(line.claim_id.as_ref()),
                line.unit.clone(),
                text(line.measure),
                text(settlement.map(|s| s.fact_count)),
                text(settlement.map(|s| s.calculation.amount)),
                text(settlement.map(|s| s.multiplier)),
                text(settlement.and_then(|s| s.cap)),
                text(line.carry_in),
                text(line.carry_out),
                text(settlement.and_then(|s| s.fx_rate)),
                text(settlement.and_then(|s| s.fx_date)),
                line.gross.to_string(),
                line.withholding.to_string(),
                line.net.to_string(),
            ]
        }),
    )
}

/// One statement as JSON, with every line and its whole settlement.
pub fn statement_json(detail: &StatementDetail) -> AppResult<Vec<u8>> {
    serde_json::to_vec_pretty(detail).map_err(internal)
}
