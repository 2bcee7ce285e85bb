//! Incentive plans as validated data (PRODUCT.md §5): what kind of payment, in which
//! currency and period, for which partners (eligibility), on which transactions (filter),
//! measured how, calculated how, scaled by tier, capped, held, and paid to whom.
//! [`Plan::validate`] refuses a plan that cannot be closed sensibly and names the field.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::period::PeriodKind;
use crate::money::Currency;
use crate::partner::PartnerType;
use crate::validation::{Errors, FieldError};

crate::code_enum! {
    /// What a plan pays.
    pub enum PlanKind ("plan kind") {
        Commission => ("commission", "Commission"),
        Rebate => ("rebate", "Rebate"),
        Bonus => ("bonus", "Bonus"),
        Spiff => ("spiff", "SPIFF"),
        Points => ("points", "Points"),
    }
}

crate::code_enum! {
    /// Who is paid on a two-tier sale.
    pub enum Payee ("payee") {
        Reseller => ("reseller", "The selling partner"),
        Distributor => ("distributor", "The distributor"),
        Both => ("both", "Reseller and distributor"),
    }
}

/// What a plan measures over a period's matching transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// Sales minus returns, each converted to the plan currency at its date's rate.
    NetAmount,
    /// Units sold minus units returned.
    Quantity,
    /// Amount minus cost, each converted at its date's rate (every fact needs a cost).
    Margin,
    /// The sum of a custom metric's facts in the period (installations, trainings …).
    CustomMetric { name: String },
}

impl Measure {
    /// Whether the measure is money in the plan currency (so FX applies).
    pub fn is_monetary(&self) -> bool {
        matches!(self, Measure::NetAmount | Measure::Margin)
    }
}

/// `[from, to) → rate`; `to` absent is unbounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Band {
    #[schema(value_type = String)]
    pub from: Decimal,
    #[schema(value_type = Option<String>)]
    pub to: Option<Decimal>,
    #[schema(value_type = String)]
    pub rate: Decimal,
}

/// A fixed amount paid once the measure reaches `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BonusStep {
    #[schema(value_type = String)]
    pub target: Decimal,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

/// How the measure becomes an amount (step 2 of the close).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Calculation {
    /// measure × rate.
    Rate {
        #[schema(value_type = String)]
        rate: Decimal,
    },
    /// Each band's rate on the part of the measure inside it.
    Graduated { bands: Vec<Band> },
    /// The rate of the highest band reached, on the whole measure.
    Retroactive { bands: Vec<Band> },
    /// measure × amount per unit.
    PerUnit {
        #[schema(value_type = String)]
        amount: Decimal,
    },
    /// The amount of the highest step reached (steps are not cumulative).
    ThresholdBonus { steps: Vec<BonusStep> },
}

/// Which transactions count: every non-empty criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct TransactionFilter {
    pub product_families: Vec<String>,
    pub skus: Vec<String>,
    /// Region codes the customer account's country must be in.
    pub customer_regions: Vec<String>,
    pub registered_deals_only: bool,
    /// Only sales to accounts whose first sale by the payee falls in the period.
    pub new_customers_only: bool,
}

/// Which partners a plan pays (as of the period's last day): every criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Eligibility {
    pub partner_types: Vec<PartnerType>,
    /// Region codes the partner's head-office country must be in.
    pub regions: Vec<String>,
    pub segment_id: Option<String>,
    /// The lowest level (index in the plan's tier structure) that qualifies.
    pub minimum_tier: Option<usize>,
    /// Whether the partner must have accepted the program agreement.
    pub requires_agreement: bool,
}

/// The tier structure a plan reads levels from, and a multiplier per level (1 when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TierLink {
    pub structure_id: String,
    #[schema(value_type = Vec<String>)]
    pub multipliers: Vec<Decimal>,
}

