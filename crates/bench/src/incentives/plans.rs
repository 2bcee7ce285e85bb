//! The 20 plans the benchmark closes: every calculation type (rate, graduated,
//! retroactive, per unit, threshold bonus), every measure of sales facts (net amount,
//! quantity, margin — margin only on the families that always carry a cost, since a
//! missing cost fails a close), every payee (reseller, distributor, both), every filter
//! (families, SKUs, customer regions, registered deals only, new customers only), tier
//! multipliers, caps, holding days, a points plan, and plans in all five currencies.
//!
//! Rates and per-unit amounts have at most three decimal places, multipliers two, caps,
//! targets and bonuses two: the SQL peer's column types rely on it (see `sql.rs`), and
//! [`check`] refuses a plan that would break it.

use chrono::NaiveDate;
use rust_decimal::{Decimal, dec};
use tributary_domain::incentives::{
    Band, BonusStep, Calculation, Eligibility, Measure, Payee, Period, PeriodKind, Plan, PlanKind, TierLink,
    TransactionFilter,
};
use tributary_domain::money::Currency;
use tributary_domain::partner::PartnerType;

/// The period the benchmark closes.
pub fn period() -> Period {
    Period::parse("2026-Q2").expect("a period key")
}

/// The tier structure plans read levels from, and its segment.
pub const STRUCTURE: &str = "partner-program";
pub const STRATEGIC_SEGMENT: &str = "strategic";

/// Decimal places the SQL tables hold (see `sql.rs`).
pub const RATE_PLACES: u32 = 3;
pub const AMOUNT_PLACES: u32 = 2;

fn bands(edges: &[(i64, Decimal)]) -> Vec<Band> {
    edges
        .iter()
        .enumerate()
        .map(|(i, (from, rate))| Band {
            from: Decimal::from(*from),
            to: edges.get(i + 1).map(|(to, _)| Decimal::from(*to)),
            rate: *rate,
        })
        .collect()
}

fn steps(steps: &[(i64, Decimal)]) -> Vec<BonusStep> {
    steps
        .iter()
        .map(|(target, amount)| BonusStep {
            target: Decimal::from(*target),
            amount: *amount,
        })
        .collect()
}

fn tiers(multipliers: [Decimal; 4]) -> Option<TierLink> {
    Some(TierLink {
        structure_id: STRUCTURE.into(),
        multipliers: multipliers.to_vec(),
    })
}

fn families(names: &[&str]) -> TransactionFilter {
    TransactionFilter {
        product_families: names.iter().map(|n| n.to_string()).collect(),
        ..Default::default()
    }
}

