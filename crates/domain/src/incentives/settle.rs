//! Steps 2–7 of the close for one (partner, plan, period), in the fixed order PRODUCT.md §5
//! gives so that any two correct implementations agree to the cent: calculation, tier
//! multiplier, cap, carry of earlier negatives, conversion to the payout currency at the
//! period's end rate, half-even rounding to the minor unit, withholding as its own line.
//! Exact decimals until that one rounding. Points plans pay whole points, with no FX and
//! no withholding.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calculation::{Calculated, calculate};
use super::plan::{Plan, PlanKind};
use crate::money::Currency;
use crate::tiering::{MetricError, RateTable};

/// What the close needs to know of one eligible partner, as of the period's last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerTerms {
    /// Level in the plan's tier structure, if the plan has one and the partner a level.
    pub tier_level: Option<usize>,
    pub payout_currency: Currency,
    /// Withholding rate of the partner's tax country (0 where none is configured).
    pub withholding_rate: Decimal,
}

/// The unit a points plan pays in.
pub const POINTS_UNIT: &str = "PTS";

/// The whole working of one (partner, plan, period), from measure to net.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Settlement {
    /// `m`, in the plan currency (or units / points of the measure).
    #[schema(value_type = String)]
    pub measure: Decimal,
    /// Transactions (or metric facts) behind the measure.
    pub fact_count: u64,
    pub calculation: Calculated,
    #[schema(value_type = String)]
    pub multiplier: Decimal,
    #[schema(value_type = String)]
    pub multiplied: Decimal,
    #[schema(value_type = Option<String>)]
    pub cap: Option<Decimal>,
    /// After the cap.
    #[schema(value_type = String)]
    pub capped: Decimal,
    /// The negative balance carried in from earlier periods of the plan (≤ 0).
    #[schema(value_type = String)]
    pub carry_in: Decimal,
    /// `t` = capped + carry_in.
    #[schema(value_type = String)]
    pub total: Decimal,
    /// What this period carries forward (≤ 0).
    #[schema(value_type = String)]
    pub carry_out: Decimal,
    /// What the period pays in the plan currency, before conversion (max(t, 0)).
    #[schema(value_type = String)]
    pub payable: Decimal,
    /// The payout currency code, or `PTS` for points.
    pub unit: String,
    /// The plan → payout currency rate used, and the date it was taken as of.
    #[schema(value_type = Option<String>)]
    pub fx_rate: Option<Decimal>,
    pub fx_date: Option<NaiveDate>,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding_rate: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
}

impl Settlement {
    /// Whether the line says anything (a partner with no facts, no carry and no pay has none).
    pub fn is_material(&self) -> bool {
        self.fact_count > 0
            || !self.measure.is_zero()
            || !self.calculation.amount.is_zero()
            || !self.carry_in.is_zero()
            || !self.carry_out.is_zero()
            || !self.gross.is_zero()
    }
}

fn round(amount: Decimal, places: u32) -> Decimal {
    amount.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven)
}

