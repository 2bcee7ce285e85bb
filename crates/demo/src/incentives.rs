//! The demo incentive program: a quarterly resale commission on graduated bands with tier
//! multipliers and a cap, a retroactive volume rebate for distributors on two-tier sales,
//! a per-unit SPIFF on registered firewall deals, a threshold bonus for new customers, and
//! a loyalty points plan — every calculation type, so statements have something to explain
//! — and the withholding rates of the tax countries that levy one on partner payouts.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tributary_domain::incentives::{
    Band, BonusStep, Calculation, Eligibility, Measure, Payee, PeriodKind, Plan, PlanKind, TierLink, TransactionFilter,
};
use tributary_domain::money::Currency;
use tributary_domain::partner::PartnerType;

fn usd() -> Currency {
    Currency::parse("USD").expect("USD is an ISO 4217 code")
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

fn band(from: i64, to: Option<i64>, rate_per_mille: i64) -> Band {
    Band {
        from: Decimal::from(from),
        to: to.map(Decimal::from),
        rate: dec(rate_per_mille, 3),
    }
}

fn plan(name: &str, kind: PlanKind, valid_from: NaiveDate, measure: Measure, calculation: Calculation) -> Plan {
    Plan {
        name: name.into(),
        kind,
        currency: usd(),
        period: PeriodKind::Quarter,
        effective_from: valid_from,
        effective_until: None,
        eligibility: Eligibility::default(),
        filter: TransactionFilter::default(),
        measure,
        calculation,
        tier: None,
        cap: None,
        holding_days: 0,
        payee: Payee::Reseller,
    }
}

/// The demo plans, effective from `valid_from`, reading levels from the tier structure
/// `tier_structure_id` (Registered, Silver, Gold, Platinum).
pub fn plans(valid_from: NaiveDate, tier_structure_id: &str) -> Vec<Plan> {
    let tier = TierLink {
        structure_id: tier_structure_id.into(),
        multipliers: vec![dec(100, 2), dec(110, 2), dec(120, 2), dec(135, 2)],
    };
    let mut commission = plan(
        "Resale commission",
        PlanKind::Commission,
        valid_from,
        Measure::NetAmount,
        Calculation::Graduated {
            bands: vec![
                band(0, Some(100_000), 20),
                band(100_000, Some(250_000), 30),
                band(250_000, None, 50),
            ],
        },
    );
    commission.eligibility.partner_types = vec![PartnerType::Reseller, PartnerType::Msp, PartnerType::SystemIntegrator];
    commission.eligibility.requires_agreement = true;
    commission.tier = Some(tier.clone());
    commission.cap = Some(Decimal::from(60_000));
    commission.holding_days = 30;

    let mut rebate = plan(
        "Distributor volume rebate",
        PlanKind::Rebate,
        valid_from,
        Measure::NetAmount,
        Calculation::Retroactive {
            bands: vec![
                band(0, Some(500_000), 10),
                band(500_000, Some(2_000_000), 15),
                band(2_000_000, None, 20),
            ],
        },
    );
    rebate.eligibility.partner_types = vec![PartnerType::Distributor];
    rebate.payee = Payee::Distributor;

    let mut spiff = plan(
        "Registered firewall SPIFF",
        PlanKind::Spiff,
        valid_from,
        Measure::Quantity,
        Calculation::PerUnit {
            amount: Decimal::from(25),
        },
    );
    spiff.filter.product_families = vec!["Firewalls".into()];
    spiff.filter.registered_deals_only = true;

    let mut new_logo = plan(
        "New customer bonus",
        PlanKind::Bonus,
        valid_from,
        Measure::NetAmount,
        Calculation::ThresholdBonus {
            steps: vec![
                BonusStep {
                    target: Decimal::from(25_000),
                    amount: Decimal::from(1_000),
                },
                BonusStep {
                    target: Decimal::from(100_000),
                    amount: Decimal::from(5_000),
                },
            ],
        },
    );
    new_logo.filter.new_customers_only = true;
    new_logo.eligibility.minimum_tier = Some(1);
    new_logo.tier = Some(TierLink {
        structure_id: tier_structure_id.into(),
        multipliers: Vec::new(),
    });

    let points = plan(
        "Partner rewards points",
        PlanKind::Points,
        valid_from,
        Measure::NetAmount,
        Calculation::Rate { rate: dec(1, 2) },
    );
    vec![commission, rebate, spiff, new_logo, points]
}

/// Withholding on partner payouts by tax country (ISO code, rate).
pub fn withholding_rates() -> Vec<(&'static str, Decimal)> {
    vec![
        ("BR", dec(15, 2)),
        ("IN", dec(10, 2)),
        ("MX", dec(10, 2)),
        ("JP", dec(2042, 4)),
        ("KR", dec(22, 2)),
        ("ZA", dec(15, 2)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_plans_are_valid_and_cover_every_calculation() {
        let plans = plans(NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(), "structure");
        for plan in &plans {
            assert_eq!(plan.validate(), Ok(()), "{}", plan.name);
        }
        let kinds: Vec<&str> = plans
            .iter()
            .map(|p| match p.calculation {
                Calculation::Rate { .. } => "rate",
                Calculation::Graduated { .. } => "graduated",
                Calculation::Retroactive { .. } => "retroactive",
                Calculation::PerUnit { .. } => "per_unit",
                Calculation::ThresholdBonus { .. } => "threshold_bonus",
            })
            .collect();
        assert_eq!(
            kinds,
            ["graduated", "retroactive", "per_unit", "threshold_bonus", "rate"]
        );
    }
}
