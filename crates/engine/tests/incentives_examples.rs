//! Worked examples of PRODUCT.md §5 through the engine's close (graduated vs retroactive with
//! a Gold multiplier and a cap, carry-forward over four periods, half-even rounding in EUR
//! and JPY), band edges of every calculation, returns and clawbacks with holding days,
//! two-tier payees, the errors that stop a close (missing FX rate or cost, named as the
//! reference names them), and sums too large for the fixed-point path. Every close is also
//! checked against the domain's reference `close_plan`.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::{Decimal, dec};
use tributary_domain::incentives::{
    Band, BonusStep, Calculation, CloseData, CloseError, CustomFact, EligiblePartner, Measure, PartnerTerms, Payee,
    Period, PeriodKind, Plan, PlanKind, RegionCountries, Settlement, TierLink, Transaction, TransactionFilter,
    close_plan,
};
use tributary_domain::money::Currency;
use tributary_domain::tiering::RateTable;
use tributary_engine::incentives::{PlanClose, TransactionImageBuilder, close};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn sale(day: &str, seller: u32, amount_minor: i64, currency: &str) -> Transaction {
    Transaction {
        date: date(day),
        seller,
        distributor: None,
        account: 1,
        sku: "FW-100".into(),
        family: "firewall".into(),
        customer_country: "DE".into(),
        deal_registered: false,
        quantity: amount_minor.signum(),
        amount_minor,
        cost_minor: None,
        currency: cur(currency),
    }
}