/// Steps 2–7 for a measure `m` already in the plan currency.
pub fn settle(
    plan: &Plan,
    measure: Decimal,
    fact_count: u64,
    terms: &PartnerTerms,
    carry_in: Decimal,
    period_end: NaiveDate,
    rates: &RateTable,
) -> Result<Settlement, MetricError> {
    let calculation = calculate(&plan.calculation, measure);
    let multiplier = plan
        .tier
        .as_ref()
        .map_or(Decimal::ONE, |tier| tier.multiplier(terms.tier_level));
    let multiplied = calculation.amount * multiplier;
    let capped = plan.cap.map_or(multiplied, |cap| multiplied.min(cap));
    let total = capped + carry_in;
    let (payable, carry_out) = if total < Decimal::ZERO {
        (Decimal::ZERO, total)
    } else {
        (total, Decimal::ZERO)
    };
    let (unit, fx_rate, gross, withholding_rate, withholding) = if plan.kind == PlanKind::Points {
        (
            POINTS_UNIT.to_string(),
            None,
            round(payable, 0),
            Decimal::ZERO,
            Decimal::ZERO,
        )
    } else {
        let currency = terms.payout_currency;
        let rate = if payable.is_zero() {
            None
        } else {
            Some(rates.rate(plan.currency, currency, period_end)?)
        };
        let gross = currency.round(payable * rate.unwrap_or(Decimal::ONE));
        let withholding = currency.round(gross * terms.withholding_rate);
        (
            currency.code().to_string(),
            rate,
            gross,
            terms.withholding_rate,
            withholding,
        )
    };
    Ok(Settlement {
        measure,
        fact_count,
        calculation,
        multiplier,
        multiplied,
        cap: plan.cap,
        capped,
        carry_in,
        total,
        carry_out,
        payable,
        unit,
        fx_date: fx_rate.map(|_| period_end),
        fx_rate,
        gross,
        withholding_rate,
        withholding,
        net: gross - withholding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incentives::plan::tests::{plan, worked_bands};
    use crate::incentives::plan::{Calculation, TierLink};
    use rust_decimal::dec;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn terms(currency: &str, withholding: Decimal) -> PartnerTerms {
        PartnerTerms {
            tier_level: Some(2),
            payout_currency: Currency::parse(currency).unwrap(),
            withholding_rate: withholding,
        }
    }

    fn end() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
    }

    #[test]
    fn gold_multiplier_and_cap_match_the_worked_example() {
        let gold = TierLink {
            structure_id: "program".into(),
            multipliers: vec![dec!(1), dec!(1.1), dec!(1.2)],
        };
        let rates = RateTable::default();
        let mut graduated = plan(Calculation::Graduated { bands: worked_bands() });
        graduated.tier = Some(gold.clone());
        graduated.cap = Some(dec!(12000));
        let mut retroactive = graduated.clone();
        retroactive.calculation = Calculation::Retroactive { bands: worked_bands() };
        let settle = |p: &Plan| settle(p, dec!(300000), 1, &terms("USD", dec!(0)), dec!(0), end(), &rates).unwrap();
        assert_eq!(settle(&graduated).gross, dec!(10800.00));
        assert_eq!(settle(&retroactive).gross, dec!(12000.00));
        assert_eq!(settle(&retroactive).multiplied, dec!(18000));
    }

    #[test]
    fn carry_forward_matches_the_worked_example() {
        let ten_percent = plan(Calculation::Rate { rate: dec!(0.10) });
        let rates = RateTable::default();
        let mut carry = Decimal::ZERO;
        let mut paid = Vec::new();
        for m in [dec!(50000), dec!(-30000), dec!(20000), dec!(40000)] {
            let s = settle(&ten_percent, m, 1, &terms("USD", dec!(0)), carry, end(), &rates).unwrap();
            carry = s.carry_out;
            paid.push((s.gross, s.carry_out));
        }
        assert_eq!(
            paid,
            [
                (dec!(5000.00), dec!(0)),
                (dec!(0), dec!(-3000)),
                (dec!(0), dec!(-1000)),
                (dec!(3000.00), dec!(0))
            ]
        );
    }

    #[test]
    fn payout_rounds_half_even_once_and_withholding_is_its_own_line() {
        let mut eur_plan = plan(Calculation::Rate { rate: dec!(1) });
        eur_plan.currency = Currency::parse("EUR").unwrap();
        let rates = RateTable::default();
        let s = settle(
            &eur_plan,
            dec!(1234.565),
            1,
            &terms("EUR", dec!(0.1)),
            dec!(0),
            end(),
            &rates,
        )
        .unwrap();
        assert_eq!(
            (s.gross, s.withholding, s.net),
            (dec!(1234.56), dec!(123.46), dec!(1111.10))
        );
        let s = settle(
            &eur_plan,
            dec!(1234.575),
            1,
            &terms("EUR", dec!(0)),
            dec!(0),
            end(),
            &rates,
        )
        .unwrap();
        assert_eq!(s.gross, dec!(1234.58));
        let mut jpy_plan = eur_plan.clone();
        jpy_plan.currency = Currency::parse("JPY").unwrap();
        let s = settle(
            &jpy_plan,
            dec!(10000.5),
            1,
            &terms("JPY", dec!(0)),
            dec!(0),
            end(),
            &rates,
        )
        .unwrap();
        assert_eq!(s.gross, dec!(10000));
    }

    #[test]
    fn conversion_uses_the_period_end_rate_and_a_missing_one_is_an_error() {
        let mut rates = RateTable::with_base(usd());
        let eur = Currency::parse("EUR").unwrap();
        rates.insert(usd(), eur, NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(), dec!(0.92));
        let p = plan(Calculation::Rate { rate: dec!(0.1) });
        let s = settle(&p, dec!(1000.05), 1, &terms("EUR", dec!(0)), dec!(0), end(), &rates).unwrap();
        assert_eq!((s.fx_rate, s.gross), (Some(dec!(0.92)), dec!(92.00)));
        let err = settle(&p, dec!(1000), 1, &terms("GBP", dec!(0)), dec!(0), end(), &rates).unwrap_err();
        assert_eq!(err.to_string(), "no USD→GBP exchange rate on or before 2026-03-31");
    }

    #[test]
    fn points_pay_whole_points_and_caps_never_raise_a_clawback() {
        let mut points = plan(Calculation::Rate { rate: dec!(0.015) });
        points.kind = PlanKind::Points;
        let rates = RateTable::default();
        let s = settle(&points, dec!(1700), 1, &terms("EUR", dec!(0.2)), dec!(0), end(), &rates).unwrap();
        assert_eq!(
            (s.unit.as_str(), s.gross, s.withholding),
            (POINTS_UNIT, dec!(26), dec!(0))
        );
        let mut capped = plan(Calculation::Rate { rate: dec!(0.1) });
        capped.cap = Some(dec!(100));
        let s = settle(&capped, dec!(-5000), 1, &terms("USD", dec!(0)), dec!(0), end(), &rates).unwrap();
        assert_eq!((s.capped, s.carry_out, s.gross), (dec!(-500), dec!(-500), dec!(0)));
    }
}
