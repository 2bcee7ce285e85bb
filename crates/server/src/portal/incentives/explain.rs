//! The explanation of one statement line: the working of a domain [`Settlement`] written
//! out so every cent can be followed — the measure and how many transactions made it, each
//! term of the calculation ("100,000.00 × 3 % = 3,000.00"), the tier multiplier, the cap,
//! the carry in and out, the conversion at the period-end rate (with its date) and the one
//! half-even rounding, withholding and net. Amounts before the rounding are exact: they
//! show at least the currency's decimals and every further digit they have.

use rust_decimal::Decimal;
use serde::Serialize;
use tributary_domain::incentives::{Calculation, CalculationPart, Plan, PlanKind, Settlement};
use tributary_domain::money::{Currency, group_thousands};

use super::describe::{measure_unit, number_text, percent_text};

/// An exact amount with at least `places` decimals: (2000.0003, 2) → "2,000.0003",
/// (3000, 2) → "3,000.00".
pub fn exact_text(value: Decimal, places: u32) -> String {
    let mut value = value.normalize();
    if value.scale() < places {
        value.rescale(places);
    }
    group_thousands(&value.to_string())
}

/// Numbers inside a calculation part's label grouped: "band 100000–250000" → "Band 100,000–250,000".
fn label_text(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 4);
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| {
        if !number.is_empty() {
            match number.parse::<Decimal>() {
                Ok(value) => out.push_str(&number_text(value)),
                Err(_) => out.push_str(number),
            }
            number.clear();
        }
    };
    for c in label.chars() {
        if c.is_ascii_digit() || (c == '.' && !number.is_empty()) || (c == '-' && number.is_empty()) {
            number.push(c);
        } else {
            flush(&mut number, &mut out);
            out.push(c);
        }
    }
    flush(&mut number, &mut out);
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// One row of the working: what it is, and its arithmetic.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Working {
    pub label: String,
    pub math: String,
}

/// One statement line's explanation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Explanation {
    /// "300,000.00 USD".
    pub measure: String,
    pub fact_count: u64,
    /// The terms of the calculation.
    pub parts: Vec<Working>,
    /// What the calculation came to ("9,000.00 USD").
    pub calculated: String,
    /// Multiplier, cap, carry, conversion, rounding — only those that apply.
    pub steps: Vec<Working>,
    pub gross: String,
    /// "10 % of 1,234.56 = 123.46 EUR", absent when no withholding applies.
    pub withholding: Option<String>,
    pub net: String,
}

/// How the amounts of a line read: the measure's and the plan amounts' decimals and units.
struct Units {
    measure_places: u32,
    measure_unit: String,
    amount_places: u32,
    amount_unit: String,
    per_unit: bool,
}

impl Units {
    fn of(plan: Option<&Plan>) -> Self {
        match plan {
            Some(plan) => {
                let money = plan.currency.minor_units();
                Self {
                    measure_places: if plan.measure.is_monetary() { money } else { 0 },
                    measure_unit: measure_unit(plan),
                    amount_places: if plan.kind == PlanKind::Points { 0 } else { money },
                    amount_unit: if plan.kind == PlanKind::Points {
                        "points".into()
                    } else {
                        plan.currency.code().into()
                    },
                    per_unit: matches!(plan.calculation, Calculation::PerUnit { .. }),
                }
            }
            None => Self {
                measure_places: 0,
                measure_unit: String::new(),
                amount_places: 0,
                amount_unit: String::new(),
                per_unit: false,
            },
        }
    }

    fn measure(&self, value: Decimal) -> String {
        with_unit(exact_text(value, self.measure_places), &self.measure_unit)
    }

    fn amount(&self, value: Decimal) -> String {
        exact_text(value, self.amount_places)
    }

    fn amount_with_unit(&self, value: Decimal) -> String {
        with_unit(self.amount(value), &self.amount_unit)
    }
}

fn with_unit(text: String, unit: &str) -> String {
    if unit.is_empty() {
        text
    } else {
        format!("{text} {unit}")
    }
}

fn part_working(part: &CalculationPart, units: &Units) -> Working {
    let base = exact_text(part.base, units.measure_places);
    let math = match part.rate {
        Some(rate) if units.per_unit => format!("{base} × {} = {}", units.amount(rate), units.amount(part.amount)),
        Some(rate) => format!("{base} × {} = {}", percent_text(rate), units.amount(part.amount)),
        None => format!("{base} reached: {}", units.amount(part.amount)),
    };
    Working {
        label: label_text(&part.label),
        math,
    }
}

