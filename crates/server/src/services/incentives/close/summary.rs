//! What a close did, stored with its run and shown by the API, the portal and the command
//! line: how many plans and eligible partners it closed, the period's earnings per payout
//! currency (and points), and which statements it created, recalculated, corrected or
//! removed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::compute::Settled;
use super::inputs::CloseInputs;
use super::write::Written;

/// The period's earnings in one unit (a payout currency, or `PTS`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitTotal {
    pub lines: usize,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CloseSummary {
    pub period_key: String,
    /// The published plans of the period's cadence that apply to it.
    pub plans: usize,
    /// Eligible (partner, plan) pairs closed.
    pub eligible: usize,
    /// Material earning lines (settlements) the period yields.
    pub settlements: usize,
    /// The period's earnings by unit (payout currency or `PTS`).
    pub earnings: BTreeMap<String, UnitTotal>,
    pub statements_created: usize,
    pub statements_recalculated: usize,
    /// Open statements of later periods that received corrections.
    pub statements_adjusted: usize,
    pub statements_removed: usize,
    /// Corrections of approved statements, posted into later periods.
    pub adjustment_lines: usize,
    /// Approved claims put on statements.
    pub claims: usize,
}

impl CloseSummary {
    pub fn new(inputs: &CloseInputs, settled: &[Settled]) -> CloseSummary {
        let mut earnings: BTreeMap<String, UnitTotal> = BTreeMap::new();
        for s in settled {
            let total = earnings.entry(s.settlement.unit.clone()).or_default();
            total.lines += 1;
            total.gross += s.settlement.gross;
            total.withholding += s.settlement.withholding;
            total.net += s.settlement.net;
        }
        CloseSummary {
            period_key: inputs.period.key(),
            plans: inputs.plans.len(),
            eligible: inputs.eligible.iter().map(Vec::len).sum(),
            settlements: settled.len(),
            earnings,
            ..CloseSummary::default()
        }
    }

    pub fn count(&mut self, written: Written) {
        match written {
            Written::Created => self.statements_created += 1,
            Written::Replaced => self.statements_recalculated += 1,
            Written::Adjusted => self.statements_adjusted += 1,
            Written::Removed => self.statements_removed += 1,
        }
    }
}
