//! The period close as plain SQL — the product's "close as SQL" (ARCHITECTURE.md, Engine),
//! run by DuckDB over the same facts exported to Parquet. It implements PRODUCT.md §5
//! steps 1–7 over precomputed plan, band, step, filter and eligibility tables (eligibility
//! is resolved by the domain before a close; the SQL does the transaction work and the
//! math):
//!
//! 1. each sale once per partner paid on it (its seller; its distributor on a two-tier
//!    sale), joined to the eligible (plan, partner) pairs, kept when the plan's payee,
//!    product/SKU filter (case-insensitive), customer regions, registered-deal and
//!    new-customer criteria hold and it counts in the period (a return on its date minus
//!    the plan's holding days); each line's minor units times the currency's minor unit
//!    times its day's rate into the plan currency (the pair's latest rate on or before the
//!    day, else the two legs through the base, each on or before the day: ASOF joins; a
//!    missing rate or cost raises an error naming it), summed per (plan, partner). Summing
//!    minor units per (plan, partner, currency, day) first, as the engine does, is as exact
//!    but slower in DuckDB here: that grouping is nearly as large as the lines;
//! 2. the calculation: rate, per unit, graduated (Σ bands), retroactive (the highest band
//!    reached), threshold bonus (the highest step reached); a negative measure pays the
//!    first band's rate, and no bonus;
//! 3. × the tier multiplier; 4. the cap; 5. + the carry, a negative total pays 0 and
//!    carries; 6. × the plan → payout rate at the period's last day, rounded half-even to
//!    the payout currency's minor unit (whole points for points plans, no FX); 7. the
//!    withholding rounded half-even, and net.
//!
//! Exact DECIMAL arithmetic throughout (never DOUBLE; DuckDB divides decimals in DOUBLE, so
//! nothing is divided), and nothing rounds before step 6. The static scales: rates are
//! DECIMAL(18,6), a cross rate (18,12); a measure is Σ minor × unit (3,2) × rate, (38,14);
//! rates and amounts per unit have at most 3 places, so the calculation is (38,17) and
//! after the multiplier (2 places) (38,19) — at most 19 integer digits; cap and carry have
//! 2. Step 6 multiplies by the rate in the same static type it was found in: a same-
//! currency payout stays (38,19), a direct rate gives (38,25) (13 integer digits), a cross
//! rate (38,31) — 7 integer digits, which the benchmark's plans and payout currencies
//! respect (a cross-rate payout is between EUR, GBP and AUD; DuckDB raises an overflow
//! error, never a wrong number, if one did not). Each product is split into its whole part
//! and its fraction (< 1, so DECIMAL(38,31) holds any of them exactly), and `half_even`
//! rounds from those with FLOOR and an explicit tie rule, since DuckDB's round() goes half
//! away from zero. Every CASE whose
//! branches differ in scale casts them to the widest one explicitly: DuckDB unifies
//! DECIMAL(38,0) with DECIMAL(38,14) as DECIMAL(38,0), rounding silently.

use std::fmt::Write;

use rust_decimal::Decimal;
use tributary_domain::incentives::{Calculation, Measure, Payee, Period, Plan, PlanKind};

use super::world::{BASE, COUNTRIES, PRODUCTS, currency};
use crate::synth::CURRENCIES;

/// The tables loaded from Parquet: the facts, the stored rates and the eligible pairs.
pub const TABLES: [(&str, &str); 3] = [
    (
        "sales",
        "day DATE, seller INTEGER, distributor INTEGER, account INTEGER, product INTEGER, country INTEGER, \
         deal_registered BOOLEAN, quantity BIGINT, amount_minor BIGINT, cost_minor BIGINT, currency VARCHAR",
    ),
    (
        "rates",
        "from_currency VARCHAR, to_currency VARCHAR, day DATE, rate DECIMAL(18,6)",
    ),
    (
        "eligible",
        "plan INTEGER, partner INTEGER, multiplier DECIMAL(18,2), carry_in DECIMAL(18,2), \
         payout_currency VARCHAR, withholding_rate DECIMAL(18,4)",
    ),
];

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn decimal(value: Option<Decimal>) -> String {
    value.map_or_else(|| "NULL".into(), |v| v.to_string())
}