impl TierLink {
    pub fn multiplier(&self, level: Option<usize>) -> Decimal {
        level
            .and_then(|l| self.multipliers.get(l).copied())
            .unwrap_or(Decimal::ONE)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Plan {
    pub name: String,
    pub kind: PlanKind,
    /// The currency the measure and calculation are in (points plans measure in it too).
    #[schema(value_type = String)]
    pub currency: Currency,
    pub period: PeriodKind,
    pub effective_from: NaiveDate,
    /// Last day the plan applies (open-ended when absent).
    #[serde(default)]
    pub effective_until: Option<NaiveDate>,
    #[serde(default)]
    pub eligibility: Eligibility,
    #[serde(default)]
    pub filter: TransactionFilter,
    pub measure: Measure,
    pub calculation: Calculation,
    #[serde(default)]
    pub tier: Option<TierLink>,
    /// The most one partner earns per period, in the plan currency, after the multiplier.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub cap: Option<Decimal>,
    /// Days after the period's end before earnings become payable; returns dated inside
    /// them are netted against the period first.
    #[serde(default)]
    pub holding_days: u32,
    pub payee: Payee,
}

/// The longest holding period (a year).
pub const MAX_HOLDING_DAYS: u32 = 366;

impl Plan {
    /// Whether the plan applies to a period from `start` to `end`.
    pub fn applies(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.effective_from <= end && self.effective_until.is_none_or(|until| until >= start)
    }

    /// Every problem, each naming the field concerned.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.add("name", "is required");
        } else if self.name.chars().count() > 120 {
            errors.add("name", "must be at most 120 characters");
        }
        if self.effective_until.is_some_and(|until| until < self.effective_from) {
            errors.add("effective_until", "must not be before effective_from");
        }
        if let Measure::CustomMetric { name } = &self.measure
            && name.trim().is_empty()
        {
            errors.add("measure.name", "name the custom metric whose facts are summed");
        }
        if matches!(self.measure, Measure::CustomMetric { .. }) && self.payee != Payee::Reseller {
            errors.add(
                "payee",
                "a custom-metric plan pays the partner the facts belong to (reseller)",
            );
        }
        check_calculation(&self.calculation, &mut errors);
        if let Some(tier) = &self.tier {
            if tier.structure_id.trim().is_empty() {
                errors.add("tier.structure_id", "name the tier structure whose levels apply");
            }
            for (level, multiplier) in tier.multipliers.iter().enumerate() {
                if *multiplier < Decimal::ZERO {
                    errors.add(
                        "tier.multipliers",
                        format!("level {level}: a multiplier must not be negative"),
                    );
                }
            }
        }
        if self.eligibility.minimum_tier.is_some() && self.tier.is_none() {
            errors.add(
                "eligibility.minimum_tier",
                "needs the plan's tier structure (tier.structure_id)",
            );
        }
        if self.cap.is_some_and(|cap| cap < Decimal::ZERO) {
            errors.add("cap", "must not be negative");
        }
        if self.holding_days > MAX_HOLDING_DAYS {
            errors.add("holding_days", format!("must be at most {MAX_HOLDING_DAYS}"));
        }
        for (i, region) in self.filter.customer_regions.iter().enumerate() {
            if region.trim().is_empty() {
                errors.add("filter.customer_regions", format!("entry {} is blank", i + 1));
            }
        }
        errors.finish(|| ())
    }
}

fn check_calculation(calculation: &Calculation, errors: &mut Errors) {
    match calculation {
        Calculation::Rate { rate } => {
            if *rate < Decimal::ZERO {
                errors.add("calculation.rate", "must not be negative");
            }
        }
        Calculation::PerUnit { amount } => {
            if *amount < Decimal::ZERO {
                errors.add("calculation.amount", "must not be negative");
            }
        }
        Calculation::Graduated { bands } | Calculation::Retroactive { bands } => check_bands(bands, errors),
        Calculation::ThresholdBonus { steps } => {
            if steps.is_empty() {
                errors.add("calculation.steps", "give at least one step");
            }
            for (i, step) in steps.iter().enumerate() {
                let field = format!("calculation.steps[{i}]");
                if step.target < Decimal::ZERO {
                    errors.add(&field, "the target must not be negative");
                }
                if step.amount < Decimal::ZERO {
                    errors.add(&field, "the amount must not be negative");
                }
                if i > 0 && step.target <= steps[i - 1].target {
                    errors.add(&field, "targets must increase from step to step");
                }
            }
        }
    }
}

