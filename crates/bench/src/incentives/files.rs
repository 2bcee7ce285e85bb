//! The peer's input files: the sales facts streamed from the generator into Parquet one row
//! group at a time, the stored rates, and the eligible (plan, partner) pairs with their
//! multiplier, carry, payout currency and withholding rate — the columns of `sql::TABLES`.

use std::path::Path;

use anyhow::Result;
use rust_decimal::Decimal;
use tributary_domain::incentives::{EligiblePartner, Plan};

use super::facts::{Fact, Facts};
use super::world::{Rate, World};
use crate::export::{Kind, ROW_GROUP_ROWS, Values, days_since_epoch, mantissa_at, text, write_groups};
use crate::synth::CURRENCIES;

fn sales_columns(facts: &[Fact]) -> Vec<Values> {
    let ints = |f: &dyn Fn(&Fact) -> i32| Values::Int32(facts.iter().map(f).collect());
    let longs = |f: &dyn Fn(&Fact) -> i64| Values::Int64(facts.iter().map(f).collect());
    vec![
        ints(&|f| days_since_epoch(f.day)),
        ints(&|f| f.seller as i32),
        Values::OptionalInt32(facts.iter().map(|f| f.distributor.map(|d| d as i32)).collect()),
        ints(&|f| f.account as i32),
        ints(&|f| i32::from(f.product)),
        ints(&|f| i32::from(f.country)),
        Values::Bool(facts.iter().map(|f| f.deal_registered).collect()),
        longs(&|f| f.quantity),
        longs(&|f| f.amount_minor),
        Values::OptionalInt64(facts.iter().map(|f| f.cost_minor).collect()),
        text(facts.iter().map(|f| CURRENCIES[f.currency as usize])),
    ]
}

/// sales.parquet, rates.parquet and eligible.parquet in `dir`.
pub fn write(
    dir: &Path,
    world: &World,
    fact_count: u64,
    rates: &[Rate],
    plans: &[Plan],
    eligible: &[Vec<EligiblePartner>],
) -> Result<()> {
    let mut facts = Facts::new(world, fact_count);
    let groups = std::iter::from_fn(|| {
        let chunk: Vec<Fact> = facts.by_ref().take(ROW_GROUP_ROWS).collect();
        (!chunk.is_empty()).then(|| sales_columns(&chunk))
    });
    write_groups(
        &dir.join("sales.parquet"),
        "sales",
        &[
            ("day", Kind::Date),
            ("seller", Kind::Int32),
            ("distributor", Kind::OptionalInt32),
            ("account", Kind::Int32),
            ("product", Kind::Int32),
            ("country", Kind::Int32),
            ("deal_registered", Kind::Bool),
            ("quantity", Kind::Int64),
            ("amount_minor", Kind::Int64),
            ("cost_minor", Kind::OptionalInt64),
            ("currency", Kind::Text),
        ],
        groups,
    )?;
    write_groups(
        &dir.join("rates.parquet"),
        "rates",
        &[
            ("from_currency", Kind::Text),
            ("to_currency", Kind::Text),
            ("day", Kind::Date),
            ("rate", Kind::Decimal { scale: 6 }),
        ],
        [vec![
            text(rates.iter().map(|r| CURRENCIES[r.from as usize])),
            text(rates.iter().map(|r| CURRENCIES[r.to as usize])),
            Values::Int32(rates.iter().map(|r| days_since_epoch(r.day)).collect()),
            Values::Int64(rates.iter().map(|r| mantissa_at(r.rate, 6)).collect()),
        ]],
    )?;
    let pairs: Vec<(usize, &EligiblePartner)> = eligible
        .iter()
        .enumerate()
        .flat_map(|(plan, partners)| partners.iter().map(move |e| (plan, e)))
        .collect();
    let multiplier = |plan: &Plan, e: &EligiblePartner| {
        plan.tier
            .as_ref()
            .map_or(Decimal::ONE, |t| t.multiplier(e.terms.tier_level))
    };
    let groups = pairs.chunks(ROW_GROUP_ROWS).map(|chunk| {
        vec![
            Values::Int32(chunk.iter().map(|(plan, _)| *plan as i32).collect()),
            Values::Int32(chunk.iter().map(|(_, e)| e.partner as i32).collect()),
            Values::Int64(
                chunk
                    .iter()
                    .map(|(plan, e)| mantissa_at(multiplier(&plans[*plan], e), 2))
                    .collect(),
            ),
            Values::Int64(chunk.iter().map(|(_, e)| mantissa_at(e.carry_in, 2)).collect()),
            text(chunk.iter().map(|(_, e)| e.terms.payout_currency.code())),
            Values::Int64(
                chunk
                    .iter()
                    .map(|(_, e)| mantissa_at(e.terms.withholding_rate, 4))
                    .collect(),
            ),
        ]
    });
    write_groups(
        &dir.join("eligible.parquet"),
        "eligible",
        &[
            ("plan", Kind::Int32),
            ("partner", Kind::Int32),
            ("multiplier", Kind::Decimal { scale: 2 }),
            ("carry_in", Kind::Decimal { scale: 2 }),
            ("payout_currency", Kind::Text),
            ("withholding_rate", Kind::Decimal { scale: 4 }),
        ],
        groups,
    )?;
    Ok(())
}
