//! Step 2 of the close: the amount a period's measure earns under a plan's calculation,
//! with the working shown (each band's base, rate and amount) so a statement can explain it.
//! Bands apply to a measure ≥ 0; a negative measure (returns exceeded sales) earns
//! measure × the first band's rate (a clawback), and a threshold bonus is then 0.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::plan::{Band, Calculation};

/// One term of the calculation: `base × rate = amount` (a threshold bonus has no rate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CalculationPart {
    /// What the term is, e.g. "band 100000–250000", "rate", "step ≥ 500".
    pub label: String,
    #[schema(value_type = String)]
    pub base: Decimal,
    #[schema(value_type = Option<String>)]
    pub rate: Option<Decimal>,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

/// The amount and its working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Calculated {
    #[schema(value_type = String)]
    pub amount: Decimal,
    pub parts: Vec<CalculationPart>,
}

fn band_label(band: &Band) -> String {
    match band.to {
        Some(to) => format!("band {}–{}", band.from, to),
        None => format!("band ≥ {}", band.from),
    }
}

fn part(label: String, base: Decimal, rate: Decimal) -> CalculationPart {
    CalculationPart {
        label,
        base,
        rate: Some(rate),
        amount: base * rate,
    }
}

/// The amount `measure` earns under `calculation`.
pub fn calculate(calculation: &Calculation, measure: Decimal) -> Calculated {
    let parts = match calculation {
        Calculation::Rate { rate } => vec![part("rate".into(), measure, *rate)],
        Calculation::PerUnit { amount } => vec![part("per unit".into(), measure, *amount)],
        Calculation::Graduated { bands } | Calculation::Retroactive { bands } if measure < Decimal::ZERO => {
            vec![part(
                format!("clawback at {}", band_label(&bands[0])),
                measure,
                bands[0].rate,
            )]
        }
        Calculation::Graduated { bands } => bands
            .iter()
            .filter(|band| band.from < measure)
            .map(|band| {
                let top = band.to.map_or(measure, |to| to.min(measure));
                part(band_label(band), top - band.from, band.rate)
            })
            .collect(),
        Calculation::Retroactive { bands } => {
            let reached = bands
                .iter()
                .rev()
                .find(|band| band.from <= measure)
                .unwrap_or(&bands[0]);
            vec![part(band_label(reached), measure, reached.rate)]
        }
        Calculation::ThresholdBonus { steps } => {
            let reached = (measure >= Decimal::ZERO)
                .then(|| steps.iter().rev().find(|step| step.target <= measure))
                .flatten();
            reached
                .map(|step| CalculationPart {
                    label: format!("step ≥ {}", step.target),
                    base: measure,
                    rate: None,
                    amount: step.amount,
                })
                .into_iter()
                .collect()
        }
    };
    Calculated {
        amount: parts.iter().map(|p| p.amount).sum(),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incentives::plan::BonusStep;
    use crate::incentives::plan::tests::worked_bands;
    use rust_decimal::dec;

    #[test]
    fn graduated_and_retroactive_match_the_worked_example() {
        let graduated = calculate(&Calculation::Graduated { bands: worked_bands() }, dec!(300000));
        assert_eq!(graduated.amount, dec!(9000));
        let amounts: Vec<Decimal> = graduated.parts.iter().map(|p| p.amount).collect();
        assert_eq!(amounts, [dec!(2000), dec!(4500), dec!(2500)]);
        let retroactive = calculate(&Calculation::Retroactive { bands: worked_bands() }, dec!(300000));
        assert_eq!(retroactive.amount, dec!(15000));
    }

    #[test]
    fn band_edges_belong_to_the_upper_band() {
        let bands = worked_bands();
        let graduated = |m| calculate(&Calculation::Graduated { bands: bands.clone() }, m).amount;
        let retroactive = |m| calculate(&Calculation::Retroactive { bands: bands.clone() }, m).amount;
        assert_eq!(graduated(dec!(100000)), dec!(2000));
        assert_eq!(graduated(dec!(100000.01)), dec!(2000.0003));
        assert_eq!(retroactive(dec!(99999.99)), dec!(1999.9998));
        assert_eq!(retroactive(dec!(100000)), dec!(3000));
        assert_eq!(retroactive(dec!(250000)), dec!(12500));
        assert_eq!(graduated(dec!(0)), dec!(0));
    }

    #[test]
    fn negative_measures_claw_back_at_the_first_rate() {
        let bands = worked_bands();
        assert_eq!(
            calculate(&Calculation::Graduated { bands: bands.clone() }, dec!(-30000)).amount,
            dec!(-600)
        );
        assert_eq!(
            calculate(&Calculation::Retroactive { bands }, dec!(-30000)).amount,
            dec!(-600)
        );
        assert_eq!(
            calculate(&Calculation::Rate { rate: dec!(0.1) }, dec!(-30000)).amount,
            dec!(-3000)
        );
        let steps = vec![BonusStep {
            target: dec!(0),
            amount: dec!(50),
        }];
        assert_eq!(
            calculate(&Calculation::ThresholdBonus { steps }, dec!(-1)).amount,
            dec!(0)
        );
    }

    #[test]
    fn threshold_bonus_pays_the_highest_step_reached_only() {
        let steps = vec![
            BonusStep {
                target: dec!(10),
                amount: dec!(100),
            },
            BonusStep {
                target: dec!(20),
                amount: dec!(250),
            },
        ];
        let bonus = |m| calculate(&Calculation::ThresholdBonus { steps: steps.clone() }, m).amount;
        assert_eq!(bonus(dec!(9.99)), dec!(0));
        assert_eq!(bonus(dec!(10)), dec!(100));
        assert_eq!(bonus(dec!(19)), dec!(100));
        assert_eq!(bonus(dec!(20)), dec!(250));
        assert_eq!(
            calculate(&Calculation::PerUnit { amount: dec!(25) }, dec!(7)).amount,
            dec!(175)
        );
    }
}