fn check_bands(bands: &[Band], errors: &mut Errors) {
    if bands.is_empty() {
        errors.add("calculation.bands", "give at least one band");
        return;
    }
    if !bands[0].from.is_zero() {
        errors.add("calculation.bands[0]", "the first band must start at 0");
    }
    for (i, band) in bands.iter().enumerate() {
        let field = format!("calculation.bands[{i}]");
        if band.rate < Decimal::ZERO {
            errors.add(&field, "the rate must not be negative");
        }
        match (band.to, bands.get(i + 1)) {
            (Some(to), _) if to <= band.from => errors.add(&field, "'to' must be above 'from'"),
            (Some(to), Some(next)) if next.from != to => {
                errors.add(&field, format!("the next band must start where this one ends ({to})"))
            }
            (None, Some(_)) => errors.add(&field, "only the last band may be open-ended"),
            (Some(_), None) => errors.add(&field, "the last band must be open-ended (leave 'to' empty)"),
            _ => {}
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rust_decimal::dec;

    pub(crate) fn worked_bands() -> Vec<Band> {
        vec![
            Band {
                from: dec!(0),
                to: Some(dec!(100000)),
                rate: dec!(0.02),
            },
            Band {
                from: dec!(100000),
                to: Some(dec!(250000)),
                rate: dec!(0.03),
            },
            Band {
                from: dec!(250000),
                to: None,
                rate: dec!(0.05),
            },
        ]
    }

    pub(crate) fn plan(calculation: Calculation) -> Plan {
        Plan {
            name: "Resale commission".into(),
            kind: PlanKind::Commission,
            currency: Currency::parse("USD").unwrap(),
            period: PeriodKind::Quarter,
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            effective_until: None,
            eligibility: Eligibility::default(),
            filter: TransactionFilter::default(),
            measure: Measure::NetAmount,
            calculation,
            tier: None,
            cap: None,
            holding_days: 0,
            payee: Payee::Reseller,
        }
    }

    fn fields(plan: &Plan) -> Vec<String> {
        plan.validate().unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_well_formed_plan_passes() {
        assert!(
            plan(Calculation::Graduated { bands: worked_bands() })
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn bad_plans_name_the_field() {
        let mut gap = worked_bands();
        gap[1].from = dec!(120000);
        assert_eq!(
            fields(&plan(Calculation::Graduated { bands: gap })),
            ["calculation.bands[0]"]
        );
        let mut closed = worked_bands();
        closed[2].to = Some(dec!(900000));
        assert_eq!(
            fields(&plan(Calculation::Retroactive { bands: closed })),
            ["calculation.bands[2]"]
        );
        assert_eq!(
            fields(&plan(Calculation::Rate { rate: dec!(-0.1) })),
            ["calculation.rate"]
        );
        let steps = vec![
            BonusStep {
                target: dec!(500),
                amount: dec!(100),
            },
            BonusStep {
                target: dec!(500),
                amount: dec!(200),
            },
        ];
        assert_eq!(
            fields(&plan(Calculation::ThresholdBonus { steps })),
            ["calculation.steps[1]"]
        );
        let mut p = plan(Calculation::Rate { rate: dec!(0.1) });
        p.eligibility.minimum_tier = Some(2);
        p.cap = Some(dec!(-1));
        p.name = " ".into();
        assert_eq!(fields(&p), ["name", "eligibility.minimum_tier", "cap"]);
    }
}
