//! A plan's definition in words, as the plan page and its version history show it:
//! "Graduated: 0–100,000 at 2 %, 100,000–250,000 at 3 %, from 250,000 at 5 %", who is
//! eligible, which transactions count, the tier multipliers by level name, the cap, the
//! holding period and the payee — so a version can be read without its JSON.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::incentives::{Band, Calculation, Measure, Plan, PlanKind};
use tributary_domain::money::group_thousands;
use tributary_store::repo::{regions, segments, tier_structures};

use crate::error::AppResult;
use crate::state::AppState;

/// A number as people read it: no trailing zeros, thousands grouped ("100,000", "2.5").
pub fn number_text(value: Decimal) -> String {
    group_thousands(&value.normalize().to_string())
}

/// A rate (a fraction) as a percentage: 0.025 → "2.5 %".
pub fn percent_text(rate: Decimal) -> String {
    format!("{} %", number_text(rate * Decimal::ONE_HUNDRED))
}

/// What a plan's measure is counted in: its currency, "units", or the custom metric.
pub fn measure_unit(plan: &Plan) -> String {
    match &plan.measure {
        Measure::NetAmount | Measure::Margin => plan.currency.code().to_string(),
        Measure::Quantity => "units".to_string(),
        Measure::CustomMetric { name } => name.clone(),
    }
}

/// What a plan's calculation amounts are in: points, or the plan currency.
pub fn amount_unit(plan: &Plan) -> String {
    if plan.kind == PlanKind::Points {
        "points".to_string()
    } else {
        plan.currency.code().to_string()
    }
}