fn plan(calculation: Calculation) -> Plan {
    Plan {
        name: "Resale commission".into(),
        kind: PlanKind::Commission,
        currency: cur("USD"),
        period: PeriodKind::Quarter,
        effective_from: date("2026-01-01"),
        effective_until: None,
        eligibility: Default::default(),
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

fn eligible(partner: u32) -> EligiblePartner {
    EligiblePartner {
        partner,
        terms: PartnerTerms {
            tier_level: None,
            payout_currency: cur("USD"),
            withholding_rate: Decimal::ZERO,
        },
        carry_in: Decimal::ZERO,
    }
}

fn rates() -> RateTable {
    let mut rates = RateTable::with_base(cur("USD"));
    rates.insert(cur("EUR"), cur("USD"), date("2025-01-01"), dec!(1.10));
    rates.insert(cur("USD"), cur("EUR"), date("2025-01-01"), dec!(0.9));
    rates.insert(cur("USD"), cur("EUR"), date("2026-03-30"), dec!(0.92));
    rates
}

/// A close through the engine, asserted equal to the reference's for every plan.
struct World {
    transactions: Vec<Transaction>,
    custom_facts: Vec<CustomFact>,
    rates: RateTable,
    regions: RegionCountries,
    partner_count: u32,
}

impl World {
    fn new(transactions: Vec<Transaction>) -> World {
        let regions = [("EMEA".to_string(), BTreeSet::from(["DE".to_string(), "FR".to_string()]))].into();
        World {
            transactions,
            custom_facts: Vec::new(),
            rates: rates(),
            regions,
            partner_count: 10,
        }
    }

    fn close(
        &self,
        period: &str,
        plans: &[(&Plan, &[EligiblePartner])],
    ) -> Vec<Result<Vec<(u32, Settlement)>, CloseError>> {
        let period = Period::parse(period).unwrap();
        let mut builder = TransactionImageBuilder::new();
        for t in &self.transactions {
            builder.push(t);
        }
        let image = builder.build(self.partner_count);
        let closes: Vec<PlanClose<'_>> = plans
            .iter()
            .map(|(plan, partners)| PlanClose { plan, partners })
            .collect();
        let engine = close(&image, &self.custom_facts, &closes, &period, &self.rates, &self.regions);
        let data = CloseData {
            transactions: &self.transactions,
            custom_facts: &self.custom_facts,
            rates: &self.rates,
            regions: &self.regions,
        };
        for ((plan, partners), engine) in plans.iter().zip(&engine) {
            assert_eq!(*engine, close_plan(plan, &period, partners, data), "{}", plan.name);
        }
        engine
    }

    fn settle_one(&self, period: &str, plan: &Plan, partner: EligiblePartner) -> Option<Settlement> {
        let lines = self.close(period, &[(plan, &[partner])]).remove(0).unwrap();
        lines.into_iter().next().map(|(_, s)| s)
    }
}

#[test]
fn graduated_vs_retroactive_with_gold_and_a_cap() {
    // 300,000 USD over three sales in the quarter.
    let world = World::new(vec![
        sale("2026-01-15", 0, 10_000_000, "USD"),
        sale("2026-02-15", 0, 15_000_000, "USD"),
        sale("2026-03-15", 0, 5_000_000, "USD"),
    ]);
    let graduated = plan(Calculation::Graduated { bands: worked_bands() });
    let retroactive = plan(Calculation::Retroactive { bands: worked_bands() });
    let plain = world.close(
        "2026-Q1",
        &[(&graduated, &[eligible(0)]), (&retroactive, &[eligible(0)])],
    );
    let gross = |r: &Result<Vec<(u32, Settlement)>, CloseError>| r.as_ref().unwrap()[0].1.gross;
    assert_eq!((gross(&plain[0]), gross(&plain[1])), (dec!(9000.00), dec!(15000.00)));
    let parts: Vec<Decimal> = plain[0].as_ref().unwrap()[0]
        .1
        .calculation
        .parts
        .iter()
        .map(|p| p.amount)
        .collect();
    assert_eq!(parts, [dec!(2000), dec!(4500), dec!(2500)]);

    let gold = |mut p: Plan| {
        p.tier = Some(TierLink {
            structure_id: "program".into(),
            multipliers: vec![dec!(1), dec!(1.1), dec!(1.2)],
        });
        p.cap = Some(dec!(12000));
        p
    };
    let (graduated, retroactive) = (gold(graduated), gold(retroactive));
    let partner = EligiblePartner {
        terms: PartnerTerms {
            tier_level: Some(2),
            ..eligible(0).terms
        },
        ..eligible(0)
    };
    let partners = [partner];
    let gold = world.close("2026-Q1", &[(&graduated, &partners), (&retroactive, &partners)]);
    assert_eq!((gross(&gold[0]), gross(&gold[1])), (dec!(10800.00), dec!(12000.00)));
    assert_eq!(gold[1].as_ref().unwrap()[0].1.multiplied, dec!(18000));
}

#[test]
fn carry_forward_over_four_periods() {
    let world = World::new(vec![
        sale("2026-02-01", 0, 5_000_000, "USD"),
        sale("2026-05-01", 0, 1_000_000, "USD"),
        sale("2026-05-20", 0, -4_000_000, "USD"),
        sale("2026-08-01", 0, 2_000_000, "USD"),
        sale("2026-11-01", 0, 4_000_000, "USD"),
    ]);
    let ten_percent = plan(Calculation::Rate { rate: dec!(0.10) });
    let mut carry = Decimal::ZERO;
    let mut paid = Vec::new();
    for quarter in ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] {
        let partner = EligiblePartner {
            carry_in: carry,
            ..eligible(0)
        };
        let s = world.settle_one(quarter, &ten_percent, partner).unwrap();
        carry = s.carry_out;
        paid.push((s.measure, s.gross, s.carry_out));
    }
    assert_eq!(
        paid,
        [
            (dec!(50000), dec!(5000.00), dec!(0)),
            (dec!(-30000), dec!(0), dec!(-3000)),
            (dec!(20000), dec!(0), dec!(-1000)),
            (dec!(40000), dec!(3000.00), dec!(0)),
        ]
    );
}

#[test]
fn fx_and_rounding_half_even_including_zero_decimal_currencies() {
    let mut jpy_sale = sale("2026-02-01", 2, 20_001, "JPY");
    jpy_sale.account = 3;
    let world = World::new(vec![
        sale("2026-02-01", 0, 246_913, "EUR"),
        sale("2026-02-01", 1, 246_915, "EUR"),
        jpy_sale,
    ]);
    let mut half = plan(Calculation::Rate { rate: dec!(0.5) });
    half.currency = cur("EUR");
    let in_eur = |partner| EligiblePartner {
        terms: PartnerTerms {
            payout_currency: cur("EUR"),
            ..eligible(partner).terms
        },
        ..eligible(partner)
    };
    let lines = world
        .close("2026-Q1", &[(&half, &[in_eur(0), in_eur(1)])])
        .remove(0)
        .unwrap();
    // 2,469.13 × 0.5 = 1,234.565 → 1,234.56; 2,469.15 × 0.5 = 1,234.575 → 1,234.58.
    assert_eq!((lines[0].1.payable, lines[0].1.gross), (dec!(1234.565), dec!(1234.56)));
    assert_eq!((lines[1].1.payable, lines[1].1.gross), (dec!(1234.575), dec!(1234.58)));
    let mut yen = half.clone();
    yen.currency = cur("JPY");
    let in_jpy = EligiblePartner {
        terms: PartnerTerms {
            payout_currency: cur("JPY"),
            ..eligible(2).terms
        },
        ..eligible(2)
    };
    let s = world.settle_one("2026-Q1", &yen, in_jpy).unwrap();
    assert_eq!((s.payable, s.gross), (dec!(10000.5), dec!(10000)));
    // A USD plan paid in EUR converts at the period's last rate on or before its end.
    let usd = plan(Calculation::Rate { rate: dec!(0.5) });
    let s = world.settle_one("2026-Q1", &usd, in_eur(0)).unwrap();
    // 2,469.13 EUR × 1.10 = 2,716.043 USD; × 0.5 = 1,358.0215; × 0.92 = 1,249.37978 EUR.
    assert_eq!(
        (s.measure, s.fx_rate, s.fx_date, s.gross),
        (
            dec!(2716.0430),
            Some(dec!(0.92)),
            Some(date("2026-03-31")),
            dec!(1249.38)
        )
    );
}

#[test]
fn band_edges_belong_to_the_upper_band_and_targets_are_reached_when_met() {
    let world = World::new(vec![
        sale("2026-01-10", 0, 10_000_000, "USD"),
        sale("2026-01-10", 1, 10_000_001, "USD"),
        sale("2026-01-10", 2, 9_999_999, "USD"),
    ]);
    let partners = [eligible(0), eligible(1), eligible(2)];
    let graduated = plan(Calculation::Graduated { bands: worked_bands() });
    let retroactive = plan(Calculation::Retroactive { bands: worked_bands() });
    let bonus = plan(Calculation::ThresholdBonus {
        steps: vec![
            BonusStep {
                target: dec!(99999.99),
                amount: dec!(100),
            },
            BonusStep {
                target: dec!(100000),
                amount: dec!(250),
            },
        ],
    });
    let results = world.close(
        "2026-Q1",
        &[(&graduated, &partners), (&retroactive, &partners), (&bonus, &partners)],
    );
    let amounts = |k: usize| -> Vec<Decimal> {
        results[k]
            .as_ref()
            .unwrap()
            .iter()
            .map(|(_, s)| s.calculation.amount)
            .collect()
    };
    // Measures 100,000.00, 100,000.01 and 99,999.99.
    assert_eq!(amounts(0), [dec!(2000), dec!(2000.0003), dec!(1999.9998)]);
    assert_eq!(amounts(1), [dec!(3000), dec!(3000.0003), dec!(1999.9998)]);
    assert_eq!(amounts(2), [dec!(250), dec!(250), dec!(100)]);
}

#[test]
fn returns_claw_back_and_net_against_the_period_they_reverse_while_held() {
    let world = World::new(vec![
        sale("2026-03-10", 0, 1_000_000, "USD"),
        sale("2026-04-15", 0, -3_000_000, "USD"),
        sale("2026-03-20", 1, 500_000, "USD"),
        sale("2026-03-25", 1, -2_000_000, "USD"),
    ]);
    let mut held = plan(Calculation::Graduated { bands: worked_bands() });
    held.holding_days = 30;
    held.tier = Some(TierLink {
        structure_id: "program".into(),
        multipliers: vec![dec!(1), dec!(1.5)],
    });
    held.cap = Some(dec!(100));
    let partners = [
        EligiblePartner {
            terms: PartnerTerms {
                tier_level: Some(1),
                ..eligible(0).terms
            },
            ..eligible(0)
        },
        eligible(1),
    ];
    let lines = world.close("2026-Q1", &[(&held, &partners)]).remove(0).unwrap();
    // Partner 0: 10,000 − 30,000 (returned 2026-04-15, counted on 2026-03-16) = −20,000:
    // a clawback at the first band's 2 %, scaled by 1.5, never raised by the cap.
    let s = &lines[0].1;
    assert_eq!(
        (s.measure, s.multiplied, s.capped),
        (dec!(-20000), dec!(-600), dec!(-600))
    );
    assert_eq!((s.gross, s.carry_out), (dec!(0), dec!(-600)));
    assert_eq!(lines[1].1.carry_out, dec!(-300));
    // Held for 10 days only, the April return belongs to the next quarter.
    held.holding_days = 10;
    let s = world.settle_one("2026-Q1", &held, partners[0].clone()).unwrap();
    assert_eq!((s.measure, s.gross), (dec!(10000), dec!(100.00)));
}

#[test]
fn two_tier_sales_pay_the_reseller_the_distributor_or_both_once() {
    let mut through = sale("2026-01-10", 0, 100_000, "USD");
    through.distributor = Some(5);
    let mut own = sale("2026-01-11", 5, 20_000, "USD");
    own.distributor = Some(5);
    let mut earlier = sale("2025-12-01", 0, 1_000, "USD");
    earlier.account = 2;
    earlier.distributor = Some(5);
    let mut later = sale("2026-02-01", 0, 7_000, "USD");
    later.account = 2;
    let mut before = sale("2025-12-15", 3, 500, "USD");
    before.distributor = Some(5);
    let world = World::new(vec![
        through,
        own,
        earlier,
        later,
        sale("2026-01-12", 5, 3_000, "USD"),
        before,
    ]);
    let partners = [eligible(0), eligible(5)];
    let measures = |payee: Payee, new_customers_only: bool| -> Vec<(u32, Decimal)> {
        let mut p = plan(Calculation::Rate { rate: dec!(0.1) });
        p.payee = payee;
        p.filter.new_customers_only = new_customers_only;
        world
            .close("2026-Q1", &[(&p, &partners)])
            .remove(0)
            .unwrap()
            .into_iter()
            .map(|(partner, s)| (partner, s.measure))
            .collect()
    };
    assert_eq!(measures(Payee::Reseller, false), [(0, dec!(1070)), (5, dec!(230))]);
    assert_eq!(measures(Payee::Distributor, false), [(5, dec!(1200))]);
    // Partner 5 both sold and distributed its own sale: counted once.
    assert_eq!(measures(Payee::Both, false), [(0, dec!(1070)), (5, dec!(1230))]);
    // Account 2 first bought from partner 0 in December, so its February sale is not new.
    // Partner 5 first sold to account 1 itself in the quarter, but distributed a sale to it
    // in December: new to it as a reseller, not as either.
    assert_eq!(measures(Payee::Reseller, true), [(0, dec!(1000)), (5, dec!(230))]);
    assert_eq!(measures(Payee::Both, true), [(0, dec!(1000))]);
}

#[test]
fn a_missing_rate_or_cost_fails_the_close_naming_it() {
    let mut first_recorded = sale("2026-02-10", 0, 10_000, "GBP");
    first_recorded.sku = "SW-200".into();
    let world = World::new(vec![
        first_recorded,
        sale("2026-01-05", 0, 10_000, "GBP"),
        sale("2026-01-20", 1, 10_000, "GBP"),
        sale("2026-01-25", 2, 10_000, "EUR"),
    ]);
    let p = plan(Calculation::Rate { rate: dec!(0.1) });
    // Partner 0's error is its first transaction in recording order (February); of the
    // partners' errors the earliest date is reported.
    let err = world
        .close("2026-Q1", &[(&p, &[eligible(0), eligible(1)])])
        .remove(0)
        .unwrap_err();
    assert_eq!(err.to_string(), "no GBP→USD exchange rate on or before 2026-01-20");
    let err = world.close("2026-Q1", &[(&p, &[eligible(0)])]).remove(0).unwrap_err();
    assert_eq!(err.to_string(), "no GBP→USD exchange rate on or before 2026-02-10");
    let mut margin = p.clone();
    margin.measure = Measure::Margin;
    let err = world
        .close("2026-Q1", &[(&margin, &[eligible(0)])])
        .remove(0)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a margin plan needs the cost of every sale: the SW-200 sale on 2026-02-10 has none"
    );
    // No rate for the payout currency at the period's end.
    let in_chf = EligiblePartner {
        terms: PartnerTerms {
            payout_currency: cur("CHF"),
            ..eligible(2).terms
        },
        ..eligible(2)
    };
    let err = world.close("2026-Q1", &[(&p, &[in_chf])]).remove(0).unwrap_err();
    assert_eq!(err.to_string(), "no USD→CHF exchange rate on or before 2026-03-31");
}