fn regions(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn draft(name: &str, kind: PlanKind, currency: &str, measure: Measure, calculation: Calculation, payee: Payee) -> Plan {
    Plan {
        name: name.into(),
        kind,
        currency: Currency::parse(currency).expect("ISO code"),
        period: PeriodKind::Quarter,
        effective_from: NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date"),
        effective_until: None,
        eligibility: Eligibility::default(),
        filter: TransactionFilter::default(),
        measure,
        calculation,
        tier: None,
        cap: None,
        holding_days: 0,
        payee,
    }
}

pub fn plans() -> Vec<Plan> {
    use Calculation::*;
    use Measure::*;
    use PartnerType as T;
    use PlanKind::*;
    let gold = [dec!(1), dec!(1.10), dec!(1.20), dec!(1.25)];
    let mut plans = Vec::new();

    let mut p = draft(
        "Resale commission",
        Commission,
        "USD",
        NetAmount,
        Rate { rate: dec!(0.04) },
        Payee::Reseller,
    );
    p.eligibility.partner_types = vec![T::Reseller, T::Msp, T::SystemIntegrator];
    p.tier = tiers(gold);
    plans.push(p);

    let mut p = draft(
        "Distributor growth rebate",
        Rebate,
        "USD",
        NetAmount,
        Graduated {
            bands: bands(&[(0, dec!(0.01)), (250_000, dec!(0.015)), (1_000_000, dec!(0.02))]),
        },
        Payee::Distributor,
    );
    p.eligibility.partner_types = vec![T::Distributor];
    p.cap = Some(dec!(60000));
    plans.push(p);

    let mut p = draft(
        "Hardware margin rebate",
        Rebate,
        "USD",
        Margin,
        Retroactive {
            bands: bands(&[(0, dec!(0.05)), (20_000, dec!(0.07)), (100_000, dec!(0.09))]),
        },
        Payee::Reseller,
    );
    p.filter = families(&["hardware", "storage"]);
    p.tier = tiers(gold);
    p.cap = Some(dec!(25000));
    p.holding_days = 30;
    plans.push(p);

    let mut p = draft(
        "Networking margin share",
        Commission,
        "USD",
        Margin,
        Rate { rate: dec!(0.08) },
        Payee::Both,
    );
    p.filter = families(&["networking"]);
    plans.push(p);

    let mut p = draft(
        "Eurozone growth bonus",
        Bonus,
        "EUR",
        NetAmount,
        ThresholdBonus {
            steps: steps(&[(50_000, dec!(1000)), (150_000, dec!(3500)), (500_000, dec!(12500))]),
        },
        Payee::Reseller,
    );
    p.eligibility.regions = regions(&["eurozone"]);
    p.filter.customer_regions = regions(&["emea"]);
    plans.push(p);

    let mut p = draft(
        "New-customer unit SPIFF",
        Spiff,
        "USD",
        Quantity,
        PerUnit { amount: dec!(12.50) },
        Payee::Reseller,
    );
    p.filter.new_customers_only = true;
    p.filter.registered_deals_only = true;
    plans.push(p);

    let mut p = draft(
        "Japan partner commission",
        Commission,
        "JPY",
        NetAmount,
        Graduated {
            bands: bands(&[(0, dec!(0.03)), (10_000_000, dec!(0.04)), (50_000_000, dec!(0.05))]),
        },
        Payee::Both,
    );
    p.eligibility.regions = regions(&["japan"]);
    p.tier = tiers(gold);
    plans.push(p);

    let mut p = draft(
        "ANZ rebate",
        Rebate,
        "AUD",
        NetAmount,
        Rate { rate: dec!(0.025) },
        Payee::Reseller,
    );
    p.eligibility.regions = regions(&["anz"]);
    p.holding_days = 45;
    plans.push(p);

    let mut p = draft(
        "UK and Ireland commission",
        Commission,
        "GBP",
        NetAmount,
        Retroactive {
            bands: bands(&[(0, dec!(0.02)), (50_000, dec!(0.03)), (200_000, dec!(0.045))]),
        },
        Payee::Reseller,
    );
    p.eligibility.regions = regions(&["uk_ireland"]);
    p.tier = tiers(gold);
    plans.push(p);

    plans.push(draft(
        "Partner points",
        Points,
        "USD",
        NetAmount,
        Rate { rate: dec!(0.1) },
        Payee::Both,
    ));

    let mut p = draft(
        "Cloud seats",
        Commission,
        "USD",
        Quantity,
        PerUnit { amount: dec!(2.50) },
        Payee::Both,
    );
    p.filter = families(&["cloud"]);
    plans.push(p);

    let mut p = draft(
        "Registered deal accelerator",
        Commission,
        "USD",
        NetAmount,
        Rate { rate: dec!(0.02) },
        Payee::Reseller,
    );
    p.filter.registered_deals_only = true;
    p.holding_days = 60;
    p.tier = tiers(gold);
    p.eligibility.minimum_tier = Some(1);
    plans.push(p);

    let mut p = draft(
        "Security SKU SPIFF",
        Spiff,
        "USD",
        Quantity,
        PerUnit { amount: dec!(40) },
        Payee::Reseller,
    );
    p.filter.skus = vec!["SEC-FW-200".into(), "sec-fw-800".into()];
    p.filter.registered_deals_only = true;
    plans.push(p);

    let mut p = draft(
        "Americas volume bonus",
        Bonus,
        "USD",
        Quantity,
        ThresholdBonus {
            steps: steps(&[(100, dec!(500)), (500, dec!(3000)), (2000, dec!(15000))]),
        },
        Payee::Reseller,
    );
    p.eligibility.regions = regions(&["north_america", "latam"]);
    p.filter.customer_regions = regions(&["north_america", "latam"]);
    plans.push(p);

    let mut p = draft(
        "Storage retroactive rebate",
        Rebate,
        "USD",
        NetAmount,
        Retroactive {
            bands: bands(&[(0, dec!(0.01)), (50_000, dec!(0.02)), (250_000, dec!(0.035))]),
        },
        Payee::Both,
    );
    p.filter = families(&["Storage"]);
    p.cap = Some(dec!(20000));
    p.holding_days = 30;
    plans.push(p);

    let mut p = draft(
        "MSP services commission",
        Commission,
        "USD",
        NetAmount,
        Graduated {
            bands: bands(&[(0, dec!(0.05)), (25_000, dec!(0.075)), (100_000, dec!(0.1))]),
        },
        Payee::Reseller,
    );
    p.eligibility.partner_types = vec![T::Msp];
    p.filter = families(&["services", "cloud"]);
    plans.push(p);

    let mut p = draft(
        "Strategic partner rebate",
        Rebate,
        "USD",
        NetAmount,
        Rate { rate: dec!(0.015) },
        Payee::Both,
    );
    p.eligibility.minimum_tier = Some(2);
    p.eligibility.requires_agreement = true;
    p.eligibility.segment_id = Some(STRATEGIC_SEGMENT.into());
    p.tier = tiers([dec!(1), dec!(1), dec!(1.5), dec!(2)]);
    p.cap = Some(dec!(50000));
    plans.push(p);

    let mut p = draft(
        "System integrator solutions bonus",
        Bonus,
        "USD",
        NetAmount,
        ThresholdBonus {
            steps: steps(&[(20_000, dec!(750)), (100_000, dec!(4000)), (400_000, dec!(18000.50))]),
        },
        Payee::Reseller,
    );
    p.eligibility.partner_types = vec![T::SystemIntegrator];
    p.eligibility.requires_agreement = true;
    p.filter = families(&["software", "services", "support"]);
    p.tier = tiers(gold);
    plans.push(p);

    let mut p = draft(
        "EMEA security margin",
        Commission,
        "EUR",
        Margin,
        Graduated {
            bands: bands(&[(0, dec!(0.06)), (10_000, dec!(0.08)), (60_000, dec!(0.11))]),
        },
        Payee::Both,
    );
    p.eligibility.regions = regions(&["emea"]);
    p.filter = families(&["security"]);
    p.filter.customer_regions = regions(&["emea"]);
    p.cap = Some(dec!(15000));
    plans.push(p);

    let mut p = draft(
        "Referral fee",
        Commission,
        "USD",
        NetAmount,
        Rate { rate: dec!(0.05) },
        Payee::Reseller,
    );
    p.eligibility.partner_types = vec![T::Referral];
    p.filter.new_customers_only = true;
    plans.push(p);

    plans
}

/// The largest holding period of the plans (returns up to that many days after the
/// period can count in it).
pub fn max_holding_days(plans: &[Plan]) -> u32 {
    plans.iter().map(|p| p.holding_days).max().unwrap_or(0)
}

/// Every plan valid by the domain's rules, and every number within the places the SQL
/// tables hold.
pub fn check(plans: &[Plan]) -> Result<(), String> {
    let fits = |value: Decimal, places: u32, what: &str, plan: &Plan| {
        if value.normalize().scale() > places {
            Err(format!(
                "{}: {what} {value} has more than {places} decimal places",
                plan.name
            ))
        } else {
            Ok(())
        }
    };
    for plan in plans {
        plan.validate().map_err(|errors| format!("{}: {errors:?}", plan.name))?;
        match &plan.calculation {
            Calculation::Rate { rate } => fits(*rate, RATE_PLACES, "rate", plan)?,
            Calculation::PerUnit { amount } => fits(*amount, RATE_PLACES, "amount per unit", plan)?,
            Calculation::Graduated { bands } | Calculation::Retroactive { bands } => {
                for band in bands {
                    fits(band.rate, RATE_PLACES, "band rate", plan)?;
                    fits(band.from, AMOUNT_PLACES, "band edge", plan)?;
                }
            }
            Calculation::ThresholdBonus { steps } => {
                for step in steps {
                    fits(step.target, AMOUNT_PLACES, "target", plan)?;
                    fits(step.amount, AMOUNT_PLACES, "bonus", plan)?;
                }
            }
        }
        for multiplier in plan.tier.iter().flat_map(|t| &t.multipliers) {
            fits(*multiplier, AMOUNT_PLACES, "multiplier", plan)?;
        }
        if let Some(cap) = plan.cap {
            fits(cap, AMOUNT_PLACES, "cap", plan)?;
        }
    }
    Ok(())
}