/// `INSERT INTO name VALUES (…), (…);` for non-empty rows.
fn insert(sql: &mut String, name: &str, rows: &[String]) {
    if !rows.is_empty() {
        writeln!(sql, "INSERT INTO {name} VALUES {};", rows.join(", ")).expect("writing to a string");
    }
}

fn calculation_code(calculation: &Calculation) -> &'static str {
    match calculation {
        Calculation::Rate { .. } => "rate",
        Calculation::Graduated { .. } => "graduated",
        Calculation::Retroactive { .. } => "retroactive",
        Calculation::PerUnit { .. } => "per_unit",
        Calculation::ThresholdBonus { .. } => "threshold_bonus",
    }
}

fn measure_code(measure: &Measure) -> &'static str {
    match measure {
        Measure::NetAmount => "net_amount",
        Measure::Quantity => "quantity",
        Measure::Margin => "margin",
        Measure::CustomMetric { .. } => unreachable!("the benchmark's plans measure sales facts"),
    }
}

/// The small tables (currencies, products, countries, regions, plans with their bands,
/// steps and filters) and the `half_even` macro, run after loading the Parquet files.
pub fn setup(plans: &[Plan]) -> String {
    let mut sql = String::from(
        "CREATE TABLE currencies (currency VARCHAR, unit DECIMAL(3,2), up DECIMAL(3,0), down DECIMAL(3,2));
CREATE TABLE products (product INTEGER, sku VARCHAR, family VARCHAR);
CREATE TABLE countries (country INTEGER, code VARCHAR);
CREATE TABLE region_countries (region VARCHAR, code VARCHAR);
CREATE TABLE plans (plan INTEGER, currency VARCHAR, points BOOLEAN, measure VARCHAR, calculation VARCHAR,
  rate DECIMAL(18,3), cap DECIMAL(18,2), holding_days INTEGER, payee VARCHAR, registered_only BOOLEAN,
  new_customers_only BOOLEAN);
CREATE TABLE plan_bands (plan INTEGER, band_no INTEGER, lower DECIMAL(18,2), upper DECIMAL(18,2), rate DECIMAL(18,3));
CREATE TABLE plan_steps (plan INTEGER, step_no INTEGER, target DECIMAL(18,2), amount DECIMAL(18,2));
CREATE TABLE plan_families (plan INTEGER, family VARCHAR);
CREATE TABLE plan_skus (plan INTEGER, sku VARCHAR);
CREATE TABLE plan_regions (plan INTEGER, region VARCHAR);
-- Half-even rounding of whole + fraction (whole = FLOOR(x), 0 ≤ fraction < 1) to the unit
-- `down` = 1/`up` (0.01 and 100, or 1 and 1), exact: the fraction scaled up and its floor,
-- the tie to the even digit.
CREATE MACRO half_even(whole, fraction, up, down) AS
  whole + (FLOOR(fraction * up)
    + CASE WHEN fraction * up - FLOOR(fraction * up) > 0.5 THEN 1
           WHEN fraction * up - FLOOR(fraction * up) < 0.5 THEN 0
           WHEN (whole * up + FLOOR(fraction * up)) % 2 = 0 THEN 0
           ELSE 1 END) * down;
",
    );
    let rows: Vec<String> = (0..CURRENCIES.len() as u8)
        .map(|c| {
            let code = currency(c);
            let (up, down) = if code.minor_units() == 0 {
                ("1", "1.00")
            } else {
                ("100", "0.01")
            };
            format!("({}, {down}, {up}, {down})", quoted(code.code()))
        })
        .collect();
    insert(&mut sql, "currencies", &rows);
    let rows: Vec<String> = PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, p)| format!("({i}, {}, {})", quoted(p.sku), quoted(p.family)))
        .collect();
    insert(&mut sql, "products", &rows);
    let rows: Vec<String> = COUNTRIES
        .iter()
        .enumerate()
        .map(|(i, c)| format!("({i}, {})", quoted(c.code)))
        .collect();
    insert(&mut sql, "countries", &rows);
    let rows: Vec<String> = COUNTRIES
        .iter()
        .flat_map(|c| c.regions.iter().map(|r| format!("({}, {})", quoted(r), quoted(c.code))))
        .collect();
    insert(&mut sql, "region_countries", &rows);
    let (mut bands, mut steps, mut families, mut skus, mut regions) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let rows: Vec<String> = plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let rate = match &plan.calculation {
                Calculation::Rate { rate } => Some(*rate),
                Calculation::PerUnit { amount } => Some(*amount),
                Calculation::Graduated { bands: b } | Calculation::Retroactive { bands: b } => {
                    for (n, band) in b.iter().enumerate() {
                        bands.push(format!(
                            "({i}, {n}, {}, {}, {})",
                            band.from,
                            decimal(band.to),
                            band.rate
                        ));
                    }
                    None
                }
                Calculation::ThresholdBonus { steps: s } => {
                    for (n, step) in s.iter().enumerate() {
                        steps.push(format!("({i}, {n}, {}, {})", step.target, step.amount));
                    }
                    None
                }
            };
            families.extend(
                plan.filter
                    .product_families
                    .iter()
                    .map(|f| format!("({i}, {})", quoted(f))),
            );
            skus.extend(plan.filter.skus.iter().map(|s| format!("({i}, {})", quoted(s))));
            regions.extend(
                plan.filter
                    .customer_regions
                    .iter()
                    .map(|r| format!("({i}, {})", quoted(r))),
            );
            let payee = match plan.payee {
                Payee::Reseller => "reseller",
                Payee::Distributor => "distributor",
                Payee::Both => "both",
            };
            format!(
                "({i}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                quoted(plan.currency.code()),
                plan.kind == PlanKind::Points,
                quoted(measure_code(&plan.measure)),
                quoted(calculation_code(&plan.calculation)),
                decimal(rate),
                decimal(plan.cap),
                plan.holding_days,
                quoted(payee),
                plan.filter.registered_deals_only,
                plan.filter.new_customers_only
            )
        })
        .collect();
    insert(&mut sql, "plans", &rows);
    insert(&mut sql, "plan_bands", &bands);
    insert(&mut sql, "plan_steps", &steps);
    insert(&mut sql, "plan_families", &families);
    insert(&mut sql, "plan_skus", &skus);
    insert(&mut sql, "plan_regions", &regions);
    sql
}

