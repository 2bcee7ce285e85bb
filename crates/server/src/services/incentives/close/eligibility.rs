//! Who each plan pays, judged as of the period's last day (PRODUCT.md §5): a partner's
//! type, the regions of its head-office country, its saved segments, its level in the
//! plan's tier structure (the latest snapshot on or before the day), and whether it has
//! accepted the program agreement (the latest `agreement_accepted` metric fact on or
//! before the day, as tiering reads it). The domain's `Eligibility::admits` decides; the
//! terms (level, payout currency, withholding rate of the tax country) and the negative
//! carry from the plan's earlier periods go with each admitted partner.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tributary_domain::incentives::{EligiblePartner, PartnerProfile, PartnerTerms, RegionCountries};
use tributary_domain::partner::PartnerStatus;
use tributary_store::repo::incentive_plans::PublishedPlan;
use tributary_store::repo::metric_facts::MetricFactRow;
use tributary_store::repo::partners::{Partner, PartnerFilter};
use tributary_store::repo::segments;
use tributary_store::repo::tier_snapshots::{self, SnapshotFilter};
use tributary_store::{Conn, Scope};

use crate::error::{AppError, AppResult};
use crate::services::tiering::members::every_partner;

/// The metric fact that records an accepted program agreement (1 yes, 0 no).
pub const AGREEMENT_METRIC: &str = "agreement_accepted";

/// What eligibility reads of every partner, except the per-structure tier level.
pub struct Standings {
    profiles: Vec<PartnerProfile>,
    /// Structure id → partner index → level as of the day.
    levels: HashMap<String, HashMap<u32, usize>>,
}

/// The latest level of each partner in `structure_id` evaluated on or before `day`.
async fn levels_on(
    conn: &mut Conn<'_>,
    structure_id: &str,
    day: &str,
    index: &HashMap<&str, u32>,
) -> AppResult<HashMap<u32, usize>> {
    let filter = SnapshotFilter {
        structure_id: Some(structure_id.to_string()),
        ..SnapshotFilter::default()
    };
    let mut latest: HashMap<u32, (String, usize)> = HashMap::new();
    for snapshot in tier_snapshots::all(conn, &Scope::All, &filter).await? {
        let Some(&partner) = index.get(snapshot.partner_id.as_str()) else {
            continue;
        };
        if snapshot.eval_date.as_str() > day {
            continue;
        }
        let level = usize::try_from(snapshot.assigned_level).unwrap_or(0);
        let newer = latest.get(&partner).is_none_or(|(date, _)| *date <= snapshot.eval_date);
        if newer {
            latest.insert(partner, (snapshot.eval_date, level));
        }
    }
    Ok(latest
        .into_iter()
        .map(|(partner, (_, level))| (partner, level))
        .collect())
}

/// Whether each partner's latest agreement fact on or before `day` says accepted
/// (`facts` in recording order: a later record of the same day wins).
fn agreements(facts: &[MetricFactRow], day: &str, index: &HashMap<&str, u32>) -> HashMap<u32, bool> {
    let mut latest: HashMap<u32, (&str, bool)> = HashMap::new();
    for fact in facts
        .iter()
        .filter(|f| f.metric == AGREEMENT_METRIC && f.fact_date.as_str() <= day)
    {
        let Some(&partner) = index.get(fact.partner_id.as_str()) else {
            continue;
        };
        let accepted = fact.value.trim().parse::<Decimal>().is_ok_and(|v| !v.is_zero());
        if latest
            .get(&partner)
            .is_none_or(|(date, _)| *date <= fact.fact_date.as_str())
        {
            latest.insert(partner, (fact.fact_date.as_str(), accepted));
        }
    }
    latest
        .into_iter()
        .map(|(partner, (_, accepted))| (partner, accepted))
        .collect()
}

impl Standings {
    /// Reads the standing of `partners` on `end` for the eligibility of `plans`.
    pub async fn load(
        conn: &mut Conn<'_>,
        partners: &[Partner],
        plans: &[PublishedPlan],
        end: NaiveDate,
        regions: &RegionCountries,
        metric_facts: &[MetricFactRow],
    ) -> AppResult<Standings> {
        let day = super::super::facts::date_text(end);
        let index: HashMap<&str, u32> = partners
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i as u32))
            .collect();
        let mut members: HashMap<String, BTreeSet<u32>> = HashMap::new();
        for plan in plans {
            let Some(segment_id) = &plan.definition.eligibility.segment_id else {
                continue;
            };
            if members.contains_key(segment_id) {
                continue;
            }
            let segment = segments::get(conn, segment_id).await?.ok_or_else(|| {
                AppError::Conflict(format!(
                    "the segment of plan '{}' ({segment_id}) no longer exists; publish the plan with another segment",
                    plan.name
                ))
            })?;
            let filter = PartnerFilter {
                segment: Some(segment.fields.filter),
                ..PartnerFilter::default()
            };
            let ids = every_partner(conn, &Scope::All, &filter)
                .await?
                .iter()
                .filter_map(|p| index.get(p.id.as_str()).copied())
                .collect();
            members.insert(segment_id.clone(), ids);
        }
        let mut levels = HashMap::new();
        for plan in plans {
            if let Some(tier) = &plan.definition.tier
                && !levels.contains_key(&tier.structure_id)
            {
                levels.insert(
                    tier.structure_id.clone(),
                    levels_on(conn, &tier.structure_id, &day, &index).await?,
                );
            }
        }
        let accepted = agreements(metric_facts, &day, &index);
        let profiles = partners
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let i = i as u32;
                PartnerProfile {
                    partner_type: p.fields.partner_type,
                    regions: regions
                        .iter()
                        .filter(|(_, countries)| countries.contains(&p.fields.country))
                        .map(|(code, _)| code.clone())
                        .collect(),
                    segments: members
                        .iter()
                        .filter(|(_, ids)| ids.contains(&i))
                        .map(|(id, _)| id.clone())
                        .collect(),
                    tier_level: None,
                    agreement_accepted: accepted.get(&i).copied().unwrap_or(false),
                }
            })
            .collect();
        Ok(Standings { profiles, levels })
    }

    /// The partners `plan` pays, in partner order, with their terms and carry-in.
    /// Prospects are not in the program yet and are never paid.
    pub fn eligible(
        &self,
        plan: &PublishedPlan,
        partners: &[Partner],
        withholding: &BTreeMap<String, Decimal>,
        carries: &HashMap<(String, String), Decimal>,
    ) -> Vec<EligiblePartner> {
        let levels = plan
            .definition
            .tier
            .as_ref()
            .and_then(|tier| self.levels.get(&tier.structure_id));
        partners
            .iter()
            .zip(&self.profiles)
            .enumerate()
            .filter(|(_, (partner, _))| partner.fields.status != PartnerStatus::Prospect)
            .filter_map(|(i, (partner, profile))| {
                let i = i as u32;
                let tier_level = levels.and_then(|l| l.get(&i).copied());
                let profile = PartnerProfile {
                    tier_level,
                    ..profile.clone()
                };
                plan.definition.eligibility.admits(&profile).ok()?;
                Some(EligiblePartner {
                    partner: i,
                    terms: PartnerTerms {
                        tier_level,
                        payout_currency: partner.fields.payout_currency,
                        withholding_rate: withholding
                            .get(&partner.fields.tax_country)
                            .copied()
                            .unwrap_or_default(),
                    },
                    carry_in: carries
                        .get(&(partner.id.clone(), plan.plan_id.clone()))
                        .copied()
                        .unwrap_or_default(),
                })
            })
            .collect()
    }
}