/// The explanation of `settlement`, read with its plan (`None` when the plan version is
/// not known: amounts then show as they are, without units).
pub fn explain(settlement: &Settlement, plan: Option<&Plan>) -> Explanation {
    let units = Units::of(plan);
    let s = settlement;
    let mut steps = Vec::new();
    if s.multiplier != Decimal::ONE {
        steps.push(Working {
            label: "Tier multiplier".into(),
            math: format!(
                "{} × {} = {}",
                units.amount(s.calculation.amount),
                number_text(s.multiplier),
                units.amount(s.multiplied)
            ),
        });
    }
    if let Some(cap) = s.cap {
        steps.push(Working {
            label: "Cap".into(),
            math: if s.capped < s.multiplied {
                format!(
                    "{} capped at {} = {}",
                    units.amount(s.multiplied),
                    units.amount(cap),
                    units.amount(s.capped)
                )
            } else {
                format!("{} is within the cap of {}", units.amount(s.capped), units.amount(cap))
            },
        });
    }
    if !s.carry_in.is_zero() {
        steps.push(Working {
            label: "Carried in".into(),
            math: format!(
                "{} + ({}) carried from earlier periods = {}",
                units.amount(s.capped),
                units.amount(s.carry_in),
                units.amount(s.total)
            ),
        });
    }
    if !s.carry_out.is_zero() {
        steps.push(Working {
            label: "Carried forward".into(),
            math: format!(
                "{} is negative: this period pays 0 and carries {} to the next",
                units.amount(s.total),
                units.amount(s.carry_out)
            ),
        });
    }
    let payout_places = Currency::parse(&s.unit).map_or(0, |c| c.minor_units());
    let gross = with_unit(exact_text(s.gross, payout_places), &s.unit);
    match (s.fx_rate, s.fx_date, plan) {
        (Some(rate), Some(date), Some(plan)) if plan.currency.code() != s.unit || rate != Decimal::ONE => {
            steps.push(Working {
                label: "Exchange rate".into(),
                math: format!(
                    "1 {} = {} {} (rate on or before {date})",
                    plan.currency.code(),
                    number_text(rate),
                    s.unit
                ),
            });
            steps.push(Working {
                label: "Converted and rounded".into(),
                math: format!(
                    "{} × {} = {} → {gross} (half-even)",
                    units.amount(s.payable),
                    number_text(rate),
                    exact_text(s.payable * rate, payout_places),
                ),
            });
        }
        _ if s.payable != s.gross => steps.push(Working {
            label: "Rounded".into(),
            math: format!("{} → {gross} (half-even)", units.amount(s.payable)),
        }),
        _ => {}
    }
    let withholding = (!s.withholding_rate.is_zero()).then(|| {
        format!(
            "{} of {gross} = {}",
            percent_text(s.withholding_rate),
            with_unit(exact_text(s.withholding, payout_places), &s.unit)
        )
    });
    Explanation {
        measure: units.measure(s.measure),
        fact_count: s.fact_count,
        parts: s.calculation.parts.iter().map(|p| part_working(p, &units)).collect(),
        calculated: units.amount_with_unit(s.calculation.amount),
        steps,
        withholding,
        net: with_unit(exact_text(s.net, payout_places), &s.unit),
        gross,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::dec;
    use tributary_domain::incentives::{
        Band, Eligibility, Measure, PartnerTerms, Payee, PeriodKind, TierLink, TransactionFilter, settle,
    };
    use tributary_domain::tiering::RateTable;

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    fn plan(calculation: Calculation) -> Plan {
        Plan {
            name: "Resale commission".into(),
            kind: PlanKind::Commission,
            currency: currency("USD"),
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

    fn worked_bands() -> Vec<Band> {
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

    fn end() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
    }

    #[test]
    fn the_worked_example_reads_band_by_band_with_fx_and_withholding() {
        let mut graduated = plan(Calculation::Graduated { bands: worked_bands() });
        graduated.tier = Some(TierLink {
            structure_id: "program".into(),
            multipliers: vec![dec!(1), dec!(1.1), dec!(1.2)],
        });
        graduated.cap = Some(dec!(12000));
        let mut rates = RateTable::with_base(currency("USD"));
        rates.insert(currency("USD"), currency("EUR"), end(), dec!(0.92));
        let terms = PartnerTerms {
            tier_level: Some(2),
            payout_currency: currency("EUR"),
            withholding_rate: dec!(0.1),
        };
        let s = settle(&graduated, dec!(300000), 12, &terms, dec!(0), end(), &rates).unwrap();
        let e = explain(&s, Some(&graduated));
        assert_eq!(e.measure, "300,000.00 USD");
        assert_eq!(e.fact_count, 12);
        let parts: Vec<(String, String)> = e.parts.into_iter().map(|w| (w.label, w.math)).collect();
        assert_eq!(
            parts,
            [
                ("Band 0–100,000".into(), "100,000.00 × 2 % = 2,000.00".into()),
                ("Band 100,000–250,000".into(), "150,000.00 × 3 % = 4,500.00".into()),
                ("Band ≥ 250,000".into(), "50,000.00 × 5 % = 2,500.00".into()),
            ]
        );
        assert_eq!(e.calculated, "9,000.00 USD");
        let steps: Vec<String> = e.steps.iter().map(|w| format!("{}: {}", w.label, w.math)).collect();
        assert_eq!(
            steps,
            [
                "Tier multiplier: 9,000.00 × 1.2 = 10,800.00",
                "Cap: 10,800.00 is within the cap of 12,000.00",
                "Exchange rate: 1 USD = 0.92 EUR (rate on or before 2026-03-31)",
                "Converted and rounded: 10,800.00 × 0.92 = 9,936.00 → 9,936.00 EUR (half-even)",
            ]
        );
        assert_eq!(e.gross, "9,936.00 EUR");
        assert_eq!(e.withholding.as_deref(), Some("10 % of 9,936.00 EUR = 993.60 EUR"));
        assert_eq!(e.net, "8,942.40 EUR");
    }

    #[test]
    fn caps_carries_and_rounding_are_spelled_out() {
        let mut retroactive = plan(Calculation::Retroactive { bands: worked_bands() });
        retroactive.cap = Some(dec!(12000));
        let rates = RateTable::default();
        let terms = PartnerTerms {
            tier_level: None,
            payout_currency: currency("USD"),
            withholding_rate: dec!(0),
        };
        let s = settle(&retroactive, dec!(300000), 3, &terms, dec!(-500), end(), &rates).unwrap();
        let e = explain(&s, Some(&retroactive));
        let steps: Vec<String> = e.steps.iter().map(|w| format!("{}: {}", w.label, w.math)).collect();
        assert_eq!(
            steps,
            [
                "Cap: 15,000.00 capped at 12,000.00 = 12,000.00",
                "Carried in: 12,000.00 + (-500.00) carried from earlier periods = 11,500.00",
            ]
        );
        assert_eq!((e.gross.as_str(), e.withholding), ("11,500.00 USD", None));

        let ten_percent = plan(Calculation::Rate { rate: dec!(0.1) });
        let s = settle(&ten_percent, dec!(-30000), 2, &terms, dec!(0), end(), &rates).unwrap();
        let e = explain(&s, Some(&ten_percent));
        assert_eq!(e.parts[0].math, "-30,000.00 × 10 % = -3,000.00");
        assert_eq!(
            e.steps[0].math,
            "-3,000.00 is negative: this period pays 0 and carries -3,000.00 to the next"
        );

        let s = settle(&ten_percent, dec!(12345.65), 1, &terms, dec!(0), end(), &rates).unwrap();
        let e = explain(&s, Some(&ten_percent));
        assert_eq!(e.parts[0].math, "12,345.65 × 10 % = 1,234.565");
        assert_eq!(e.steps[0].math, "1,234.565 → 1,234.56 USD (half-even)");
    }

    #[test]
    fn per_unit_and_points_lines_read_in_their_units() {
        let mut per_unit = plan(Calculation::PerUnit { amount: dec!(25) });
        per_unit.measure = Measure::Quantity;
        let terms = PartnerTerms {
            tier_level: None,
            payout_currency: currency("USD"),
            withholding_rate: dec!(0),
        };
        let s = settle(&per_unit, dec!(7), 7, &terms, dec!(0), end(), &RateTable::default()).unwrap();
        let e = explain(&s, Some(&per_unit));
        assert_eq!(e.measure, "7 units");
        assert_eq!(e.parts[0].math, "7 × 25.00 = 175.00");
        let mut points = plan(Calculation::Rate { rate: dec!(0.015) });
        points.kind = PlanKind::Points;
        let s = settle(&points, dec!(1700), 1, &terms, dec!(0), end(), &RateTable::default()).unwrap();
        let e = explain(&s, Some(&points));
        assert_eq!(e.parts[0].math, "1,700.00 × 1.5 % = 25.5");
        assert_eq!(e.steps[0].math, "25.5 → 26 PTS (half-even)");
        assert_eq!(label_text("step ≥ 1500"), "Step ≥ 1,500");
        assert_eq!(exact_text(dec!(2000.0003), 2), "2,000.0003");
    }
}
