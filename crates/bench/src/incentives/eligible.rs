//! Who each plan pays this period, resolved as the product does before a close: every
//! partner's profile as of the period's last day (type, the regions of its head-office
//! country, segments, tier level, agreement) judged by the domain's `Eligibility::admits`,
//! with the partner's terms (tier level when the plan reads one, payout currency, the
//! withholding rate of its tax country) and the plan's negative balance carried in from
//! earlier periods — about 3 % of partners carry one.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use tributary_domain::incentives::{EligiblePartner, PartnerProfile, PartnerTerms, Plan, PlanKind};

use super::plans::STRATEGIC_SEGMENT;
use super::world::{COUNTRIES, World, currency, mix};

fn profile(world: &World, partner: u32) -> PartnerProfile {
    let p = partner as usize;
    PartnerProfile {
        partner_type: world.kind[p],
        regions: COUNTRIES[world.country[p] as usize]
            .regions
            .iter()
            .map(|r| r.to_string())
            .collect(),
        segments: if world.strategic[p] {
            BTreeSet::from([STRATEGIC_SEGMENT.to_string()])
        } else {
            BTreeSet::new()
        },
        tier_level: Some(world.tier[p] as usize),
        agreement_accepted: world.agreement[p],
    }
}

/// The carry into this period of `plan` (index `plan_index`) for `partner`: 0, or for
/// about 3 % a negative amount in the plan currency's minor unit (whole points for points).
fn carry_in(world: &World, plan_index: usize, plan: &Plan, partner: u32) -> Decimal {
    let h = mix(world.seed ^ ((plan_index as u64) << 40) ^ u64::from(partner));
    if h % 100 >= 3 {
        return Decimal::ZERO;
    }
    let amount = -(((h >> 8) % 500_000) as i64) - 1;
    if plan.kind == PlanKind::Points {
        Decimal::from(amount / 100)
    } else {
        plan.currency.from_minor(amount)
    }
}

/// Each plan's eligible partners in partner order (one partner's profile at a time).
pub fn resolve(world: &World, plans: &[Plan]) -> Vec<Vec<EligiblePartner>> {
    let mut eligible: Vec<Vec<EligiblePartner>> = vec![Vec::new(); plans.len()];
    for partner in 0..world.partners {
        let profile = profile(world, partner);
        for (index, plan) in plans.iter().enumerate() {
            if plan.eligibility.admits(&profile).is_ok() {
                eligible[index].push(EligiblePartner {
                    partner,
                    terms: PartnerTerms {
                        tier_level: plan.tier.as_ref().and(profile.tier_level),
                        payout_currency: currency(world.payout[partner as usize]),
                        withholding_rate: world.withholding_rate(partner),
                    },
                    carry_in: carry_in(world, index, plan, partner),
                });
            }
        }
    }
    for partners in &mut eligible {
        partners.shrink_to_fit();
    }
    eligible
}