fn bands_text(bands: &[Band]) -> String {
    bands
        .iter()
        .map(|band| match band.to {
            Some(to) => format!(
                "{}–{} at {}",
                number_text(band.from),
                number_text(to),
                percent_text(band.rate)
            ),
            None => format!("from {} at {}", number_text(band.from), percent_text(band.rate)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The calculation in one sentence.
pub fn calculation_text(plan: &Plan) -> String {
    let amounts = amount_unit(plan);
    match &plan.calculation {
        Calculation::Rate { rate } => format!("Rate: {} of the measure", percent_text(*rate)),
        Calculation::Graduated { bands } => format!("Graduated: {}", bands_text(bands)),
        Calculation::Retroactive { bands } => format!(
            "Retroactive: {} (the highest band reached applies to the whole measure)",
            bands_text(bands)
        ),
        Calculation::PerUnit { amount } => format!("Per unit: {} {amounts} per unit", number_text(*amount)),
        Calculation::ThresholdBonus { steps } => format!(
            "Threshold bonus: {} (the highest step reached, not cumulative)",
            steps
                .iter()
                .map(|s| format!("{} {amounts} from {}", number_text(s.amount), number_text(s.target)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The names plan pages show instead of codes and ids.
#[derive(Debug, Default)]
pub struct Names {
    regions: HashMap<String, String>,
    segments: HashMap<String, String>,
    /// Tier structure id → its name and level names.
    structures: HashMap<String, (String, Vec<String>)>,
}

impl Names {
    pub async fn load(state: &AppState) -> AppResult<Self> {
        let mut pooled = state.db.acquire().await?;
        let mut conn = pooled.conn();
        Ok(Self {
            regions: regions::list(&mut conn)
                .await?
                .into_iter()
                .map(|r| (r.code, r.name))
                .collect(),
            segments: segments::list(&mut conn)
                .await?
                .into_iter()
                .map(|s| (s.id, s.fields.name))
                .collect(),
            structures: tier_structures::list(&mut conn, None)
                .await?
                .into_iter()
                .map(|s| {
                    let levels = s.definition.levels.iter().map(|l| l.name.clone()).collect();
                    (s.id, (s.definition.name, levels))
                })
                .collect(),
        })
    }

    fn region(&self, code: &str) -> String {
        self.regions.get(code).cloned().unwrap_or_else(|| code.to_string())
    }

    /// The name of level `index` of tier structure `structure_id` ("level 3" when unknown).
    pub fn level(&self, structure_id: &str, index: usize) -> String {
        self.structures
            .get(structure_id)
            .and_then(|(_, levels)| levels.get(index).cloned())
            .unwrap_or_else(|| format!("level {}", index + 1))
    }

    pub fn structure(&self, structure_id: &str) -> String {
        self.structures
            .get(structure_id)
            .map_or_else(|| structure_id.to_string(), |(name, _)| name.clone())
    }
}

/// One labelled line of a definition.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Term {
    pub label: &'static str,
    pub text: String,
}

fn joined(items: impl IntoIterator<Item = String>, separator: &str) -> String {
    items.into_iter().collect::<Vec<_>>().join(separator)
}

/// Every term of a plan in words, in the order the form asks for them.
pub fn describe(plan: &Plan, names: &Names) -> Vec<Term> {
    let mut terms = vec![Term {
        label: "Kind",
        text: format!(
            "{}, {} in {}",
            plan.kind.label(),
            plan.period.label().to_lowercase(),
            plan.currency.code()
        ),
    }];
    terms.push(Term {
        label: "Effective",
        text: match plan.effective_until {
            Some(until) => format!("{} to {until}", plan.effective_from),
            None => format!("from {} (open-ended)", plan.effective_from),
        },
    });
    let e = &plan.eligibility;
    let mut who = Vec::new();
    if !e.partner_types.is_empty() {
        who.push(joined(e.partner_types.iter().map(|t| t.label().to_string()), " or "));
    }
    if !e.regions.is_empty() {
        who.push(format!(
            "in {}",
            joined(e.regions.iter().map(|r| names.region(r)), " or ")
        ));
    }
    if let Some(id) = &e.segment_id {
        who.push(format!(
            "in the segment {}",
            names.segments.get(id).cloned().unwrap_or_else(|| id.clone())
        ));
    }
    if let (Some(level), Some(tier)) = (e.minimum_tier, &plan.tier) {
        who.push(format!("at {} or above", names.level(&tier.structure_id, level)));
    }
    if e.requires_agreement {
        who.push("having accepted the program agreement".into());
    }
    terms.push(Term {
        label: "Eligible",
        text: if who.is_empty() {
            "every partner".into()
        } else {
            joined(who, ", ")
        },
    });
    let f = &plan.filter;
    let mut which = Vec::new();
    if !f.product_families.is_empty() {
        which.push(format!("product families {}", f.product_families.join(", ")));
    }
    if !f.skus.is_empty() {
        which.push(format!("SKUs {}", f.skus.join(", ")));
    }
    if !f.customer_regions.is_empty() {
        which.push(format!(
            "customers in {}",
            joined(f.customer_regions.iter().map(|r| names.region(r)), " or ")
        ));
    }
    if f.registered_deals_only {
        which.push("registered deals only".into());
    }
    if f.new_customers_only {
        which.push("new customers only".into());
    }
    terms.push(Term {
        label: "Transactions",
        text: if which.is_empty() {
            "every sale".into()
        } else {
            joined(which, "; ")
        },
    });
    terms.push(Term {
        label: "Measure",
        text: match &plan.measure {
            Measure::NetAmount => format!("net amount in {}", plan.currency.code()),
            Measure::Quantity => "quantity (units)".into(),
            Measure::Margin => format!("margin in {}", plan.currency.code()),
            Measure::CustomMetric { name } => format!("the sum of the custom metric '{name}'"),
        },
    });
    terms.push(Term {
        label: "Calculation",
        text: calculation_text(plan),
    });
    if let Some(tier) = &plan.tier {
        let multipliers = joined(
            tier.multipliers
                .iter()
                .enumerate()
                .map(|(level, m)| format!("{} × {}", names.level(&tier.structure_id, level), number_text(*m))),
            ", ",
        );
        terms.push(Term {
            label: "Tier multiplier",
            text: format!(
                "{}: {}",
                names.structure(&tier.structure_id),
                if multipliers.is_empty() {
                    "× 1 at every level".to_string()
                } else {
                    format!("{multipliers} (other levels × 1)")
                }
            ),
        });
    }
    terms.push(Term {
        label: "Cap",
        text: plan.cap.map_or("none".into(), |cap| {
            format!("{} {} per partner per period", number_text(cap), amount_unit(plan))
        }),
    });
    terms.push(Term {
        label: "Holding period",
        text: match plan.holding_days {
            0 => "payable at the period's end".into(),
            1 => "1 day".into(),
            days => format!("{days} days"),
        },
    });
    terms.push(Term {
        label: "Payee",
        text: plan.payee.label().to_string(),
    });
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::dec;
    use tributary_domain::incentives::{BonusStep, Eligibility, Payee, PeriodKind, TierLink, TransactionFilter};
    use tributary_domain::money::Currency;

    fn worked() -> Plan {
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
            calculation: Calculation::Graduated {
                bands: vec![
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
                ],
            },
            tier: None,
            cap: Some(dec!(12000)),
            holding_days: 30,
            payee: Payee::Reseller,
        }
    }

    #[test]
    fn calculations_read_as_sentences() {
        let mut plan = worked();
        assert_eq!(
            calculation_text(&plan),
            "Graduated: 0–100,000 at 2 %, 100,000–250,000 at 3 %, from 250,000 at 5 %"
        );
        plan.calculation = Calculation::Rate { rate: dec!(0.025) };
        assert_eq!(calculation_text(&plan), "Rate: 2.5 % of the measure");
        plan.calculation = Calculation::ThresholdBonus {
            steps: vec![BonusStep {
                target: dec!(10),
                amount: dec!(1500),
            }],
        };
        assert_eq!(
            calculation_text(&plan),
            "Threshold bonus: 1,500 USD from 10 (the highest step reached, not cumulative)"
        );
        plan.kind = PlanKind::Points;
        plan.calculation = Calculation::PerUnit { amount: dec!(5) };
        assert_eq!(calculation_text(&plan), "Per unit: 5 points per unit");
    }

    #[test]
    fn terms_name_levels_and_defaults() {
        let mut plan = worked();
        plan.tier = Some(TierLink {
            structure_id: "s1".into(),
            multipliers: vec![dec!(1), dec!(1.2)],
        });
        plan.eligibility.minimum_tier = Some(1);
        let names = Names {
            structures: HashMap::from([(
                "s1".to_string(),
                ("Program".to_string(), vec!["Silver".into(), "Gold".into()]),
            )]),
            ..Default::default()
        };
        let terms = describe(&plan, &names);
        let text = |label: &str| terms.iter().find(|t| t.label == label).unwrap().text.clone();
        assert_eq!(text("Eligible"), "at Gold or above");
        assert_eq!(text("Transactions"), "every sale");
        assert_eq!(
            text("Tier multiplier"),
            "Program: Silver × 1, Gold × 1.2 (other levels × 1)"
        );
        assert_eq!(text("Cap"), "12,000 USD per partner per period");
        assert_eq!(text("Holding period"), "30 days");
    }
}
