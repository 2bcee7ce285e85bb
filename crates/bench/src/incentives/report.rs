//! What the close produced, plan by plan: eligible partners, statement lines, lines that
//! pay, clawbacks (a negative measure), capped amounts, negative carries, and the half-way
//! cases where half-even rounding decided (gross or withholding exactly between two minor
//! units) — so "identical" is known to cover every branch of the settlement.

use anyhow::{Result, bail};
use rust_decimal::Decimal;
use tributary_domain::incentives::{Calculation, EligiblePartner, Plan, PlanKind, Settlement};
use tributary_domain::money::Currency;
use tributary_engine::incentives::PlanOutcome;

fn calculation_name(calculation: &Calculation) -> &'static str {
    match calculation {
        Calculation::Rate { .. } => "rate",
        Calculation::Graduated { .. } => "graduated",
        Calculation::Retroactive { .. } => "retroactive",
        Calculation::PerUnit { .. } => "per unit",
        Calculation::ThresholdBonus { .. } => "threshold",
    }
}

/// Whether `rounded` is `exact` rounded from exactly half a `unit` away.
fn half_way(exact: Decimal, rounded: Decimal, unit: Decimal) -> bool {
    (exact - rounded).abs() * Decimal::TWO == unit
}

/// How many of the line's two roundings (gross, withholding) were half-way cases.
fn ties(s: &Settlement) -> usize {
    let unit = if s.unit == tributary_domain::incentives::POINTS_UNIT {
        Decimal::ONE
    } else {
        let currency = Currency::parse(&s.unit).expect("a payout currency");
        Decimal::new(1, currency.minor_units())
    };
    let gross = half_way(s.payable * s.fx_rate.unwrap_or(Decimal::ONE), s.gross, unit);
    let withholding = half_way(s.gross * s.withholding_rate, s.withholding, unit);
    usize::from(gross) + usize::from(withholding)
}

/// Prints one row per plan; fails on a plan whose close failed.
pub fn plans(plans: &[Plan], eligible: &[Vec<EligiblePartner>], outcomes: &[PlanOutcome]) -> Result<()> {
    println!(
        "  {:<34} {:<11} {:<3} {:>8} {:>7} {:>7} {:>8} {:>7} {:>8} {:>5}",
        "plan", "calculation", "cur", "eligible", "lines", "paying", "clawback", "capped", "carrying", "ties"
    );
    for ((plan, partners), outcome) in plans.iter().zip(eligible).zip(outcomes) {
        let settled = match outcome {
            Ok(settled) => settled,
            Err(error) => bail!("the close of {} failed: {error}", plan.name),
        };
        let count = |test: &dyn Fn(&Settlement) -> bool| settled.iter().filter(|(_, s)| test(s)).count();
        println!(
            "  {:<34} {:<11} {:<3} {:>8} {:>7} {:>7} {:>8} {:>7} {:>8} {:>5}",
            plan.name,
            calculation_name(&plan.calculation),
            if plan.kind == PlanKind::Points {
                "PTS"
            } else {
                plan.currency.code()
            },
            partners.len(),
            settled.len(),
            count(&|s| s.gross > Decimal::ZERO),
            count(&|s| s.measure < Decimal::ZERO),
            count(&|s| s.capped < s.multiplied),
            count(&|s| s.carry_out < Decimal::ZERO),
            settled.iter().map(|(_, s)| ties(s)).sum::<usize>()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::half_way;
    use rust_decimal::dec;

    #[test]
    fn half_way_cases_are_exactly_half_a_unit_off() {
        assert!(half_way(dec!(1234.565), dec!(1234.56), dec!(0.01)));
        assert!(half_way(dec!(10000.5), dec!(10000), dec!(1)));
        assert!(!half_way(dec!(1234.5651), dec!(1234.57), dec!(0.01)));
        assert!(!half_way(dec!(1234.56), dec!(1234.56), dec!(0.01)));
    }
}