#[test]
fn sums_beyond_a_decimals_reach_are_added_as_the_reference_adds_them() {
    // Near i64's limits at a rate with many places: each conversion rounds in the reference,
    // and two nearly cancelling ones leave a result only its own order reproduces.
    let mut world = World::new(vec![
        sale("2026-01-10", 0, 4_000_000_000_000_000_000, "EUR"),
        sale("2026-01-11", 0, -3_999_999_999_999_999_999, "EUR"),
        sale("2026-01-12", 1, 4_000_000_000_000_000_000, "EUR"),
    ]);
    world
        .rates
        .insert(cur("EUR"), cur("USD"), date("2026-01-01"), dec!(1.234567890123));
    let p = plan(Calculation::Rate { rate: dec!(0.1) });
    let lines = world
        .close("2026-Q1", &[(&p, &[eligible(0), eligible(1)])])
        .remove(0)
        .unwrap();
    assert_eq!(lines.len(), 2);
}

#[test]
fn an_image_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<tributary_engine::incentives::TransactionImage>();
    let world = World::new(vec![sale("2026-01-10", 0, 100_000, "USD")]);
    let mut builder = TransactionImageBuilder::with_capacity(1);
    builder.push(&world.transactions[0]);
    assert_eq!(builder.transaction_count(), 1);
    let image = builder.build(world.partner_count);
    assert_eq!((image.transaction_count(), image.partner_count()), (1, 10));
    assert!(image.heap_bytes() > 0);
}

#[test]
fn facts_centuries_apart_are_closed_without_a_dense_rate_grid() {
    // Three currencies over three thousand years: too many (currency, day) cells for a
    // grid, and too many days for a day → bucket table.
    let mut ancient = sale("2026-01-01", 0, 5_000, "EUR");
    ancient.date = NaiveDate::from_ymd_opt(-1000, 1, 1).unwrap();
    let world = World::new(vec![
        ancient,
        sale("2026-01-10", 0, 10_000, "EUR"),
        sale("2026-01-11", 1, 20_000, "USD"),
        sale("2026-01-12", 2, 30_000, "GBP"),
    ]);
    let p = plan(Calculation::Rate { rate: dec!(0.1) });
    let lines = world
        .close("2026-Q1", &[(&p, &[eligible(0), eligible(1)])])
        .remove(0)
        .unwrap();
    let measures: Vec<Decimal> = lines.iter().map(|(_, s)| s.measure).collect();
    assert_eq!(measures, [dec!(110.00), dec!(200.00)]);
    let err = world
        .close("2026-Q1", &[(&p, &[eligible(0), eligible(2)])])
        .remove(0)
        .unwrap_err();
    assert_eq!(err.to_string(), "no GBP→USD exchange rate on or before 2026-01-12");
}