/// The close of `period`: one row per material (plan, partner) line — plan, partner,
/// facts, measure, carry_out, unit, gross, withholding, net.
pub fn close_query(period: &Period, max_holding_days: u32) -> String {
    let (start, end) = (period.start, period.end);
    let window_end = end + chrono::Days::new(u64::from(max_holding_days));
    let base = CURRENCIES[BASE as usize];
    format!(
        "WITH
-- Which products and customer countries each plan's filter admits.
plan_products AS (
  SELECT p.plan, pd.product
  FROM plans p CROSS JOIN products pd
  WHERE (NOT EXISTS (SELECT 1 FROM plan_families f WHERE f.plan = p.plan)
         OR EXISTS (SELECT 1 FROM plan_families f WHERE f.plan = p.plan AND lower(f.family) = lower(pd.family)))
    AND (NOT EXISTS (SELECT 1 FROM plan_skus s WHERE s.plan = p.plan)
         OR EXISTS (SELECT 1 FROM plan_skus s WHERE s.plan = p.plan AND lower(s.sku) = lower(pd.sku)))
),
plan_countries AS (
  SELECT p.plan, c.country
  FROM plans p CROSS JOIN countries c
  WHERE NOT EXISTS (SELECT 1 FROM plan_regions r WHERE r.plan = p.plan)
     OR EXISTS (SELECT 1 FROM plan_regions r JOIN region_countries rc ON rc.region = r.region
                WHERE r.plan = p.plan AND rc.code = c.code)
),
-- Each sale once per partner paid on it: its seller, and its distributor on a two-tier sale.
paid AS (
  SELECT seller AS payee, TRUE AS as_reseller, distributor IS NOT DISTINCT FROM seller AS as_distributor,
         day, account, product, country, deal_registered, quantity, amount_minor, cost_minor, currency
  FROM sales
  UNION ALL
  SELECT distributor, FALSE, TRUE,
         day, account, product, country, deal_registered, quantity, amount_minor, cost_minor, currency
  FROM sales
  WHERE distributor IS NOT NULL AND distributor <> seller
),
-- The day of each payee's first positive sale to each account, as reseller, as distributor
-- and as either, for the payees of new-customer plans (sales after the period cannot make
-- a first sale fall in it, so they are not read).
first_sales AS (
  SELECT payee, account,
         MIN(day) FILTER (WHERE as_reseller) AS as_reseller,
         MIN(day) FILTER (WHERE as_distributor) AS as_distributor,
         MIN(day) AS as_either
  FROM paid
  WHERE amount_minor > 0 AND day <= DATE '{end}'
    AND payee IN (SELECT e.partner FROM eligible e JOIN plans p ON p.plan = e.plan WHERE p.new_customers_only)
  GROUP BY payee, account
),
-- The lines that can count in the period (returns up to the longest holding period after it).
recent AS (
  SELECT r.*, f.as_reseller AS first_as_reseller, f.as_distributor AS first_as_distributor,
         f.as_either AS first_as_either
  FROM paid r
  LEFT JOIN first_sales f ON f.payee = r.payee AND f.account = r.account
  WHERE r.day BETWEEN DATE '{start}' AND DATE '{window_end}'
),
-- Step 1: the lines each eligible (plan, partner) is measured on.
matched AS (
  SELECT e.plan, r.payee, r.currency, r.day, r.quantity, r.amount_minor, r.cost_minor
  FROM recent r
  JOIN eligible e ON e.partner = r.payee
  JOIN plans p ON p.plan = e.plan
  JOIN plan_products pp ON pp.plan = e.plan AND pp.product = r.product
  JOIN plan_countries pc ON pc.plan = e.plan AND pc.country = r.country
  WHERE CASE WHEN r.amount_minor < 0 OR r.quantity < 0 THEN r.day - p.holding_days ELSE r.day END
          BETWEEN DATE '{start}' AND DATE '{end}'
    AND CASE p.payee WHEN 'reseller' THEN r.as_reseller WHEN 'distributor' THEN r.as_distributor ELSE TRUE END
    AND (r.deal_registered OR NOT p.registered_only)
    AND (NOT p.new_customers_only
         OR CASE p.payee WHEN 'reseller' THEN r.first_as_reseller
                         WHEN 'distributor' THEN r.first_as_distributor
                         ELSE r.first_as_either END BETWEEN DATE '{start}' AND DATE '{end}')
),
-- FX: the pair's latest stored rate on or before the day, else source→{base} × {base}→target,
-- each leg on or before the day; the same currency is 1.
calendar AS (
  SELECT CAST(g.d AS DATE) AS day
  FROM generate_series(TIMESTAMP '{start}', TIMESTAMP '{window_end}', INTERVAL 1 DAY) AS g(d)
),
wanted AS (
  SELECT c.currency AS source, p.currency AS target, cal.day
  FROM currencies c CROSS JOIN (SELECT DISTINCT currency FROM plans) p CROSS JOIN calendar cal
  UNION
  SELECT DISTINCT p.currency, e.payout_currency, DATE '{end}'
  FROM eligible e JOIN plans p ON p.plan = e.plan
),
fx AS (
  SELECT w.source, w.target, w.day, direct.rate AS direct,
         CASE WHEN w.source <> w.target THEN leg1.rate * leg2.rate END AS via_base,
         CASE WHEN w.source = w.target THEN 1 ELSE COALESCE(direct.rate, leg1.rate * leg2.rate) END AS rate
  FROM wanted w
  ASOF LEFT JOIN rates direct
    ON direct.from_currency = w.source AND direct.to_currency = w.target AND w.day >= direct.day
  ASOF LEFT JOIN (SELECT * FROM rates WHERE to_currency = '{base}') leg1
    ON leg1.from_currency = w.source AND w.day >= leg1.day
  ASOF LEFT JOIN (SELECT * FROM rates WHERE from_currency = '{base}') leg2
    ON leg2.to_currency = w.target AND w.day >= leg2.day
),
-- Each line in the plan currency at its own day's rate (a cost is needed for margin).
measured AS (
  SELECT d.plan, d.payee,
         SUM(CASE
               WHEN p.measure = 'quantity' THEN CAST(d.quantity AS DECIMAL(38,14))
               WHEN p.measure = 'margin' AND d.cost_minor IS NULL
                 THEN error('a margin plan needs the cost of every sale: plan ' || p.plan || ' has a sale on '
                            || d.day || ' without one')
               WHEN fx.rate IS NULL
                 THEN error('no ' || d.currency || '→' || p.currency || ' exchange rate on or before ' || d.day)
               ELSE CAST(CASE WHEN p.measure = 'margin' THEN d.amount_minor - d.cost_minor ELSE d.amount_minor END
                         AS DECIMAL(38,0)) * cu.unit * fx.rate
             END) AS measure,
         COUNT(*) AS facts
  FROM matched d
  JOIN plans p ON p.plan = d.plan
  JOIN currencies cu ON cu.currency = d.currency
  LEFT JOIN fx ON fx.source = d.currency AND fx.target = p.currency AND fx.day = d.day
  GROUP BY d.plan, d.payee
),
-- Every eligible pair, measured or not (m = 0: a bonus or a carry can still make a line).
lines AS (
  SELECT e.plan, e.partner, p.calculation, p.rate, p.cap, p.points, p.currency AS plan_currency,
         e.multiplier, e.carry_in, e.payout_currency, e.withholding_rate,
         COALESCE(m.measure, 0) AS m, COALESCE(m.facts, 0) AS facts
  FROM eligible e
  JOIN plans p ON p.plan = e.plan
  LEFT JOIN measured m ON m.plan = e.plan AND m.payee = e.partner
),
-- Step 2: Σ graduated bands and the highest band reached; the highest bonus step reached.
banded AS (
  SELECT l.plan, l.partner,
         SUM(CASE WHEN b.lower < l.m THEN (LEAST(COALESCE(b.upper, l.m), l.m) - b.lower) * b.rate ELSE 0 END)
           AS graduated,
         MAX(b.band_no) FILTER (WHERE b.lower <= l.m) AS reached
  FROM lines l JOIN plan_bands b ON b.plan = l.plan
  GROUP BY l.plan, l.partner
),
stepped AS (
  SELECT l.plan, l.partner, MAX(s.step_no) FILTER (WHERE s.target <= l.m) AS reached
  FROM lines l JOIN plan_steps s ON s.plan = l.plan
  WHERE l.m >= 0
  GROUP BY l.plan, l.partner
),
calculated AS (
  SELECT l.*,
         CASE l.calculation
           WHEN 'rate' THEN l.m * l.rate
           WHEN 'per_unit' THEN l.m * l.rate
           WHEN 'graduated' THEN CASE WHEN l.m < 0 THEN l.m * first_band.rate ELSE b.graduated END
           WHEN 'retroactive' THEN l.m * CASE WHEN l.m < 0 THEN first_band.rate ELSE reached_band.rate END
           ELSE CAST(COALESCE(step.amount, 0) AS DECIMAL(38,17))
         END AS amount
  FROM lines l
  LEFT JOIN banded b ON b.plan = l.plan AND b.partner = l.partner
  LEFT JOIN plan_bands first_band ON first_band.plan = l.plan AND first_band.band_no = 0
  LEFT JOIN plan_bands reached_band ON reached_band.plan = l.plan AND reached_band.band_no = b.reached
  LEFT JOIN stepped s ON s.plan = l.plan AND s.partner = l.partner
  LEFT JOIN plan_steps step ON step.plan = l.plan AND step.step_no = s.reached
),
-- Steps 3–5: multiplier, cap (never raising a negative), carry.
totals AS (
  SELECT c.*,
         CASE WHEN c.cap IS NULL OR c.amount * c.multiplier <= c.cap THEN c.amount * c.multiplier ELSE c.cap END
           + c.carry_in AS total
  FROM calculated c
),
settled AS (
  SELECT t.*,
         CASE WHEN t.total < 0 THEN 0 ELSE t.total END AS payable,
         CASE WHEN t.total < 0 THEN t.total ELSE 0 END AS carry_out
  FROM totals t
),
-- Step 6: the payout amount at the period's last day's rate, exact, as its whole part and
-- its fraction (each product in its own static type: see the module docs) …
converted AS (
  SELECT s.*, cu.up, cu.down,
         CASE
           WHEN s.points OR s.payable = 0 OR s.plan_currency = s.payout_currency THEN s.payable
           WHEN fx.direct IS NULL AND fx.via_base IS NULL
             THEN error('no ' || s.plan_currency || '→' || s.payout_currency || ' exchange rate on or before {end}')
         END AS same,
         CASE WHEN NOT s.points AND s.payable <> 0 AND s.plan_currency <> s.payout_currency
              THEN s.payable * fx.direct END AS direct,
         CASE WHEN NOT s.points AND s.payable <> 0 AND s.plan_currency <> s.payout_currency AND fx.direct IS NULL
              THEN s.payable * fx.via_base END AS via_base
  FROM settled s
  JOIN currencies cu ON cu.currency = s.payout_currency
  LEFT JOIN fx ON fx.source = s.plan_currency AND fx.target = s.payout_currency AND fx.day = DATE '{end}'
),
split AS (
  SELECT c.*,
         COALESCE(FLOOR(c.same), FLOOR(c.direct), FLOOR(c.via_base)) AS whole,
         COALESCE(CAST(c.same - FLOOR(c.same) AS DECIMAL(38,31)), CAST(c.direct - FLOOR(c.direct) AS DECIMAL(38,31)),
                  CAST(c.via_base - FLOOR(c.via_base) AS DECIMAL(38,31))) AS fraction
  FROM converted c
),
-- … rounded half-even once: to whole points, or to the payout currency's minor unit.
grossed AS (
  SELECT s.*,
         CASE WHEN s.points THEN 'PTS' ELSE s.payout_currency END AS unit,
         CASE WHEN s.points THEN half_even(s.whole, s.fraction, CAST(1 AS DECIMAL(3,0)), CAST(1 AS DECIMAL(3,2)))
              ELSE half_even(s.whole, s.fraction, s.up, s.down) END AS gross
  FROM split s
),
-- Step 7: withholding as its own rounded line (none on points).
withheld AS (
  SELECT g.*,
         CASE WHEN g.points THEN 0
              ELSE half_even(FLOOR(g.gross * g.withholding_rate), g.gross * g.withholding_rate
                             - FLOOR(g.gross * g.withholding_rate), g.up, g.down) END AS withholding
  FROM grossed g
)
SELECT plan, partner, facts, m AS measure, carry_out, unit, gross, withholding, gross - withholding AS net
FROM withheld
WHERE facts > 0 OR m <> 0 OR amount <> 0 OR carry_in <> 0 OR carry_out <> 0 OR gross <> 0"
    )
}
